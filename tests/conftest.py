"""Shared fixtures: paths to the small export files made for the tests, and a fresh data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def graph_samples() -> Path:
    path = SHARED / "formats" / "graph-api"
    if not path.is_dir():
        pytest.skip("../shared/formats/graph-api is not available")
    return path


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings with a temporary data folder and no user config."""
    from feedback_analysis.config import load_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEEDBACK_ANALYSIS_DATA_DIR", raising=False)
    return load_settings(data_dir=tmp_path / "data", environ={})


def tree_snapshot(path: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under path: to prove a folder was not touched."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def snapshot():
    return tree_snapshot


os.environ.setdefault("MPLBACKEND", "Agg")
