"""Notebooks run top to bottom on small data, through papermill, as a scheduled run would."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import papermill
import pytest

from feedback_analysis import pipeline

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs_and_paired(path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert path.with_suffix(".py").is_file(), "each notebook has a jupytext .py pair for review"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path):
    """No def or class in a notebook: reusable code belongs in the package."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
            tree = ast.parse(source)
            assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert notebook.cells[0].cell_type == "markdown"
    tagged = [c for c in notebook.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1


def test_store_overview_notebook_runs_on_small_data(fixtures, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel must draw inline, as in JupyterLab
    pipeline.ingest([fixtures / "scraper" / "posts.jsonl", fixtures / "handmade_cp1252.csv"], settings)
    source = ROOT / "notebooks" / "exploratory" / "01_store_overview.ipynb"
    assert set(papermill.inspect_notebook(str(source))) == {"data_dir"}
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(source), str(output), parameters={"data_dir": str(settings.data_dir)},
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    executed = json.loads(output.read_text())
    text = json.dumps(executed)
    assert "rows in" in text and '"output_type": "error"' not in text
    assert "image/png" in text  # the charts were drawn
