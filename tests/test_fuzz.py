"""Property-based fuzzing of every reader and of the cleaning stage (hypothesis).

For any bytes, any JSON of a known export shape with wrong inner types, and any CSV, reading and
cleaning one file ends either in a one-line error naming the file (``IngestError``) or in rows that
are all accounted for: read = stored + quarantined + skipped. Never another exception.

The suite runs a bounded number of examples; ``make fuzz`` runs many more
(``HYPOTHESIS_PROFILE=fuzz``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_analysis import clean, pipeline, privacy, store
from feedback_analysis.ingest import IngestError, InputFile, NotAnExport, read_export

settings.register_profile("suite", max_examples=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=1500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

MAPPING = "post_id: id\nauthor: user\ncreated_at: time\ntext: message\nreactions_like: likes\nparent_id: parent\n"

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                      st.text(max_size=30))
json_value = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                          max_leaves=12)
# Values that look like the real thing, mixed with wrong types.
text_or_junk = st.one_of(st.text(max_size=60), json_value)
time_or_junk = st.one_of(st.integers(-2**40, 2**42), st.sampled_from(["2025-10-01T10:00:00+0000", "01/02/2025 10:00",
                                                                      "gisteren", "", "2999-01-01", "1900-05-05"]),
                         json_value)


def dyi_posts():
    entry = st.fixed_dictionaries({"timestamp": time_or_junk, "title": text_or_junk,
                                   "data": st.one_of(st.lists(st.fixed_dictionaries({"post": text_or_junk}), max_size=2),
                                                     json_value)})
    return st.lists(entry, min_size=1, max_size=4)


def dyi_comments():
    comment = st.fixed_dictionaries({"timestamp": time_or_junk, "comment": text_or_junk, "author": text_or_junk,
                                     "group": text_or_junk})
    entry = st.fixed_dictionaries({"timestamp": time_or_junk, "title": text_or_junk,
                                   "data": st.one_of(st.lists(st.fixed_dictionaries({"comment": st.one_of(comment, json_value)}),
                                                              max_size=2), json_value)})
    return st.fixed_dictionaries({"comments_v2": st.lists(entry, min_size=1, max_size=4)})


def scraper_posts():
    reply = st.fixed_dictionaries({"comment_id": text_or_junk, "comment_text": text_or_junk,
                                   "comment_time": time_or_junk, "commenter_name": text_or_junk,
                                   "replies": json_value})
    post = st.fixed_dictionaries({"post_id": text_or_junk, "text": text_or_junk, "timestamp": time_or_junk,
                                  "likes": json_value, "reactions": json_value,
                                  "comments_full": st.one_of(st.lists(reply, max_size=3), json_value)})
    return st.lists(post, min_size=1, max_size=4)


def graph_feed():
    comment = st.fixed_dictionaries({"id": text_or_junk, "message": text_or_junk, "created_time": time_or_junk,
                                     "from": json_value, "like_count": json_value})
    item = st.fixed_dictionaries({"id": text_or_junk, "message": text_or_junk, "created_time": time_or_junk,
                                  "from": json_value, "shares": json_value,
                                  "comments": st.one_of(st.fixed_dictionaries({"data": st.lists(comment, max_size=3)}),
                                                        json_value)})
    return st.fixed_dictionaries({"data": st.lists(item, min_size=1, max_size=4)})


def read_and_clean(path: Path) -> tuple[int, int]:
    """Read and clean one file as the ingest does; returns (rows read, rows accounted for)."""
    source = InputFile.from_path(path)
    read = accounted = 0
    names: set[str] = set()
    chunks = list(read_export(source))
    for chunk in chunks:
        names |= clean.names_in(chunk)
    masker = privacy.NameMasker(names)
    for chunk in chunks:
        read += len(chunk)
        result = clean.clean_rows(chunk, b"s" * 32, masker)
        accounted += len(result.posts) + len(result.quarantine) + len(result.skipped)
        texts = result.posts["text"]
        assert not texts.astype(str).str.contains("[\x00-\x08\x0b-\x1f\x7f]", regex=True).any()
        assert (texts.astype(str).str.len() > 0).all()
    return read, accounted


def assert_outcome(path: Path) -> None:
    try:
        read, accounted = read_and_clean(path)
    except (IngestError, NotAnExport) as exc:
        message = str(exc)
        assert "\n" not in message and path.name in message, message
        return
    assert read == accounted


@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".json", ".jsonl", ".csv", ".txt", ".xlsx", ".tsv"]))
def test_any_bytes(tmp_path, data, suffix):
    path = tmp_path / f"bytes{suffix}"
    path.write_bytes(data)
    path.with_suffix(".columns.yaml").write_text(MAPPING)
    assert_outcome(path)


@given(data=st.one_of(dyi_posts(), dyi_comments(), scraper_posts(), graph_feed()))
def test_any_json_of_a_known_shape(tmp_path, data):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data, allow_nan=True))
    assert_outcome(path)


@given(data=scraper_posts(), junk=st.lists(st.text(max_size=40), max_size=3))
def test_any_json_lines(tmp_path, data, junk):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(item, allow_nan=True) for item in data] + [j.replace("\n", " ") for j in junk]
    path.write_text("\n".join(lines) + "\n")
    assert_outcome(path)


csv_cell = st.one_of(st.text(max_size=40), st.sampled_from(["-4", "1e400", "2025-10-01T10:00:00Z", "=1+1", "\x00", "31/02/2025"]))


@given(rows=st.lists(st.lists(csv_cell, min_size=3, max_size=8), max_size=8), delimiter=st.sampled_from([",", ";", "\t"]))
def test_any_csv(tmp_path, rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["id", "user", "time", "message", "likes", "parent"])
    writer.writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    path.with_suffix(".columns.yaml").write_text(MAPPING)
    assert_outcome(path)


@given(data=st.binary(max_size=500))
def test_any_zip_member(tmp_path, data):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("posts/export.json", data)
    from feedback_analysis.ingest import discover_inputs

    for item in discover_inputs(archive):
        try:
            chunks = list(read_export(item.file))
        except (IngestError, NotAnExport) as exc:
            assert "\n" not in str(exc) and "export.json" in str(exc)
            continue
        assert all(isinstance(chunk, pd.DataFrame) for chunk in chunks)


@settings(max_examples=int(os.environ.get("FUZZ_PIPELINE_EXAMPLES", "5")))
@given(data=st.one_of(dyi_posts(), scraper_posts(), graph_feed()))
def test_the_ingest_always_summarises(settings_factory, data):
    """The whole ingest: every file ends with its counts adding up, or its one-line error."""
    config, folder = settings_factory()
    bad = folder / "export.json"
    bad.write_text(json.dumps(data, allow_nan=True))
    report = pipeline.ingest([bad], config)
    for item in report.files:
        if item.error:
            assert "\n" not in item.error and "export.json" in item.error
        assert item.read == item.stored + item.updated + item.duplicates + item.quarantined + item.skipped
    assert len(store.read_posts(config.posts_dir)) == report.rows_after


@pytest.fixture
def settings_factory(tmp_path):
    from feedback_analysis.config import load_settings

    counter = iter(range(10**6))

    def make():
        folder = tmp_path / f"run{next(counter)}"
        folder.mkdir()
        return load_settings(data_dir=folder / "data", environ={}), folder

    return make
