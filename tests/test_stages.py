"""The Python API does what the CLI does: a report (one month or the pending ones) refreshes the topics first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedback_analysis import pipeline
from feedback_analysis import report as reports
from feedback_analysis.stages import reports as stage


@pytest.fixture
def calls(settings, monkeypatch):
    """The order in which topics and reports were asked for, with the month each went up to."""
    done: list[tuple[str, str]] = []
    settings.posts_dir.mkdir(parents=True)
    monkeypatch.setattr(stage, "update_topics", lambda settings, up_to, **kw: done.append(("topics", up_to)))
    monkeypatch.setattr(reports, "build_report", lambda settings, month, **kw: done.append(("report", month)) or "built")
    monkeypatch.setattr(reports, "build_pending", lambda settings, **kw: done.append(("pending", "")) or "pending")
    return done


def test_a_month_report_models_the_topics_up_to_that_month_first(settings, calls):
    assert pipeline.build_month_report(settings, "2026-03", force=True) == "built"
    assert calls == [("topics", "2026-03"), ("report", "2026-03")]


def test_the_pending_reports_model_the_topics_up_to_the_last_complete_month_first(settings, calls):
    now = datetime(2026, 4, 10, tzinfo=UTC)
    assert pipeline.build_pending_reports(settings, now=now) == "pending"
    assert calls == [("topics", "2026-03"), ("pending", "")]


def test_topics_that_cannot_be_modelled_stop_the_report_with_one_line(settings, calls, monkeypatch):
    def broken(settings, up_to, **kw):
        raise ValueError("no data for 2026-03")

    monkeypatch.setattr(stage, "update_topics", broken)
    with pytest.raises(pipeline.TopicsError, match=r"^topics: no data for 2026-03$"):
        pipeline.build_month_report(settings, "2026-03")
    assert calls == []


def test_without_a_store_there_are_no_topics_to_model(settings, calls):
    settings.posts_dir.rmdir()
    pipeline.build_month_report(settings, "2026-03")
    assert calls == [("report", "2026-03")]


def test_the_municipality_name_is_kept_out_of_topic_labels(settings):
    import dataclasses

    import pandas as pd

    from feedback_analysis.stages import topics as topic_stage
    from feedback_analysis.topics import topics_by_group

    named = dataclasses.replace(settings, municipality="Sint-Denderbeke")
    assert topic_stage.municipality_words(named) == ("sint", "denderbeke")
    posts = pd.DataFrame({
        "text": [f"Denderbeke: het containerpark is weer dicht ({i})" for i in range(6)],
        "topic": [0] * 6, "topic_label": ["x"] * 6, "service": ["afval"] * 6, "sentiment": ["negative"] * 6,
    })
    words = topics_by_group(posts, stop_words=topic_stage.municipality_words(named))["words"].iloc[0]
    assert "denderbeke" not in str(words).lower() and "containerpark" in str(words).lower()


@pytest.fixture(scope="module")
def modelled(tmp_path_factory):
    """A store of three generated months, scored, with the topics of all three modelled."""
    from feedback_analysis.config import load_settings
    from feedback_analysis.sample import write_sample_exports

    root = tmp_path_factory.mktemp("modelled")
    settings = load_settings(data_dir=root / "data", environ={})
    written = write_sample_exports(root / "raw", end_month="2026-03", months=3, posts_per_month=90)
    pipeline.ingest([written["dyi"].parent], settings)
    pipeline.enrich(settings)
    modelled = [item.month for item in pipeline.update_topics(settings, "2026-03")]
    assert modelled == ["2026-01", "2026-02", "2026-03"]
    return settings


def test_an_ingest_of_another_month_does_not_refit_the_topics_of_unchanged_months(modelled):
    import os

    from feedback_analysis.stages import topics as topic_stage
    from feedback_analysis.store import DataFolder, tables

    folder = DataFolder.of(modelled)
    before = {m: folder.assignment(m).stat().st_mtime_ns for m in ("2026-01", "2026-02", "2026-03")}
    later = folder.assignment("2026-03").stat().st_mtime + 60
    os.utime(folder.scores, (later, later))  # the scores file was rewritten after the topics
    assert all(tables.topics_outdated(modelled, m) for m in before)  # the times alone say refit
    assert topic_stage.months_to_model(modelled, "2026-03") == {}
    assert pipeline.update_topics(modelled, "2026-03") == []
    assert {m: folder.assignment(m).stat().st_mtime_ns for m in before} == before


def test_a_changed_score_refits_the_topics_of_its_month_only(modelled):
    from feedback_analysis.stages import topics as topic_stage
    from feedback_analysis.store import tables

    february = set(pipeline.load_scored_posts(modelled, ["2026-02"])["post_id"])
    scores = tables.read_scores(modelled)
    changed = scores.index[scores["post_id"].isin(february)][0]
    scores.loc[changed, "sentiment"] = "positive" if scores.loc[changed, "sentiment"] != "positive" else "negative"
    original = tables.read_scores(modelled)
    try:
        tables.write_scores(modelled, scores)
        assert list(topic_stage.months_to_model(modelled, "2026-03")) == ["2026-02"]
        assert list(topic_stage.months_to_model(modelled, "2026-01")) == []  # only months up to the one asked
    finally:
        tables.write_scores(modelled, original)
    assert topic_stage.months_to_model(modelled, "2026-03") == {}


def test_the_most_common_subject_of_a_cell_is_the_modes_first_value():
    import numpy as np
    import pandas as pd

    from feedback_analysis.stages.topics import _most_common

    rng = np.random.default_rng(3)
    values = rng.integers(-1, 4, size=200)
    cells = pd.Series([sorted(rng.choice(200, size=size, replace=False).tolist()) for size in (1, 2, 7, 30, 4)])
    expected = [int(pd.Series(values[rows]).mode().iloc[0]) for rows in cells]
    assert _most_common(cells, values) == expected
    assert _most_common(pd.Series([[0, 1]]), np.array([5, 2])) == [2]  # a tie: the smallest id


def test_the_record_of_a_months_topic_inputs_is_no_report_input(modelled):
    from feedback_analysis.store import DataFolder
    from feedback_analysis.store.reports import processed_files

    recorded = DataFolder.of(modelled).assignments / ".2026-02.inputs"
    assert recorded.is_file() and len(recorded.read_text().strip()) == 64
    assert recorded not in processed_files(modelled.processed_dir)  # a later month's topics leave reports be


def test_months_fitted_side_by_side_give_the_topics_of_one_after_the_other(modelled, tmp_path):
    import shutil

    import pandas as pd

    from feedback_analysis.config import load_settings
    from feedback_analysis.store import tables

    results = {}
    for workers in (1, 2):
        data = tmp_path / f"workers-{workers}"
        shutil.copytree(modelled.data_dir, data)
        shutil.rmtree(data / "processed" / "topics")
        copy = load_settings(data_dir=data, environ={})
        done = pipeline.update_topics(copy, "2026-03", workers=workers)
        assert [item.month for item in done] == ["2026-01", "2026-02", "2026-03"]
        history = pipeline.load_topic_history(copy)
        results[workers] = (tables.read_assignments(copy, ["2026-01", "2026-02", "2026-03"]), history)
    serial, parallel = results[1], results[2]
    pd.testing.assert_frame_equal(serial[0], parallel[0])
    pd.testing.assert_frame_equal(serial[1], parallel[1])
    assert serial[0]["stable_topic"].nunique() > 3 and len(serial[1]) > 3


def test_topic_workers_follow_the_cores_and_stay_in_a_daemonic_process(monkeypatch):
    import multiprocessing

    from feedback_analysis.stages import topics as topic_stage

    monkeypatch.setattr(topic_stage.os, "cpu_count", lambda: 2)
    assert [topic_stage.topic_workers(n) for n in (0, 1, 5)] == [1, 1, 2]
    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    assert topic_stage.topic_workers(5) == 1


def test_the_rows_of_a_months_posts_are_picked_as_series_isin_picks_them():
    import numpy as np
    import pandas as pd

    from feedback_analysis.stages.decisions import is_in

    rng = np.random.default_rng(5)
    values = [f"p{number}" for number in rng.integers(0, 400, size=300)]
    wanted = sorted({f"p{number}" for number in rng.integers(0, 400, size=80)})
    ids = pd.Series(wanted, dtype="str").unique()
    for series in (pd.Series(values, dtype="object"), pd.Series(values, dtype="str"), pd.Series(range(300))):
        expected = series.astype(str).isin(set(wanted)).to_numpy()
        assert expected.any() or series.dtype.kind == "i"
        assert (is_in(series.astype(str), ids) == expected).all()


def test_scored_posts_of_some_columns_and_months_are_those_of_the_whole_read(modelled):
    import pandas as pd

    whole = pipeline.load_scored_posts(modelled)
    columns = ["text", "created_at", "is_duplicate"]
    some = pipeline.load_scored_posts(modelled, ["2026-02"], columns=columns)
    assert not {"author_id", "url", "source_file"} & set(some.columns)
    expected = whole[whole["month"] == "2026-02"][list(some.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(some, expected)


def test_the_report_reads_the_texts_of_its_month_only(modelled):
    import pandas as pd

    from feedback_analysis import report_data
    from feedback_analysis.report.selection import UNREPORTED_COLUMNS

    posts = report_data.load_report_posts(modelled, "2026-03")
    whole = pipeline.load_scored_posts(modelled, report_data.month_range("2026-03", report_data.TREND_MONTHS))
    assert not set(UNREPORTED_COLUMNS) & set(posts.columns)
    assert set(posts["month"]) == {"2026-01", "2026-02", "2026-03"}
    in_month = posts["month"] == "2026-03"
    assert posts.loc[in_month, "text"].notna().all() and posts.loc[~in_month, "text"].isna().all()
    expected = whole[list(posts.columns)]
    pd.testing.assert_frame_equal(posts[in_month], expected[in_month.to_numpy()])
    pd.testing.assert_frame_equal(posts.drop(columns="text"), expected.drop(columns="text"))
