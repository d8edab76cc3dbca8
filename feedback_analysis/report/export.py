"""The report as managers get it: the executed notebook as one self-contained HTML page, and as a PDF.

* :func:`export_html`: nbconvert's ``lab`` template without what it would fetch from the internet
  (require.js, MathJax, mermaid, the widget manager), with the report's own style sheet (:data:`REPORT_CSS`):
  tables whose text columns wrap and whose rows become small cards on a phone, charts in a phone and a
  laptop version, a table of contents, and print rules (A4, a new page per section, nothing clipped).
* :func:`print_pdf`: that page printed to an A4 PDF by headless Chromium, offline. Chromium is the browser
  the report is checked in (``tests/test_report_browser.py``), so the PDF is what the browser shows, print
  rules included; ``make browser`` installs it (Debian's ``chromium`` package).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from feedback_analysis.store import reports as storage

# Cell tags (Jupyter Book's names) that keep a cell, or its outputs, out of the HTML.
REMOVE_CELL_TAGS = ("remove-cell", "remove_cell")
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, offline and without a profile of its own: nothing is fetched, nothing stays behind.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-dev-shm-usage",
                  "--host-resolver-rules=MAP * ~NOTFOUND")
PDF_TIMEOUT = 180

# nbconvert puts this style sheet before the lab template's own, so a rule wins only by a more specific
# selector: they start with `body.jp-Notebook` or `.jp-RenderedHTMLCommon table.fa-table` (the lab rules
# right-align cells, fix the table layout, clip output areas and keep whole outputs off page breaks).
REPORT_CSS = """
body.jp-Notebook { max-width: 64rem; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
body.jp-Notebook .jp-Cell { padding-left: 0; padding-right: 0; }
body.jp-Notebook .jp-OutputArea { overflow: visible; }
body.jp-Notebook .jp-OutputArea-child, body.jp-Notebook .jp-OutputArea-output { display: block; overflow: visible; }
body.jp-Notebook .jp-OutputArea-child .jp-OutputArea-output { margin-left: 0; }  /* lab's phone rule indents it */
body.jp-Notebook .jp-RenderedHTMLCommon { padding-right: 0; overflow-wrap: break-word; }
body.jp-Notebook .jp-OutputArea-output img, body.jp-Notebook .jp-RenderedImage img { max-width: 100%; height: auto; }
body.jp-Notebook .jp-RenderedHTMLCommon h1 { font-size: 1.8rem; }

/* charts: the laptop version, or the phone version on a narrow screen */
.fa-chart { margin: 0.4rem 0 1rem; }
.jp-RenderedHTMLCommon .fa-chart img { display: block; max-width: 100%; height: auto; margin: 0; }

/* table of contents */
.fa-contents { margin: 1rem 0 0.5rem; padding: 0.5rem 1rem; border-left: 4px solid #0072B2; background: #f4f7fa; }
.jp-RenderedHTMLCommon .fa-contents-title { font-weight: 600; margin: 0 0 0.2rem; }
.jp-RenderedHTMLCommon .fa-contents ol { margin: 0; padding-left: 1.4rem; columns: 2 16rem; column-gap: 2rem; }
.jp-RenderedHTMLCommon .fa-contents li { margin: 0.15rem 0; break-inside: avoid; }

/* tables: text columns left and wrapping, figures right */
.fa-table-wrap { max-width: 100%; }
.jp-RenderedHTMLCommon table.fa-table { table-layout: auto; width: 100%; margin: 0.5em 0 0.8em;
  border-collapse: collapse; font-size: 0.92rem; }
.jp-RenderedHTMLCommon table.fa-table th, .jp-RenderedHTMLCommon table.fa-table td {
  padding: 0.3rem 0.5rem; vertical-align: top; text-align: right; white-space: nowrap; line-height: 1.35;
  border: none; border-bottom: 1px solid #ddd; max-width: none; }
.jp-RenderedHTMLCommon table.fa-table th { vertical-align: bottom; white-space: normal; background: #f3f3f3;
  border-bottom: 2px solid #444; }
.jp-RenderedHTMLCommon table.fa-table th.text, .jp-RenderedHTMLCommon table.fa-table td.text {
  text-align: left; white-space: normal; overflow-wrap: anywhere; }
.jp-RenderedHTMLCommon table.fa-table td.text { min-width: 7rem; }
.jp-RenderedHTMLCommon table.fa-table tr.total td { font-weight: 700; }
.jp-RenderedHTMLCommon table.fa-table .ci { display: block; font-size: 0.82em; color: #555; }

@media screen and (max-width: 40rem) {
  body.jp-Notebook { padding: 0.75rem; }
  body.jp-Notebook .jp-RenderedHTMLCommon h1 { font-size: 1.45rem; }
  .jp-RenderedHTMLCommon .fa-chart img.fa-chart-wide { display: none !important; }
  .jp-RenderedHTMLCommon .fa-chart img.fa-chart-phone { display: block !important; }
  /* each row a card: the first column (and any text column) across it, the figures two or three to a line,
     each under its column's name */
  .jp-RenderedHTMLCommon table.fa-table, .jp-RenderedHTMLCommon table.fa-table tbody { display: block; width: 100%; }
  .jp-RenderedHTMLCommon table.fa-table thead { display: none; }
  .jp-RenderedHTMLCommon table.fa-table tr { display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
    gap: 0.15rem 0.8rem; margin: 0 0 0.6rem; padding: 0.35rem 0.6rem; border: 1px solid #ccc; border-radius: 6px; }
  .jp-RenderedHTMLCommon table.fa-table td, .jp-RenderedHTMLCommon table.fa-table td.text {
    display: block; min-width: 0; padding: 0.1rem 0; white-space: normal; text-align: left; border: none; }
  .jp-RenderedHTMLCommon table.fa-table td::before { content: attr(data-label); display: block; font-size: 0.78em;
    font-weight: 600; color: #555; }
  .jp-RenderedHTMLCommon table.fa-table td:first-child, .jp-RenderedHTMLCommon table.fa-table td.text {
    grid-column: 1 / -1; }
  .jp-RenderedHTMLCommon table.fa-table td:first-child { font-weight: 700; font-size: 1.05em;
    border-bottom: 1px solid #e3e3e3; padding-bottom: 0.2rem; }
  .jp-RenderedHTMLCommon table.fa-table td:first-child::before { content: none; }
  .jp-RenderedHTMLCommon table.fa-table td:empty { display: none; }
  .jp-RenderedHTMLCommon table.fa-table .ci { display: inline; margin-left: 0.3em; }
}

@page { size: A4; margin: 16mm 14mm; }
@media print {
  body.jp-Notebook { max-width: none; padding: 0; font-size: 10pt; }
  body.jp-Notebook .jp-Cell, body.jp-Notebook .jp-Cell-outputWrapper, body.jp-Notebook .jp-OutputArea,
  body.jp-Notebook .jp-OutputArea-child { display: block; break-inside: auto; }
  body.jp-Notebook .jp-Cell:has(.fa-section) { break-before: page; }
  .jp-RenderedHTMLCommon h2, .jp-RenderedHTMLCommon h3 { break-after: avoid; }
  .jp-RenderedHTMLCommon .fa-chart img.fa-chart-phone { display: none !important; }
  .jp-RenderedHTMLCommon .fa-chart img.fa-chart-wide { display: block !important; max-height: 235mm;
    width: auto; }
  .fa-chart, .jp-RenderedHTMLCommon table.fa-table tr { break-inside: avoid; }
  .jp-RenderedHTMLCommon table.fa-table { font-size: 8.5pt; }
  .jp-RenderedHTMLCommon table.fa-table th, .jp-RenderedHTMLCommon table.fa-table td { padding: 2px 4px;
    white-space: normal; }
  .jp-RenderedHTMLCommon table.fa-table thead { display: table-header-group; }
  .fa-contents { background: none; }
  body.jp-Notebook .jp-RenderedHTMLCommon a { color: inherit; text-decoration: none; }
  body.jp-Notebook hr, body.jp-Notebook .jp-RenderedHTMLCommon hr { display: none; }
}
"""

_TEMPLATE_NAME = "feedback_report.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">""" + REPORT_CSS + """</style>
{%- endblock extra_css -%}
"""
_EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//[^>]*>", re.IGNORECASE)
_EXTERNAL_SRC = re.compile(r"\b(src|srcset|poster|data)\s*=\s*([\"'])\s*(?:https?:)?//[^\"']*\2", re.IGNORECASE)
_RESOURCE_ATTRIBUTE = re.compile(r"<(\w+)\b[^>]*?\b(src|href|srcset|poster|data)\s*=\s*[\"']?\s*((?:https?:)?//[^\s\"'>]*)",
                                 re.IGNORECASE)
_CSS_IMPORT = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*((?:https?:)?//[^\s\"')]*)", re.IGNORECASE)


class PdfError(RuntimeError):
    """The PDF could not be made; the message is one line for the user."""


def external_resources(page: str) -> list[str]:
    """URLs the page would load from elsewhere: ``src``/``href`` outside ``<a>`` links, CSS ``url()``
    and ``@import``."""
    attributes = [url for tag, _, url in _RESOURCE_ATTRIBUTE.findall(page) if tag.lower() != "a"]
    return attributes + _CSS_IMPORT.findall(page)


def _strip_external(page: str) -> str:
    page = _EXTERNAL_TAG.sub("", page)
    return _EXTERNAL_SRC.sub(lambda m: f"{m.group(1)}=\"\"", page)


def _manager_view(executed):
    """A copy of the executed notebook as managers see it: cells that show nothing, stderr (warnings,
    progress bars) and cells tagged ``remove-cell`` / outputs tagged ``remove-output`` left out."""
    import copy

    notebook = copy.deepcopy(executed)
    cells = []
    for cell in notebook.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_CELL_TAGS):
            continue
        if cell.cell_type == "code":
            outputs = [] if tags & set(REMOVE_OUTPUT_TAGS) else cell.get("outputs", [])
            cell.outputs = [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            if not cell.outputs:
                continue
        elif cell.cell_type == "markdown" and "papermill-error-cell-tag" in tags:
            continue
        cells.append(cell)
    notebook.cells = cells
    return notebook


def export_html(executed, title: str, lang: str = "nl") -> str:
    """The HTML for managers: outputs and text only, images embedded, nothing loaded from elsewhere."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", template_file=_TEMPLATE_NAME, extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
        language_code=lang, exclude_anchor_links=True,
    )
    page, _ = exporter.from_notebook_node(_manager_view(executed), resources={"metadata": {"name": title}})
    return _strip_external(page)


def find_chromium() -> str | None:
    """The headless Chromium to use: ``$CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on PATH."""
    for name in (os.environ.get("CHROMIUM", ""), *CHROMIUM_NAMES):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def print_pdf(page: Path, pdf: Path, timeout: int = PDF_TIMEOUT) -> Path:
    """Print the HTML file ``page`` to ``pdf`` (A4, the page's print rules) with headless Chromium.

    Raises :class:`PdfError` when there is no Chromium, it fails or it writes no PDF."""
    binary = find_chromium()
    if binary is None:
        raise PdfError("--pdf needs headless Chromium, which is not installed; run `make browser` "
                       "(or apt-get install chromium) or set CHROMIUM to its path")
    pdf = Path(pdf).resolve()
    storage.remove_file(pdf)
    with tempfile.TemporaryDirectory(prefix="feedback-chromium-") as profile:
        command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", Path(page).resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"{pdf.name}: Chromium did not finish printing within {timeout} s") from exc
    if not storage.is_pdf(pdf):
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise PdfError(f"{pdf.name}: Chromium wrote no PDF ({last[:200]})")
    return pdf
