"""The ingest's staging folder: cleaned chunks wait here, one Parquet file per chunk and month, until the
merge has decided which rows go into the store. The folder lives under ``processed/`` and is removed
when the run ends (a killed run's folder is removed by the next one)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from feedback_analysis.files import atomic_path

PREFIX = ".stage-"


class StagingError(OSError):
    """The staging folder cannot be written (the disk, not the input): the whole run stops, the store untouched."""


def new_staging_folder(processed_dir: Path) -> Path:
    """A fresh staging folder's path under ``processed_dir``, after removing any a killed run left behind."""
    for leftover in Path(processed_dir).glob(PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return Path(processed_dir) / f"{PREFIX}{uuid.uuid4().hex[:8]}"


def remove_staging_folder(stage_dir: Path) -> None:
    """Remove the staging folder and everything in it (missing is fine)."""
    shutil.rmtree(stage_dir, ignore_errors=True)


def stage_chunk(posts: pd.DataFrame, number: int, stage_dir: Path) -> None:
    """Write cleaned chunk ``number`` to the staging folder, one file per month (without the month column)."""
    try:
        for month, part in posts.groupby("month", sort=False):
            folder = Path(stage_dir) / f"month={month}"
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(folder / f"chunk-{number:06d}.parquet") as tmp:
                part.drop(columns=["month"]).to_parquet(tmp, index=False)
    except OSError as exc:
        raise StagingError(f"{stage_dir}: cannot stage cleaned rows ({exc})") from exc


def read_staged_month(stage_dir: Path, month: str, columns: list[str] | None = None) -> pd.DataFrame | None:
    """Every staged row of ``month`` (None when no chunk had rows of that month)."""
    folder = Path(stage_dir) / f"month={month}"
    if not folder.exists():
        return None
    return _concat(folder.glob("*.parquet"), columns)


def staged_chunks(stage_dir: Path, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The staged files one at a time (all months), so a caller can keep only the rows it needs."""
    for file in sorted(Path(stage_dir).rglob("*.parquet")):
        yield pd.read_parquet(file, columns=columns)


def _concat(files: Iterable[Path], columns: list[str] | None = None) -> pd.DataFrame:
    # File by file: a column that is empty in one chunk has no type there, which a dataset read refuses.
    return pd.concat([pd.read_parquet(f, columns=columns) for f in sorted(files)], ignore_index=True)
