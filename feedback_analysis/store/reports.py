"""Every read and write the report code does under the data and reports folders, with explicit paths.

The rest of :mod:`feedback_analysis.report` computes; this module touches files: the store's months and
post ids, the processed tables and files the fingerprint hashes, the figures a notebook publishes, the
figures files and the index page, the run's lock and work folder, the kernel's log and cache folders,
and the moves that put a finished report in place or keep a failed notebook.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from feedback_analysis.files import atomic_path, exclusive_lock

# --- the store ----------------------------------------------------------------------------------------


def read_post_ids_and_months(posts_dir: Path) -> Any:
    """``post_id`` and ``month`` of every row in the store of ``posts_dir`` (a DataFrame)."""
    from feedback_analysis import store

    return store.read_posts(posts_dir, columns=["post_id", "month"])


def processed_files(processed_dir: Path) -> list[Path]:
    """Every file under ``processed_dir`` (hidden files and folders skipped), sorted; [] if there is none."""
    processed_dir = Path(processed_dir)
    if not processed_dir.is_dir():
        return []
    files = []
    for path in sorted(processed_dir.rglob("*")):
        relative = path.relative_to(processed_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files.append(path)
    return files


def file_sha256(path: Path | None) -> str:
    """The SHA-256 of the file at ``path``, or ``missing`` when there is no such file."""
    if path is None or not Path(path).is_file():
        return "missing"
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file, read from its schema only."""
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def read_parquet(path: Path) -> Any:
    """A whole Parquet file as a DataFrame."""
    import pandas as pd

    return pd.read_parquet(path)


def read_json(path: Path) -> Any:
    """The JSON content of ``path``, or None when it is missing or not JSON."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None


# --- figures files and pages ---------------------------------------------------------------------


def read_figures_file(path: Path) -> dict[str, Any] | None:
    """The content of a figures file, or None when there is none or it cannot be read."""
    content = read_json(path)
    return content if isinstance(content, dict) else None


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8) through a temporary name beside it."""
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file already holds it; True when written."""
    path = Path(path)
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    write_text_atomic(path, text)
    return True


def write_json(path: Path, content: Any) -> None:
    """Write ``content`` as indented UTF-8 JSON (a work-folder file, moved in place later)."""
    Path(path).write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", "utf-8")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8; a work-folder file, moved in place later)."""
    Path(path).write_text(text, encoding="utf-8")


def merge_json(path: Path, values: Mapping[str, Any]) -> None:
    """Add ``values`` to the JSON mapping in ``path`` (a later value for a name wins), atomically."""
    path = Path(path)
    content = json.loads(path.read_text("utf-8")) if path.exists() else {}
    content.update(values)
    write_text_atomic(path, json.dumps(content, ensure_ascii=False, indent=1) + "\n")


def read_notebook(path: Path) -> Any:
    """An executed notebook as an nbformat node (version 4)."""
    import nbformat

    return nbformat.read(path, as_version=4)


def month_folders(reports_dir: Path, pattern: Any) -> list[str]:
    """Names of the folders in ``reports_dir`` that ``pattern`` (a compiled regex) matches, newest first."""
    return sorted((p.name for p in Path(reports_dir).iterdir() if p.is_dir() and pattern.match(p.name)), reverse=True)


def is_pdf(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that starts like a PDF."""
    path = Path(path)
    return path.is_file() and path.stat().st_size > 0 and path.read_bytes()[:5] == b"%PDF-"


def remove_file(path: Path) -> None:
    """Remove ``path`` if it exists."""
    Path(path).unlink(missing_ok=True)


# --- a run: lock, work folder, kernel files, moving in -------------------------------------------


def report_lock(reports_dir: Path, error: type[Exception], message: str) -> contextlib.AbstractContextManager[None]:
    """An exclusive, non-blocking lock on ``reports_dir/.lock``; ``error(message)`` when it is taken."""
    return exclusive_lock(Path(reports_dir) / ".lock", error, message)


def remove_work_folders(reports_dir: Path) -> None:
    """Remove the work folders (``.work-*``) that a killed run left in ``reports_dir``."""
    for leftover in Path(reports_dir).glob(".work-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def work_folder(reports_dir: Path) -> Iterator[Path]:
    """A fresh work folder beside the reports (``.work-<id>``), removed when the block ends."""
    work = Path(reports_dir) / f".work-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cache_folders(defaults: Mapping[str, Path], environ: Mapping[str, str]) -> dict[str, str]:
    """Name -> folder for the kernel's cache folders: the value in ``environ`` if set, else the default;
    each folder is created."""
    folders: dict[str, str] = {}
    for name, default in defaults.items():
        folder = Path(environ.get(name) or default)
        folder.mkdir(parents=True, exist_ok=True)
        folders[name] = str(folder)
    return folders


@contextlib.contextmanager
def append_log(path: Path) -> Iterator[IO[bytes]]:
    """``path`` opened to append bytes (the kernel's own output)."""
    with open(path, "ab") as log:
        yield log


def log_handler(path: Path | None) -> logging.Handler:
    """A logging handler writing to ``path``, or one that drops everything when there is no path."""
    return logging.FileHandler(path, encoding="utf-8") if path else logging.NullHandler()


def move_in(work: Path, targets: list[Path]) -> None:
    """Move each file named like a target from ``work`` over its target, in order (each in one step)."""
    targets[0].parent.mkdir(parents=True, exist_ok=True)
    for target in targets:
        (Path(work) / target.name).replace(target)


def keep_failed(executed: Path, target: Path) -> Path | None:
    """Move an executed notebook that failed to ``target``, with the kernel log beside it when it holds
    anything; None when the notebook never got written."""
    if not executed.exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(executed), target)
    log = executed.parent / "kernel.log"
    if log.exists() and log.stat().st_size:
        shutil.move(str(log), target.with_suffix(".kernel.log"))
    return target
