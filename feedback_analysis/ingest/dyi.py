"""Facebook "Download Your Information" (DYI) JSON: posts, group posts and comments.

Every string in a DYI file is mojibake: each UTF-8 byte is written as its own ``\\u00XX`` escape.
:func:`repair_mojibake` undoes that exactly; a string that does not survive the round trip was not
mangled and is kept as it is. Titles ("X commented on Y's post.") carry other people's names: they
are used only to find names to mask and are never returned as text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from feedback_analysis.ingest import stream
from feedback_analysis.ingest.common import (
    IngestError,
    InputFile,
    frame_from_records,
    load_json,
    problem_record,
    to_raw_json,
)

# Top-level keys of the DYI objects that hold posts or comments, old and new names.
POST_KEYS = ("group_posts_v2", "group_posts", "your_posts_v2", "your_posts", "status_updates_v2", "status_updates")
COMMENT_KEYS = ("comments_v2", "comments", "group_comments_v2", "group_comments")
# Objects we recognise but that hold no text to analyse (the owner's own reactions).
NO_TEXT_KEYS = ("reactions_v2", "reactions")
DYI_KEYS = POST_KEYS + COMMENT_KEYS + NO_TEXT_KEYS

# Where a title's subject (the account owner) ends, in the languages Facebook writes titles in.
_TITLE_VERBS = re.compile(
    r"\s(?:heeft|hebben|has|have|had|commented|replied|posted|shared|added|updated|wrote|reacted|likes?|"
    r"a\s|ont\s|har\s|hat\s|hatte\s|ha\s|ha\scommentato|comentó|publicó|kommenterede|reageerde|plaatste|deelde|"
    r"schreef|voegde|was\s|is\s|est\s|ist\s)",
    re.IGNORECASE,
)
# Capitalised word runs (with name particles between them) in the rest of a title: other people's names.
_NAME_RUN = re.compile(
    r"(?<![\w])([A-ZÀ-Ý][\w'’\-]+(?:\s+(?:(?:van|de|den|der|ter|ten|le|la|du|el|al|da|di|von|vd)\s+)*[A-ZÀ-Ý][\w'’\-]+)*)"
)
_GROUP_IN_TITLE = re.compile(r"\s(?:in|dans|im|en|i)\s(.+?)\.?$")
_TITLE_WORDS = {
    "Facebook", "Messenger", "Instagram", "Marketplace",
}


def repair_mojibake(value: Any) -> Any:
    """Undo DYI's byte-per-escape encoding in every string of a parsed JSON value.

    Strings that fail the latin-1 -> UTF-8 round trip were not mangled and are returned unchanged.
    """
    if isinstance(value, str):
        if value.isascii():  # nothing to repair; most keys and many texts
            return value
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [repair_mojibake(item) for item in value]
    if isinstance(value, dict):
        return {key: repair_mojibake(item) for key, item in value.items()}  # DYI keys are ASCII
    return value


def is_dyi_shape(data: Any) -> bool:
    """True when parsed JSON looks like a DYI posts or comments file (or a bundle of them)."""
    if isinstance(data, dict):
        return any(isinstance(data.get(key), list) for key in DYI_KEYS)
    if isinstance(data, list) and data:
        first = data[0]
        if isinstance(first, dict) and any(isinstance(first.get(key), list) for key in DYI_KEYS):
            return True
        return all(isinstance(item, dict) and "timestamp" in item and ("data" in item or "attachments" in item or "title" in item) for item in data[:20])
    return False


def split_title(title: str | None) -> tuple[str | None, list[str], str | None]:
    """(owner name, other names, group name) found in a DYI title; all may be missing."""
    if not title:
        return None, [], None
    owner = None
    rest = title
    verb = _TITLE_VERBS.search(title)
    if verb and verb.start() > 0:
        owner = title[: verb.start()].strip() or None
        rest = title[verb.start():]
    group_match = _GROUP_IN_TITLE.search(rest)
    group = group_match.group(1).strip() if group_match else None
    searchable = rest[: group_match.start()] if group_match else rest
    others = [re.sub(r"['’]s$", "", m) for m in _NAME_RUN.findall(searchable) if m not in _TITLE_WORDS]
    return owner, others, group


def _post_text(entry: dict[str, Any]) -> str | None:
    parts = [item["post"] for item in entry.get("data") or [] if isinstance(item, dict) and item.get("post")]
    return "\n".join(parts) if parts else None


def _post_url(entry: dict[str, Any]) -> str | None:
    for attachment in entry.get("attachments") or []:
        for item in (attachment or {}).get("data") or []:
            url = ((item or {}).get("external_context") or {}).get("url")
            if url:
                return url
    return None


def _post_record(entry: dict[str, Any], row: int, name: str, group: str | None) -> dict[str, Any]:
    owner, others, title_group = split_title(entry.get("title"))
    return {
        "source": "dyi",
        "source_file": name,
        "source_row": row,
        "post_id": None,
        "parent_id": None,
        "kind": "post",
        "group_name": group or title_group,
        "author": owner,
        "created_at": entry.get("timestamp"),
        "text": _post_text(entry),
        "url": _post_url(entry),
        "context_names": "\n".join(others) or None,
        "raw": to_raw_json(entry),
    }


def _comment_records(entry: dict[str, Any], row: int, name: str, group: str | None) -> list[dict[str, Any]]:
    owner, others, title_group = split_title(entry.get("title"))
    records = []
    for item in entry.get("data") or [{}]:
        comment = (item or {}).get("comment") or {}
        records.append({
            "source": "dyi",
            "source_file": name,
            "source_row": row,
            "post_id": None,
            # DYI never says which post a comment belongs to: it stays an orphan comment.
            "parent_id": None,
            "kind": "comment",
            "group_name": group or comment.get("group") or title_group,
            "author": comment.get("author") or owner,
            "created_at": comment.get("timestamp") or entry.get("timestamp"),
            "text": comment.get("comment"),
            "url": None,
            "context_names": "\n".join(others) or None,
            "raw": to_raw_json(entry),
        })
    return records


def _archive_owner(records: list[dict[str, Any]]) -> str | None:
    """The account owner: the most common author in the file (a DYI archive is one person's)."""
    authors = Counter(r["author"] for r in records if isinstance(r.get("author"), str) and r["author"])
    return authors.most_common(1)[0][0] if authors else None


def _entries(data: Any, name: str) -> Iterator[tuple[str, Any]]:
    """``(key, entry)`` for every post or comment entry of parsed DYI JSON, in file order."""
    bundled = isinstance(data, list) and data and isinstance(data[0], dict) and any(isinstance(data[0].get(k), list) for k in DYI_KEYS)
    objects = data if bundled else None
    if objects is None:
        objects = [data] if isinstance(data, dict) else [{"your_posts": data}]
    for obj in objects:
        if not isinstance(obj, dict):
            raise IngestError(name, f"unexpected {type(obj).__name__} where a DYI object was expected")
        for key, entries in obj.items():
            if key in POST_KEYS + COMMENT_KEYS and isinstance(entries, list):
                for entry in entries:
                    yield key, entry


def _records(entries: Iterable[tuple[str, Any]], name: str, group: str | None) -> Iterator[dict[str, Any]]:
    for row, (key, raw_entry) in enumerate(entries, start=1):
        entry = repair_mojibake(raw_entry)
        if not isinstance(entry, dict):
            yield {"source": "dyi", "source_file": name, "source_row": row, "raw": to_raw_json(entry)}
            continue
        try:
            if key in POST_KEYS:
                made = [_post_record(entry, row, name, group)]
            else:
                made = _comment_records(entry, row, name, group)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:  # wrong types inside one entry
            made = [problem_record("dyi", name, row, entry, exc)]
        yield from made


def _with_owner(records: list[dict[str, Any]], owner: str | None) -> list[dict[str, Any]]:
    for record in records:
        if not record.get("author") and "text" in record:
            record["author"] = owner  # entries without a title are the owner's too
    return records


def read_dyi(source: InputFile, group: str | None = None, data: Any = None) -> pd.DataFrame:
    """Raw rows from one DYI JSON file (posts, group posts or comments; old or ``_v2`` names).

    ``data`` may pass the already parsed JSON (format detection parses it once).
    """
    parsed = load_json(source) if data is None else data
    if parsed in ([], {}):
        return frame_from_records([])
    if not is_dyi_shape(parsed):
        raise IngestError(source.name, "not a Facebook DYI posts or comments file")
    records = list(_records(_entries(parsed, source.name), source.name, group))
    return frame_from_records(_with_owner(records, _archive_owner(records)))


# --- streaming: files of any size in bounded chunks ---------------------------------------------

def dyi_places(source: InputFile) -> dict[str, str] | None:
    """Where a DYI file keeps its entries (ijson prefix -> DYI key), from its first events; None
    when the start of the file does not show a DYI layout (the caller then parses it whole)."""
    events = stream.peek(source)
    head = next(events, None)
    entry_keys = POST_KEYS + COMMENT_KEYS
    if head is None or head[1] not in ("start_map", "start_array"):
        return None
    if head[1] == "start_map":
        for prefix, event, _ in events:
            if prefix in DYI_KEYS and event == "start_array":
                return {f"{key}.item": key for key in entry_keys}
        return None
    for prefix, event, value in events:
        if prefix == "item" and event == "map_key":
            if value in DYI_KEYS:
                return {f"item.{key}.item": key for key in entry_keys}
            break
        if prefix == "item" and event != "start_map":
            return None
    items = stream.first_items(source, 20)
    return {"item": "your_posts"} if items and is_dyi_shape(items) else None


def stream_dyi(source: InputFile, places: dict[str, str], group: str | None = None,
               chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """Raw rows of a DYI file read as a stream, at most ``chunk_rows`` entries' rows per frame.

    The file is read twice: first for the account owner (the most common author), then for the rows.
    """
    objects_at = None if "item" in places else "item"  # in a bundle, each top-level item is a DYI object
    authors: Counter[str] = Counter()
    for record in _records(stream.values_at(source, places, objects_at), source.name, group):
        if isinstance(record.get("author"), str) and record["author"]:
            authors[record["author"]] += 1
    owner = authors.most_common(1)[0][0] if authors else None
    records: list[dict[str, Any]] = []
    chunks = 0
    for record in _records(stream.values_at(source, places, objects_at), source.name, group):
        records.append(record)
        if len(records) >= chunk_rows:
            yield frame_from_records(_with_owner(records, owner))
            records, chunks = [], chunks + 1
    if records or not chunks:  # a file without entries (reactions only) is one empty frame, as when parsed whole
        yield frame_from_records(_with_owner(records, owner))
