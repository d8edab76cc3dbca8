"""The Parquet store: a Hive-partitioned dataset ``<data-dir>/processed/posts/month=YYYY-MM/``.

Writes are atomic: the new dataset is written beside the old one and swapped in with two renames,
so a run that dies halfway leaves the previous store intact (and the next run cleans up).
A lock file keeps two writers apart.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from feedback_analysis.files import exclusive_lock, write_csv_safe
from feedback_analysis.schema import POST_COLUMNS, validate_posts


class StoreLockedError(RuntimeError):
    """Another run holds the store lock."""


def store_lock(data_dir: Path, name: str = "store") -> contextlib.AbstractContextManager[None]:
    """An exclusive, non-blocking lock on the data folder for the duration of a write."""
    return exclusive_lock(Path(data_dir) / f".{name}.lock", StoreLockedError,
                          "another feedback-analysis run is writing the store; try again later")


def _recover(posts_dir: Path, remove_leftovers: bool = False) -> None:
    """Undo a swap that was interrupted between its two renames; a writer (holding the lock)
    also removes what interrupted runs left behind."""
    parent = posts_dir.parent
    if not parent.exists():
        return
    old = sorted(parent.glob(f".{posts_dir.name}.old-*"))
    if not posts_dir.exists() and old:
        old[-1].rename(posts_dir)
        old = old[:-1]
    if remove_leftovers:
        for leftover in [*old, *parent.glob(f".{posts_dir.name}.tmp-*")]:
            shutil.rmtree(leftover, ignore_errors=True)


def read_posts(posts_dir: Path, columns: list[str] | None = None, months: list[str] | None = None) -> pd.DataFrame:
    """The store as a DataFrame (empty with the store columns when there is none yet)."""
    _recover(posts_dir)
    if not posts_dir.exists() or not any(posts_dir.glob("month=*/*.parquet")):
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in POST_COLUMNS})
        return empty[columns] if columns else empty
    filters = [("month", "in", months)] if months else None
    frame = pd.read_parquet(posts_dir, columns=columns, filters=filters)
    if "month" in frame.columns:
        frame["month"] = frame["month"].astype(str)
    if columns is None:
        frame = frame[list(POST_COLUMNS)]
    return frame.reset_index(drop=True)


def write_posts(posts: pd.DataFrame, posts_dir: Path) -> None:
    """Replace the store with ``posts`` (validated first), atomically."""
    write_months(((str(m), part) for m, part in posts.groupby("month", sort=True)), posts_dir)


def write_months(months: Iterable[tuple[str, pd.DataFrame]], posts_dir: Path) -> None:
    """Replace the store with the given month partitions, atomically.

    Each partition is validated and written to a new folder beside the store; only when all are
    written is the folder swapped in. Any error leaves the previous store as it was.
    """
    parent = posts_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    _recover(posts_dir, remove_leftovers=True)
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{posts_dir.name}.tmp-{token}"
    old = parent / f".{posts_dir.name}.old-{token}"
    try:
        tmp.mkdir()
        for month, part in months:
            part = validate_posts(part[list(POST_COLUMNS)].reset_index(drop=True))
            part = part.sort_values(["created_at", "post_id"], kind="stable")
            folder = tmp / f"month={month}"
            folder.mkdir()
            table = pa.Table.from_pandas(part.drop(columns=["month"]), preserve_index=False)
            pq.write_table(table, folder / "part-0.parquet", compression="zstd")
        if posts_dir.exists():
            posts_dir.rename(old)
        tmp.rename(posts_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not posts_dir.exists():
            old.rename(posts_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_table_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV file via a temporary name, so readers never see half a file; cells that a
    spreadsheet would run as a formula are escaped (:func:`files.excel_safe`)."""
    write_csv_safe(frame, path)
