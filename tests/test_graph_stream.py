"""Graph API JSON read as a stream: the same rows as a whole parse, in bounded chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis.ingest import IngestError, InputFile, NotAnExport, read_export
from feedback_analysis.ingest.graph import graph_layout, read_graph, stream_graph
from feedback_analysis.sample.benchmark import write_benchmark_graph_json

SHARED_GRAPH = Path(__file__).resolve().parents[1].parent / "shared" / "formats" / "graph-api"


def _whole_and_streamed(path: Path, chunk_rows: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    source = InputFile.from_path(path)
    layout = graph_layout(source)
    assert layout is not None, f"{path.name} was not recognised as a streamable Graph file from its first events"
    frames = list(stream_graph(source, layout, chunk_rows=chunk_rows))
    return read_graph(source), pd.concat(frames, ignore_index=True), [len(frame) for frame in frames]


def _sample_files() -> list[Path]:
    return sorted(SHARED_GRAPH.rglob("*.json")) if SHARED_GRAPH.is_dir() else []


def test_streamed_fixture_feed_gives_the_rows_of_a_whole_parse(fixtures):
    whole, streamed, sizes = _whole_and_streamed(fixtures / "graph" / "feed_p1.json", chunk_rows=2)
    pd.testing.assert_frame_equal(streamed, whole)
    assert len(sizes) > 1 and streamed["source_row"].tolist() == list(range(1, len(whole) + 1))


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_graph_sample_reads_the_same_through_read_export(path):
    """Streamed or parsed whole (single objects, group metadata), read_export gives what it gave
    before streaming: read_graph on the parsed file, or the same error."""
    source = InputFile.from_path(path)
    try:
        expected = read_graph(source)
    except IngestError:
        expected = None
    try:
        got = pd.concat(list(read_export(source, chunk_rows=2)), ignore_index=True)
    except NotAnExport:
        got = None
    if expected is None or got is None:
        assert expected is None and got is None
    else:
        pd.testing.assert_frame_equal(got, expected)
    if graph_layout(source) is not None:  # the streamed ones also stream alone with tiny chunks
        whole, streamed, _ = _whole_and_streamed(path, chunk_rows=1)
        pd.testing.assert_frame_equal(streamed, whole)


def test_shared_feed_and_keyed_samples_are_streamed():
    if not _sample_files():
        pytest.skip("../shared/formats/graph-api is not available")
    assert graph_layout(InputFile.from_path(SHARED_GRAPH / "posts" / "feeds_default_fields_p1.json")) == "data"
    assert graph_layout(InputFile.from_path(SHARED_GRAPH / "comments" / "comments_p1.json")) == "data"
    assert graph_layout(InputFile.from_path(SHARED_GRAPH / "posts" / "multi_posts_data.json")) == "keyed"
    assert graph_layout(InputFile.from_path(SHARED_GRAPH / "groups" / "group_fields.json")) is None


def test_streamed_generated_feed_in_chunks(tmp_path):
    path = write_benchmark_graph_json(tmp_path / "feed.json", 0.3)
    whole, streamed, sizes = _whole_and_streamed(path, chunk_rows=100)
    assert len(whole) > 500 and whole["parent_id"].notna().sum() > len(whole) // 2
    assert whole["reactions_like"].notna().all() and whole["text"].notna().all()
    pd.testing.assert_frame_equal(streamed, whole)
    # full frames of exactly chunk_rows, also when a post's comments run over a frame's end
    assert len(sizes) > 3 and set(sizes[:-1]) == {100} and 0 < sizes[-1] <= 100
    chunks = list(read_export(InputFile.from_path(path), chunk_rows=100))
    assert max(len(c) for c in chunks) <= 100
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)


def _item(number: int, **extra) -> dict:
    return {"id": f"111_{number}", "message": f"bericht {number}", "created_time": "2026-03-02T08:00:00+0000", **extra}


def test_layouts_bom_wrong_types_and_odd_keys(tmp_path):
    nested = {"data": [_item(10, like_count=2, comments={"data": [_item(11), "not a comment"]})]}
    layouts = {
        "page.json": {"paging": {"next": "x"}, "data": [_item(1, comments=nested), _item(2, shares="veel")]},
        "keyed.json": {"111_1": _item(1), "a.b": _item(2, comments=nested), "111_3": _item(3, **{"from": "tekst"})},
        "bom.json": {"data": [_item(1), _item(2)]},
    }
    for name, data in layouts.items():
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if name == "bom.json" else b"") + json.dumps(data).encode())
        whole, streamed, _ = _whole_and_streamed(path, chunk_rows=1)
        pd.testing.assert_frame_equal(streamed, whole)
    keyed = pd.concat(list(read_export(InputFile.from_path(tmp_path / "keyed.json"))), ignore_index=True)
    assert keyed["problem"].notna().sum() == 1  # "from" as text: quarantined with its reason, the rest kept
    assert keyed["post_id"].tolist()[:3] == ["111_1", "111_2", "111_10"]


def test_not_a_graph_file_after_the_first_objects(tmp_path):
    items = [_item(i) for i in range(30)] + [{"name": "Een groep", "member_count": 5}]
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"data": items}))
    with pytest.raises(NotAnExport, match="late.json: unknown JSON format"):
        list(read_export(InputFile.from_path(path), chunk_rows=5))
    with pytest.raises(IngestError, match="late.json: not a Graph API response"):
        list(read_export(InputFile.from_path(path), fmt="graph", chunk_rows=5))


def test_truncated_graph_file_is_a_one_line_error_naming_it(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps({"data": [_item(i) for i in range(50)]})[:-200])
    with pytest.raises(IngestError) as caught:
        list(read_export(InputFile.from_path(path), chunk_rows=5))
    message = str(caught.value)
    assert "cut.json: corrupt or truncated JSON" in message and "\n" not in message


def test_paging_beside_objects_by_id_is_not_streamed(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"paging": {"next": "x"}, "111_1": _item(1)}))
    assert graph_layout(InputFile.from_path(path)) is None
    with pytest.raises(NotAnExport):
        list(read_export(InputFile.from_path(path)))
