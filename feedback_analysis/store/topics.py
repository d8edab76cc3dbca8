"""The topic registry's file (``processed/topics/registry.json``): stable topic ids across months."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
