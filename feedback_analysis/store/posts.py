"""The Parquet store: a Hive-partitioned dataset ``<data-dir>/processed/posts/month=YYYY-MM/``.

Writes are atomic: the new dataset is written beside the old one and swapped in with two renames,
so a run that dies halfway leaves the previous store intact (and the next run cleans up).
A lock file keeps two writers apart.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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


def read_index(posts_dir: Path, columns: list[str]) -> pd.DataFrame:
    """``columns`` of every stored row plus ``text_chars`` (the text's length), read file by file so
    that no text is held beyond one file's; empty with those columns when there is no store yet."""
    parts = []
    for month, files in _recover_and_list(posts_dir).items():
        for file in files:
            table = pq.read_table(file, columns=[c for c in columns if c != "month"] + ["text"])
            lengths = pc.utf8_length(table.column("text")).fill_null(0)
            table = table.drop_columns(["text"]).append_column("text_chars", lengths)
            frame = table.to_pandas()
            if "month" in columns:
                frame["month"] = month
            parts.append(frame)
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        return empty.assign(text_chars=pd.Series(dtype="int64"))
    index = pd.concat(parts, ignore_index=True)
    return index[[*columns, "text_chars"]]


def write_posts(posts: pd.DataFrame, posts_dir: Path) -> None:
    """Replace the store with ``posts`` (validated first), atomically."""
    write_months(((str(m), part) for m, part in posts.groupby("month", sort=True)), posts_dir)


def write_months(months: Iterable[tuple[str, pd.DataFrame]], posts_dir: Path) -> None:
    """Replace the store with the given month partitions, atomically.

    Each partition is validated and written to a new folder beside the store; only when all are
    written is the folder swapped in. Any error leaves the previous store as it was.
    """
    _swap(posts_dir, lambda tmp: [_write_month(tmp, month, part) for month, part in months])


@dataclass(frozen=True)
class MonthWrite:
    """New content for one month of the store: ``rows`` replace the month, or with ``append`` join
    the rows already there as a part of their own (the month's other rows are not read or rewritten)."""

    month: str
    rows: pd.DataFrame
    append: bool = False
    validated: bool = False  # the caller validated ``rows`` already (rows read back from the store are)
    # With ``append``: new duplicate marks of the month's stored rows (``post_id, duplicate_of,
    # is_duplicate``); the month is then rewritten as one file, its stored rows re-marked in Arrow.
    marks: pd.DataFrame | None = None


def validate_month(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` checked against the store's contract (and coerced), before they join stored rows."""
    return validate_posts(rows[list(POST_COLUMNS)].reset_index(drop=True))


def update_months(writes: Iterable[MonthWrite], posts_dir: Path) -> None:
    """Change only the months named in ``writes``, atomically; every other month is kept as it is.

    Kept and appended-to months are hard links to the current files (no copy, no read), so the cost
    follows the months a batch touches rather than the size of the store. A month that already
    has :data:`MAX_PARTS` parts is compacted into one when rows are appended; a month replaced by
    no rows leaves the store.
    """
    current = _recover_and_list(posts_dir)

    def fill(tmp: Path) -> None:
        written: set[str] = set()
        for write in writes:
            month = str(write.month)
            written.add(month)
            old_parts = current.get(month, [])
            if write.append and write.marks is not None and old_parts:
                if not _write_remarked(tmp, write, old_parts):
                    old = _with_marks(pd.read_parquet(old_parts[0].parent).assign(month=month), write.marks)
                    _write_month(tmp, month, pd.concat([old[list(POST_COLUMNS)], write.rows[list(POST_COLUMNS)]],
                                                       ignore_index=True), write.validated)
                continue
            appended = _table(write.rows, write.validated) if write.append and old_parts and len(old_parts) < MAX_PARTS else None
            if appended is not None:
                appended = _cast_like(appended, pq.read_schema(old_parts[0]))
            if appended is not None:
                folder = tmp / f"month={month}"
                folder.mkdir()
                for part in old_parts:
                    _link_or_copy(part, folder / part.name)
                pq.write_table(appended, folder / f"part-{uuid.uuid4().hex[:8]}.parquet", compression="zstd")
            elif write.rows.empty and not write.append:
                continue  # the month has no rows left: it leaves the store
            else:
                rows = write.rows
                if write.append and old_parts:
                    old = pd.read_parquet(old_parts[0].parent).assign(month=month)
                    rows = pd.concat([old[list(POST_COLUMNS)], rows[list(POST_COLUMNS)]], ignore_index=True)
                _write_month(tmp, month, rows, write.validated)
        for month, parts in current.items():
            if month not in written:
                folder = tmp / f"month={month}"
                folder.mkdir()
                for part in parts:
                    _link_or_copy(part, folder / part.name)

    _swap(posts_dir, fill)


# Parts a month may have before an append compacts it into one file.
MAX_PARTS = 8


def _with_marks(rows: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``duplicate_of`` and ``is_duplicate`` taken from ``marks`` where it has the row's id."""
    by_id = marks.drop_duplicates("post_id", keep="last").set_index("post_id")
    listed = rows["post_id"].isin(by_id.index)
    rows = rows.copy()
    for column in ("duplicate_of", "is_duplicate"):
        values = rows[column].astype("object")
        values[listed] = rows.loc[listed, "post_id"].map(by_id[column]).to_numpy(dtype=object)
        rows[column] = values
    rows["is_duplicate"] = rows["is_duplicate"].astype(bool)
    return rows


def _write_remarked(tmp: Path, write: MonthWrite, parts: list[Path]) -> bool:
    """Write ``write.month`` as one file: its stored rows with the duplicate marks of ``write.marks``
    and ``write.rows`` after them, sorted by time like any rewritten month; all in Arrow, so the
    stored texts never become Python objects. False (nothing written) when the parts' types differ."""
    try:
        table = pa.concat_tables([pq.read_table(part) for part in parts])
    except (pa.ArrowInvalid, ValueError):
        return False
    marks = write.marks
    ids = pa.array(marks["post_id"].to_numpy(dtype=object), type=pa.large_string())
    positions = pc.index_in(table.column("post_id"), value_set=ids)
    found = pc.is_valid(positions)
    for column, kind in (("duplicate_of", pa.large_string()), ("is_duplicate", pa.bool_())):
        values = pa.array(marks[column].astype("object").where(marks[column].notna(), None).to_numpy(), type=kind)
        current = table.column(column)
        updated = pc.if_else(found, pc.take(values, positions), current).cast(current.type)
        table = table.set_column(table.schema.get_field_index(column), column, updated)
    if not write.rows.empty:
        added = _cast_like(_table(write.rows, write.validated), table.schema)
        if added is None:
            return False
        table = pa.concat_tables([table, added])
    order = pc.sort_indices(table, sort_keys=[("created_at", "ascending"), ("post_id", "ascending")])
    folder = tmp / f"month={write.month}"
    folder.mkdir()
    pq.write_table(table.take(order), folder / "part-0.parquet", compression="zstd")
    return True


def _recover_and_list(posts_dir: Path) -> dict[str, list[Path]]:
    """Month -> its Parquet files, after recovering an interrupted swap."""
    _recover(posts_dir)
    if not posts_dir.exists():
        return {}
    return {folder.name.removeprefix("month="): sorted(folder.glob("*.parquet"))
            for folder in sorted(posts_dir.glob("month=*")) if any(folder.glob("*.parquet"))}


def _link_or_copy(source: Path, target: Path) -> None:
    # Store files are never changed in place (every write makes new files), so a link is safe.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@functools.cache
def _store_schema() -> pa.Schema:
    """The Arrow types of the store's columns, from the contract (what an empty validated table gets)."""
    empty = validate_posts(pd.DataFrame({c: pd.Series(dtype="object") for c in POST_COLUMNS}).astype(
        {"created_at": "datetime64[us, UTC]", "ingested_at": "datetime64[us, UTC]", "is_duplicate": "bool"}))
    return pa.Table.from_pandas(empty.drop(columns=["month"]), preserve_index=False).schema


def _table(part: pd.DataFrame, validated: bool = False) -> pa.Table:
    """One month's rows as an Arrow table, sorted by time; a column without a value gets its store type."""
    part = part[list(POST_COLUMNS)].reset_index(drop=True)
    if not validated:
        part = validate_posts(part)
    part = part.sort_values(["created_at", "post_id"], kind="stable")
    table = pa.Table.from_pandas(part.drop(columns=["month"]), preserve_index=False)
    reference = _store_schema()
    for i, column in enumerate(table.schema):
        if pa.types.is_null(column.type) and column.name in reference.names:
            table = table.set_column(i, column.name, table.column(i).cast(reference.field(column.name).type))
    return table


def _cast_like(table: pa.Table, schema: pa.Schema) -> pa.Table | None:
    """``table`` with the types of a month's other parts (so the month reads as one table), or None."""
    try:
        return table.cast(schema.remove_metadata()).replace_schema_metadata(schema.metadata)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None


def _write_month(tmp: Path, month: str, part: pd.DataFrame, validated: bool = False) -> None:
    folder = tmp / f"month={month}"
    folder.mkdir()
    pq.write_table(_table(part, validated), folder / "part-0.parquet", compression="zstd")


def _swap(posts_dir: Path, fill: Callable[[Path], object]) -> None:
    """Build the new store in a folder beside ``posts_dir`` with ``fill`` and swap it in with two renames."""
    parent = posts_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    _recover(posts_dir, remove_leftovers=True)
    token = uuid.uuid4().hex[:8]
    tmp = parent / f".{posts_dir.name}.tmp-{token}"
    old = parent / f".{posts_dir.name}.old-{token}"
    try:
        tmp.mkdir()
        fill(tmp)
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
