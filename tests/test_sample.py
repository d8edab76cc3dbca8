"""Tests for the synthetic sample exports (feedback_analysis.sample)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import yaml

from feedback_analysis import sample

CANONICAL_COLUMNS = {
    "post_id", "parent_id", "thread_id", "kind", "author", "created_at", "text", "group", "url",
    *(f"reactions_{name}" for name in sample.REACTIONS), "comment_count", "share_count",
}


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return sample.generate_sample_posts()


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return sample.write_sample_exports(tmp_path_factory.mktemp("exports"))


def _repair(text: str) -> str:
    return text.encode("latin-1").decode("utf-8")


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="cp1252", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


# -- ground truth ---------------------------------------------------------------------------------

def test_generation_is_deterministic_per_seed() -> None:
    first = sample.generate_sample_posts(months=2, posts_per_month=80, seed=5)
    again = sample.generate_sample_posts(months=2, posts_per_month=80, seed=5)
    other = sample.generate_sample_posts(months=2, posts_per_month=80, seed=6)
    pd.testing.assert_frame_equal(first, again)
    assert not first["text"].equals(other["text"])


def test_exports_are_byte_identical_for_the_same_inputs(tmp_path: Path) -> None:
    arguments = {"end_month": "2025-03", "months": 2, "posts_per_month": 60, "seed": 3}
    first = sample.write_sample_exports(tmp_path / "a", **arguments)
    second = sample.write_sample_exports(tmp_path / "b", **arguments)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 5
    for relative in files:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes(), relative
    assert set(first) == set(second) == {"dyi", "scraper", "csv", "columns"}


def test_table_shape_and_links(truth: pd.DataFrame) -> None:
    assert tuple(truth.columns) == sample.SAMPLE_COLUMNS
    assert 4000 <= len(truth) <= 7000
    assert str(truth["created_at"].dt.tz) == "Europe/Brussels"
    assert truth["post_id"].is_unique
    assert set(truth["kind"]) == set(sample.KINDS)
    assert (truth["kind"] == "post").sum() == 6 * 300

    kind_of = truth.set_index("post_id")["kind"]
    time_of = truth.set_index("post_id")["created_at"]
    linked = truth[truth["parent_id"].notna()]
    assert linked["parent_id"].isin(truth["post_id"]).all()
    assert (linked.loc[linked["kind"] == "comment", "parent_id"].map(kind_of) == "post").all()
    assert (linked.loc[linked["kind"] == "reply", "parent_id"].map(kind_of) == "comment").all()
    assert (linked["created_at"] >= linked["parent_id"].map(time_of)).all()
    # Comments without a parent are the officer's DYI comments, whose posts are in no export.
    assert set(truth.loc[(truth["kind"] != "post") & truth["parent_id"].isna(), "source"]) == {"dyi"}
    assert (truth.groupby("thread_id")["source"].nunique() == 1).all()


def test_dates_fill_the_months_up_to_end_month(truth: pd.DataFrame) -> None:
    months = truth["created_at"].dt.strftime("%Y-%m")
    assert sorted(months.unique()) == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    hours = truth["created_at"].dt.hour.value_counts()
    assert hours.index.nunique() == 24
    assert hours[20] > 3 * hours[4]  # evenings are busy, nights quiet


def test_all_labels_are_present(truth: pd.DataFrame) -> None:
    assert set(truth["service"]) == {*sample.SERVICES, ""}
    assert set(truth["sentiment"]) == set(sample.SENTIMENTS)
    assert set(truth["abuse"]) == set(sample.ABUSE_LEVELS)
    assert set(truth["lang"]) == set(sample.LANGUAGES)
    posts = truth[truth["kind"] == "post"]
    for service in sample.SERVICES:
        assert set(posts.loc[posts["service"] == service, "sentiment"]) == set(sample.SENTIMENTS), service
    assert truth["is_compliment"].sum() >= 50
    assert (truth.loc[truth["is_compliment"], "sentiment"] == "positive").all()
    assert not truth["text"].str.contains(r"[{}]").any()  # every slot was filled


def test_rates_of_abuse_and_languages(truth: pd.DataFrame) -> None:
    abuse = truth["abuse"].value_counts(normalize=True)
    assert 0.005 <= abuse["offensive"] <= 0.02
    assert 0.001 <= abuse["threat"] <= 0.008
    assert (truth.loc[truth["abuse"] != "none", "sentiment"] == "negative").all()
    langs = truth.loc[truth["kind"] == "post", "lang"].value_counts(normalize=True)
    assert 0.03 <= langs["fr"] <= 0.08
    assert 0.015 <= langs["en"] <= 0.05
    # Hard words without abuse exist too.
    hard = truth["text"].str.contains("schandalig|belachelijk", case=False) & (truth["abuse"] == "none")
    assert hard.sum() >= 10


def test_closure_topic_only_in_the_last_month(truth: pd.DataFrame) -> None:
    closure = truth[truth["topic_key"] == sample.CLOSURE_TOPIC]
    assert (closure["kind"] == "post").sum() >= 20
    assert set(closure["created_at"].dt.strftime("%Y-%m")) == {"2026-10"}
    citizen_posts = closure[(closure["kind"] == "post") & (closure["author"] != sample.OFFICER_NAME)]
    assert (citizen_posts["sentiment"] == "negative").all()
    assert (closure["sentiment"] == "negative").mean() > 0.8
    door = citizen_posts["text"].str.contains("gesloten|dicht|toe|fermé|closed", case=False)
    assert door.mean() > 0.6


def test_threads_agree_and_push_back(truth: pd.DataFrame) -> None:
    topics = set(truth["topic_key"])
    assert {"agree", "pushback", "defend", "tag", "pm", "thanks", "answer"} <= topics
    assert truth["topic_key"].str.endswith("_pushback").any()


def test_personal_data_to_mask_is_present(truth: pd.DataFrame) -> None:
    text = truth["text"]
    assert text.str.contains(r"(?:\+32 ?|0)4\d\d[ /]?\d\d[ .]?\d\d[ .]?\d\d").any()
    assert text.str.contains(r"[\w.]+@[\w-]+\.(?:be|com)").any()
    assert text.str.contains(r"BE\d\d(?: \d{4}){3}").any()
    assert text.str.contains(r"@[A-Z][a-zà-ÿ]+ [A-Z]").any()
    assert (truth["text"].duplicated(keep=False) & (truth["kind"] == "post") & (truth["text"].str.len() > 40)).any()


def test_invalid_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="end_month"):
        sample.generate_sample_posts(end_month="oktober")
    with pytest.raises(ValueError, match="months"):
        sample.generate_sample_posts(months=0)


# -- the exports ---------------------------------------------------------------------------------

def test_every_row_is_in_exactly_one_export(truth: pd.DataFrame, exports: dict[str, Path]) -> None:
    counts = truth["source"].value_counts()
    dyi = exports["dyi"]
    posts = json.loads((dyi / "groups" / "your_posts_in_groups.json").read_text("ascii"))["group_posts_v2"]
    comments = json.loads((dyi / "comments_and_reactions" / "comments_v2.json").read_text("ascii"))["comments_v2"]
    assert len(posts) - 1 + len(comments) == counts["dyi"]  # minus the photo-only post

    scraped = [json.loads(line) for line in exports["scraper"].read_text("utf-8").splitlines()]
    nested = sum(1 + len(p["comments_full"]) + sum(len(c["replies"]) for c in p["comments_full"]) for p in scraped)
    assert nested == counts["scraper"]

    rows = _read_csv(exports["csv"])
    assert len(rows) - 1 == counts["csv"] + 2  # plus the two broken rows
    assert not ({p["post_id"] for p in scraped} & {r[0] for r in rows[1:]})


def test_dyi_strings_are_mojibake(truth: pd.DataFrame, exports: dict[str, Path]) -> None:
    folder = exports["dyi"]
    assert not list(folder.parent.glob("*.zip"))
    raw_posts = (folder / "groups" / "your_posts_in_groups.json").read_text("ascii")
    raw_comments = (folder / "comments_and_reactions" / "comments_v2.json").read_text("ascii")
    assert "\\u00c3" in raw_posts and "\\u00c3" in raw_comments
    assert "\\ud83d" not in raw_posts  # emoji are four byte escapes, not surrogate pairs

    posts = json.loads(raw_posts)["group_posts_v2"]
    comments = json.loads(raw_comments)["comments_v2"]
    owner = sample.OFFICER_NAME
    group = truth["group_name"].iloc[0]
    for entry in posts:
        assert _repair(entry["title"]) == f"{owner} heeft iets geplaatst in {group}."
    assert sum(entry["data"] == [] for entry in posts) == 1
    assert any("poll" in item for entry in posts for att in entry.get("attachments", []) for item in att["data"])
    assert any("update_timestamp" in item for entry in posts for item in entry["data"])
    timestamps = [entry["timestamp"] for entry in posts]
    assert timestamps == sorted(timestamps, reverse=True)

    expected = truth[truth["source"] == "dyi"]
    repaired_posts = {_repair(item["post"]) for entry in posts for item in entry["data"] if "post" in item}
    assert repaired_posts == set(expected.loc[expected["kind"] == "post", "text"])
    repaired_comments = []
    for entry in comments:
        comment = entry["data"][0]["comment"]
        assert _repair(comment["author"]) == owner and _repair(comment["group"]) == group
        title = _repair(entry["title"])
        assert re.fullmatch(rf"{owner} heeft gereageerd op het bericht van [^.]+ [^.]+\.", title), title
        repaired_comments.append((entry["timestamp"], _repair(comment["comment"])))
    by_time = expected.loc[expected["kind"] == "comment"]
    assert sorted(repaired_comments) == sorted(
        zip((int(moment.timestamp()) for moment in by_time["created_at"]), by_time["text"]))
    assert any(any(ord(ch) > 0xFFFF for ch in text) for _, text in repaired_comments) or any(
        any(ord(ch) > 0xFFFF for ch in text) for text in repaired_posts)


def test_scraper_jsonl_has_threads(truth: pd.DataFrame, exports: dict[str, Path]) -> None:
    lines = exports["scraper"].read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    keys = {"post_id", "text", "post_text", "shared_text", "time", "timestamp", "likes", "comments", "shares",
            "post_url", "user_id", "username", "reactions", "reaction_count", "comments_full"}
    text_of = truth.set_index("post_id")["text"]
    time_of = truth.set_index("post_id")["created_at"]
    replies = 0
    for record in records:
        assert keys <= set(record)
        assert record["shared_text"] == ""
        local = datetime.strptime(record["time"], "%Y-%m-%d %H:%M:%S")
        assert local == time_of[record["post_id"]].tz_localize(None).to_pydatetime()
        assert record["timestamp"] == int(time_of[record["post_id"]].timestamp())
        assert record["text"] == text_of[record["post_id"]]
        assert record["reaction_count"] == sum(record["reactions"].values())
        for comment in record["comments_full"]:
            assert {"comment_id", "comment_text", "comment_time", "commenter_name", "commenter_id",
                    "replies"} <= set(comment)
            assert comment["comment_text"] == text_of[comment["comment_id"]]
            replies += len(comment["replies"])
            for reply in comment["replies"]:
                assert reply["replies"] == [] and reply["comment_text"] == text_of[reply["comment_id"]]
    assert replies > 100


def test_csv_is_windows_1252_with_two_bad_rows(truth: pd.DataFrame, exports: dict[str, Path]) -> None:
    raw = exports["csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\x85" in raw  # the ellipsis of the group name, in Windows-1252
    assert raw.startswith(";".join(sample.CSV_COLUMNS).encode("cp1252") + b"\r\n")

    rows = _read_csv(exports["csv"])
    header, body = rows[0], rows[1:]
    assert tuple(header) == sample.CSV_COLUMNS
    assert all(len(row) == len(header) for row in body)
    date_col, text_col, parent_col = header.index("Datum"), header.index("Bericht"), header.index("Reactie op")

    expected = truth[truth["source"] == "csv"].set_index("post_id")
    unknown = [row for row in body if row[0] not in expected.index]
    assert len(unknown) == 2
    assert any(row[date_col] == "32/13/2026 25:61" for row in unknown)
    empty = [row for row in unknown if row[text_col] == ""]
    assert len(empty) == 1 and empty[0][parent_col] in expected.index

    serials = 0
    for row in body:
        if row[0] not in expected.index:
            continue
        truth_row = expected.loc[row[0]]
        local = truth_row["created_at"].tz_localize(None).to_pydatetime()
        if re.fullmatch(r"\d{5}(?:\.\d+)?", row[date_col]):
            serials += 1
            when = datetime(1899, 12, 30) + timedelta(days=float(row[date_col]))
            assert abs((when - local).total_seconds()) < 1
        else:
            assert datetime.strptime(row[date_col], "%d/%m/%Y %H:%M") == local
        assert row[text_col] == truth_row["text"]
        assert row[parent_col] == ("" if pd.isna(truth_row["parent_id"]) else truth_row["parent_id"])
    assert serials >= 20


def test_column_mapping_names_canonical_columns_of_the_csv(exports: dict[str, Path]) -> None:
    mapping = yaml.safe_load(exports["columns"].read_text("utf-8"))
    header = _read_csv(exports["csv"])[0]
    assert set(mapping) <= CANONICAL_COLUMNS
    assert set(mapping.values()) <= set(header)
    assert {"post_id", "parent_id", "author", "created_at", "text"} <= set(mapping)
    assert mapping["text"] == "Bericht"


# -- benchmark files -----------------------------------------------------------------------------

def test_benchmark_csv_has_the_asked_rows(tmp_path: Path) -> None:
    path = sample.write_benchmark_csv(tmp_path / "bench.csv", rows=5000, seed=1)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    assert tuple(frame.columns) == sample.BENCHMARK_CSV_COLUMNS
    assert len(frame) == 5000 and frame["id"].is_unique
    parents = frame.loc[frame["parent"] != "", "parent"]
    assert parents.isin(frame["id"]).all() and 0.5 < len(parents) / len(frame) < 0.9
    dates = pd.to_datetime(frame["date"], format="ISO8601", utc=True)
    assert dates.is_monotonic_increasing
    assert (frame["message"].str.len() > 0).all()
    assert sample.write_benchmark_csv(tmp_path / "again.csv", rows=5000, seed=1).read_bytes() == path.read_bytes()


def test_benchmark_dyi_json_has_the_asked_size(tmp_path: Path) -> None:
    path = sample.write_benchmark_dyi_json(tmp_path / "comments_v2.json", target_mb=0.3, seed=2)
    size = path.stat().st_size
    assert 300_000 <= size <= 302_000
    raw = path.read_text("ascii")
    assert "\\u00c3" in raw
    entries = json.loads(raw)["comments_v2"]
    assert len(entries) > 300
    comment = entries[0]["data"][0]["comment"]
    assert _repair(comment["author"]) == sample.OFFICER_NAME
    assert entries[0]["timestamp"] >= entries[-1]["timestamp"]
