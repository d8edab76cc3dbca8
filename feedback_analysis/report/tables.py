"""HTML for the report's tables and short paragraphs, styled by the export's style sheet
(:data:`feedback_analysis.report.export.REPORT_CSS`): tables whose rows become cards on a phone."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

from feedback_analysis.report.formatting import _missing


def _cell_html(value: object, raw: bool) -> str:
    if _missing(value):
        return ""
    return str(value) if raw else html.escape(str(value), quote=False)


def _html_table(table: pd.DataFrame, wide: Iterable[str] = (), bold_last_row: bool = False,
                raw: Iterable[str] = ()) -> str:
    """A plain HTML table (escaped, no index) for the report's style sheet (class ``fa-table``).

    The ``wide`` columns hold text: left-aligned, wrapping; the others hold figures: right-aligned. Each
    cell names its column (``data-label``), so that a phone shows every row as a small card with the
    labels beside the values instead of a table wider than the screen; the first column is the card's
    title. Cells are escaped, except in the ``raw`` columns, whose cells are HTML built from escaped parts.
    The style sheet lives in the report's template (:mod:`feedback_analysis.report.export`), so it
    applies to the exported HTML whatever nbconvert's own table rules say.
    """
    wide, raw = set(wide), set(raw)
    kinds = ["text" if column in wide else "num" for column in table.columns]
    head = "".join(f'<th scope="col" class="{kind}">{html.escape(str(column), quote=False)}</th>'
                   for column, kind in zip(table.columns, kinds))
    rows = []
    for number, values in enumerate(table.itertuples(index=False, name=None)):
        total = ' class="total"' if bold_last_row and number == len(table) - 1 else ""
        cells = "".join(f'<td class="{kind}" data-label="{html.escape(str(column))}">{_cell_html(value, column in raw)}</td>'
                        for column, kind, value in zip(table.columns, kinds, values))
        rows.append(f"<tr{total}>{cells}</tr>")
    return (f'<div class="fa-table-wrap"><table class="fa-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _markdown_inline(value: str) -> str:
    """The little Markdown the texts use inside HTML (``**bold**``, ``\\*``), converted; the rest escaped."""
    escaped = html.escape(value, quote=False).replace("\\*", "&#42;")
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def _paragraph(content: str, small: bool = False) -> str:
    style = ' style="font-size: 0.9em; color: #444;"' if small else ""
    return f"<p{style}>{content}</p>"
