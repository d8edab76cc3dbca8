"""Streaming JSON: the objects at chosen places of a large file, one at a time (ijson).

Memory follows the largest single object rather than the file, so a DYI archive or a Graph API
export of any size is read in bounded chunks.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from feedback_analysis.ingest.common import IngestError, InputFile

_START = ("start_map", "start_array")
_END = ("end_map", "end_array")


def _open(source: InputFile) -> IO[bytes]:
    """The file positioned after a UTF-8 byte-order mark, if it has one."""
    handle = source.opener()
    if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        handle.seek(0)
    return handle


def json_events(source: InputFile) -> Iterator[tuple[str, str, Any]]:
    """``(prefix, event, value)`` of the whole file; a corrupt or truncated file raises IngestError."""
    with _open(source) as handle:
        try:
            yield from ijson.parse(handle, use_float=True)
        except ijson.JSONError as exc:
            detail = (str(exc).splitlines() or [""])[0][:120]
            raise IngestError(source.name, f"corrupt or truncated JSON ({detail})") from exc


def build_value(first: tuple[str, Any], events: Iterator[tuple[str, str, Any]]) -> Any:
    """The value that starts with event ``first``, built from the events that follow it."""
    event, value = first
    if event not in _START:
        return value
    builder = ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, event, value in events:
        builder.event(event, value)
        depth += 1 if event in _START else -1 if event in _END else 0
        if depth == 0:
            break
    return builder.value


_EVENT_TYPES = {"string": "str", "number": "float", "boolean": "bool", "null": "NoneType", "start_array": "list"}


def values_at(source: InputFile, places: dict[str, str], objects_at: str | None = None) -> Iterator[tuple[str, Any]]:
    """``(label, value)`` for every value found at one of the ``places`` (ijson prefixes such as
    ``comments_v2.item``, mapped to a label), in file order. A value at ``objects_at`` that is not
    an object raises IngestError (checked without building it)."""
    events = json_events(source)
    for prefix, event, value in events:
        if prefix == objects_at and event in _EVENT_TYPES:
            kind = "int" if event == "number" and isinstance(value, int) else _EVENT_TYPES[event]
            raise IngestError(source.name, f"unexpected {kind} where a DYI object was expected")
        label = places.get(prefix)
        if label is not None and event not in _END and event != "map_key":
            yield label, build_value((event, value), events)


def peek(source: InputFile, limit: int = 20_000) -> Iterator[tuple[str, str, Any]]:
    """The first ``limit`` events of the file (fewer when it ends or cannot be parsed)."""
    try:
        for count, item in enumerate(json_events(source)):
            if count >= limit:
                return
            yield item
    except IngestError:
        return


def first_items(source: InputFile, count: int, limit: int = 20_000) -> list[Any] | None:
    """The first ``count`` items of a top-level JSON array, or None when the file is not one (or
    they take more than ``limit`` events)."""
    events = peek(source, limit)
    head = next(events, None)
    if head is None or head[1] != "start_array":
        return None
    items = []
    for prefix, event, value in events:
        if prefix == "" and event == "end_array":
            return items
        if prefix == "item" and event not in _END:
            items.append(build_value((event, value), events))
            if len(items) >= count:
                return items
    return None


def map_values(source: InputFile) -> Iterator[tuple[str, Any]]:
    """``(key, value)`` for every member of the top-level JSON object, in file order, each value
    built on its own (keys are taken as they are, dots and all)."""
    events = json_events(source)
    head = next(events, None)
    if head is None or head[1] != "start_map":
        return
    for _, event, value in events:
        if event != "map_key":
            return  # the end of the top-level object
        key = value
        _, event, value = next(events)
        yield key, build_value((event, value), events)
