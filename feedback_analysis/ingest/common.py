"""What every reader shares: the input-file handle, the error type and record helpers."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from feedback_analysis.schema import RAW_COLUMNS, raw_rows_from_records

# An archive member is read into memory: above this size, unpack the archive first.
MAX_MEMBER_BYTES = 2 * 2**30


class IngestError(ValueError):
    """A whole input file cannot be read. ``str(error)`` is a one-line message naming the file."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


@dataclass(frozen=True)
class InputFile:
    """One file to read: a file on disk or a member of a ZIP archive.

    ``name`` is what messages and the ``source_file`` column show (``archive.zip!posts/x.json``
    for archive members). Opening never writes anything: raw data stays untouched.
    """

    name: str
    suffix: str
    opener: Callable[[], IO[bytes]]
    size: int

    @classmethod
    def from_path(cls, path: Path) -> InputFile:
        return cls(str(path), path.suffix.lower(), lambda: open(path, "rb"), path.stat().st_size)

    @classmethod
    def from_zip_member(cls, archive: Path, info: zipfile.ZipInfo) -> InputFile:
        def opener() -> IO[bytes]:
            # Read the member into memory: zip members are not seekable, and archive members are small.
            if info.file_size > MAX_MEMBER_BYTES or (info.file_size > 10 * 2**20 and info.file_size > 200 * max(info.compress_size, 1)):
                raise IngestError(f"{archive}!{info.filename}", f"archive member unpacks to {info.file_size / 2**20:.0f} MB "
                                  "(too large, or a ZIP bomb); unpack it and ingest the file itself")
            try:
                with zipfile.ZipFile(archive) as handle:
                    return io.BytesIO(handle.read(info.filename))
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
                raise IngestError(f"{archive}!{info.filename}", f"damaged archive member ({exc})") from exc

        return cls(f"{archive}!{info.filename}", Path(info.filename).suffix.lower(), opener, info.file_size)

    def read_bytes(self) -> bytes:
        with self.opener() as handle:
            return handle.read()


def load_json(source: InputFile) -> Any:
    """Parse a JSON file; empty, truncated and corrupt files raise IngestError."""
    data = source.read_bytes()
    if not data.strip():
        raise IngestError(source.name, "file is empty")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError(source.name, f"not UTF-8 JSON (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(source.name, f"corrupt or truncated JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise IngestError(source.name, "JSON nested too deeply to be an export") from exc


def to_raw_json(record: Any) -> str:
    """The original record as JSON text, for the quarantine file."""
    try:
        return json.dumps(record, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        return json.dumps(str(record)[:10_000], ensure_ascii=False)


def problem_record(source: str, name: str, row: int, record: Any, exc: BaseException) -> dict[str, Any]:
    """A row for a record the reader could not use: it goes to quarantine with the reason."""
    detail = (str(exc).splitlines() or [""])[0][:120]
    reason = f"unreadable record ({exc.__class__.__name__}{': ' + detail if detail else ''})"
    if isinstance(exc, RecursionError):
        reason = "unreadable record (nested too deeply)"
    return {"source": source, "source_file": name, "source_row": row, "raw": to_raw_json(record), "problem": reason}


# Fields that hold text (or an id): a number is taken as its text, anything else makes the record unusable.
_TEXT_FIELDS = ("post_id", "parent_id", "thread_id", "kind", "group_name", "author", "author_name", "text", "url",
                "context_names")


def _typed(record: dict[str, Any]) -> dict[str, Any]:
    """The record with numbers in text fields as text; a record with a list, mapping or boolean
    where text belongs gets a ``problem`` (it goes to quarantine rather than failing the file)."""
    for key in _TEXT_FIELDS:
        value = record.get(key)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            record[key] = str(value)
        elif not record.get("problem"):
            record[key] = None
            record["problem"] = f"field {key} holds a {type(value).__name__} where text belongs"
    return record


def frame_from_records(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Raw table from reader records, every RAW_COLUMN present."""
    return raw_rows_from_records([_typed(record) for record in records])


def count_or_none(value: Any) -> int | None:
    """A non-negative integer count, or None when the source has none."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):  # Graph API: {"summary": {"total_count": n}} or {"count": n}
        value = (value.get("summary") or {}).get("total_count", value.get("count"))
        if value is None:
            return None
    try:
        number = int(float(str(value).replace(",", ".").strip()))
    except ValueError:
        return None
    return number if number >= 0 else None


def iter_chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """A single frame as a one-chunk iterator, so every reader can be consumed the same way."""
    yield frame.reindex(columns=list(RAW_COLUMNS))
