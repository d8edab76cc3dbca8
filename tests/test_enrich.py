"""Enrich: the store scored month by month, in worker processes, gives what one serial pass gives."""

from __future__ import annotations

import pandas as pd
import pytest

from feedback_analysis import pipeline, store
from feedback_analysis.sample import write_benchmark_csv
from feedback_analysis.scoring import SCORE_COLUMNS, Scorer
from feedback_analysis.stages import enrich as stages_enrich
from feedback_analysis.threads import summarise_threads

MAPPING = "post_id: id\nparent_id: parent\nauthor: author\ncreated_at: date\ntext: message\nreactions_like: likes\n"


@pytest.fixture
def year_store(settings, tmp_path):
    """A store of 1,500 generated rows over a year (posts, comments, replies, copied texts)."""
    path = write_benchmark_csv(tmp_path / "export.csv", 1500, seed=3)
    path.with_suffix(".columns.yaml").write_text(MAPPING)
    assert pipeline.ingest([path], settings).ok
    return settings


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values("post_id").reset_index(drop=True)


def test_month_by_month_in_workers_gives_the_scores_and_threads_of_one_serial_pass(year_store, monkeypatch):
    posts = store.read_posts(year_store.posts_dir)
    assert posts["month"].nunique() >= 12 and posts["text"].duplicated().any()
    monkeypatch.setattr(stages_enrich, "SCORE_BATCH_ROWS", 40)  # several tickets a month
    scorer = Scorer(workers=2, parallel_min_texts=50)
    report = pipeline.enrich(year_store, scorer=scorer)
    assert (report.rows, report.scored, report.reused) == (len(posts), len(posts), 0)

    scores = _sorted(pipeline.read_scores(year_store))
    serial = _sorted(Scorer(workers=1).score(posts))
    pd.testing.assert_frame_equal(scores[["post_id", *SCORE_COLUMNS]], serial[["post_id", *SCORE_COLUMNS]],
                                  check_dtype=False)
    assert (scores["content_hash"] == serial["content_hash"]).all() and set(scores["scorer_version"]) == {report.version}
    assert report.flagged == int((serial["abuse"] != "none").sum())

    threads = _sorted(pd.read_parquet(year_store.threads_path))
    expected = _sorted(summarise_threads(serial))
    pd.testing.assert_frame_equal(threads, expected, check_dtype=False)
    assert report.threads == len(expected) > 0


def test_a_second_run_reuses_every_row_and_changes_nothing(year_store):
    pipeline.enrich(year_store, scorer=Scorer(workers=1))
    first = _sorted(pipeline.read_scores(year_store))
    first_threads = _sorted(pd.read_parquet(year_store.threads_path))
    again = pipeline.enrich(year_store, scorer=Scorer(workers=1))
    assert (again.scored, again.reused) == (0, again.rows)
    pd.testing.assert_frame_equal(_sorted(pipeline.read_scores(year_store)), first)
    pd.testing.assert_frame_equal(_sorted(pd.read_parquet(year_store.threads_path)), first_threads)


def test_a_failing_month_leaves_the_old_scores(year_store, tmp_path, monkeypatch):
    pipeline.enrich(year_store, scorer=Scorer(workers=1))
    monkeypatch.setattr(stages_enrich, "CLUSTER_GROUP_ROWS", 200)  # a few months per call
    before = year_store.scores_path.read_bytes()
    calls = []

    def broken(scorer, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise RuntimeError("cluster lost")
        return scorer.score(rows.drop(columns=["month"]))

    labels = tmp_path / "labels.csv"
    labels.write_text("post_id,sentiment\n")  # another scorer version: every row is scored again
    with pytest.raises(RuntimeError, match="cluster lost"):
        pipeline.enrich(year_store, scorer=Scorer(workers=1, label_files=(labels,)), score_parts=broken)
    assert year_store.scores_path.read_bytes() == before
    assert not [p for p in year_store.scores_path.parent.iterdir() if p.name.startswith(".")]


def test_months_scored_elsewhere_in_groups_give_the_serial_scores(year_store, monkeypatch):
    pipeline.enrich(year_store, scorer=Scorer(workers=1))
    serial = _sorted(pipeline.read_scores(year_store))
    year_store.scores_path.unlink()
    monkeypatch.setattr(stages_enrich, "CLUSTER_GROUP_ROWS", 300)
    calls = []

    def elsewhere(scorer, rows):
        calls.append(sorted(rows["month"].unique()))
        return scorer.score(rows.drop(columns=["month"]).sample(frac=1, random_state=0))  # any order back

    pipeline.enrich(year_store, scorer=Scorer(workers=1), score_parts=elsewhere)
    months = sum(calls, [])
    assert len(calls) > 3 and months == sorted(set(months)) and any(len(group) > 1 for group in calls)
    pd.testing.assert_frame_equal(_sorted(pipeline.read_scores(year_store)), serial)
