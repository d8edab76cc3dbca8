"""Writing files safely: exclusive locks, atomic replacement and spreadsheet-safe CSV, shared by every
stage that writes."""

from __future__ import annotations

import contextlib
import fcntl
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def exclusive_lock(path: Path, error: type[Exception], message: str) -> Iterator[None]:
    """Hold a non-blocking exclusive lock on ``path``; raise ``error(f"{path}: {message}")`` if taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise error(f"{path}: {message}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name beside ``path`` to write to; it replaces ``path`` only when the block succeeds,
    so readers never see half a file and a failure leaves the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


# Cells a spreadsheet would run as a formula (also after leading spaces, and in full-width forms).
_FORMULA_START = re.compile(r"^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?$")


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that Excel or LibreOffice would run as a formula (starting
    with ``= + - @``, a tab or a carriage return) starts with an apostrophe, which spreadsheets show
    as text. Plain numbers such as ``-3`` or ``+32`` are kept as they are."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        out[column] = values.map(
            lambda v: "'" + v if isinstance(v, str) and _FORMULA_START.match(v) and not _PLAIN_NUMBER.match(v.strip()) else v
        )
    out.columns = ["'" + c if isinstance(c, str) and _FORMULA_START.match(c) else c for c in out.columns]
    return out


def write_csv_safe(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV that is safe to open in a spreadsheet (see :func:`excel_safe`),
    via a temporary name, so readers never see half a file."""
    with atomic_path(Path(path)) as tmp:
        excel_safe(frame).to_csv(tmp, index=False)
