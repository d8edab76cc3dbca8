"""Threads and duplicates over the whole store: parent links, kinds, copy-paste reposts."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from feedback_analysis.vocab import KINDS


def link_threads(posts: pd.DataFrame, known: pd.DataFrame | None = None, strict_sources: Iterable[str] = ("csv", "xlsx", "crowdtangle", "scraper")) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill ``kind`` and ``thread_id`` from parent links; quarantine rows whose parent is unknown.

    ``known`` holds ``post_id, parent_id, kind`` of rows outside ``posts`` (the store, skipped
    photo-only posts). Graph API comments fetched alone legitimately name posts that are not in the
    export: for them an unknown parent is kept as the thread root. For sources in ``strict_sources``
    the whole thread comes in the same export, so an unknown parent is a broken row.
    Returns (linked posts, rejected posts with a ``reason`` column).
    """
    frames = [posts[["post_id", "parent_id", "kind"]]]
    if known is not None and not known.empty:
        frames.append(known[["post_id", "parent_id", "kind"]])
    everything = pd.concat(frames, ignore_index=True).drop_duplicates("post_id", keep="first")
    everything = everything.astype("object").where(everything.notna(), None)
    parent_of = dict(zip(everything["post_id"], everything["parent_id"]))
    kind_of = dict(zip(everything["post_id"], everything["kind"]))
    posts = posts.astype({"parent_id": "object", "thread_id": "object", "kind": "object"})
    posts[["parent_id", "thread_id", "kind"]] = posts[["parent_id", "thread_id", "kind"]].where(
        posts[["parent_id", "thread_id", "kind"]].notna(), None
    )

    has_parent = posts["parent_id"].notna()
    unknown = has_parent & ~posts["parent_id"].isin(parent_of.keys()) & posts["source"].isin(list(strict_sources))
    rejected = posts[unknown]
    posts = posts[~unknown].copy()

    def root(post_id: str) -> str:
        seen = set()
        current = post_id
        while parent_of.get(current) is not None and current not in seen:
            seen.add(current)
            current = parent_of[current]
        return current

    given_thread = posts["thread_id"]
    posts["thread_id"] = given_thread.where(given_thread.notna(), posts["post_id"].map(root))

    def infer_kind(row_kind: object, parent: object) -> str:
        if row_kind in KINDS:
            return str(row_kind)
        if isinstance(row_kind, str) and row_kind.strip().lower() in _KIND_WORDS:
            return _KIND_WORDS[row_kind.strip().lower()]
        if parent is None:
            return "post"
        parent_kind = kind_of.get(parent)
        if parent_kind in ("comment", "reply") or (parent_kind is None and parent_of.get(parent) is not None):
            return "reply"
        return "comment"

    posts["kind"] = [infer_kind(k, p) for k, p in zip(posts["kind"], posts["parent_id"])]
    rejected = rejected.assign(reason="unknown parent " + rejected["parent_id"].astype(str))
    return posts, rejected


_KIND_WORDS = {
    "bericht": "post", "post": "post", "status": "post",
    "reactie": "comment", "comment": "comment", "opmerking": "comment",
    "antwoord": "reply", "reply": "reply", "answer": "reply", "réponse": "reply",
}


def mark_duplicates(posts: pd.DataFrame, min_chars: int = 40) -> pd.DataFrame:
    """Mark copy-paste duplicates and reposts: rows whose normalised text equals an earlier row's.

    In: ``post_id, created_at, content_hash`` and ``text`` or ``text_chars``. Out: a copy with
    ``duplicate_of`` and ``is_duplicate``. The earliest row (by time, then id) of each group is the
    original; the others point to it. Texts shorter than ``min_chars`` are never marked.
    """
    posts = posts.copy()
    chars = posts["text_chars"] if "text_chars" in posts.columns else posts["text"].str.len()
    order = posts[chars >= min_chars].sort_values(["created_at", "post_id"], kind="stable")
    first = order.groupby("content_hash", sort=False)["post_id"].transform("first")
    duplicate = first != order["post_id"]
    original = first[duplicate].astype("object").reindex(posts.index)
    posts["duplicate_of"] = original.where(original.notna(), None)
    posts["is_duplicate"] = original.notna()
    return posts
