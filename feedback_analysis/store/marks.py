"""Duplicate marks of stored rows, kept beside the months they belong to.

When a batch adds a copy of a stored text that is dated earlier, the stored row becomes the copy:
its ``duplicate_of`` and ``is_duplicate`` change. Rewriting the whole month for a few such marks
would make an ingest cost in proportion to the store, so the changed marks go to one small file per
month instead, ``posts/_marks/YYYY-MM.parquet`` (``post_id, duplicate_of, is_duplicate``), which
every reader of the store lays over the month's rows (:func:`overlay_frame`, :func:`overlay_table`).
A month that is rewritten anyway, or whose marks grow large, gets the marks written into its rows
and loses the file.

The folder starts with ``_``, so a Parquet dataset read of the store (pyarrow, pandas) skips it and
the ``month=*`` globs never see it; its files are swapped in and out with the months (``posts._swap``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MARKS_FOLDER = "_marks"
MARK_COLUMNS = ["post_id", "duplicate_of", "is_duplicate"]
_TYPES = pa.schema([("post_id", pa.large_string()), ("duplicate_of", pa.large_string()),
                    ("is_duplicate", pa.bool_())])


def marks_file(posts_dir: Path, month: str) -> Path:
    """Where the changed duplicate marks of ``month``'s stored rows are kept."""
    return Path(posts_dir) / MARKS_FOLDER / f"{month}.parquet"


def list_marks(posts_dir: Path) -> dict[str, Path]:
    """Month -> its marks file, for the months that have one."""
    folder = Path(posts_dir) / MARKS_FOLDER
    return {path.stem: path for path in sorted(folder.glob("*.parquet"))} if folder.is_dir() else {}


def read_marks(paths: list[Path]) -> pa.Table | None:
    """The marks of these files together (each file's ids are rows of its own month), or None."""
    tables = [pq.read_table(path).cast(_TYPES) for path in paths if path.exists()]
    return pa.concat_tables(tables) if tables else None


def marks_table(marks: pd.DataFrame) -> pa.Table:
    """``post_id, duplicate_of, is_duplicate`` of a DataFrame as a marks table."""
    duplicate_of = marks["duplicate_of"].astype("object")
    return pa.table({
        "post_id": pa.array(np.asarray(marks["post_id"], dtype=object), type=pa.large_string()),
        "duplicate_of": pa.array(duplicate_of.where(duplicate_of.notna(), None).to_numpy(), type=pa.large_string()),
        "is_duplicate": pa.array(marks["is_duplicate"].astype(bool).to_numpy(), type=pa.bool_()),
    })


def merge_marks(older: pa.Table | None, newer: pa.Table) -> pa.Table:
    """One marks table: ``newer``'s marks, and ``older``'s for the ids ``newer`` does not name."""
    if older is None or not older.num_rows:
        return newer
    kept = older.filter(pc.invert(pc.is_in(older.column("post_id"), value_set=newer.column("post_id"))))
    return pa.concat_tables([kept, newer])


def write_marks(marks: pa.Table, path: Path) -> None:
    """Write a marks file (a new file: store files are never changed in place, they may be linked)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(marks, path, compression="zstd")


def overlay_table(table: pa.Table, marks: pa.Table | None) -> pa.Table:
    """``table`` (with ``post_id`` and any of the mark columns) with the marks of ``marks`` laid over
    the rows it names, in Arrow; the column types stay as they were."""
    wanted = [c for c in MARK_COLUMNS[1:] if c in table.column_names]
    if marks is None or not marks.num_rows or not wanted or not table.num_rows:
        return table
    ids = table.column("post_id")
    positions = pc.index_in(ids.cast(pa.large_string()), value_set=marks.column("post_id"))
    found = pc.is_valid(positions)
    for column in wanted:
        current = table.column(column)
        updated = pc.if_else(found, pc.take(marks.column(column), positions).cast(current.type), current)
        table = table.set_column(table.schema.get_field_index(column), column, updated)
    return table


def overlay_frame(frame: pd.DataFrame, marks: pa.Table | None) -> pd.DataFrame:
    """``frame`` (with ``post_id`` and any of the mark columns) with the marks of ``marks`` laid over
    the rows it names; the column dtypes stay as they were."""
    wanted = [c for c in MARK_COLUMNS[1:] if c in frame.columns]
    if marks is None or not marks.num_rows or not wanted or frame.empty:
        return frame
    ids = pa.array(np.asarray(frame["post_id"], dtype=object), type=pa.large_string(), from_pandas=True)
    positions = pc.index_in(ids, value_set=marks.column("post_id")).to_numpy(zero_copy_only=False)
    found = ~pd.isna(positions)
    if not found.any():
        return frame
    rows = np.flatnonzero(found)
    taken = positions[rows].astype(np.int64)
    frame = frame.copy()
    for column in wanted:
        values = frame[column].astype("object").to_numpy(copy=True)
        values[rows] = marks.column(column).take(pa.array(taken)).to_numpy(zero_copy_only=False)
        frame[column] = pd.Series(values, index=frame.index).astype(frame[column].dtype)
    return frame
