"""Output of the ``facebook-scraper`` package: one dict per post, as a JSON list or JSON lines.

Comments and replies arrive nested in ``comments_full`` (``replies`` in the same shape) and become
rows of their own. ``time`` is a local naive datetime; ``timestamp`` (Unix seconds) wins when present.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd

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

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jl")


def is_scraper_post(value: Any) -> bool:
    """Whether one JSON object looks like a facebook-scraper post."""
    return isinstance(value, dict) and "post_id" in value and any(k in value for k in ("text", "post_text", "comments_full", "time", "timestamp"))


def is_scraper_shape(data: Any) -> bool:
    """Whether parsed JSON is a list of facebook-scraper posts (the first 20 are checked)."""
    return isinstance(data, list) and bool(data) and all(is_scraper_post(item) for item in data[:20])


def _when(record: dict[str, Any], unix_key: str, local_key: str) -> Any:
    return record.get(unix_key) if record.get(unix_key) not in (None, "") else record.get(local_key)


def _post_rows(post: dict[str, Any], name: str, row: int, group: str | None) -> list[dict[str, Any]]:
    reactions = post.get("reactions") if isinstance(post.get("reactions"), dict) else {}
    counts = {f"reactions_{kind}": count_or_none(reactions.get(kind)) for kind in REACTIONS}
    if counts["reactions_like"] is None:
        counts["reactions_like"] = count_or_none(post.get("likes"))
    text = post.get("post_text") if post.get("post_text") not in (None, "") else post.get("text")
    names = [post.get("username")]
    rows = [{
        "source": "scraper",
        "source_file": name,
        "source_row": row,
        "post_id": None if post.get("post_id") in (None, "") else str(post["post_id"]),
        "parent_id": None,
        "kind": "post",
        "group_name": group,
        "author": post.get("user_id") or post.get("username"),
        "author_name": post.get("username"),
        "created_at": _when(post, "timestamp", "time"),
        "text": text,
        "url": post.get("post_url"),
        **counts,
        "comment_count": count_or_none(post.get("comments")),
        "share_count": count_or_none(post.get("shares")),
        "raw": to_raw_json({key: value for key, value in post.items() if key != "comments_full"}),
    }]

    def walk(comments: Any, parent: str | None) -> None:
        if not isinstance(comments, list):  # a count or an error message where the list belongs
            return
        for comment in comments:
            if not isinstance(comment, dict):
                continue
            names.append(comment.get("commenter_name"))
            comment_id = comment.get("comment_id")
            rows.append({
                "source": "scraper",
                "source_file": name,
                "source_row": row,
                "post_id": None if comment_id in (None, "") else str(comment_id),
                "parent_id": parent,
                "kind": None,
                "group_name": group,
                "author": comment.get("commenter_id") or comment.get("commenter_name"),
                "author_name": comment.get("commenter_name"),
                "created_at": comment.get("comment_time"),
                "text": comment.get("comment_text"),
                "url": comment.get("comment_url"),
                "reactions_like": count_or_none(comment.get("comment_reaction_count")),
                "raw": to_raw_json({key: value for key, value in comment.items() if key != "replies"}),
            })
            walk(comment.get("replies"), rows[-1]["post_id"])

    walk(post.get("comments_full"), rows[0]["post_id"])
    known = "\n".join(str(n) for n in names if n)
    for record in rows:
        record["context_names"] = known or None
    return rows


class _CorruptLine:
    """A line of a JSON-lines file that is not JSON: quarantined with its text and the reason."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem


def _iter_jsonl(source: InputFile) -> Iterator[tuple[int, Any]]:
    with source.opener() as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict")
        seen_any = False
        try:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                seen_any = True
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:  # one bad line costs that line only
                    yield number, _CorruptLine(line[:2000], f"corrupt JSON on line {number}: {exc.msg}")
                except RecursionError:
                    yield number, _CorruptLine(line[:2000], f"JSON on line {number} is nested too deeply")
        except UnicodeDecodeError as exc:
            raise IngestError(source.name, "not UTF-8 JSON lines") from exc
        if not seen_any:
            raise IngestError(source.name, "file is empty")


def read_scraper(source: InputFile, group: str | None = None, data: Any = None, chunk_posts: int = 5000) -> Iterator[pd.DataFrame]:
    """Raw rows from facebook-scraper output, in chunks (JSON lines are streamed)."""
    if data is None and source.suffix in JSONL_SUFFIXES:
        numbered: Iterator[tuple[int, Any]] = _iter_jsonl(source)
    else:
        parsed = load_json(source) if data is None else data
        if not isinstance(parsed, list):
            raise IngestError(source.name, "not facebook-scraper output (expected a list of posts)")
        numbered = enumerate(parsed, start=1)
    batch: list[dict[str, Any]] = []
    for number, post in numbered:
        if isinstance(post, _CorruptLine):
            batch.append({"source": "scraper", "source_file": source.name, "source_row": number,
                          "raw": post.text, "problem": post.problem})
        elif is_scraper_post(post):
            try:
                batch.extend(_post_rows(post, source.name, number, group))
            except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
                batch.append(problem_record("scraper", source.name, number, post, exc))
        else:
            batch.append({"source": "scraper", "source_file": source.name, "source_row": number, "raw": to_raw_json(post)})
        if len(batch) >= chunk_posts:
            yield frame_from_records(batch)
            batch = []
    if batch:
        yield frame_from_records(batch)
