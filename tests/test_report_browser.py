"""The report, its PDF and the index in a real browser: headless Chromium, driven over the DevTools protocol.

What this proves, for reports built by the runner (a tiny one, and the real notebook on sample data in
both languages) and for the reports index:

* it renders: the page loads, its title is set, every image is decoded (``naturalWidth > 0``);
* nothing goes wrong in the page: no console error or warning, no uncaught exception, no browser log
  entry at warning or error level;
* it is self-contained: the page makes no request other than its own ``file://`` URL and ``data:`` URLs
  (every request the page starts is seen by ``Network.requestWillBeSent``; host names do not resolve, so
  a request that slipped through would not leave the machine either);
* it reads on a phone (390 CSS px) and a laptop (1280 px): no table cell's text is clipped (content wider
  than its box), nothing is cut off by a box that hides what overflows, nothing sticks out of the page,
  and nothing scrolls sideways inside a box that does not say so (``aria-label``);
* every chart has a text alternative with a figure in it;
* the PDF (``--pdf``) is A4, has the sections' headings as text and no blank page (``pdftotext`` per page).

Two tests feed the same checks pages that break the rules, among them a report exported the way it was
before issue 10 (a pandas Styler table in nbconvert's lab template), to show the checks can fail.

Chromium and poppler-utils come from ``make browser`` (which ``make test`` runs); the fixture only finds
them. Without them these tests skip, saying how to install them, except in CI (``CI=true``), where they
fail. The protocol runs over a pipe (``--remote-debugging-pipe``), so no extra Python package is needed.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

# The runner tests' helpers, and their store fixture (base_posts), to build a report to look at.
from test_report_runner import BUILT, base_posts, make_project, paths, reports_of, run_report  # noqa: F401

from feedback_analysis import report, report_data, report_export

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
LAPTOP = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
# What reads badly at this width: clipped cells, boxes that cut content off, content outside the page,
# boxes that scroll sideways without saying so. Hidden elements (display: none) have no box and are skipped.
LAYOUT_PROBLEMS = """(() => {
  const found = [];
  const page = document.documentElement.clientWidth;
  const style = el => getComputedStyle(el);
  const scrolls = el => ["auto", "scroll"].includes(style(el).overflowX);
  const clips = el => ["hidden", "clip"].includes(style(el).overflowX);
  const says = el => el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby");
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const words = el => (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
  for (const cell of document.querySelectorAll("td, th")) {
    if (shown(cell) && cell.scrollWidth > cell.clientWidth + 1) {
      found.push(`clipped cell ${name(cell)} "${words(cell)}": ${cell.scrollWidth} px of content in ${cell.clientWidth} px`);
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el) || el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const r = el.getBoundingClientRect();
    let box = el.parentElement;
    while (box && box !== document.body && !scrolls(box) && !clips(box)) box = box.parentElement;
    if (box && box !== document.body) {
      const b = box.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) {
        if (clips(box)) found.push(`cut off by ${name(box)}: ${name(el)} "${words(el)}"`);
        else if (!says(box)) found.push(`scrolls sideways without saying so: ${name(box)} holds ${name(el)} "${words(el)}"`);
      }
    } else if (r.right > page + 1 || r.left < -1) {
      found.push(`outside the page: ${name(el)} "${words(el)}" from ${Math.round(r.left)} to ${Math.round(r.right)} px of ${page}`);
    }
  }
  return JSON.stringify([...new Set(found)].slice(0, 40));
})()"""
CHART_ALTS = """JSON.stringify(Array.from(document.querySelectorAll("figure.fa-chart img"))
  .filter(i => i.getBoundingClientRect().width > 0).map(i => i.alt))"""
PAGE_FACTS = """JSON.stringify({
  title: document.title,
  text: document.body ? document.body.innerText : "",
  images: Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth})),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  layout: JSON.parse(LAYOUT),
  chartAlts: JSON.parse(ALTS),
})""".replace("LAYOUT", LAYOUT_PROBLEMS).replace("ALTS", CHART_ALTS)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium binary, else None and what to do."""
    found = report_export.find_chromium()
    return found, "" if found else "headless Chromium is not installed: run `make browser` (apt-get install chromium)"


