"""The report package's file access: none in report/, all of it in store/reports.py, which does what the runner needs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from feedback_analysis.store import reports as storage

PACKAGE = Path(__file__).resolve().parents[1] / "feedback_analysis" / "report"
# Calls that read, write, list or remove files; no report module may make them. The package's own resources
# (``importlib.resources.files(...)``) and calls of storage itself are fine.
FILE_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "unlink", "mkdir", "rmdir", "touch", "glob",
                "rglob", "iterdir", "read_parquet", "to_parquet", "read_schema", "read_json", "to_json"}
ALLOWED_ROOTS = {"storage", "resources"}
FILE_MODULES = {"shutil.move", "shutil.rmtree", "shutil.copy", "shutil.copyfile", "json.load", "json.dump",
                "nbformat.read", "nbformat.write", "logging.FileHandler"}


def root_name(node: ast.expr) -> str:
    """The name an attribute chain starts from: ``resources`` for ``resources.files(x).joinpath(y)``."""
    while isinstance(node, (ast.Attribute, ast.Call)):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def file_calls(path: Path) -> list[str]:
    """``line: call`` for every call in the module that touches files."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id == "open":
            found.append(f"{node.lineno}: open")
        elif isinstance(function, ast.Attribute) and root_name(function) not in ALLOWED_ROOTS:
            owner = function.value.id if isinstance(function.value, ast.Name) else ""
            if function.attr in FILE_METHODS or f"{owner}.{function.attr}" in FILE_MODULES:
                found.append(f"{node.lineno}: {owner + '.' if owner else ''}{function.attr}")
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py")))
def test_no_report_module_reads_or_writes_files(module):
    assert file_calls(PACKAGE / module) == []


def test_the_scan_finds_file_access():
    assert file_calls(Path(storage.__file__))  # the scan above would notice a moved read or write


def test_write_if_changed_leaves_an_unchanged_file_alone(tmp_path):
    page = tmp_path / "reports" / "index.html"
    assert storage.write_if_changed(page, "<p>een</p>")
    before = page.stat().st_mtime_ns
    assert not storage.write_if_changed(page, "<p>een</p>") and page.stat().st_mtime_ns == before
    assert storage.write_if_changed(page, "<p>twee</p>") and page.read_text("utf-8") == "<p>twee</p>"
    assert [p.name for p in page.parent.iterdir()] == ["index.html"]  # no temporary file left


def test_merge_json_adds_figures_and_a_later_value_wins(tmp_path):
    path = tmp_path / "published.json"
    storage.merge_json(path, {"posts": 3, "top_service": "afval"})
    storage.merge_json(path, {"posts": 4})
    assert storage.read_figures_file(path) == {"posts": 4, "top_service": "afval"}


@pytest.mark.parametrize("content", ["[1, 2]", "{kapot", ""])
def test_a_figures_file_that_is_no_mapping_reads_as_none(tmp_path, content):
    path = tmp_path / "figures.json"
    path.write_text(content, "utf-8")
    assert storage.read_figures_file(path) is None
    assert storage.read_figures_file(tmp_path / "missing.json") is None


def test_processed_files_skip_hidden_files_and_folders(tmp_path):
    for name in ("scores.parquet", "posts/month=2026-10/part.parquet", ".cache/x", "topics/.tmp-1", ".lock"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in storage.processed_files(tmp_path)]
    assert found == ["posts/month=2026-10/part.parquet", "scores.parquet"]
    assert storage.processed_files(tmp_path / "absent") == []


def test_file_sha256_of_a_missing_file_says_so(tmp_path):
    (tmp_path / "a").write_bytes(b"abc")
    assert storage.file_sha256(tmp_path / "a") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert storage.file_sha256(tmp_path / "b") == "missing" and storage.file_sha256(None) == "missing"


def test_month_folders_newest_first(tmp_path):
    for name in ("2026-09", "2026-10", "2025-12", ".failed", ".work-1234", "2026-13"):
        (tmp_path / name).mkdir()
    (tmp_path / "2026-11").write_text("a file, not a folder", "utf-8")
    assert storage.month_folders(tmp_path, re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")) == ["2026-10", "2026-09", "2025-12"]


def test_work_folder_is_removed_after_a_failure(tmp_path):
    with pytest.raises(RuntimeError), storage.work_folder(tmp_path) as work:
        (work / "rapport.html").write_text("half", "utf-8")
        raise RuntimeError("the notebook failed")
    assert list(tmp_path.iterdir()) == []


def test_move_in_replaces_the_targets_and_keep_failed_keeps_the_kernel_log(tmp_path):
    work, month = tmp_path / ".work-1", tmp_path / "2026-10"
    work.mkdir()
    for name in ("rapport-2026-10.html", "figures.json"):
        (work / name).write_text(f"new {name}", "utf-8")
    storage.move_in(work, [month / "rapport-2026-10.html", month / "figures.json"])
    assert (month / "figures.json").read_text("utf-8") == "new figures.json" and list(work.iterdir()) == []

    (work / "rapport.ipynb").write_text("{}", "utf-8")
    (work / "kernel.log").write_text("Traceback", "utf-8")
    kept = storage.keep_failed(work / "rapport.ipynb", tmp_path / ".failed" / "rapport.ipynb")
    assert kept == tmp_path / ".failed" / "rapport.ipynb" and kept.is_file()
    assert (tmp_path / ".failed" / "rapport.kernel.log").read_text("utf-8") == "Traceback"
    assert storage.keep_failed(work / "rapport.ipynb", tmp_path / ".failed" / "again.ipynb") is None
