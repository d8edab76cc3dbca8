"""Where the speed benchmarks write the figures that the README shows.

A benchmark calls :func:`publish` with a key and the rows of its table; the README's block between
``<!-- bench:KEY -->`` and ``<!-- /bench:KEY -->`` is replaced by that table, with a line that says when,
on how many cores and at which load it was measured. Nothing else in the README changes, so no speed or
memory figure there is ever typed by hand (``tests/test_readme_figures.py`` checks that every figure
table sits inside such a block and that a benchmark writes each block).

    publish("ingest", ["work", "time", "rate", "peak MB"], [["1M rows", "52.0 s", "19,230 rows/s", "812"]])

``BENCH_README=0`` leaves the README alone (a quick run with smaller inputs should not overwrite it:
benchmarks pass ``write=False`` for such runs).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def block_pattern(key: str) -> re.Pattern[str]:
    """The README block a benchmark owns, markers included."""
    return re.compile(rf"(<!-- bench:{re.escape(key)} -->\n)(.*?)(<!-- /bench:{re.escape(key)} -->)", re.S)


def machine_line(load: float | None = None) -> str:
    """When and where a figure was measured: date, cores and the load average at the start."""
    load = os.getloadavg()[0] if load is None else load
    return f"Written by `make bench` on {date.today().isoformat()}: {os.cpu_count()} cores, load average {load:.1f} at the start."


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table; every cell is text already formatted by the benchmark."""
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f"every row needs {len(header)} cells: {header}")
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def publish(
    key: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    note: str = "",
    load: float | None = None,
    write: bool = True,
    readme: Path = README,
) -> str:
    """Replace the README block ``key`` with this table and return the new block's text.

    Raises ``KeyError`` when the README has no such block: a benchmark never adds text elsewhere.
    """
    body = "\n".join(part for part in (machine_line(load), note) if part) + "\n\n" + markdown_table(header, rows) + "\n"
    text = readme.read_text("utf-8")
    pattern = block_pattern(key)
    if not pattern.search(text):
        raise KeyError(f"{readme.name} has no <!-- bench:{key} --> block")
    if not write or os.environ.get("BENCH_README") == "0":
        return body
    updated = pattern.sub(lambda match: match.group(1) + body + match.group(3), text, count=1)
    fd, tmp = tempfile.mkstemp(dir=readme.parent, prefix=".readme-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(updated)
    os.replace(tmp, readme)
    return body


def fmt_int(value: float) -> str:
    """12345.6 -> '12,346' (the README is English)."""
    return f"{value:,.0f}"
