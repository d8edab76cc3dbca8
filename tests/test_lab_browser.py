"""The exploratory notebooks as an analyst uses them: JupyterLab in headless Chromium, driven by Playwright.

The test starts JupyterLab the way ``make lab`` does (``feedback_analysis.lab``: the notebooks folder as
root, the project's kernel, the data folder from the environment) on a free localhost port with a token of
its own, on a copy of ``notebooks/`` (Lab autosaves, and the repository's notebooks are committed without
outputs). Chromium is Debian's ``/usr/bin/chromium`` (Playwright's own browser downloads are never used);
the page may reach only the Lab server.

* month explorer: Run All Cells from the Run menu, the month browser's drop-downs appear, choosing another
  sentiment changes the count and the table; Ctrl+S writes the notebook and its paired ``.py`` (jupytext);
* labelling: Run All Cells, change the sentiment of two posts, click Save: a CSV with those two rows is in
  ``<data-dir>/labels/``;
* topic explorer: Run All Cells, and plotly draws every one of BERTopic's charts (from the plotly.js the
  notebook embeds; nothing is loaded from elsewhere).

The server is stopped (its whole process group) whatever happens. Without Chromium or Playwright the tests
skip, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis import pipeline
from feedback_analysis.config import DATA_DIR_ENV, load_settings
from feedback_analysis.lab import lab_command, lab_environment
from feedback_analysis.sample import write_sample_exports

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 300_000  # two cores shared with other work: a kernel start and a full run can be slow


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run; `make browser` installs Chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (it is in the dev extra: make install)")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as api:
        yield api


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder with a copy of the notebooks and a scored data folder (fixture exports plus one
    generated month, 2026-10)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = load_settings(data_dir=root / "data", environ={})
    exports = write_sample_exports(root / "exports", end_month="2026-10", months=1, posts_per_month=40)
    fixtures = Path(__file__).parent / "fixtures"
    report = pipeline.ingest([fixtures / "scraper" / "posts.jsonl", exports["dyi"].parent], settings)
    assert report.ok, report.errors
    pipeline.enrich(settings)
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(project, tmp_path_factory):
    """JupyterLab on the project copy: yields its base URL and token; stops the server however the test ends."""
    port, token = _free_port(), secrets.token_hex(16)
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "IPYTHON"))}
    environ[DATA_DIR_ENV] = str(project / "data")
    environ.pop("DISPLAY", None)
    environ.pop("MPLBACKEND", None)  # the kernel draws inline, as in an analyst's Lab
    env = lab_environment(project, environ)
    log = (tmp_path_factory.mktemp("lab-log") / "lab.log").open("w")
    command = lab_command(project, [f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
                                    "--ServerApp.port_retries=0", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                          env)
    server = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start (exit {server.poll()}); see {log.name}:\n"
                            + Path(log.name).read_text()[-2000:])
            time.sleep(0.5)
        yield base, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(10)
        log.close()


@pytest.fixture
def page(playwright_api, lab, tmp_path):
    """A Chromium page; after the test, every request it made must have gone to the Lab server (Lab, its
    widgets and the notebooks' outputs load nothing from the internet)."""
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    base, _ = lab
    elsewhere: list[str] = []
    context.on("request", lambda request: None if request.url.startswith((base, "ws://127.0.0.1", "data:", "blob:"))
               else elsewhere.append(request.url))
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        yield page
        assert not elsewhere, f"requests beyond the Lab server: {elsewhere[:5]}"
    finally:
        try:
            page.screenshot(path=str(tmp_path / "last.png"))  # left for a failed run
        finally:
            context.close()
            browser.close()


def open_notebook(page, lab, name: str) -> None:
    base, token = lab
    # a workspace of its own, reset: Lab would otherwise reopen the notebooks of the previous test beside it
    page.goto(f"{base}/lab/workspaces/{name}/tree/exploratory/{name}.ipynb?token={token}&reset")
    page.locator(".jp-NotebookPanel").first.wait_for()
    kernel = page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"Python 3 \(ipykernel\) \| Idle")).first
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    kernel.or_(dialog).first.wait_for()
    assert not dialog.is_visible(), "Lab asks for a kernel: the project's settings should start python3 at once"
    _wait_for_a_settled_kernel(lab, name)
    kernel.wait_for()


def _wait_for_a_settled_kernel(lab, name: str) -> None:
    """Until the notebook's session has had the same idle kernel for three seconds: Lab may start a kernel
    and swap it for the notebook's own right after, and cells sent in between are lost."""
    base, token = lab
    seen, steady, deadline = None, 0, time.monotonic() + WAIT_MS / 1000
    while steady < 3:
        assert time.monotonic() < deadline, f"no settled kernel for {name}: last seen {seen}"
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10) as answer:
            sessions = [s for s in json.load(answer) if s["path"].endswith(f"{name}.ipynb")]
        now = [(s["kernel"]["id"], s["kernel"]["execution_state"]) for s in sessions]
        steady = steady + 1 if now == seen and len(now) == 1 and now[0][1] == "idle" else 0
        seen = now
        time.sleep(1)
    # the kernel is up when the toolbar's status says idle


