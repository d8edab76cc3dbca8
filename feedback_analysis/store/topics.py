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


INPUTS_FILE = "inputs.json"


def read_topic_inputs(folder: Path) -> dict[str, str]:
    """Per month, the digest of the rows its topics were fitted on (``processed/topics/inputs.json``);
    empty when none was recorded (topics modelled by an older version)."""
    path = Path(folder) / INPUTS_FILE
    data = read_json(path) if path.exists() else {}
    return {str(month): str(digest) for month, digest in data.items()} if isinstance(data, dict) else {}


def write_topic_input(folder: Path, month: str, digest: str) -> Path:
    """Record ``digest`` as the input digest of ``month``'s topics, atomically."""
    path = Path(folder) / INPUTS_FILE
    data = read_topic_inputs(folder)
    data[month] = digest
    write_json_atomic(dict(sorted(data.items())), path, indent=1)
    return path
