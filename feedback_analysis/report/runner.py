"""Building the monthly reports: run the notebook for a month, export it, put the files in place, rebuild
the index. How a run behaves (idempotent, atomic, one at a time, its own kernel) is described in
:mod:`feedback_analysis.report`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from feedback_analysis import __version__
from feedback_analysis.config import Settings
from feedback_analysis.report.errors import NoDataError, ReportError, ReportFailedError, ReportLockedError
from feedback_analysis.report.export import PdfError, export_html, find_chromium, print_pdf
from feedback_analysis.report.fingerprint import InputHasher, changed_inputs, is_up_to_date
from feedback_analysis.report.kernel import DEFAULT_TIMEOUT, execute_notebook, kernel_environment
from feedback_analysis.report.layout import (
    LANGUAGES,
    ReportPaths,
    check_month,
    data_months,
    last_complete_month,
    month_title,
)
from feedback_analysis.store import reports as storage

PARAMETERS = ("month", "data_dir", "config_path", "lang")
DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "reports" / "monthly_report.ipynb"
MAX_HTML_BYTES = 15 * 1024 * 1024


def report_lock(reports_dir: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive, non-blocking lock on the reports folder (``.lock``) while building."""
    return storage.report_lock(reports_dir, ReportLockedError, "another report run is busy; try again when it has finished")


@dataclass
class ReportResult:
    """What a run did for one month: ``status`` is ``built`` or ``skipped``."""

    month: str
    lang: str
    status: str
    paths: ReportPaths
    changed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _check_notebook(notebook: Path) -> None:
    import papermill

    if not Path(notebook).is_file():
        raise ReportError(f"{notebook}: report notebook not found; pass one with --notebook")
    declared = set(papermill.inspect_notebook(str(notebook)))
    missing = [name for name in PARAMETERS if name not in declared]
    if missing:
        raise ReportError(f"{notebook}: the parameters cell does not declare {', '.join(missing)} "
                          f"(the runner passes {', '.join(PARAMETERS)})")


def _failure_message(exc: BaseException, month: str, timeout: int) -> str:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        value = " ".join(str(exc.evalue).split())
        return f"cell [{exc.exec_count}] raised {exc.ename}: {value}"[:300]
    if isinstance(exc, CellTimeoutError):
        return f"a cell ran longer than the {timeout} s timeout (--timeout)"
    if isinstance(exc, DeadKernelError):
        return "the kernel died (out of memory?)"
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:300]


