"""Speed and memory figures in the README are written by the benchmarks (benchmarks/figures.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"<!-- bench:([\w-]+) -->\n(.*?)<!-- /bench:\1 -->", re.S)
# A figure a benchmark measures: a rate, a memory size, a speed-up or a time in seconds in a table row.
FIGURE = re.compile(r"\|[^\n]*\b\d[\d,.]*\s*(?:rows/s|MB|GB|×|s)\s*(?:\||\()")


def load_figures():
    spec = importlib.util.spec_from_file_location("bench_figures", ROOT / "benchmarks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(
        "# Title\n\nintro\n\n<!-- bench:one -->\nold table\n<!-- /bench:one -->\n\nmiddle\n\n"
        "<!-- bench:two -->\nsecond\n<!-- /bench:two -->\nend\n",
        "utf-8",
    )
    return path


def test_publish_replaces_only_its_own_block(readme: Path) -> None:
    figures = load_figures()
    figures.publish("one", ["work", "rate"], [["1M rows", "20,000 rows/s"]], note="Generated data.", load=0.3, readme=readme)
    text = readme.read_text("utf-8")
    assert "old table" not in text
    assert "| 1M rows | 20,000 rows/s |" in text
    assert "load average 0.3" in text and "Generated data." in text
    assert "<!-- bench:two -->\nsecond\n<!-- /bench:two -->" in text
    assert text.startswith("# Title\n\nintro\n\n<!-- bench:one -->\n") and text.endswith("end\n")
    figures.publish("one", ["work", "rate"], [["2M rows", "9 rows/s"]], load=0.3, readme=readme)
    again = readme.read_text("utf-8")
    assert again.count("<!-- bench:one -->") == 1 and "1M rows" not in again and "2M rows" in again


def test_publish_refuses_a_block_the_readme_does_not_have(readme: Path) -> None:
    figures = load_figures()
    before = readme.read_text("utf-8")
    with pytest.raises(KeyError, match="bench:three"):
        figures.publish("three", ["a"], [["1"]], readme=readme)
    with pytest.raises(ValueError, match="2 cells"):
        figures.publish("one", ["a", "b"], [["only one"]], readme=readme)
    assert readme.read_text("utf-8") == before


def test_a_quick_run_leaves_the_readme_alone(readme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = load_figures()
    before = readme.read_text("utf-8")
    body = figures.publish("one", ["a"], [["1"]], write=False, readme=readme)
    assert "| 1 |" in body
    monkeypatch.setenv("BENCH_README", "0")
    figures.publish("one", ["a"], [["1"]], readme=readme)
    assert readme.read_text("utf-8") == before


def test_every_readme_block_is_written_by_a_benchmark() -> None:
    text = README.read_text("utf-8")
    keys = BLOCK.findall(text)
    assert keys, "the README shows no benchmark figures"
    assert text.count("<!-- bench:") == len(keys), "a bench block has no matching end marker"
    sources = "\n".join(path.read_text("utf-8") for path in (ROOT / "benchmarks").glob("bench_*.py"))
    for key, _ in keys:
        assert re.search(rf"publish\(\s*\"{key}\"", sources), f"no benchmark publishes the README block {key!r}"


def test_no_speed_or_memory_figure_is_typed_outside_a_block() -> None:
    outside = BLOCK.sub("", README.read_text("utf-8"))
    typed = [line for line in outside.splitlines() if FIGURE.search(line)]
    assert not typed, f"figures typed by hand in the README: {typed[:3]}"


def test_the_checker_sees_a_typed_figure() -> None:
    assert FIGURE.search("| ingest, 1,000,000 rows | 86.7 s | 11,533 rows/s | 1,224 / 474 |")
    assert FIGURE.search("| 100k more rows | 20.9 s (1.55×) | x |")
    assert not FIGURE.search("| `score` | scores every row | sentiment |")
