"""The Parquet store: validation, atomic swap, recovery and the lock."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from feedback_analysis import store
from feedback_analysis.schema import POST_COLUMNS


def one_post(**overrides) -> pd.DataFrame:
    row = {column: None for column in POST_COLUMNS}
    row.update(
        post_id="csv:1", thread_id="csv:1", kind="post", source="csv", source_file="f.csv", source_row=2,
        created_at=pd.Timestamp("2026-04-03T12:05:00Z"), month="2026-04", text="Hallo", lang="nl",
        content_hash="abc", is_duplicate=False, ingested_at=pd.Timestamp("2026-11-01T00:00:00Z"),
    )
    row.update(overrides)
    return pd.DataFrame([row])


def test_write_and_read_back(tmp_path):
    posts_dir = tmp_path / "processed" / "posts"
    store.write_posts(one_post(), posts_dir)
    back = store.read_posts(posts_dir)
    assert back["post_id"].tolist() == ["csv:1"] and back["month"].tolist() == ["2026-04"]
    assert (posts_dir / "month=2026-04" / "part-0.parquet").is_file()


def test_invalid_rows_are_refused_and_nothing_is_written(tmp_path):
    posts_dir = tmp_path / "posts"
    bad = pd.concat([one_post(kind="tweet"), one_post(post_id="csv:2", lang="xx")])
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        store.write_posts(bad, posts_dir)
    assert "kind" in str(caught.value) and "lang" in str(caught.value)  # reported together
    assert not posts_dir.exists()


def test_interrupted_swap_is_recovered(tmp_path):
    posts_dir = tmp_path / "posts"
    store.write_posts(one_post(), posts_dir)
    # simulate a crash between the two renames: only the old copy exists
    posts_dir.rename(tmp_path / ".posts.old-deadbeef")
    assert store.read_posts(posts_dir)["post_id"].tolist() == ["csv:1"]
    assert not (tmp_path / ".posts.old-deadbeef").exists()
    # a writer also clears what an interrupted run left behind
    (tmp_path / ".posts.tmp-cafebabe").mkdir()
    store.write_posts(one_post(), posts_dir)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts"]


def test_lock_keeps_two_writers_apart(tmp_path):
    with store.store_lock(tmp_path):
        with pytest.raises(store.StoreLockedError, match="another feedback-analysis run"):
            with store.store_lock(tmp_path):
                pass
    with store.store_lock(tmp_path):  # released again
        pass


def test_empty_store_reads_as_empty_table(tmp_path):
    empty = store.read_posts(tmp_path / "none")
    assert list(empty.columns) == list(POST_COLUMNS) and empty.empty


def test_appended_parts_read_as_one_month_and_are_compacted(tmp_path):
    posts_dir = tmp_path / "posts"
    store.write_posts(one_post(), posts_dir)
    for i in range(2, 11):  # url has no value in the first part and a text in the others: still one type
        row = one_post(post_id=f"csv:{i}", thread_id=f"csv:{i}", url=f"https://example.org/{i}")
        store.update_months([store.MonthWrite("2026-04", row, append=True)], posts_dir)
        assert len(list((posts_dir / "month=2026-04").glob("*.parquet"))) <= store.MAX_PARTS
    store.update_months([store.MonthWrite("2026-05", one_post(post_id="csv:11", month="2026-05"))], posts_dir)
    back = store.read_posts(posts_dir)
    assert sorted(back["post_id"]) == sorted(f"csv:{i}" for i in range(1, 12))
    assert back["url"].notna().sum() == 9 and set(back["month"]) == {"2026-04", "2026-05"}


def test_new_duplicate_marks_go_to_the_months_marks_file_and_are_compacted_when_many(tmp_path):
    from feedback_analysis.store import marks

    posts_dir = tmp_path / "posts"
    rows = pd.concat([one_post(post_id=f"csv:{i}", thread_id=f"csv:{i}", created_at=pd.Timestamp(f"2026-04-{i + 1:02d}T12:00:00Z"))
                      for i in range(8)], ignore_index=True)
    store.write_posts(rows, posts_dir)
    part = posts_dir / "month=2026-04" / "part-0.parquet"
    inode = part.stat().st_ino
    remark = pd.DataFrame({"post_id": ["csv:1"], "duplicate_of": ["csv:0"], "is_duplicate": [True]})
    store.update_months([store.MonthWrite("2026-04", rows.iloc[:0], append=True, validated=True, marks=remark)], posts_dir)
    assert part.stat().st_ino == inode and marks.list_marks(posts_dir) == {"2026-04": marks.marks_file(posts_dir, "2026-04")}
    back = store.read_posts(posts_dir).set_index("post_id")
    assert back.loc["csv:1", "duplicate_of"] == "csv:0" and back["is_duplicate"].sum() == 1
    assert store.read_posts(posts_dir, columns=["is_duplicate"])["is_duplicate"].sum() == 1
    assert store.read_posts(posts_dir, columns=["is_duplicate"], months=["2026-05"]).empty
    index = store.read_index(posts_dir, ["post_id", "duplicate_of"]).set_index("post_id")
    assert index.loc["csv:1", "duplicate_of"] == "csv:0" and index["duplicate_of"].notna().sum() == 1
    # a later batch overrides the mark it names, keeps the others; past the share the marks go into the rows
    more = pd.DataFrame({"post_id": ["csv:1", "csv:2", "csv:3"], "duplicate_of": [None, "csv:0", "csv:0"],
                         "is_duplicate": [False, True, True]})
    store.update_months([store.MonthWrite("2026-04", rows.iloc[:0], append=True, validated=True, marks=more)], posts_dir)
    assert not marks.list_marks(posts_dir)
    back = store.read_posts(posts_dir).set_index("post_id")
    assert back.loc["csv:1", "is_duplicate"] == False and back["duplicate_of"].dropna().to_dict() == {"csv:2": "csv:0", "csv:3": "csv:0"}  # noqa: E712


def test_a_write_that_fails_on_the_marks_keeps_the_store_and_its_marks(tmp_path, monkeypatch):
    from feedback_analysis.store import marks, posts

    posts_dir = tmp_path / "posts"
    rows = pd.concat([one_post(post_id=f"csv:{i}", thread_id=f"csv:{i}") for i in range(8)], ignore_index=True)
    store.write_posts(rows, posts_dir)
    first = pd.DataFrame({"post_id": ["csv:1"], "duplicate_of": ["csv:0"], "is_duplicate": [True]})
    store.update_months([store.MonthWrite("2026-04", rows.iloc[:0], append=True, validated=True, marks=first)], posts_dir)
    before = store.read_posts(posts_dir)

    def broken(table, path):
        raise OSError("disk full")

    monkeypatch.setattr(posts, "write_marks", broken)
    second = pd.DataFrame({"post_id": ["csv:2"], "duplicate_of": ["csv:0"], "is_duplicate": [True]})
    with pytest.raises(OSError, match="disk full"):
        store.update_months([store.MonthWrite("2026-04", one_post(post_id="csv:9", thread_id="csv:9"), append=True,
                                              marks=second)], posts_dir)
    pd.testing.assert_frame_equal(store.read_posts(posts_dir), before)
    assert list(marks.list_marks(posts_dir)) == ["2026-04"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts"]
