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


def arrow_strings(values: pd.Series | np.ndarray) -> pa.Array:
    """Texts or ids as one Arrow ``large_string`` array. A pandas column stored in Arrow is taken
    as it is: going through Python objects would cost a string object per row."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype) \
            and values.dtype.storage == "pyarrow":
        array = pa.array(values, from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        return array if array.type == pa.large_string() else array.cast(pa.large_string())
    return pa.array(np.asarray(values, dtype=object), type=pa.large_string(), from_pandas=True)


def _positions(values: pa.Array, keys: pa.Array) -> np.ndarray:
    """Position of each value among ``keys`` (-1 when absent or missing)."""
    found = pc.index_in(values, value_set=keys)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _roots(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each key's thread ends: follow parents up to a key without a parent (the root is that
    key) or to a parent id that is not a key (the root is that id). ``parent`` holds the key
    position of each key's parent, -1 for none and -2 for an id outside the keys. Returns per key
    the position of the last key reached and whether the root is that key's parent id."""
    current = np.arange(len(parent))
    outside = np.zeros(len(parent), dtype=bool)
    active = np.arange(len(parent))
    for _ in range(_VECTOR_STEPS):
        step = parent[current[active]]
        done = step < 0
        outside[active[done]] = step[done] == -2
        active = active[~done]
        current[active] = step[~done]
        if not len(active):
            return current, outside
    for row in active:  # a cycle or a very deep chain: the walk that stops where it has been
        current[row], outside[row] = _walk(int(row), parent)
    return current, outside


def _walk(position: int, parent: np.ndarray) -> tuple[int, bool]:
    seen: set[int] = set()
    while parent[position] != -1 and position not in seen:
        seen.add(position)
        if parent[position] == -2:
            return position, True
        position = int(parent[position])
    return position, False


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
    keys = arrow_strings(everything["post_id"])
    parent_ids = arrow_strings(everything["parent_id"])
    kind_codes, kind_values = pd.factorize(everything["kind"].astype("object"), use_na_sentinel=True)
    del everything
    parent = _positions(parent_ids, keys).copy()
    parent[(parent < 0) & parent_ids.is_valid().to_numpy(zero_copy_only=False)] = -2

    if posts["thread_id"].dtype != object or posts["kind"].dtype != object:
        posts = posts.astype({"thread_id": "object", "kind": "object"})
    parent_at = _positions(arrow_strings(posts["parent_id"]), keys)
    has_parent = posts["parent_id"].notna().to_numpy()
    unknown = has_parent & (parent_at < 0) & posts["source"].isin(list(strict_sources)).to_numpy()
    rejected = posts[unknown]
    posts = posts[~unknown].copy() if unknown.any() else posts.copy(deep=False)
    parent_at = parent_at[~unknown]

    given_thread = posts["thread_id"]
    missing = given_thread.isna().to_numpy()
    if missing.any():
        own = _positions(arrow_strings(posts["post_id"]), keys)
        end, outside = _roots(parent) if len(parent) else (np.zeros(1, dtype=np.int64), np.zeros(1, dtype=bool))
        if not len(parent):  # no row has an id: nothing to take from
            keys = parent_ids = pa.array([None], type=pa.large_string())
        at = np.where(own >= 0, end[np.maximum(own, 0)], 0)
        roots = pc.if_else(pa.array(outside[at]), parent_ids.take(pa.array(at)), keys.take(pa.array(at)))
        roots = pc.if_else(pa.array(own >= 0), roots, arrow_strings(posts["post_id"]))  # no id: its own root
        given = arrow_strings(given_thread)
        threads = pc.if_else(pa.array(missing), roots, given)
        # Arrow-backed when no thread was given (most exports): no Python string per row.
        posts["thread_id"] = (threads.to_pandas().set_axis(posts.index) if missing.all() else
                              pd.Series(threads.to_numpy(zero_copy_only=False), index=posts.index, dtype="object"))

    kinds = _kind_words(posts["kind"]).to_numpy(dtype=object).copy()
    undecided = pd.isna(kinds)
    no_parent = posts["parent_id"].isna().to_numpy()
    kinds[undecided & no_parent] = "post"
    ask = undecided & ~no_parent
    if ask.any():
        at = parent_at[ask]
        listed = at >= 0
        codes = np.full(len(at), -1)
        codes[listed] = kind_codes[at[listed]]
        said = np.array([k in ("comment", "reply") for k in kind_values], dtype=bool)
        talked_to = np.zeros(len(at), dtype=bool)
        talked_to[codes >= 0] = said[codes[codes >= 0]]
        grand_parent = np.zeros(len(at), dtype=bool)
        grand_parent[listed] = parent[at[listed]] != -1  # the parent has a parent of its own
        replies = talked_to | ((codes < 0) & grand_parent)
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
        rows = posts[["content_hash", "created_at", "post_id"]].iloc[eligible]
        table = pa.table({"hash": arrow_strings(rows["content_hash"]), "created_at": pa.array(rows["created_at"]),
                          "post_id": arrow_strings(rows["post_id"]), "row": pa.array(np.arange(len(rows)))})
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
