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
from feedback_analysis.store.marks import (
    MARK_COLUMNS,
    MARKS_FOLDER,
    list_marks,
    marks_file,
    marks_table,
    merge_marks,
    overlay_frame,
    overlay_table,
    read_marks,
    write_marks,
)


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
    """The store as a DataFrame (empty with the store columns when there is none yet); the changed
    duplicate marks kept beside the months (:mod:`.marks`) are laid over their rows."""
    _recover(posts_dir)
    if not posts_dir.exists() or not any(posts_dir.glob("month=*/*.parquet")):
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in POST_COLUMNS})
        return empty[columns] if columns else empty
    filters = [("month", "in", months)] if months else None
    marked = list_marks(posts_dir)
    marked = [path for month, path in marked.items() if not months or month in months]
    overlay = bool(marked) and (columns is None or any(c in columns for c in MARK_COLUMNS[1:]))
    read = columns if not overlay or columns is None or "post_id" in columns else [*columns, "post_id"]
    # The marks folder starts with "_": a dataset read skips it.
    frame = pd.read_parquet(posts_dir, columns=read, filters=filters)
    if overlay:
        frame = overlay_frame(frame, read_marks(marked))
        if read is not columns:
            frame = frame.drop(columns=["post_id"])
    if "month" in frame.columns:
        frame["month"] = frame["month"].astype(str)
    if columns is None:
        frame = frame[list(POST_COLUMNS)]
    return frame.reset_index(drop=True)


def read_index(posts_dir: Path, columns: list[str]) -> pd.DataFrame:
    """``columns`` of every stored row plus ``text_chars`` (the text's
    length), read file by file so that no text is held beyond one file's; empty with those columns
    when there is no store yet. Changed duplicate marks (:mod:`.marks`) are laid over their rows."""
    parts = []
    marked = list_marks(posts_dir)
    wanted = [c for c in columns if c != "month"]
    overlay = any(c in wanted for c in MARK_COLUMNS[1:])
    for month, files in _recover_and_list(posts_dir).items():
        marks = read_marks([marked[month]]) if overlay and month in marked else None
        for file in files:
            extra = ["post_id"] if marks is not None and "post_id" not in wanted else []
            table = pq.read_table(file, columns=wanted + extra + ["text"])
            table = overlay_table(table, marks).drop_columns(extra)
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
    # is_duplicate``), kept in the month's marks file (:mod:`.marks`) rather than by rewriting the month.
    marks: pd.DataFrame | None = None


def validate_month(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` checked against the store's contract (and coerced), before they join stored rows."""
    return validate_posts(rows[list(POST_COLUMNS)].reset_index(drop=True))


# Parts a month may have before an append compacts it into one file.
MAX_PARTS = 8
# Share of a month's rows its marks file may name before the marks are written into the rows.
MAX_MARKED_SHARE = 0.25


def update_months(writes: Iterable[MonthWrite], posts_dir: Path) -> None:
    """Change only the months named in ``writes``, atomically; every other month is kept as it is.

    Kept and appended-to months are hard links to the current files (no copy, no read), and new
    duplicate marks of stored rows go to the month's small marks file, so the cost follows the rows
    a batch adds rather than the size of the store. A month that already has :data:`MAX_PARTS` parts,
    or whose marks name more than :data:`MAX_MARKED_SHARE` of its rows, is compacted into one file
    (marks written into the rows) when rows or marks are added; a month replaced by no rows leaves the store.
    """
    current = _recover_and_list(posts_dir)
    current_marks = list_marks(posts_dir)

    def fill(tmp: Path) -> None:
        written: set[str] = set()
        for write in writes:
            month = str(write.month)
            written.add(month)
            old_parts = current.get(month, [])
            if write.rows.empty and not write.append:
                continue  # the month has no rows left: it leaves the store
            if not write.append or not old_parts:
                _write_month(tmp, month, write.rows, write.validated)  # the rows carry their own marks
                continue
            _append_month(tmp, write, old_parts, current_marks.get(month))
        for month, parts in current.items():
            if month not in written:
                _link_month(tmp, month, parts, current_marks.get(month))

    _swap(posts_dir, fill)


def _link_month(tmp: Path, month: str, parts: list[Path], marks: Path | None) -> None:
    folder = tmp / f"month={month}"
    folder.mkdir()
    for part in parts:
        _link_or_copy(part, folder / part.name)
    if marks is not None:
        (tmp / MARKS_FOLDER).mkdir(exist_ok=True)
        _link_or_copy(marks, tmp / MARKS_FOLDER / marks.name)


def _append_month(tmp: Path, write: MonthWrite, old_parts: list[Path], marks_path: Path | None) -> None:
    """``write.rows`` as a new part of the month beside its linked parts and ``write.marks`` merged
    into its marks file; or the month compacted into one file when it has too many parts or marks."""
    month = str(write.month)
    marks = read_marks([marks_path]) if marks_path is not None else None
    new_marks = write.marks is not None and not write.marks.empty
    if new_marks:
        marks = merge_marks(marks, marks_table(write.marks))
    if len(old_parts) < MAX_PARTS and not _too_many_marks(marks, old_parts):
        appended = None
        if not write.rows.empty:
            appended = _cast_like(_table(write.rows, write.validated), pq.read_schema(old_parts[0]))
        if appended is not None or write.rows.empty:
            _link_month(tmp, month, old_parts, None if new_marks else marks_path)
            if appended is not None:
                pq.write_table(appended, tmp / f"month={month}" / f"part-{uuid.uuid4().hex[:8]}.parquet",
                               compression="zstd")
            if new_marks:
                write_marks(marks, marks_file(tmp, month))
            return
    if not _write_compacted(tmp, write, old_parts, marks):
        old = overlay_frame(pd.read_parquet(old_parts[0].parent).assign(month=month), marks)
        _write_month(tmp, month, pd.concat([old[list(POST_COLUMNS)], write.rows[list(POST_COLUMNS)]],
                                           ignore_index=True), write.validated)


def _too_many_marks(marks: pa.Table | None, parts: list[Path]) -> bool:
    if marks is None or not marks.num_rows:
        return False
    rows = sum(pq.read_metadata(part).num_rows for part in parts)
    return marks.num_rows > MAX_MARKED_SHARE * rows


def _write_compacted(tmp: Path, write: MonthWrite, parts: list[Path], marks: pa.Table | None) -> bool:
    """Write ``write.month`` as one file: its stored rows with ``marks`` written into them and
    ``write.rows`` after them, sorted by time like any rewritten month; all in Arrow, so the
    stored texts never become Python objects. False (nothing written) when the parts' types differ."""
    try:
        table = pa.concat_tables([pq.read_table(part) for part in parts])
    except (pa.ArrowInvalid, ValueError):
        return False
    table = overlay_table(table, marks)
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
