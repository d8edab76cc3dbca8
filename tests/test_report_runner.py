"""The report runner (`feedback-analysis report`) and the monthly job (`feedback-analysis schedule`).

The notebooks in fixtures/notebooks/ are tiny stand-ins for the real report notebook: same four
parameters, a chart, a warning that must not reach the HTML, published figures. Every papermill run
starts a kernel (about 3 s), so the runs that do not change anything share one built project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
from typer.testing import CliRunner

from feedback_analysis import pipeline, report, schedule, store
from feedback_analysis.cli import app
from feedback_analysis.config import load_settings

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOKS = FIXTURES / "notebooks"
OK, FAILS, SLOW = (NOTEBOOKS / f"report_{name}.ipynb" for name in ("ok", "fails", "slow"))
# Two complete months and one that will not be complete for a long time.
MONTHS = ["2025-01", "2025-02", "2099-01"]
BUILT = "2025-02"

runner = CliRunner()


def tree(path: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under path: to prove a folder was not touched."""
    return {str(p.relative_to(path)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(path.rglob("*")) if p.is_file()}


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def base_posts(tmp_path_factory) -> pd.DataFrame:
    """Three clean store rows (a post, a comment, a reply), to be copied into any month."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("base") / "data", environ={})
    pipeline.ingest([FIXTURES / "scraper" / "posts.jsonl"], settings)
    return store.read_posts(settings.posts_dir)


def month_part(base: pd.DataFrame, month: str) -> pd.DataFrame:
    """The base rows as rows of ``month``, with ids made unique per month."""
    part = base.copy()
    for column in ("post_id", "thread_id", "parent_id"):
        part[column] = part[column].where(part[column].isna(), part[column] + "-" + month)
    return part.assign(month=month)


def write_store(settings, base: pd.DataFrame, months: list[str]) -> None:
    store.write_months([(month, month_part(base, month)) for month in months], settings.posts_dir)


def make_project(root: Path, base: pd.DataFrame, months: list[str] = MONTHS):
    """A project folder: ``data/`` with ``months`` of data, a config file, reports in ``reports/``
    (relative to the project folder, which the commands run in)."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / "feedback_analysis.yaml"
    config.write_text("municipality: Teststad\nreports_dir: reports\n", encoding="utf-8")
    settings = load_settings(config, root / "data", environ={})
    write_store(settings, base, months)
    return settings, config


def clone(project, root: Path):
    """A copy of a project, timestamps kept."""
    settings, config = project
    shutil.copytree(config.parent, root, copy_function=shutil.copy2, dirs_exist_ok=True)
    return load_settings(root / config.name, root / "data", environ={}), root / config.name


def reports_of(project) -> Path:
    return project[1].parent / "reports"


def run_report(project, *args: str, notebook: Path = OK):
    settings, config = project
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(config.parent)
        return runner.invoke(app, ["report", *args, "--notebook", str(notebook),
                                   "--data-dir", str(settings.data_dir), "--config", str(config)])


@pytest.fixture(scope="module")
def built(tmp_path_factory, base_posts):
    """A project with the report of 2025-02 built once; tests that use it must not change it."""
    project = make_project(tmp_path_factory.mktemp("built"), base_posts)
    result = run_report(project, "--month", BUILT)
    assert result.exit_code == 0, result.output
    return project


def paths(project, month: str = BUILT, lang: str = "nl") -> report.ReportPaths:
    return report.ReportPaths.for_month(reports_of(project), month, lang)


# --- a built report --------------------------------------------------------------------------------

def test_report_writes_html_notebook_figures_and_index(built):
    files = paths(built)
    assert files.html.name == "rapport-2025-02.html" and files.html.is_file()
    executed = nbformat.read(files.notebook, as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    recorded = json.loads(files.figures.read_text("utf-8"))
    assert recorded["figures"] == {"posts": 3, "negative_share": 0.25, "top_service": "afvalophaling",
                                   "by_service": {"afval": 3}}
    assert recorded["month"] == BUILT and recorded["lang"] == "nl" and len(recorded["inputs"]) == 64
    assert "processed/posts/month=2025-02/part-0.parquet" in recorded["input_digests"]
    assert "processed/posts/month=2099-01/part-0.parquet" not in recorded["input_digests"]  # a later month
    index = (reports_of(built) / "index.html").read_text("utf-8")
    assert 'href="2025-02/rapport-2025-02.html"' in index and "februari 2025" in index
    assert "<dt>berichten</dt><dd>3</dd>" in index and "<dd>25\u00a0%</dd>" in index


def test_html_has_no_code_nor_external_resources_and_fits_a_phone(built):
    page = paths(built).html.read_text("utf-8")
    assert "3 berichten in 2025-02 (nl)" in page  # outputs are there
    for code in ("import matplotlib", "report.publish_figures", "plt.subplots", "month = "):
        assert code not in page  # inputs are not
    body = page[page.index("<body"):]
    assert "jp-InputPrompt" not in body and "jp-OutputPrompt" not in body and "jp-InputArea-editor" not in body
    assert "this warning must not reach the report" not in page and "Warning" not in page
    assert "hidden output" not in page  # a cell tagged remove-cell
    assert body.count("<img") == 1 and body.count("src=\"data:image/png;base64,") == 1  # the chart, embedded
    assert "module://matplotlib_inline.backend_inline" in page  # inline charts although MPLBACKEND=Agg here
    assert re.search(r'<meta (?=[^>]*name="viewport")(?=[^>]*content="width=device-width)', page)
    assert '<html lang="nl">' in page and "<title>Teststad: rapport februari 2025</title>" in page
    assert not re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert report.external_resources(page) == [] and "<script src" not in page
    assert len(page.encode("utf-8")) < report.MAX_HTML_BYTES


def test_second_run_on_unchanged_inputs_skips_and_touches_nothing(built):
    reports_dir = reports_of(built)
    before = tree(reports_dir)
    result = run_report(built, "--month", BUILT)
    assert result.exit_code == 0, result.output
    assert "2025-02: up to date, skipped" in result.output
    assert tree(reports_dir) == before


def test_force_rebuilds(built, tmp_path):
    project = clone(built, tmp_path / "p")
    before = paths(project).html.stat().st_mtime_ns
    result = run_report(project, "--month", BUILT, "--force")
    assert result.exit_code == 0, result.output
    assert "2025-02: built" in result.output and "--force" in result.output
    assert paths(project).html.stat().st_mtime_ns != before


def test_failing_notebook_keeps_the_previous_report(built, tmp_path):
    project = clone(built, tmp_path / "p")
    reports_dir = reports_of(project)
    before = tree(reports_dir)
    result = run_report(project, "--month", BUILT, notebook=FAILS)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [error] = error_lines(result.output)
    failed = reports_dir / ".failed" / "rapport-2025-02.ipynb"
    assert "report 2025-02 failed" in error and "RuntimeError: de data is kapot" in error and str(failed) in error
    assert failed.is_file() and "de data is kapot" in failed.read_text("utf-8")
    after = tree(reports_dir)
    assert {k: v for k, v in after.items() if not k.startswith(".failed/")} == before  # nothing else changed
    assert not list(reports_dir.glob(".work-*"))


def test_a_cell_running_past_the_timeout_fails_the_run(built, tmp_path):
    project = clone(built, tmp_path / "p")
    result = run_report(project, "--month", "2025-01", "--timeout", "1", notebook=SLOW)
    assert result.exit_code == 1
    [error] = error_lines(result.output)
    assert "longer than the 1 s timeout" in error and ".failed/rapport-2025-01.ipynb" in error
    assert not paths(project, "2025-01").folder.exists()


def test_html_over_the_size_limit_is_refused(built, tmp_path, monkeypatch):
    project = clone(built, tmp_path / "p")
    monkeypatch.setattr(report.runner, "MAX_HTML_BYTES", 10_000)
    result = run_report(project, "--month", "2025-01")
    assert result.exit_code == 1 and "over the 0 MB limit" in error_lines(result.output)[0]
    assert not paths(project, "2025-01").html.exists()


def test_english_report_lives_beside_the_dutch_one(built, tmp_path):
    project = clone(built, tmp_path / "p")
    dutch = tree(paths(project).folder)
    result = run_report(project, "--month", BUILT, "--lang", "en")
    assert result.exit_code == 0, result.output
    english = paths(project, lang="en")
    assert english.html.name == "rapport-2025-02-en.html" and english.figures.name == "figures-en.json"
    assert "3 berichten in 2025-02 (en)" in english.html.read_text("utf-8")
    assert '<html lang="en">' in english.html.read_text("utf-8")
    assert {k: v for k, v in tree(paths(project).folder).items() if k in dutch} == dutch
    index = (reports_of(project) / "index.html").read_text("utf-8")
    assert 'href="2025-02/rapport-2025-02.html"' in index and 'href="2025-02/rapport-2025-02-en.html"' in index


def test_second_concurrent_run_is_refused(built):
    reports_dir = reports_of(built)
    before = tree(reports_dir)
    code = ("import sys\nfrom pathlib import Path\nfrom feedback_analysis.report import report_lock\n"
            "with report_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n    sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(reports_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = run_report(built, "--month", BUILT, "--force")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.exit_code == 1
    [error] = error_lines(result.output)
    assert str(reports_dir / ".lock") in error and "another report run is busy" in error
    assert tree(reports_dir) == before


def test_month_without_data_is_a_clear_error(built):
    reports_dir = reports_of(built)
    before = tree(reports_dir)
    result = run_report(built, "--month", "2024-12")
    assert result.exit_code == 1
    assert error_lines(result.output) == [f"error: no data for 2024-12 in {built[0].posts_dir.resolve()}"]
    assert tree(reports_dir) == before


@pytest.mark.parametrize("args, message", [
    (["--month", "2025-13"], "'2025-13' is not a month"),
    ([], "give either --month YYYY-MM or --pending"),
    (["--month", "2025-01", "--pending"], "give either --month YYYY-MM or --pending"),
    (["--month", "2025-01", "--lang", "fr"], "'fr' is not a report language"),
])
def test_usage_errors(built, args, message):
    result = run_report(built, *args)
    assert result.exit_code == 2 and message in result.output


def test_notebook_must_declare_the_runner_parameters(built, tmp_path):
    notebook = nbformat.read(OK, as_version=4)
    notebook.cells[1].source = 'month = "2026-01"\ndata_dir = "data"'
    partial = tmp_path / "partial.ipynb"
    nbformat.write(notebook, partial)
    result = run_report(built, "--month", BUILT, "--force", notebook=partial)
    assert result.exit_code == 1 and "does not declare config_path, lang" in result.output


def test_report_notebooks_declare_exactly_the_runner_parameters():
    """papermill only warns about an unknown parameter: check the declarations instead."""
    for notebook in (OK, FAILS, SLOW):
        assert set(papermill.inspect_notebook(str(notebook))) == set(report.PARAMETERS)
    if not report.DEFAULT_NOTEBOOK.is_file():
        pytest.skip(f"{report.DEFAULT_NOTEBOOK} is not there yet")
    assert set(papermill.inspect_notebook(str(report.DEFAULT_NOTEBOOK))) == set(report.PARAMETERS)


# --- pending months --------------------------------------------------------------------------------

def test_last_complete_month_is_taken_in_brussels():
    assert report.last_complete_month("Europe/Brussels", datetime(2026, 11, 15, tzinfo=UTC)) == "2026-10"
    # 1 November 00:30 in Brussels is still 31 October in UTC: October is complete all the same.
    assert report.last_complete_month("Europe/Brussels", datetime(2026, 10, 31, 23, 30, tzinfo=UTC)) == "2026-10"
    assert report.last_complete_month("Europe/Brussels", datetime(2026, 10, 31, 22, 30, tzinfo=UTC)) == "2026-09"
    assert report.last_complete_month("Europe/Brussels", datetime(2027, 1, 10, tzinfo=UTC)) == "2026-12"


def test_pending_months_are_complete_months_without_an_up_to_date_report(built, monkeypatch):
    settings, config = built
    monkeypatch.chdir(config.parent)
    pending = report.pending_months(settings, notebook=OK, config_path=config.resolve(),
                                    now=datetime(2099, 1, 20, tzinfo=UTC))
    assert pending == ["2025-01"]  # 2025-02 is up to date, 2099-01 is the current month
    later = report.pending_months(settings, notebook=OK, config_path=config.resolve(),
                                  now=datetime(2099, 2, 1, 12, tzinfo=UTC))
    assert later == ["2025-01", "2099-01"]
    another_notebook = report.pending_months(settings, notebook=FAILS, config_path=config.resolve(),
                                             now=datetime(2099, 1, 20, tzinfo=UTC))
    assert another_notebook == ["2025-01", "2025-02"]


def test_pending_builds_the_missing_months_only(built, tmp_path):
    project = clone(built, tmp_path / "p")
    before = tree(paths(project).folder)
    result = run_report(project, "--pending")
    assert result.exit_code == 0, result.output
    assert "2025-01: built" in result.output and "2025-02: up to date, skipped" in result.output
    assert "2099-01" not in result.output  # not complete
    assert paths(project, "2025-01").html.is_file() and tree(paths(project).folder) == before
    index = (reports_of(project) / "index.html").read_text("utf-8")
    assert index.index("februari 2025") < index.index("januari 2025")  # newest first
    again = run_report(project, "--pending")
    assert "built" not in again.output and again.exit_code == 0


# --- the inputs fingerprint ------------------------------------------------------------------------

def test_fingerprint_follows_the_month_and_earlier_months_only(base_posts, tmp_path):
    settings, config = make_project(tmp_path, base_posts)
    ids = store.read_posts(settings.posts_dir, columns=["post_id", "month"])
    scores = ids.assign(sentiment="neutral")[["post_id", "sentiment"]]
    scores.to_parquet(settings.scores_path, index=False)
    topics = settings.processed_dir / "topics"
    topics.mkdir()
    history = [{"month": m, "stable_topic": 0, "label": f"afval {m}"} for m in MONTHS]

    def write_registry(last_month: str) -> None:
        registry = {"version": 1, "topics": {"0": {"last_month": last_month}}, "history": history}
        (topics / "registry.json").write_text(json.dumps(registry))

    def fingerprint(month: str = "2025-01", lang: str = "nl", notebook: Path = OK) -> str:
        return report.InputHasher(settings, notebook, config).fingerprint(month, lang)[0]

    write_registry("2099-01")
    first = fingerprint()
    assert fingerprint() == first
    # What happens in a later month does not count: its store partition, score rows, topic history and files.
    changed_later = {m: month_part(base_posts.assign(text="iets anders") if m == "2099-01" else base_posts, m)
                     for m in MONTHS}
    store.write_months(list(changed_later.items()), settings.posts_dir)
    scores.loc[(ids["month"] == "2099-01").to_numpy(), "sentiment"] = "negative"
    scores.sample(frac=1, random_state=1).to_parquet(settings.scores_path, index=False)  # nor does row order
    history[-1]["label"] = "iets anders"
    write_registry("2099-02")
    (topics / "month=2099-01.json").write_text("{}")
    assert fingerprint() == first
    # The notebook, the language, the config, the month's own rows and scores and earlier months do count.
    assert fingerprint(lang="en") != first
    assert fingerprint(notebook=FAILS) != first
    config.write_text(config.read_text() + "language: en\n")
    assert fingerprint() != first
    config.write_text(config.read_text().replace("language: en\n", ""))
    assert fingerprint() == first
    february = fingerprint("2025-02")
    scores.loc[(ids["month"] == "2025-01").to_numpy(), "sentiment"] = "positive"
    scores.to_parquet(settings.scores_path, index=False)
    second = fingerprint()
    assert second != first and fingerprint("2025-02") != february  # a later report may compare with January
    store.write_months([(m, month_part(base_posts.assign(text="nieuw"), m)) for m in ["2025-01", "2025-02"]],
                       settings.posts_dir)
    assert fingerprint() != second


# --- figures and the index -------------------------------------------------------------------------

def test_publish_figures_outside_the_runner_only_checks(monkeypatch, tmp_path):
    monkeypatch.delenv(report.FIGURES_ENV, raising=False)
    assert report.publish_figures({"posts": np.int64(3), "negative_share": np.float64(0.5)}) is None
    with pytest.raises(TypeError, match="not a JSON value"):
        report.publish_figures({"frame": pd.DataFrame({"a": [1]})})


def test_publish_figures_under_the_runner_writes_and_adds_up(monkeypatch, tmp_path):
    target = tmp_path / "figures.json"
    monkeypatch.setenv(report.FIGURES_ENV, str(target))
    report.publish_figures({"posts": np.int64(3), "negative_share": float("nan"), "day": pd.Timestamp("2025-02-01")})
    report.publish_figures({"top_service": "afval", "posts": 4})
    assert json.loads(target.read_text()) == {"posts": 4, "negative_share": None, "day": "2025-02-01T00:00:00",
                                              "top_service": "afval"}


def test_index_lists_months_newest_first_with_key_figures(tmp_path, snapshot):
    reports_dir = tmp_path / "reports"
    for month, lang, figures in [("2025-01", "nl", {"posts": 1234, "negative_share": 0.314, "top_service": "groen", "x": 1}),
                                 ("2025-03", "nl", {"posts": 5, "average": 0.5, "negative_share": 0.2}),
                                 ("2025-03", "en", {"posts": 5}),
                                 ("2025-02", "en", {})]:
        files = report.ReportPaths.for_month(reports_dir, month, lang)
        files.folder.mkdir(parents=True, exist_ok=True)
        files.html.write_text("<html></html>")
        files.figures.write_text(json.dumps({"figures": figures}))
    (reports_dir / "2025-03" / "rapport-2025-03.pdf").write_bytes(b"%PDF-1.4")
    (reports_dir / "2025-04").mkdir()  # a month folder without a report is not listed
    path = report.write_index(reports_dir, "Teststad")
    page = path.read_text("utf-8")
    titles = re.findall(r'class="month">([^<]+)</', page)
    assert titles == ["maart 2025", "februari 2025", "januari 2025"]
    assert page.index("Laatste maand") < page.index("maart 2025") < page.index("Eerdere maanden")
    assert 'href="2025-03/rapport-2025-03.html" hreflang="nl">Nederlands</a>' in page
    assert 'href="2025-03/rapport-2025-03-en.html" hreflang="en">Engels</a>' in page
    assert 'href="2025-03/rapport-2025-03.pdf"' in page
    assert 'href="2025-02/rapport-2025-02-en.html"' in page and "april 2025" not in page
    assert "<dd>1.234</dd>" in page and "<dd>31\u00a0%</dd>" in page and "<dd>groen</dd>" in page
    assert "<dt>x</dt>" not in page  # three figures at most for an earlier month
    assert "<dt>average</dt><dd>0,50</dd>" in page
    # the negative share per month, oldest first, as bars with a text alternative naming each month
    assert re.search(r'aria-label="[^"]*januari 2025 31\u00a0%, maart 2025 20\u00a0%\.?"', page)
    assert '<meta name="viewport"' in page and report.external_resources(page) == [] and "http" not in page
    assert "Monthly" not in page and '<html lang="nl">' in page
    before = snapshot(reports_dir)
    report.write_index(reports_dir, "Teststad")
    assert snapshot(reports_dir) == before  # same content: not rewritten


def test_index_in_english_says_everything_in_english(tmp_path):
    files = report.ReportPaths.for_month(tmp_path, "2025-03", "nl")
    files.folder.mkdir(parents=True)
    files.html.write_text("<html></html>")
    files.figures.write_text(json.dumps({"figures": {"posts": 1234, "negative_share": 0.314}}))
    page = report.render_index(tmp_path, "Teststad <&>", "en")
    assert '<html lang="en">' in page and "Monthly reports Teststad &lt;&amp;&gt;" in page
    assert "March 2025" in page and ">Dutch</a>" in page and "<dd>1,234</dd>" in page and "<dd>31%</dd>" in page
    assert not re.search(r"\b(maart|berichten|negatief|Maandrapporten|Nederlands)\b", page)


# --- the kernel, in a clean environment ------------------------------------------------------------

def test_console_script_runs_without_registered_kernel_and_keeps_home_clean(base_posts, tmp_path):
    """As from cron: an empty home folder, no Jupyter variables, a broken `python3` kernelspec first on
    JUPYTER_PATH and MPLBACKEND=Agg. The report is built on this interpreter with inline charts, and
    nothing is written to the home folder."""
    settings, config = make_project(tmp_path / "p", base_posts, ["2025-01"])
    home = tmp_path / "home"
    home.mkdir()
    broken = tmp_path / "jupyter" / "kernels" / "python3"
    broken.mkdir(parents=True)
    argv = ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (broken / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "broken", "language": "python"}))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "JUPYTER_PATH": str(tmp_path / "jupyter")}
    script = Path(sys.executable).with_name("feedback-analysis")
    done = subprocess.run([str(script), "report", "--month", "2025-01", "--notebook", str(OK),
                           "--data-dir", str(settings.data_dir), "--config", str(config)],
                          cwd=tmp_path / "p", env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2025-01: built" in done.stdout and done.stderr == ""
    page = paths((settings, config), "2025-01").html.read_text("utf-8")
    kernel_line = re.search(r"kernel: (\S+) \| (\S+)", page)
    assert Path(kernel_line.group(1)).parent == Path(sys.executable).parent
    assert kernel_line.group(2) == "module://matplotlib_inline.backend_inline"
    assert f"folders: {settings.data_dir.resolve() / '.cache' / 'matplotlib'}" in page
    assert list(home.rglob("*")) == []


# --- the monthly job -------------------------------------------------------------------------------

@pytest.fixture
def job(tmp_path):
    settings = load_settings(data_dir=tmp_path / "my data", environ={})
    return schedule.report_job(settings, tmp_path / "fa.yaml", executable=["/opt/fa venv/bin/feedback-analysis"])


def test_schedule_prints_crontab_and_systemd_units(built):
    settings, config = built
    result = runner.invoke(app, ["schedule", "--data-dir", str(settings.data_dir), "--config", str(config)])
    assert result.exit_code == 0, result.output
    script = Path(sys.executable).with_name("feedback-analysis")
    command = f"{script} report --pending --data-dir {settings.data_dir.absolute()} --config {config.resolve()}"
    assert f"ExecStart={command}" in result.output
    assert "OnCalendar=*-*-01 06:00:00 Europe/Brussels" in result.output and "Persistent=true" in result.output
    assert "CRON_TZ=Europe/Brussels" in result.output
    assert re.search(rf"^0 6 1,2 \* \* cd \S+ && {re.escape(str(script))} report --pending --data-dir ", result.output, re.M)


def test_cron_and_systemd_quoting(job):
    line = schedule.cron_lines(job)[-1]
    assert "'/opt/fa venv/bin/feedback-analysis' report --pending" in line and "'" in line.split("--data-dir")[1]
    service = schedule.systemd_units(job)["feedback-analysis-report.service"].splitlines()
    exec_start = next(line for line in service if line.startswith("ExecStart="))
    assert exec_start.startswith('ExecStart="/opt/fa venv/bin/feedback-analysis" report --pending --data-dir "')


def fake_tools(tmp_path: Path, monkeypatch, systemd: bool) -> Path:
    """`crontab` and `systemctl` stand-ins on PATH that record what they are asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    crontab = tmp_path / "crontab.txt"
    scripts = {
        "crontab": f"""#!/bin/sh
echo "crontab $*" >> '{log}'
if [ "$1" = "-l" ]; then [ -f '{crontab}' ] && cat '{crontab}' && exit 0; echo "no crontab for tester" >&2; exit 1; fi
if [ "$1" = "-" ]; then cat > '{crontab}'; exit 0; fi
exit 2
""",
        "systemctl": f"""#!/bin/sh
echo "systemctl $*" >> '{log}'
{'exit 0' if systemd else 'echo "Failed to connect to bus" >&2; exit 1'}
""",
    }
    for name, text in scripts.items():
        path = bin_dir / name
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def test_install_into_crontab_is_idempotent(job, tmp_path, monkeypatch):
    fake = fake_tools(tmp_path, monkeypatch, systemd=False)
    (fake / "crontab.txt").write_text("MAILTO=ik@example.org\n5 4 * * * /usr/bin/backup\n")
    first = schedule.install(job)
    assert first.startswith("crontab: added")
    second = schedule.install(job)
    assert second.startswith("crontab: already installed")
    content = (fake / "crontab.txt").read_text()
    assert content.startswith("MAILTO=ik@example.org\n5 4 * * * /usr/bin/backup\n")
    assert content.count(schedule.CRON_MARKER) == 1 and content.count("report --pending") == 1
    assert "CRON_TZ=Europe/Brussels\n0 6 1,2 * * " in content
    moved = schedule.ReportJob(job.command, Path("/elsewhere"), job.timezone, job.log_file)
    assert schedule.install(moved).startswith("crontab: replaced")
    content = (fake / "crontab.txt").read_text()
    assert content.count("report --pending") == 1 and "cd /elsewhere" in content
    assert "systemctl --user show-environment" in (fake / "calls.log").read_text()


def test_install_systemd_user_timer(job, tmp_path, monkeypatch):
    fake = fake_tools(tmp_path, monkeypatch, systemd=True)
    message = schedule.install(job)
    units = fake / "config" / "systemd" / "user"
    assert "installed feedback-analysis-report.service, feedback-analysis-report.timer" in message
    assert "Persistent=true" in (units / "feedback-analysis-report.timer").read_text()
    calls = (fake / "calls.log").read_text()
    assert "systemctl --user daemon-reload" in calls
    assert "systemctl --user enable --now feedback-analysis-report.timer" in calls
    assert "crontab" not in calls
    before = tree(units)
    assert "already installed" in schedule.install(job) and tree(units) == before


def test_install_without_systemd_or_cron_is_a_clear_error(built, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither tool on PATH
    settings, config = built
    result = runner.invoke(app, ["schedule", "--install", "--data-dir", str(settings.data_dir), "--config", str(config)])
    assert result.exit_code == 1 and "neither `systemctl --user` nor `crontab` is available" in error_lines(result.output)[0]


# --- the PDF option -------------------------------------------------------------------------------------

def test_pdf_without_chromium_is_a_one_line_error_before_the_notebook_runs(tmp_path, base_posts, monkeypatch):
    project = make_project(tmp_path / "project", base_posts)
    monkeypatch.setattr(report.runner, "find_chromium", lambda: None)
    result = run_report(project, "--month", BUILT, "--pdf")
    assert result.exit_code == 1
    assert error_lines(result.output) == ["error: --pdf needs headless Chromium, which is not installed; run `make "
                                          "browser` (or apt-get install chromium) or set CHROMIUM to its path"]
    assert not paths(project).folder.exists()


def test_pdf_option_in_the_config_must_be_true_or_false(tmp_path):
    from feedback_analysis.config import ConfigError

    config = tmp_path / "feedback_analysis.yaml"
    config.write_text("report:\n  pdf: ja\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="report.pdf must be true or false"):
        load_settings(config, tmp_path / "data", environ={})
    config.write_text("report:\n  pdf: true\n", encoding="utf-8")
    assert load_settings(config, tmp_path / "data", environ={}).report.pdf is True
