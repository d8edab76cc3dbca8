"""Graph API JSON: feed pages with nested comments and reaction totals, comment pages, single objects.

Page and group feed ids look like ``<owner-id>_<post-id>``; comment ids like ``<post-id>_<comment-id>``.
Comments fetched on their own name their post only in ``permalink_url``
(``.../<owner-id>/posts/<post-id>/?comment_id=<comment-id>``), which is where the parent comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pandas as pd

from feedback_analysis.ingest import stream
from feedback_analysis.ingest.common import (
    IngestError,
    InputFile,
    count_or_none,
    frame_from_records,
    load_json,
    problem_record,
    to_raw_json,
)
from feedback_analysis.schema import REACTIONS

_PERMALINK = re.compile(r"facebook\.com/(?P<owner>[^/?#]+)/posts/(?P<post>[^/?#]+)/?\?(?:.*&)?comment_id=(?P<comment>\d+)")


def _is_item(value: Any) -> bool:
    """A post or comment object; group and page objects (which have created_time too) are not."""
    group_like = "member_count" in value or ("name" in value and "message" not in value) if isinstance(value, dict) else True
    return (
        not group_like
        and not isinstance(value.get("data"), list)
        and ("created_time" in value or "message" in value)
    )


def graph_items(data: Any) -> list[dict[str, Any]] | None:
    """The objects of a Graph API response (a page, one object, or objects keyed by id), or None."""
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        items = data["data"]
        return items if all(_is_item(item) for item in items) else None
    if _is_item(data) and "id" in data:
        return [data]
    if isinstance(data, dict) and data and all(_is_item(value) for value in data.values()):
        return list(data.values())
    return None


def is_graph_shape(data: Any) -> bool:
    """Whether parsed JSON looks like a Graph API response (a feed, comment page or objects by id)."""
    items = graph_items(data)
    if items is None:
        return False
    # A paged response without items is still a Graph page; otherwise the items need a time.
    return not items and "paging" in data or any("created_time" in item for item in items)


def _is_comment(item: dict[str, Any]) -> bool:
    return "comment_id=" in str(item.get("permalink_url", "")) or "like_count" in item or "parent" in item


def _reactions(item: dict[str, Any]) -> dict[str, int | None]:
    counts = {f"reactions_{name}": count_or_none(item.get(name)) for name in REACTIONS}
    if counts["reactions_like"] is None and "like_count" in item:
        counts["reactions_like"] = count_or_none(item.get("like_count"))
    return counts


def _record(item: dict[str, Any], name: str, row: int, parent: str | None, group: str | None) -> dict[str, Any]:
    item_id = item.get("id")
    permalink = item.get("permalink_url")
    link = _PERMALINK.search(str(permalink or ""))
    is_comment = parent is not None or _is_comment(item)
    if is_comment and link:
        if item_id is None:
            item_id = f"{link['post']}_{link['comment']}"
        if parent is None:
            parent = f"{link['owner']}_{link['post']}"
    if isinstance(item.get("parent"), dict) and item["parent"].get("id"):
        parent = item["parent"]["id"]
    comments = item.get("comments")
    author = item.get("from") or {}
    return {
        "source": "graph",
        "source_file": name,
        "source_row": row,
        "post_id": item_id,
        "parent_id": parent,
        "kind": None,
        "group_name": group,
        "author": author.get("id") or author.get("name"),
        "author_name": author.get("name"),
        "context_names": author.get("name"),
        "created_at": item.get("created_time"),
        "text": item.get("message"),
        "url": permalink,
        **_reactions(item),
        "comment_count": count_or_none(item.get("comment_count", comments)),
        "share_count": count_or_none(item.get("shares")),
        "raw": to_raw_json({key: value for key, value in item.items() if key != "comments"}),
    }


class NotGraph(IngestError):
    """A streamed file whose later objects show it is not a Graph API response after all."""


NOT_GRAPH = "not a Graph API response (expected {'data': [...]} or objects with created_time)"


def _walk(item: dict[str, Any], name: str, rows: list[dict[str, Any]], parent: str | None, group: str | None,
          first_row: int = 1) -> None:
    """The rows of one item and its nested comments and replies, numbered on from ``first_row``."""
    row = first_row + len(rows)
    try:
        record = _record(item, name, row, parent, group)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:  # wrong types inside one object
        rows.append(problem_record("graph", name, row, item, exc))
        return
    rows.append(record)
    nested = item.get("comments")
    if isinstance(nested, dict) and isinstance(nested.get("data"), list):
        for child in nested["data"]:
            if isinstance(child, dict):
                _walk(child, name, rows, record["post_id"], group, first_row)


def read_graph(source: InputFile, group: str | None = None, data: Any = None) -> pd.DataFrame:
    """Raw rows from one Graph API response file; nested comments and replies become rows of their own."""
    parsed = load_json(source) if data is None else data
    items = graph_items(parsed)
    if items is None:
        raise IngestError(source.name, NOT_GRAPH)
    rows: list[dict[str, Any]] = []
    for item in items:
        _walk(item, source.name, rows, None, group)
    return frame_from_records(rows)


# --- streaming: files of any size in bounded chunks ---------------------------------------------

_PEEK_ITEMS = 20
_PAGE_METADATA = ("paging", "summary")


def graph_layout(source: InputFile) -> str | None:
    """How a Graph API file keeps its objects, from its first events: ``"data"`` (a page,
    ``{"data": [...], "paging": ...}``) or ``"keyed"`` (objects by id, ``{"<id>": {...}, ...}``);
    None when the start does not show either with its first objects looking like posts or comments
    (single objects, empty pages and anything else are then parsed whole, as before)."""
    events = stream.peek(source)
    head = next(events, None)
    if head is None or head[1] != "start_map":
        return None
    first: list[Any] = []
    layout = None
    paged = False
    for prefix, event, value in events:
        if prefix == "" and event == "map_key":
            continue
        if prefix == "" and event == "end_map":
            break
        if layout is None:
            if prefix == "data" and event == "start_array":
                layout = "data"
                continue
            if prefix == "data":  # a "data" member that is not a list: not a page
                return None
            if prefix in _PAGE_METADATA:  # paging before the data: look on for the data
                stream.build_value((event, value), events)
                paged = True
                continue
            if event != "start_map" or paged:  # a scalar member (a single object), or paging beside objects
                return None
            layout = "keyed"
        if layout == "data" and prefix == "data" and event == "end_array":
            break
        if layout == "data" and prefix != "data.item":
            continue
        first.append(stream.build_value((event, value), events))
        if len(first) >= _PEEK_ITEMS:
            break
    else:  # the peek ran out (or the file broke off): the last object may be cut short
        first = first[:-1]
    if not first or not all(_is_item(item) for item in first) or not any("created_time" in item for item in first):
        return None
    return layout


def _streamed_items(source: InputFile, layout: str) -> Iterator[Any]:
    if layout == "data":
        for _, item in stream.values_at(source, {"data.item": "item"}):
            yield item
    else:
        for _, item in stream.map_values(source):
            yield item


def stream_graph(source: InputFile, layout: str, group: str | None = None,
                 chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """Raw rows of a Graph API file read as a stream (one post with its comments at a time), in
    frames of ``chunk_rows`` rows (the last one fewer): the rows, columns and order of :func:`read_graph`.

    An object that is not a post or comment, found after the first frames, raises :class:`NotGraph`
    (parsed whole, such a file is not read as Graph API either)."""
    rows: list[dict[str, Any]] = []
    done = 0  # rows in the frames already handed on
    chunks = 0
    for item in _streamed_items(source, layout):
        if not _is_item(item):
            raise NotGraph(source.name, NOT_GRAPH)
        _walk(item, source.name, rows, None, group, done + 1)
        while len(rows) >= chunk_rows:  # full frames; the rows of the post that overflowed start the next
            yield frame_from_records(rows[:chunk_rows])
            done, rows, chunks = done + chunk_rows, rows[chunk_rows:], chunks + 1
    if rows or not chunks:
        yield frame_from_records(rows)
