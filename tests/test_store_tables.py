"""The store layer beside the posts: the data folder's layout, the checked tables, the registry,
label and manifest files, and that a failed write leaves the old file and no temporary one."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest

from feedback_analysis import store
from feedback_analysis.store import labels, manifest, tables
from feedback_analysis.store import topics as registry_file
from feedback_analysis.store.layout import DataFolder
from feedback_analysis.topics import TopicRegistry


def scores(**overrides) -> pd.DataFrame:
    row = dict(post_id="csv:1", content_hash="h1", scorer_version="v1", sentiment="negative", sentiment_score=-0.6,
               service="afval", services="afval", service_confidence=0.9, service_review=False, abuse="none",
               abuse_reason="", abuse_action="", abuse_target="none", abuse_group="", compliment=False)
    row.update(overrides)
    return pd.DataFrame([row])


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*tmp*"))


def test_the_layout_names_the_same_paths_as_the_settings(settings):
    folder = DataFolder.of(settings)
    assert (folder.posts, folder.scores, folder.threads, folder.topics, folder.labels, folder.quarantine,
            folder.audit_log, folder.salt, folder.raw, folder.processed) == (
        settings.posts_dir, settings.scores_path, settings.threads_path, settings.topics_dir, settings.labels_dir,
        settings.quarantine_dir, settings.audit_log, settings.salt_path, settings.raw_dir, settings.processed_dir)
    assert folder.assignment("2026-03") == settings.topics_dir / "assignments" / "2026-03.parquet"
    assert DataFolder.of(settings.data_dir) == folder


def test_tables_that_were_never_written_read_as_empty_tables_with_their_columns(settings):
    assert store.read_scores(settings).empty and "sentiment" in store.read_scores(settings).columns
    assert list(store.read_threads(settings).columns) == list(tables.THREAD_COLUMNS)
    assert list(store.read_assignments(settings, ["2026-01"]).columns) == list(tables.ASSIGNMENT_COLUMNS)
    assert store.store_months(settings) == [] and not store.assignments_exist(settings, "2026-01")


def test_scores_round_trip_and_a_wrong_label_is_refused_without_touching_the_file(settings):
    store.write_scores(settings, scores())
    assert store.read_scores(settings)["sentiment"].tolist() == ["negative"]
    with pytest.raises(pandera.errors.SchemaErrors, match="sentiment"):
        store.write_scores(settings, scores(sentiment="furious"))
    with pytest.raises(pandera.errors.SchemaErrors, match="post_id"):
        store.write_scores(settings, pd.concat([scores(), scores()]))
    assert store.read_scores(settings)["sentiment"].tolist() == ["negative"]
    assert leftovers(settings.data_dir) == []


def test_scores_that_meet_as_object_columns_are_stored_as_numbers_and_flags(settings):
    mixed = scores().astype({"sentiment_score": "object", "service_review": "object", "compliment": "object"})
    store.write_scores(settings, mixed)
    back = store.read_scores(settings)
    assert back["sentiment_score"].dtype == "float64" and back["compliment"].dtype == "bool"


def test_thread_summaries_need_a_known_consensus(settings):
    threads = pd.DataFrame({"post_id": ["csv:1"], "sentiment": ["negative"], "replies": [3], "agree": [2],
                            "disagree": [0], "consensus": ["shared"]})
    store.write_threads(settings, threads)
    assert store.read_threads(settings)["consensus"].tolist() == ["shared"]
    with pytest.raises(pandera.errors.SchemaErrors, match="consensus"):
        store.write_threads(settings, threads.assign(consensus="unanimous"))


def test_assignments_keep_only_their_columns_and_are_found_by_month(settings):
    assigned = pd.DataFrame({"post_id": ["csv:1", "csv:2"], "topic": [0, -1], "topic_label": ["afval", ""],
                             "stable_topic": [4, -1], "text": ["niet bewaard", "ook niet"]})
    store.write_assignments(settings, "2026-03", assigned)
    assert store.assignments_exist(settings, "2026-03")
    back = store.read_assignments(settings, ["2026-02", "2026-03"])
    assert list(back.columns) == list(tables.ASSIGNMENT_COLUMNS) and back["stable_topic"].tolist() == [4, -1]


def test_a_registry_that_cannot_be_written_leaves_the_old_file_and_no_temporary_one(settings):
    folder = settings.topics_dir
    registry = TopicRegistry(folder)
    registry.next_id = 3
    registry.save()
    before = (folder / "registry.json").read_text("utf-8")
    registry.rows.append({"month": "2026-03", "vector": {"afval": object()}})  # not JSON
    with pytest.raises(TypeError):
        registry.save()
    assert (folder / "registry.json").read_text("utf-8") == before
    assert sorted(p.name for p in folder.iterdir()) == ["registry.json"]
    assert registry_file.read_registry(folder)["next_id"] == 3
    assert registry_file.read_registry(settings.data_dir / "nowhere") is None


def test_label_files_never_overwrite_one_of_the_same_second(settings):
    table = pd.DataFrame({"post_id": ["csv:1"], "text": ["De put is weer vol"], "sentiment": ["negative"],
                          "service": [""], "abuse": [""], "labelled_at": ["2026-03-01T10:00:00+00:00"]})
    now = pd.Timestamp("2026-03-01T10:00:00Z")
    first = labels.write_label_file(settings.labels_dir, table, now)
    second = labels.write_label_file(settings.labels_dir, table.assign(sentiment="neutral"), now)
    assert (first.name, second.name) == ("20260301T100000.csv", "20260301T100001.csv")
    assert labels.label_files(settings.labels_dir) == [first, second]
    assert labels.read_labels(settings.labels_dir)["sentiment"].tolist() == ["neutral"]  # the newest wins
    with pytest.raises(pandera.errors.SchemaErrors, match="abuse"):
        labels.write_label_file(settings.labels_dir, table.assign(abuse="rude"), now)


def test_the_manifest_of_ingested_exports_round_trips(settings):
    assert manifest.read_manifest(settings) == {}
    manifest.write_manifest(settings, {"b.zip": "2", "a.csv": "1"})
    assert manifest.read_manifest(settings) == {"a.csv": "1", "b.zip": "2"}
    assert DataFolder.of(settings).manifest.read_text("utf-8").endswith("}\n")
