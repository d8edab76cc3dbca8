"""The ingest's merge decisions on the slim index, in Arrow: which stored rows threading a batch needs,
the duplicate marks of the texts a batch touches, and membership of ids or texts. Each follows the
batch (and the rows it touches) rather than the whole store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feedback_analysis import clean
from feedback_analysis.clean.threads import arrow_strings


def differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    """Where two aligned columns differ, a missing value equal only to another, compared in Arrow."""
    left, right = pa.array(old, from_pandas=True), pa.array(new, from_pandas=True)
    if left.type != right.type:
        left, right = left.cast(pa.large_string()), right.cast(pa.large_string())
    unequal = pc.fill_null(pc.not_equal(left, right), False)
    return pc.or_(unequal, pc.xor(pc.is_null(left), pc.is_null(right))).to_numpy(zero_copy_only=False)


def ancestors(known: list[pd.DataFrame], rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the ``known`` frames (``post_id, parent_id, kind``) that the parent links of ``rows``
    reach (parents, their parents ...), together: all that threading ``rows`` needs of the store, so
    its cost follows the batch, not the store. Each frame is taken as Arrow strings as it is."""
    ids = pa.chunked_array([arrow_strings(frame["post_id"]) for frame in known], type=pa.large_string())
    parents = pa.chunked_array([arrow_strings(frame["parent_id"]) for frame in known], type=pa.large_string())
    reached = np.zeros(len(ids), dtype=bool)
    wanted = arrow_strings(rows["parent_id"]).drop_null().unique()
    while len(wanted):
        found = pc.is_in(ids, value_set=wanted).to_numpy() & ~reached
        if not found.any():
            break
        reached |= found
        wanted = parents.filter(pa.array(found)).drop_null().unique().combine_chunks()
    starts = np.cumsum([0, *(len(frame) for frame in known)])
    parts = [frame[reached[start:end]] for frame, start, end in zip(known, starts[:-1], starts[1:])]
    return pd.concat([frame[["post_id", "parent_id", "kind"]].astype("object") for frame in parts], ignore_index=True)


def mark_touched(final: pd.DataFrame, stored: pd.DataFrame, replaced_hashes: pd.Series, min_chars: int) -> pd.DataFrame:
    """``final`` (the store's kept rows, then the batch's rows) with ``duplicate_of`` and ``is_duplicate``.

    Only the texts the batch touches are decided again (:func:`clean.mark_duplicates`): those of its
    rows and of the stored rows it replaces. Every other stored row keeps its marks (``stored``, in
    the order of the kept rows), which deciding them again would give too: a text that gains or
    loses no row keeps its earliest row.
    """
    batch = final["stage_key"].notna().to_numpy()
    if not len(stored):
        return clean.mark_duplicates(final, min_chars)
    hashes = arrow_strings(final["content_hash"])
    touched = pa.concat_arrays([hashes.filter(pa.array(batch)), arrow_strings(replaced_hashes)]).drop_null().unique()
    chosen = np.flatnonzero(batch | pc.is_in(hashes, value_set=touched).to_numpy(zero_copy_only=False))
    duplicate_of = np.full(len(final), None, dtype=object)
    is_duplicate = np.zeros(len(final), dtype=bool)
    marked = stored["duplicate_of"].notna().to_numpy()
    duplicate_of[np.flatnonzero(marked)] = stored["duplicate_of"][marked].to_numpy(dtype=object)
    is_duplicate[:len(stored)] = stored["is_duplicate"].to_numpy(dtype=bool)
    if len(chosen):
        decided = clean.mark_duplicates(final.iloc[chosen], min_chars)
        duplicate_of[chosen] = decided["duplicate_of"].to_numpy(dtype=object)
        is_duplicate[chosen] = decided["is_duplicate"].to_numpy(dtype=bool)
    final = final.copy(deep=False)
    final["duplicate_of"] = pd.Series(duplicate_of, index=final.index, dtype="object")
    final["is_duplicate"] = is_duplicate
    return final


def is_in(values: pd.Series, wanted: pd.Series | np.ndarray) -> np.ndarray:
    """Which of ``values`` (texts or ids) are among ``wanted``, hashed in Arrow: pandas' ``isin`` on
    Arrow-backed strings turns every value into a Python object first."""
    return pc.is_in(arrow_strings(values), value_set=arrow_strings(wanted)).to_numpy(zero_copy_only=False)
