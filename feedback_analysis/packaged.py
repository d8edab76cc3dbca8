"""Files that ship inside the package (``feedback_analysis/resources/``): word lists, defaults."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def resource_path_text(name: str) -> str:
    """Text of a packaged resource, e.g. ``resource_path_text("sentiment_nl.yaml")``."""
    return resources.files("feedback_analysis").joinpath("resources", name).read_text("utf-8")


def resource_bytes(name: str) -> bytes:
    """Bytes of a packaged resource."""
    return resources.files("feedback_analysis").joinpath("resources", name).read_bytes()


def load_yaml(name: str, override: Path | None = None) -> Any:
    """A packaged YAML resource, or the file at ``override`` instead when given."""
    text = Path(override).read_text(encoding="utf-8") if override is not None else resource_path_text(name)
    return yaml.safe_load(text) or {}