def missing_tool(reason: str) -> None:
    """Skip, saying why, or fail in CI, where `make test` should have installed the tool."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: `make test` runs `make browser`, which should have installed it)")
    pytest.skip(reason)


def _above(fd: int, lowest: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return moved


class Browser:
    """Headless Chromium with the DevTools protocol over a pipe: JSON messages ending in a NUL byte,
    commands on the browser's fd 3, replies and events on its fd 4."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # Above 4, so that moving them to 3 and 4 cannot overwrite one with the other.
        to_browser, from_browser = (_above(fd, 10) for fd in (to_browser, from_browser))
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
                 "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", "--remote-debugging-pipe",
                 "about:blank"]

        def at_3_and_4() -> None:  # in the child, before it runs Chromium
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen([binary, *flags], preexec_fn=at_3_and_4, pass_fds=(3, 4),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def _read(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                return None
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._read(timeout)
            if reply is None:
                raise TimeoutError(f"Chromium did not answer {method} within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str, quiet: float = 0.7, timeout: float = 30, viewport: dict = PHONE) -> tuple[dict, list[dict]]:
        """Load ``url`` in a new tab with a viewport (a phone's by default); return the page facts and the
        tab's events."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride", viewport, session=session)
        self.events = []
        self.call("Page.navigate", {"url": url}, session=session)
        deadline, loaded = time.monotonic() + timeout, False
        while time.monotonic() < deadline:  # until loaded and then quiet for a moment (late requests)
            event = self._read(quiet)
            if event is None:
                if loaded:
                    break
                continue
            self.events.append(event)
            loaded = loaded or (event.get("method") == "Page.loadEventFired" and event.get("sessionId") == session)
        assert loaded, f"{url} did not finish loading within {timeout} s"
        facts = self.call("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True}, session=session)
        events = [e for e in self.events if e.get("sessionId") == session]
        self.call("Target.closeTarget", {"targetId": target})
        return json.loads(facts["result"]["value"]), events

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._commands)
        os.close(self._replies)


def problems(facts: dict, events: list[dict]) -> list[str]:
    """Everything that is wrong with a loaded page, as readable lines."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "warning", "assert"}:
            values = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append(f"console {params['type']}: {values}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in {"error", "warning"}:
            entry = params["entry"]
            found.append(f"browser log {entry['level']}: {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:")):
                found.append(f"network request: {url}")
    for number, image in enumerate(facts["images"]):
        if not image["complete"] or not image["width"]:
            found.append(f"image {number} did not render")
    if facts["scrollWidth"] > facts["innerWidth"] + 1:
        found.append(f"scrolls sideways: {facts['scrollWidth']} px wide in {facts['innerWidth']} px")
    return found + facts["layout"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary, reason = find_chromium()
    if binary is None:
        missing_tool(reason)
    chromium = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory, base_posts):  # noqa: F811 - the fixture imported above
    built = make_project(tmp_path_factory.mktemp("browser"), base_posts)
    result = run_report(built, "--month", BUILT)
    assert result.exit_code == 0, result.output
    return built


def test_report_renders_without_console_errors_or_network_requests(browser, project):
    facts, events = browser.open(paths(project).html.as_uri())
    assert problems(facts, events) == []
    assert facts["title"] == "Teststad: rapport februari 2025"
    assert "3 berichten in 2025-02 (nl)" in facts["text"] and len(facts["images"]) == 1
    assert "publish_figures" not in facts["text"]


def test_index_renders_without_console_errors_or_network_requests(browser, project):
    facts, events = browser.open((reports_of(project) / "index.html").as_uri())
    assert problems(facts, events) == []
    assert "februari 2025" in facts["text"] and "berichten" in facts["text"]


def test_the_check_sees_a_page_that_breaks_the_rules(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.example.org/require.js"></script></head>'
                    '<body><img src="http://example.org/chart.png"><div style="width:2000px">breed</div>'
                    '<script>console.error("kapot"); notDefined();</script></body></html>')
    found = problems(*browser.open(page.as_uri()))
    assert any(p == "network request: https://cdn.example.org/require.js" for p in found)
    assert any(p == "network request: http://example.org/chart.png" for p in found)
    assert "console error: kapot" in found
    assert any(p.startswith("exception:") and "notDefined" in p for p in found)
    assert "image 0 did not render" in found
    assert any(p.startswith("scrolls sideways:") for p in found)
    assert any(p.startswith("outside the page: div") for p in found)
    assert report.external_resources(page.read_text()) == ["https://cdn.example.org/require.js",
                                                           "http://example.org/chart.png"]


# --- the real report notebook on sample data, at a phone's and a laptop's width, and on paper -------------

SAMPLE_MONTH = "2026-10"
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture(scope="module")
def sample_reports(tmp_path_factory):
    """Reports of the real notebook on three months of generated sample data (as `make demo` makes, smaller):
    the last month in Dutch with its PDF and in English, the month before in Dutch. Returns the settings."""
    from feedback_analysis import pipeline
    from feedback_analysis.config import load_settings
    from feedback_analysis.sample import write_sample_exports

    if report_export.find_chromium() is None:
        missing_tool(find_chromium()[1])
    folder = tmp_path_factory.mktemp("sample-report")
    write_sample_exports(folder / "exports", end_month=SAMPLE_MONTH, months=3, posts_per_month=80)
    settings = load_settings(data_dir=folder / "data", environ={})
    settings = dataclasses.replace(settings, municipality="Denderbeke", reports_dir=folder / "reports")
    pipeline.ingest([folder / "exports"], settings)
    pipeline.enrich(settings)
    report.build_report(settings, "2026-09", lang="nl")
    report.build_report(settings, SAMPLE_MONTH, lang="nl", pdf=True)
    report.build_report(settings, SAMPLE_MONTH, lang="en")
    return settings


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sample_report_reads_on_a_phone_and_a_laptop(browser, sample_reports, lang, viewport):
    page = report.ReportPaths.for_month(sample_reports.reports_dir, SAMPLE_MONTH, lang).html
    facts, events = browser.open(page.as_uri(), viewport=VIEWPORTS[viewport])
    assert problems(facts, events) == []
    assert ("Complimenten voor de teams" if lang == "nl" else "Compliments for the teams") in facts["text"]
    # one version of each of the four charts is shown, with a text alternative that quotes a figure
    assert len(facts["chartAlts"]) == 4 and all(re.search(r"\d", alt) for alt in facts["chartAlts"])


def test_sample_report_contents_link_to_the_sections(sample_reports):
    page = report.ReportPaths.for_month(sample_reports.reports_dir, SAMPLE_MONTH, "nl").html.read_text("utf-8")
    targets = re.findall(r'<nav[^>]*class="fa-contents"[^>]*>.*?</nav>', page, re.DOTALL)[0]
    for target in re.findall(r'href="#([^"]+)"', targets):
        assert f'id="{target}"' in page
    assert 'href="#section-compliments"' in targets and 'href="#section-flagged"' in targets


def test_index_reads_in_the_report_language(browser, sample_reports):
    facts, events = browser.open((sample_reports.reports_dir / "index.html").as_uri())
    assert problems(facts, events) == []
    text = facts["text"]
    assert "Maandrapporten Denderbeke" in text and text.index("oktober 2026") < text.index("september 2026")
    assert "Monthly" not in text and "Aandeel negatieve teksten per maand" in text and "PDF (Nederlands)" in text


def pdf_pages(pdf: Path) -> list[str]:
    """The text of every page of a PDF (pdftotext, one page at a time)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2  # A4
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, count + 1)]


def inked_share(pdf: Path, page: int, folder: Path) -> float:
    """The share of a page's pixels that are not white (pdftoppm at 20 dpi)."""
    from PIL import Image

    prefix = folder / f"page-{page}"
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "20", "-gray", "-singlefile", "-png", str(pdf),
                    str(prefix)], check=True, capture_output=True)
    histogram = Image.open(f"{prefix}.png").convert("L").histogram()
    return sum(histogram[:235]) / sum(histogram)


def test_pdf_is_a4_with_every_section_heading_and_no_blank_page(sample_reports, tmp_path):
    if not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm")):
        missing_tool("pdftotext, pdfinfo or pdftoppm is not installed: run `make browser` (apt-get install poppler-utils)")
    pdf = report.ReportPaths.for_month(sample_reports.reports_dir, SAMPLE_MONTH, "nl").pdf
    pages = pdf_pages(pdf)
    assert len(pages) >= 5
    blank = [n for n in range(1, len(pages) + 1) if inked_share(pdf, n, tmp_path) < 0.005]
    assert blank == []
    whole = " ".join(" ".join(page.split()) for page in pages)
    for name in report_data.SECTIONS:
        assert report_data.text(f"sections.{name}.title", "nl") in whole
    # each section starts a new page: its heading is the first line of a page
    firsts = [page.strip().splitlines()[0].strip() if page.strip() else "" for page in pages]
    for name in report_data.SECTIONS:
        assert any(first.startswith(report_data.text(f"sections.{name}.title", "nl")[:20]) for first in firsts), name


# The export template and table of the report before issue 10, as they were (report.py, report_data.py).
OLD_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block extra_css -%}
<style type="text/css">
  body.jp-Notebook { max-width: 60rem; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
  .jp-Cell { padding-left: 0; padding-right: 0; }
  .jp-OutputArea-output img, .jp-RenderedImage img { max-width: 100%; height: auto; }
  .jp-RenderedHTMLCommon table { display: block; overflow-x: auto; max-width: 100%; }
</style>
{%- endblock extra_css -%}
"""
OLD_TABLE_STYLE = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.95em; margin: 0.5em 0 0.8em 0;"},
    {"selector": "th", "props": "text-align: right; vertical-align: bottom; padding: 4px 8px; "
                                "border-bottom: 2px solid #444; background: #f3f3f3;"},
    {"selector": "td", "props": "padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; "
                                "text-align: right; white-space: nowrap;"},
]


def old_export(table, wide: list[str]) -> str:
    """A one-table notebook exported the way the report was before issue 10."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    styler = table.style.hide(axis="index").set_table_styles(OLD_TABLE_STYLE).set_properties(
        subset=wide, **{"text-align": "left", "white-space": "normal", "min-width": "9em"})
    html_table = f'<div style="overflow-x: auto; max-width: 100%;">{styler.to_html()}</div>'
    exporter = HTMLExporter(template_name="lab", template_file="old.html.j2",
                            extra_loaders=[DictLoader({"old.html.j2": OLD_TEMPLATE})], exclude_input=True)
    return exporter.from_notebook_node(one_output_notebook(html_table))[0]


