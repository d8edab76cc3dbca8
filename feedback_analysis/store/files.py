"""Atomic writes of the store's files: every write goes to a temporary name beside the target
(``files.atomic_path``), which replaces the target only when the write succeeded, so a failure
leaves the old file and no temporary one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from feedback_analysis.files import atomic_path


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (without its index) as Parquet at ``path``, atomically."""
    with atomic_path(Path(path)) as tmp:
        frame.to_parquet(tmp, index=False)


def write_csv_atomic(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (without its index) as UTF-8 CSV at ``path``, atomically."""
    with atomic_path(Path(path)) as tmp:
        frame.to_csv(tmp, index=False)


def read_json(path: Path) -> Any:
    """The JSON document at ``path``."""
    return json.loads(Path(path).read_text("utf-8"))


def write_json_atomic(data: Any, path: Path, *, indent: int = 1, trailing_newline: bool = False,
                      sort_keys: bool = False) -> None:
    """Write ``data`` as UTF-8 JSON at ``path``, atomically (no temporary file is left when it fails)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text + ("\n" if trailing_newline else ""), "utf-8")


def append_line(path: Path, line: str) -> None:
    """Append one line to the text file at ``path`` (created with its folder when missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line.rstrip("\n") + "\n")
