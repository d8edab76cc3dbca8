"""The topic registry's file (``processed/topics/registry.json``): stable topic ids across months."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feedback_analysis.files import atomic_path
from feedback_analysis.store.files import read_json, write_json_atomic
from feedback_analysis.store.layout import REGISTRY_FILE


def read_registry(folder: Path) -> dict[str, Any] | None:
    """The registry document in ``folder`` (``<data-dir>/processed/topics``), or None if there is none yet."""
    path = Path(folder) / REGISTRY_FILE
    return read_json(path) if path.exists() else None


def write_registry(folder: Path, data: dict[str, Any]) -> Path:
    """Replace the registry document in ``folder`` by ``data``, atomically: a document that cannot be
    written leaves the old file and no temporary one."""
    path = Path(folder) / REGISTRY_FILE
    write_json_atomic(data, path, indent=1)
    return path



# Hidden, beside the month's assignments: derived from inputs the report fingerprint already covers,
# so it must not count as a report input itself (``reports.processed_files`` skips hidden files).
def _inputs_path(folder: Path, month: str) -> Path:
    return Path(folder) / "assignments" / f".{month}.inputs"


def read_topic_input(folder: Path, month: str) -> str | None:
    """The digest of the rows ``month``'s topics were fitted on (``processed/topics/assignments/
    .<month>.inputs``), or None when none was recorded (topics modelled by an older version)."""
    path = _inputs_path(folder, month)
    return path.read_text("utf-8").strip() if path.exists() else None


def write_topic_input(folder: Path, month: str, digest: str) -> Path:
    """Record ``digest`` as the input digest of ``month``'s topics, atomically."""
    path = _inputs_path(folder, month)
    with atomic_path(path) as tmp:
        tmp.write_text(digest + "\n", "utf-8")
    return path
