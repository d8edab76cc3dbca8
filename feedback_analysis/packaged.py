"""Files that ship inside the package (``feedback_analysis/resources/``): word lists, defaults."""

from __future__ import annotations

import difflib
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


# libyaml's loader reads the packaged word lists about ten times faster than the pure-Python one (the
# same data; checked in tests/test_packaged.py); users' own files keep the pure one and its messages.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_packaged_yaml(text: str) -> Any:
    """The data of a packaged YAML resource's text (trusted, known to be valid)."""
    return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader


def load_yaml(name: str, override: Path | None = None) -> Any:
    """A packaged YAML resource, or the file at ``override`` instead when given.

    An override may leave keys out, but a top-level key the packaged file does not have (a misspelling
    would silently empty a rule) is a ValueError naming the file, the key and the closest known key.
    """
    packaged = load_packaged_yaml(resource_path_text(name)) or {}
    if override is None:
        return packaged
    try:
        loaded = yaml.safe_load(Path(override).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{override}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if isinstance(packaged, dict) and isinstance(loaded, dict):
        for key in loaded:
            if key not in packaged:
                close = difflib.get_close_matches(str(key), [str(k) for k in packaged], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"{override}: unknown key '{key}'{hint}")
    return loaded