def run_all_cells(page) -> None:
    """Run > Run All Cells, then wait until the last code cell has run (Lab scrolls to it; an error on the way
    stops the run, and is reported at once)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    notebook = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    last = page.locator(f"{notebook} .jp-CodeCell .jp-InputPrompt").last
    errors = page.locator(f"{notebook} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    deadline = time.monotonic() + WAIT_MS / 1000
    while not re.search(r"\[\d+\]", last.inner_text()):
        assert not errors.count(), f"a cell failed: {errors.first.inner_text()[:600]}"
        assert time.monotonic() < deadline, f"the cells did not all run: last prompt {last.inner_text()!r}"
        time.sleep(1)
    assert not errors.count(), f"a cell failed: {errors.first.inner_text()[:600]}"
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")).first.wait_for()


def test_month_explorer_filters_change_the_table_and_saving_keeps_the_pair(page, lab, project):
    open_notebook(page, lab, "02_month_explorer")
    run_all_cells(page)
    browser = page.locator(".widget-vbox", has=page.locator(".widget-dropdown")).first
    count = browser.locator(".widget-html", has_text="posts match").first
    count.wait_for()
    table = browser.locator("table.posts").first
    before_count, before_table = count.inner_text(), table.inner_text()
    assert "posts match" in before_count
    sentiment = browser.locator(".widget-dropdown", has_text="sentiment").locator("select")
    assert sentiment.input_value().startswith("negative")  # opened on the parameters cell
    sentiment.select_option(label="(all)")
    page.wait_for_function("([element, old]) => element.innerText !== old", arg=[count.element_handle(), before_count])
    after_count = count.inner_text()
    assert int(after_count.split()[0]) > int(before_count.split()[0])
    after_table = browser.locator("table.posts").first.inner_text()
    assert after_table != before_table and "positive" in after_table

    # saving in Lab writes the paired .py too (notebooks/jupytext.toml)
    paired = project / "notebooks" / "exploratory" / "02_month_explorer.py"
    notebook = paired.with_suffix(".ipynb")
    stamps = paired.stat().st_mtime_ns, notebook.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 60
    while (paired.stat().st_mtime_ns, notebook.stat().st_mtime_ns) <= stamps and time.monotonic() < deadline:
        time.sleep(0.5)
    assert paired.stat().st_mtime_ns > stamps[0] and notebook.stat().st_mtime_ns > stamps[1]
    assert "# %% tags=[\"parameters\"]" in paired.read_text()


def test_labelling_save_writes_the_two_labelled_rows(page, lab, project):
    labels_dir = project / "data" / "labels"
    before = set(labels_dir.glob("*.csv")) if labels_dir.exists() else set()
    open_notebook(page, lab, "03_labelling")
    run_all_cells(page)
    form = page.locator(".widget-vbox", has=page.locator("button", has_text="Save checked rows")).first
    form.wait_for()
    rows = form.locator(".widget-hbox", has=page.locator(".widget-checkbox"))
    chosen = {}
    for position in range(2):
        select = rows.nth(position).locator(".widget-dropdown", has_text="sentiment").locator("select")
        current = select.input_value()
        new = next(value for value in ("negative", "positive", "neutral") if value != current)
        select.select_option(new)
        chosen[position] = new
        # changing a label ticks "checked" (the kernel does, through the widget's observer)
        expect(rows.nth(position).locator("input[type=checkbox]")).to_be_checked(timeout=60_000)
    expect(form.locator(".widget-html", has_text="posts checked").first).to_contain_text("2 of")
    form.locator("button", has_text="Save checked rows").click()
    form.locator(".widget-html", has_text="Saved 2 labels").wait_for()
    written = set(labels_dir.glob("*.csv")) - before
    assert len(written) == 1
    saved = pd.read_csv(written.pop(), dtype=str, keep_default_na=False)
    assert len(saved) == 2 and sorted(saved["sentiment"]) == sorted(chosen.values())
    assert "author_id" not in saved.columns


def test_topic_explorer_charts_render_in_lab(page, lab):
    pytest.importorskip("bertopic")
    open_notebook(page, lab, "04_topic_explorer")
    run_all_cells(page)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    charts = notebook.locator(".plotly-graph-div")
    # Lab renders cells near the viewport only: scroll through the notebook, counting charts that plotly drew
    drawn: set[str] = set()
    for _ in range(60):
        for chart in charts.all():
            if chart.locator("svg.main-svg").count():
                drawn.add(chart.get_attribute("id"))
        page.mouse.wheel(0, -600)
        time.sleep(0.2)
    # barchart, documents, heatmap, hierarchy, topics over time (as in test_exploratory_notebooks)
    assert len(drawn) == 5, f"plotly drew {len(drawn)} charts"
