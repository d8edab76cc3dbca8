"""Threads and duplicates over the whole store: parent links, kinds, copy-paste reposts.

Both work on arrays (Arrow hashing and sorting, numpy indexing) rather than on Python dicts of
every stored id, so their memory follows the id columns they are given.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feedback_analysis.vocab import KINDS

# Chains longer than this (or cycles, which broken exports have) are walked one row at a time.
_VECTOR_STEPS = 64


def _strings(values: pd.Series | np.ndarray) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object), type=pa.large_string(), from_pandas=True)


def _positions(values: pa.Array, keys: pa.Array) -> np.ndarray:
    """Position of each value among ``keys`` (-1 when absent or missing)."""
    found = pc.index_in(values, value_set=keys)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _roots(start: np.ndarray, parent: np.ndarray, parent_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The thread root of each key position in ``start``: follow parents up to a key without a
    parent (its id) or to a parent that is not a key (that parent's id). ``parent`` holds the key
    position of each key's parent, -1 for none and -2 for a parent id outside the keys."""
    roots = np.empty(len(start), dtype=object)
    current = start.copy()
    active = np.arange(len(start))
    for _ in range(_VECTOR_STEPS):
        step = parent[current[active]]
        done = step < 0
        finished, at = active[done], current[active[done]]
        outside = step[done] == -2
        roots[finished] = np.where(outside, parent_ids[at], ids[at])
        active = active[~done]
        current[active] = step[~done]
        if not len(active):
            return roots
    for row in active:  # a cycle or a very deep chain: the walk that stops where it has been
        roots[row] = _walk(int(start[row]), parent, parent_ids, ids)
    return roots


def _walk(position: int, parent: np.ndarray, parent_ids: np.ndarray, ids: np.ndarray) -> str:
    seen: set[int] = set()
    while parent[position] != -1 and position not in seen:
        seen.add(position)
        if parent[position] == -2:
            return parent_ids[position]
        position = int(parent[position])
    return ids[position]


def _kind_words(kinds: pd.Series) -> pd.Series:
    """A kind from the export as one of ``KINDS`` (None when it does not say)."""
    def word(kind: object) -> str | None:
        if kind in KINDS:
            return str(kind)
        if isinstance(kind, str):
            return _KIND_WORDS.get(kind.strip().lower())
        return None

    distinct = {kind: word(kind) for kind in pd.unique(kinds.to_numpy(dtype=object))}
    return pd.Series([distinct[k] for k in kinds.to_numpy(dtype=object)], index=kinds.index, dtype="object")


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
    everything = everything[everything["post_id"].notna()]  # a missing id is no one's parent
    ids = everything["post_id"].to_numpy(dtype=object)
    parent_ids = everything["parent_id"].astype("object").where(everything["parent_id"].notna(), None).to_numpy()
    raw_kinds = everything["kind"].astype("object").where(everything["kind"].notna(), None).to_numpy()
    keys = _strings(ids)
    parent = _positions(_strings(parent_ids), keys).copy()
    parent[(parent < 0) & pd.notna(parent_ids)] = -2
    del everything

    posts = posts.astype({"parent_id": "object", "thread_id": "object", "kind": "object"})
    posts[["parent_id", "thread_id", "kind"]] = posts[["parent_id", "thread_id", "kind"]].where(
        posts[["parent_id", "thread_id", "kind"]].notna(), None
    )
    parent_at = _positions(_strings(posts["parent_id"]), keys)
    has_parent = posts["parent_id"].notna().to_numpy()
    unknown = has_parent & (parent_at < 0) & posts["source"].isin(list(strict_sources)).to_numpy()
    rejected = posts[unknown]
    posts = posts[~unknown].copy()
    parent_at = parent_at[~unknown]

    given_thread = posts["thread_id"]
    missing = given_thread.isna().to_numpy()
    if missing.any():
        own = _positions(_strings(posts["post_id"][missing]), keys)
        roots = np.empty(len(own), dtype=object)
        listed = own >= 0
        roots[listed] = _roots(own[listed], parent, parent_ids, ids)
        roots[~listed] = posts["post_id"][missing].to_numpy(dtype=object)[~listed]  # no id: its own root
        threads = given_thread.to_numpy(dtype=object).copy()
        threads[missing] = roots
        posts["thread_id"] = pd.Series(threads, index=posts.index, dtype="object")

    kinds = _kind_words(posts["kind"]).to_numpy(dtype=object).copy()
    undecided = pd.isna(kinds)
    no_parent = posts["parent_id"].isna().to_numpy()
    kinds[undecided & no_parent] = "post"
    ask = undecided & ~no_parent
    if ask.any():
        at = parent_at[ask]
        listed = at >= 0
        parent_kind = np.full(len(at), None, dtype=object)
        parent_kind[listed] = raw_kinds[at[listed]]
        grand_parent = np.zeros(len(at), dtype=bool)
        grand_parent[listed] = pd.notna(parent_ids[at[listed]])
        talked_to = np.array([k in ("comment", "reply") for k in parent_kind], dtype=bool)
        replies = talked_to | (pd.isna(parent_kind) & grand_parent)
        kinds[ask] = np.where(replies, "reply", "comment")
    posts["kind"] = kinds.tolist()
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
    chars = posts["text_chars"] if "text_chars" in posts.columns else posts["text"].str.len()
    eligible = np.flatnonzero((chars >= min_chars).to_numpy(dtype=bool, na_value=False)
                              & posts["content_hash"].notna().to_numpy())
    original = np.full(len(posts), None, dtype=object)
    if len(eligible):
        rows = posts.iloc[eligible]
        table = pa.table({"hash": _strings(rows["content_hash"]), "created_at": pa.array(rows["created_at"]),
                          "post_id": _strings(rows["post_id"]), "row": pa.array(np.arange(len(rows)))})
        # Stable: equal keys keep their order, as pandas' stable sort by time and id did.
        order = pc.sort_indices(table, sort_keys=[("hash", "ascending"), ("created_at", "ascending"),
                                                  ("post_id", "ascending")])  # missing times last
        ordered = table.take(order)
        hashes = ordered.column("hash").to_numpy()
        ids = ordered.column("post_id").to_numpy()
        starts = np.ones(len(ordered), dtype=bool)
        starts[1:] = hashes[1:] != hashes[:-1]
        first = ids[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
        marked = first != ids
        original[eligible[ordered.column("row").to_numpy()[marked]]] = first[marked]
    posts = posts.copy(deep=False)
    posts["duplicate_of"] = pd.Series(original, index=posts.index, dtype="object")
    posts["is_duplicate"] = pd.notna(original)
    return posts
