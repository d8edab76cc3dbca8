"""The ingest pipeline end to end: files in, store and quarantine out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis import pipeline, store
from feedback_analysis.stages import ingest as ingest_stage


def read_store(settings) -> pd.DataFrame:
    return store.read_posts(settings.posts_dir)


def test_ingest_every_fixture_format_into_one_valid_store(fixtures, settings):
    report = pipeline.ingest(
        [fixtures / "dyi", fixtures / "dyi_old", fixtures / "graph", fixtures / "scraper" / "posts.jsonl",
         fixtures / "crowdtangle.csv", fixtures / "handmade_cp1252.csv"],
        settings,
    )
    assert report.ok, report.errors
    posts = read_store(settings)
    assert set(posts["source"]) == {"dyi", "graph", "scraper", "crowdtangle", "csv"}
    assert posts["post_id"].is_unique
    assert str(posts["created_at"].dt.tz) == "UTC"
    assert set(posts["kind"]) == {"post", "comment", "reply"}
    # the mojibake is repaired in the store
    assert posts["text"].str.contains("Café De Zwaan: één ë ï 😀 €5", regex=False).any()


def test_no_names_or_personal_data_reach_the_store(fixtures, settings):
    pipeline.ingest([fixtures / "dyi", fixtures / "graph", fixtures / "scraper" / "posts.jsonl", fixtures / "handmade_cp1252.csv"], settings)
    posts = read_store(settings)
    everything = posts.astype(str).to_csv()
    for name in ("Sofie Van Damme", "Jens", "Karel", "Lotte", "Bart Willems", "Koen Wouters", "Mieke Peeters", "Jef Van Acker"):
        assert name not in everything
    for personal in ("0470", "09/123.45.67", "voorbeeld.be", "BE68", "85.07.30", "@Bart"):
        assert personal not in everything
    assert posts["author_id"].dropna().str.match(r"^a_[0-9a-f]{16}$").all()
    assert "[PHONE]" in everything and "[EMAIL]" in everything and "[IBAN]" in everything and "[NATIONAL_ID]" in everything


def test_reingest_adds_nothing_twice(fixtures, settings):
    paths = [fixtures / "dyi", fixtures / "scraper" / "posts.jsonl", fixtures / "handmade_cp1252.csv"]
    first = pipeline.ingest(paths, settings)
    before = read_store(settings)
    second = pipeline.ingest(paths, settings)
    after = read_store(settings)
    assert len(after) == len(before) == first.rows_after == second.rows_after
    assert second.totals().stored == 0 and second.totals().duplicates == first.totals().stored
    # an unchanged row keeps the time it first entered the store
    merged = before.merge(after, on="post_id")
    assert (merged["ingested_at_x"] == merged["ingested_at_y"]).all()


def test_overlapping_export_with_changed_counts_updates_rows(fixtures, settings, tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("id,user,time,message,likes\n1,a,2026-05-01T12:00:00Z,Hallo allemaal,1\n")
    mapping = tmp_path / "t.columns.yaml"
    mapping.write_text("post_id: id\nauthor: user\ncreated_at: time\ntext: message\nreactions_like: likes\n")
    pipeline.ingest([csv], settings)
    csv.write_text("id,user,time,message,likes\n1,a,2026-05-01T12:00:00Z,Hallo allemaal,5\n2,b,2026-05-02T12:00:00Z,Tweede bericht,0\n")
    report = pipeline.ingest([csv], settings)
    posts = read_store(settings).set_index("post_id")
    assert len(posts) == 2 and posts.loc["csv:1", "reactions_like"] == 5
    assert report.totals().stored == 1 and report.totals().updated == 0 and report.totals().duplicates == 1


def test_bad_rows_go_to_quarantine_with_their_reason(fixtures, settings):
    report = pipeline.ingest([fixtures / "handmade_cp1252.csv"], settings)
    summary = report.files[0]
    assert (summary.read, summary.stored, summary.quarantined, summary.skipped) == (6, 3, 2, 1)
    quarantine = pd.read_csv(report.quarantine_file)
    assert sorted(quarantine["reason"]) == ["unknown parent csv:99", "unparseable date: 32/13/2026 25:61"]
    assert quarantine["source_file"].str.endswith("handmade_cp1252.csv").all()
    assert "Deze datum klopt niet" in quarantine["raw"].str.cat()  # original values kept


def test_a_broken_file_fails_alone_and_the_rest_is_stored(fixtures, settings):
    report = pipeline.ingest([fixtures / "corrupt" / "truncated.json", fixtures / "scraper" / "posts.jsonl"], settings)
    assert not report.ok
    assert len(report.errors) == 1 and "truncated.json" in report.errors[0]
    assert len(read_store(settings)) == 3


def test_raw_data_is_never_touched(fixtures, settings, snapshot):
    before = snapshot(fixtures)
    pipeline.ingest([fixtures], settings)
    assert snapshot(fixtures) == before


def test_a_failed_write_leaves_the_previous_store(fixtures, settings, monkeypatch):
    pipeline.ingest([fixtures / "scraper" / "posts.jsonl"], settings)
    before = read_store(settings)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store.pq, "write_table", explode)
    with pytest.raises(OSError):
        pipeline.ingest([fixtures / "handmade_cp1252.csv"], settings)
    after = read_store(settings)
    pd.testing.assert_frame_equal(before, after)
    leftovers = [p.name for p in settings.processed_dir.iterdir() if p.name != "posts"]
    assert leftovers == []


def test_photo_only_posts_are_counted_not_stored(fixtures, settings):
    report = pipeline.ingest([fixtures / "dyi"], settings)
    totals = report.totals()
    assert totals.skipped == 1
    assert totals.stored == len(read_store(settings)) == 5


def test_group_option_sets_the_group(fixtures, settings):
    pipeline.ingest([fixtures / "scraper" / "posts.jsonl"], settings, group="Ge zijt van Denderbeke als")
    assert set(read_store(settings)["group_name"]) == {"Ge zijt van Denderbeke als"}


def test_months_partition_the_store(fixtures, settings):
    pipeline.ingest([fixtures / "graph"], settings)
    months = sorted(p.name for p in settings.posts_dir.iterdir())
    assert months == ["month=2026-03"]  # the photo-only post of 31 March 23:30 UTC is skipped


def test_parallel_cleaning_gives_the_same_store(fixtures, settings, tmp_path, monkeypatch):
    paths = [fixtures / "dyi", fixtures / "scraper" / "posts.jsonl", fixtures / "handmade_cp1252.csv"]
    pipeline.ingest(paths, settings)
    sequential = read_store(settings).drop(columns=["ingested_at"])
    from feedback_analysis.config import load_settings

    parallel_settings = load_settings(data_dir=tmp_path / "parallel", environ={})
    parallel_settings.salt_path.parent.mkdir(parents=True)
    parallel_settings.salt_path.write_bytes(settings.salt_path.read_bytes())
    monkeypatch.setattr(ingest_stage, "PARALLEL_MIN_ROWS", 1)
    report = pipeline.ingest(paths, parallel_settings)
    assert report.ok
    parallel = read_store(parallel_settings).drop(columns=["ingested_at"])
    pd.testing.assert_frame_equal(sequential, parallel)


def test_enrich_scores_only_new_or_changed_rows(fixtures, settings, tmp_path):
    pipeline.ingest([fixtures / "scraper" / "posts.jsonl"], settings)
    first = pipeline.enrich(settings)
    assert (first.rows, first.scored, first.reused) == (3, 3, 0)
    scores = pd.read_parquet(settings.scores_path)
    assert set(scores["post_id"]) == set(read_store(settings)["post_id"])
    assert {"sentiment", "service", "abuse", "compliment", "scorer_version"} <= set(scores.columns)
    again = pipeline.enrich(settings)
    assert (again.scored, again.reused) == (0, 3)
    pipeline.ingest([fixtures / "handmade_cp1252.csv"], settings)
    third = pipeline.enrich(settings)
    assert third.scored == 3 and third.reused == 3
    threads = pd.read_parquet(settings.threads_path)
    assert set(threads.columns) >= {"post_id", "replies", "agree", "disagree", "consensus"}
    assert threads.set_index("post_id").loc["scraper:5001", "replies"] == 2


def test_load_scored_posts_joins_scores_threads_and_thread_service(fixtures, settings):
    pipeline.ingest([fixtures / "scraper" / "posts.jsonl"], settings)
    pipeline.enrich(settings)
    posts = pipeline.load_scored_posts(settings).set_index("post_id")
    assert posts["sentiment"].notna().all() and posts["abuse"].notna().all()
    top = posts.loc["scraper:5001"]
    assert top["service"] == "afval" and top["replies"] == 2 and top["consensus"] in {"shared", "contested", "isolated"}
    # "Idem hier" has no service of its own but counts for its thread's service
    assert posts.loc["scraper:6001", "thread_service"] == "afval"


WORKER_SCRIPT = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from feedback_analysis.stages import ingest as ingest_stage

if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=ingest_stage._die_with_parent, initargs=(os.getpid(),))
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 120)  # the worker is busy cleaning a chunk when the ingest is killed
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return "\nState:\tZ" not in handle.read()
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_cleaning_workers_die_with_a_killed_ingest(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "parent.py"
    script.write_text(WORKER_SCRIPT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(worker)
    finally:
        parent.kill()
        if "worker" in locals() and _alive(worker):
            os.kill(worker, signal.SIGKILL)  # never leave a test's process behind


def _sorted_store(settings) -> pd.DataFrame:
    posts = read_store(settings).drop(columns=["ingested_at"])
    posts["month"] = posts["month"].astype(str)
    return posts.sort_values("post_id").reset_index(drop=True)


def _benchmark_csv(path: Path, rows: int, seed: int) -> Path:
    from feedback_analysis.sample import write_benchmark_csv

    write_benchmark_csv(path, rows, seed=seed)
    path.with_suffix(".columns.yaml").write_text(
        "post_id: id\nparent_id: parent\nauthor: author\ncreated_at: date\ntext: message\nreactions_like: likes\n")
    return path


def test_appending_to_touched_months_gives_the_store_of_a_full_rewrite(fixtures, tmp_path, monkeypatch):
    """Appending to the months a batch touches (new duplicate marks of stored rows in the months' marks
    files, threads and duplicates decided on the rows the batch reaches) must give exactly the store
    that rewriting every month from decisions over the whole store gives, duplicates across files
    and runs included; through every reader, and after a retention purge."""
    from feedback_analysis import clean, privacy
    from feedback_analysis.config import load_settings
    from feedback_analysis.store import erasure, marks, sql

    monkeypatch.chdir(tmp_path)
    first = _benchmark_csv(tmp_path / "a.csv", 1500, seed=3)
    second = _benchmark_csv(tmp_path / "b.csv", 1500, seed=4)  # same months, copied texts at earlier times
    third = _benchmark_csv(tmp_path / "c.csv", 300, seed=5)
    paths = [fixtures / "dyi", first, fixtures / "graph", second, first, fixtures / "scraper" / "posts.jsonl", third]
    appended = load_settings(data_dir=tmp_path / "appended", environ={})
    rewritten = load_settings(data_dir=tmp_path / "rewritten", environ={})
    privacy.load_or_create_salt(appended.salt_path)
    rewritten.salt_path.parent.mkdir(parents=True, exist_ok=True)
    rewritten.salt_path.write_bytes(appended.salt_path.read_bytes())
    writes = ingest_stage._month_writes
    kinds, marked = [], []
    monkeypatch.setattr(ingest_stage, "_month_writes", lambda *args: (
        kinds.append(w.append) or marked.append(w.marks is not None and not w.marks.empty) or w for w in writes(*args)))
    for path in paths:
        report = pipeline.ingest([path], appended)
        assert report.ok, report.errors
    assert True in kinds and False in kinds and any(marked)  # months appended to, rewritten, and re-marked
    assert marks.list_marks(appended.posts_dir)  # kept beside the months, which were not rewritten for them
    every_month = ingest_stage._months_to_rewrite
    with monkeypatch.context() as patch:  # the former way: every month rewritten, every decision over the whole store
        patch.setattr(ingest_stage, "_months_to_rewrite",
                      lambda final, existing: (every_month(final, existing)[0] | set(final["month"].astype(str)), set()))
        patch.setattr(ingest_stage, "ancestors", lambda known, rows: pd.concat(known, ignore_index=True))
        patch.setattr(ingest_stage, "mark_touched", lambda final, stored, replaced, min_chars:
                      clean.mark_duplicates(final, min_chars))
        for path in paths:
            pipeline.ingest([path], rewritten)
    assert not marks.list_marks(rewritten.posts_dir)
    expected, got = _sorted_store(rewritten), _sorted_store(appended)
    assert got["is_duplicate"].any() and got["duplicate_of"].isin(got["post_id"]).sum() > 0
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)
    columns = ["post_id", "month", "duplicate_of", "is_duplicate"]
    index = [store.read_index(s.posts_dir, columns).sort_values("post_id", ignore_index=True) for s in (appended, rewritten)]
    pd.testing.assert_frame_equal(*index, check_dtype=False)
    month = got["month"].iloc[0]
    by_month = [store.read_posts(s.posts_dir, ["is_duplicate", "duplicate_of"], months=[month]) for s in (appended, rewritten)]
    assert sorted(map(str, by_month[0].itertuples(index=False))) == sorted(map(str, by_month[1].itertuples(index=False)))
    query = "SELECT post_id, duplicate_of, is_duplicate FROM posts ORDER BY post_id"
    viewed = [sql.connect(s).execute(query).df() for s in (appended, rewritten)]
    pd.testing.assert_frame_equal(*viewed)
    latest = pd.Timestamp(f"{max(got['month'])}-15", tz="UTC")
    for s in (appended, rewritten):  # a purge keeping the last month only writes the marks into the rows
        erasure.purge(s, retention_months=1, now=latest + pd.DateOffset(months=1))
    assert not marks.list_marks(appended.posts_dir)
    pd.testing.assert_frame_equal(_sorted_store(appended), _sorted_store(rewritten), check_dtype=False, check_categorical=False)


def test_months_a_batch_does_not_touch_keep_their_files(settings, tmp_path):
    mapping = tmp_path / "map.columns.yaml"
    mapping.write_text("post_id: id\nauthor: user\ncreated_at: time\ntext: message\nreactions_like: likes\n")
    january = tmp_path / "jan.csv"
    january.write_text("id,user,time,message,likes\n1,a,2026-01-05T12:00:00Z,Het containerpark is weer open,1\n")
    june = tmp_path / "jun.csv"
    june.write_text("id,user,time,message,likes\n2,b,2026-06-05T12:00:00Z,Wanneer komt de nieuwe bibliotheek,2\n")
    pipeline.ingest([january], settings, columns=mapping)
    month_file = next((settings.posts_dir / "month=2026-01").glob("*.parquet"))
    inode = month_file.stat().st_ino
    pipeline.ingest([june], settings, columns=mapping)
    assert next((settings.posts_dir / "month=2026-01").glob("*.parquet")).stat().st_ino == inode
    more = tmp_path / "jun2.csv"
    more.write_text("id,user,time,message,likes\n3,c,2026-06-09T12:00:00Z,De bibliotheek opent in september,0\n")
    pipeline.ingest([more], settings, columns=mapping)
    assert len(list((settings.posts_dir / "month=2026-06").glob("*.parquet"))) == 2  # appended, not rewritten
    assert sorted(store.read_posts(settings.posts_dir)["post_id"]) == ["csv:1", "csv:2", "csv:3"]


def test_a_row_whose_date_moves_to_another_month_is_stored_once(settings, tmp_path):
    mapping = tmp_path / "map.columns.yaml"
    mapping.write_text("post_id: id\nauthor: user\ncreated_at: time\ntext: message\n")
    export = tmp_path / "export.csv"
    export.write_text("id,user,time,message\n1,a,2026-01-31T12:00:00Z,Wanneer wordt de straat heraangelegd\n")
    pipeline.ingest([export], settings, columns=mapping)
    export.write_text("id,user,time,message\n1,a,2026-02-01T12:00:00Z,Wanneer wordt de straat heraangelegd\n")
    report = pipeline.ingest([export], settings, columns=mapping)
    stored = store.read_posts(settings.posts_dir)
    assert report.ok and stored["post_id"].tolist() == ["csv:1"] and stored["month"].tolist() == ["2026-02"]
    assert not (settings.posts_dir / "month=2026-01").exists()
