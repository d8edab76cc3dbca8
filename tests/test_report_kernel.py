"""The report notebook's kernel: the executed notebook is written when the run ends, also when it raises."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from feedback_analysis.report.kernel import execute_notebook


def _notebook(path, *sources: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("month = 'x'", metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


def _env(tmp_path) -> dict[str, str]:
    folders = {name: tmp_path / ".cache" / name for name in ("JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, **{name: str(folder) for name, folder in folders.items()}, "PYTHONWARNINGS": "ignore"}


def _outputs(path) -> list[str]:
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return ["".join(output["text"]) for cell in cells for output in cell.get("outputs", []) if output["output_type"] == "stream"]


def test_a_finished_run_writes_the_executed_notebook(tmp_path):
    notebook = _notebook(tmp_path / "in.ipynb", "print(month * 2)", "print('einde')")
    output = tmp_path / "out.ipynb"
    execute_notebook(notebook, output, {"month": "ok"}, _env(tmp_path), timeout=60)
    assert _outputs(output) == ["okok\n", "einde\n"]


def test_a_failing_cell_keeps_the_cells_before_it_and_the_error(tmp_path):
    notebook = _notebook(tmp_path / "in.ipynb", "print('eerst')", "raise RuntimeError('kapot')", "print('nooit')")
    output = tmp_path / "out.ipynb"
    with pytest.raises(Exception, match="kapot"):
        execute_notebook(notebook, output, {"month": "ok"}, _env(tmp_path), timeout=60)
    text = output.read_text("utf-8")
    assert _outputs(output) == ["eerst\n"] and "RuntimeError" in text and "nooit" not in "".join(_outputs(output))


def test_a_run_past_the_timeout_still_writes_what_ran(tmp_path):
    notebook = _notebook(tmp_path / "in.ipynb", "print('voor de wachttijd')", "import time\ntime.sleep(30)",
                         "print('na')")
    output = tmp_path / "out.ipynb"
    with pytest.raises(Exception):  # noqa: B017 - nbclient's timeout error, whatever its class
        execute_notebook(notebook, output, {"month": "ok"}, _env(tmp_path), timeout=2)
    assert output.is_file() and _outputs(output) == ["voor de wachttijd\n"]