class _Runner:
    """One locked run over one or more months (the lock is taken by the caller)."""

    def __init__(self, settings: Settings, lang: str, notebook: Path, config_path: Path | None, timeout: int,
                 notify: Callable[[str], None], pdf: bool = False) -> None:
        if lang not in LANGUAGES:
            raise ReportError(f"--lang: {lang!r} is not a report language; use nl or en")
        self.settings = settings
        self.reports_dir = Path(settings.reports_dir).resolve()
        self.lang = lang
        self.notebook = Path(notebook).resolve()
        self.config_path = config_path
        self.timeout = timeout
        self.notify = notify
        self.pdf = pdf
        if pdf and find_chromium() is None:  # say so before the notebook runs for minutes
            raise ReportError("--pdf needs headless Chromium, which is not installed; run `make browser` "
                              "(or apt-get install chromium) or set CHROMIUM to its path")
        self.hasher = InputHasher(settings, self.notebook, config_path)
        self._months: list[str] | None = None

    @property
    def months(self) -> list[str]:
        if self._months is None:
            self._months = data_months(self.settings)
        return self._months

    def remove_leftovers(self) -> None:
        storage.remove_work_folders(self.reports_dir)  # from a run that was killed

    def status(self, month: str) -> tuple[ReportPaths, str, dict[str, str], bool]:
        paths = ReportPaths.for_month(self.reports_dir, month, self.lang)
        fingerprint, digests = self.hasher.fingerprint(month, self.lang)
        current = is_up_to_date(paths, fingerprint) and (not self.pdf or paths.pdf.is_file())
        return paths, fingerprint, digests, current

    def build(self, month: str, force: bool) -> ReportResult:
        if month not in self.months:
            raise NoDataError(f"no data for {month} in {Path(self.settings.posts_dir).resolve()}")
        _check_notebook(self.notebook)
        paths, fingerprint, digests, current = self.status(month)
        if current and not force:
            return ReportResult(month, self.lang, "skipped", paths)
        if current:
            changed = ["none (--force)"]
        else:
            changed = changed_inputs(paths, digests) if paths.figures.exists() else ["new report"]
            if not changed and self.pdf:
                changed = ["no PDF yet"]
        started = time.monotonic()
        with storage.work_folder(self.reports_dir) as work:
            result = self._run(month, paths, fingerprint, digests, work)
        result.changed = changed
        result.seconds = time.monotonic() - started
        return result

    def _run(self, month: str, paths: ReportPaths, fingerprint: str, digests: dict[str, str], work: Path) -> ReportResult:
        executed = work / paths.notebook.name
        published = work / "published-figures.json"
        parameters = {"month": month, "data_dir": str(Path(self.settings.data_dir).resolve()),
                      "config_path": str(self.config_path or ""), "lang": self.lang}
        self.notify(f"{month}: running {self.notebook.name} ({self.lang})")
        try:
            execute_notebook(self.notebook, executed, parameters, kernel_environment(self.settings, published),
                             self.timeout, work / "kernel.log")
        except Exception as exc:  # any failure of the notebook or its kernel
            failed = self._keep_failed(executed, paths)
            where = f"; executed notebook: {failed}" if failed else ""
            raise ReportFailedError(f"report {month} failed: {_failure_message(exc, month, self.timeout)}{where}",
                                    failed) from exc

        try:
            notebook_node = storage.read_notebook(executed)
            title = f"{self.settings.municipality}: {'rapport' if self.lang == 'nl' else 'report'} " \
                    f"{month_title(month, self.lang)}"
            page = export_html(notebook_node, title, self.lang)
        except Exception as exc:  # nbconvert could not render an output
            failed = self._keep_failed(executed, paths)
            raise ReportFailedError(f"report {month} failed: HTML export: {_failure_message(exc, month, self.timeout)}; "
                                    f"executed notebook: {failed}", failed) from exc
        size = len(page.encode("utf-8"))
        if size > MAX_HTML_BYTES:
            failed = self._keep_failed(executed, paths)
            raise ReportFailedError(f"report {month} failed: the HTML is {size / 1e6:.1f} MB, over the "
                                    f"{MAX_HTML_BYTES / 1e6:.0f} MB limit (fewer or smaller charts); "
                                    f"executed notebook: {failed}", failed)
        result = ReportResult(month, self.lang, "built", paths)
        figures = storage.read_figures_file(published) if published.exists() else None
        if figures is None:
            result.warnings.append(f"{self.notebook.name} published no figures (call report.publish_figures)")
        record = {
            "month": month, "lang": self.lang, "report": paths.html.name, "notebook": paths.notebook.name,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "package_version": __version__,
            "figures": figures or {}, "inputs": fingerprint, "input_digests": digests,
        }
        storage.write_text(work / paths.html.name, page)
        if self.pdf:
            self.notify(f"{month}: printing {paths.pdf.name}")
            try:
                print_pdf(work / paths.html.name, work / paths.pdf.name)
            except PdfError as exc:
                raise ReportFailedError(f"report {month} failed: {exc}", None) from exc
        storage.write_json(work / paths.figures.name, record)

        # Move in: each file replaces its old version in one step; the figures file, which holds the
        # fingerprint, goes last, so an interruption in between only means a rebuild next time.
        if not self.pdf:  # a PDF of an earlier build would no longer match the HTML
            storage.remove_file(paths.pdf)
        storage.move_in(work, [paths.html, *([paths.pdf] if self.pdf else []), paths.notebook, paths.figures])
        for stale in (self._failed_path(paths), self._failed_path(paths).with_suffix(".kernel.log")):
            storage.remove_file(stale)
        return result

    def _failed_path(self, paths: ReportPaths) -> Path:
        return self.reports_dir / ".failed" / paths.notebook.name

    def _keep_failed(self, executed: Path, paths: ReportPaths) -> Path | None:
        return storage.keep_failed(executed, self._failed_path(paths))