def one_output_notebook(html_table: str):
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": html_table})])])


def test_the_layout_check_fails_on_the_report_as_exported_before_issue_10(browser, tmp_path):
    """Before issue 10 the per-service table and the quotes were pandas Stylers in a template that made every
    table a sideways-scrolling block: its nine columns ran off a laptop's screen and a phone's. The check
    must see that, and pass the same rows as the report's tables are exported now."""
    import pandas as pd

    quote = ("Heel erg bedankt aan de ploeg van de groendienst voor het snoeien van de bomen langs de "
             "Kerkstraat, het ziet er weer piekfijn uit en de kinderen kunnen veilig naar school")
    table = pd.DataFrame({"Dienst": ["Dienstverlening en communicatie", "Afvalophaling"], "Teksten": ["131", "101"],
                          "Negatief (95 %-interval)": ["18 % (13–26 %)", "25 % (17–34 %)"],
                          "Negatief t.o.v. vorige maand": ["+1 pt", "−11 pt *"],
                          "Negatief t.o.v. 3 maanden ervoor": ["−1 pt", "−11 pt *"],
                          "Positief (95 %-interval)": ["21 % (15–28 %)", "30 % (22–39 %)"],
                          "Positief t.o.v. vorige maand": ["+7 pt", "+2 pt"], "Bericht": [quote, "Merci!"],
                          "Opmerking": ["weinig teksten, voorzichtig interpreteren", ""]})
    wide = ["Dienst", "Bericht", "Opmerking"]
    pages = {"old": old_export(table, wide),
             "new": report.export_html(one_output_notebook(report_data._html_table(table, wide=wide)), "Teststad")}
    for name, html_page in pages.items():
        page = tmp_path / f"{name}.html"
        page.write_text(html_page, encoding="utf-8")
        for viewport in VIEWPORTS.values():
            found = problems(*browser.open(page.as_uri(), viewport=viewport))
            if name == "old":
                assert any(p.startswith(("clipped cell", "cut off by", "scrolls sideways")) for p in found), viewport
            else:
                assert found == [], viewport
