"""The fleet's manifest of ingested exports (``processed/ingested_exports.json``): export name in the
raw folder -> its fingerprint, so a scheduled run ingests only new or changed exports."""

from __future__ import annotations

from feedback_analysis.store.files import read_json, write_json_atomic
from feedback_analysis.store.layout import DataFolder


def read_manifest(settings) -> dict[str, str]:
    """Exports already ingested (name in the raw folder -> fingerprint); empty when none."""
    path = DataFolder.of(settings).manifest
    return read_json(path) if path.exists() else {}


def write_manifest(settings, manifest: dict[str, str]) -> None:
    """Replace the manifest by ``manifest``, atomically."""
    write_json_atomic(manifest, DataFolder.of(settings).manifest, indent=1, trailing_newline=True, sort_keys=True)