def build_report(settings: Settings, month: str, *, lang: str | None = None, force: bool = False,
                 notebook: Path = DEFAULT_NOTEBOOK, config_path: Path | None = None, timeout: int = DEFAULT_TIMEOUT,
                 notify: Callable[[str], None] = lambda message: None, pdf: bool | None = None) -> ReportResult:
    """Build (or skip, when up to date) the report of ``month`` and rebuild the index.

    ``lang`` defaults to ``settings.language``; ``pdf`` (default ``settings.report.pdf``) also prints the
    report to ``rapport-<month>.pdf`` with headless Chromium; ``config_path`` is the settings file the notebook should
    read too (see :func:`resolve_config_path`). Raises :class:`NoDataError`, :class:`ReportLockedError`,
    :class:`ReportFailedError` (previous report untouched) or :class:`ReportError`.
    """
    check_month(month)
    runner = _Runner(settings, lang or settings.language, notebook, config_path, timeout, notify,
                     settings.report.pdf if pdf is None else pdf)
    with report_lock(runner.reports_dir):
        runner.remove_leftovers()
        result = runner.build(month, force)
        write_index(runner.reports_dir, settings.municipality, settings.language)
    return result


def pending_months(settings: Settings, *, lang: str | None = None, notebook: Path = DEFAULT_NOTEBOOK,
                   config_path: Path | None = None, now: datetime | None = None, pdf: bool | None = None) -> list[str]:
    """Months with data, up to the last complete month, whose report (or PDF) is missing or out of date."""
    runner = _Runner(settings, lang or settings.language, notebook, config_path, DEFAULT_TIMEOUT, lambda m: None,
                     settings.report.pdf if pdf is None else pdf)
    last = last_complete_month(settings.timezone, now)
    return [m for m in runner.months if m <= last and not runner.status(m)[3]]


@dataclass
class PendingResult:
    """What ``build_pending`` did: the results of the months it looked at and the failures."""

    last_complete: str
    results: list[ReportResult] = field(default_factory=list)
    failures: list[ReportFailedError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def build_pending(settings: Settings, *, lang: str | None = None, force: bool = False,
                  notebook: Path = DEFAULT_NOTEBOOK, config_path: Path | None = None, timeout: int = DEFAULT_TIMEOUT,
                  now: datetime | None = None, notify: Callable[[str], None] = lambda message: None,
                  pdf: bool | None = None,
                  progress: Callable[[str, int, int | None], None] = lambda stage, done, total=None: None) -> PendingResult:
    """Build every month with data up to the last complete month (in ``settings.timezone``) whose report
    is missing or out of date (all of them with ``force``), oldest first. A month that fails does not
    stop the others; its error is in ``failures``. ``pdf`` as in :func:`build_report`. This is the scheduled
    job. ``progress`` hears of the months done ("reports", see :mod:`feedback_analysis.progress`)."""
    runner = _Runner(settings, lang or settings.language, notebook, config_path, timeout, notify,
                     settings.report.pdf if pdf is None else pdf)
    result = PendingResult(last_complete_month(settings.timezone, now))
    with report_lock(runner.reports_dir):
        runner.remove_leftovers()
        months = [m for m in runner.months if m <= result.last_complete]
        if months:
            _check_notebook(runner.notebook)
        for done, month in enumerate(months):
            progress("reports", done, len(months))
            try:
                result.results.append(runner.build(month, force))
            except ReportFailedError as exc:
                result.failures.append(exc)
        if months:
            progress("reports", len(months), len(months))
        write_index(runner.reports_dir, settings.municipality, settings.language)
    return result


def render_index(reports_dir: Path, municipality: str, lang: str = "nl") -> str:
    """The reports index page in ``lang`` (see :mod:`feedback_analysis.report.index`)."""
    from feedback_analysis.report.index import render_index as render

    return render(reports_dir, municipality, lang)


def write_index(reports_dir: Path, municipality: str, lang: str = "nl") -> Path:
    """Rebuild ``reports/index.html`` in ``lang``; the file is only rewritten when its content changes."""
    path = Path(reports_dir) / "index.html"
    storage.write_if_changed(path, render_index(reports_dir, municipality, lang))
    return path
