"""No module of the package grows past 500 lines (the architecture issue's ceiling): split it by concern."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "feedback_analysis"
CEILING = 500


def test_no_module_is_over_the_ceiling() -> None:
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text("utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert len(sizes) > 50, "the package's modules were not found"
    over = {name: lines for name, lines in sizes.items() if lines > CEILING}
    assert not over, f"modules over {CEILING} lines: {over}"
