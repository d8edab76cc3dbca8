"""Monthly HTML reports: run the report notebook with papermill, convert it to HTML without code.

``build_report(settings, "2026-10")`` writes, under ``settings.reports_dir``::

    2026-10/rapport-2026-10.html    the report for managers: no code, self-contained, mobile friendly
    2026-10/rapport-2026-10.pdf     the same for print, A4 (only with ``pdf=True``, ``--pdf`` or
                                    ``report.pdf: true`` in the config)
    2026-10/rapport-2026-10.ipynb   the executed notebook, for analysts
    2026-10/figures.json            the month's key figures and the fingerprint of the inputs
    index.html                      every month, newest first, with a few key figures each and the
                                    trend of the negative share (in the report language)

English reports (``lang="en"``) carry an ``-en`` suffix (``rapport-2026-10-en.html``,
``figures-en.json``), so both languages can live side by side.

How a run behaves:

* **Idempotent.** The inputs of a month's report are hashed into a fingerprint kept in its figures file:
  the store partitions of that month and the months before it, the rows of the other tables under
  ``<data-dir>/processed/`` (scores, threads, topic history) that belong to those months, the notebook
  file, the package version, the language and the config file. A month whose fingerprint is unchanged
  is skipped without touching a file, unless ``force``. Data of later months never makes an earlier
  report stale; a code change without a version bump needs ``force``.
* **Atomic.** The notebook runs in a work folder beside the reports; the files are moved into the
  month's folder only when everything succeeded, the figures file (holding the fingerprint) last.
  A failed run leaves the previous report as it was and keeps the executed notebook, with the error
  in it, in ``reports/.failed/``.
* **One at a time.** A lock file (``reports/.lock``) makes a second run fail fast.
* **Its own kernel.** The notebook runs on this interpreter (``sys.executable -m ipykernel_launcher``),
  whatever kernels are registered, with Jupyter, IPython and matplotlib folders outside the home folder,
  inline charts, warnings off and a per-cell timeout.

The notebook gets four parameters (``month``, ``data_dir``, ``config_path``, ``lang``) and ends with
``report.publish_figures({...})``, which the runner collects into the figures file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedback_analysis import __version__
from feedback_analysis.config import USER_CONFIG_NAME, Settings
from feedback_analysis.files import atomic_path, exclusive_lock
from feedback_analysis.report_export import (  # noqa: F401 - part of this module's API
    REMOVE_CELL_TAGS,
    REMOVE_OUTPUT_TAGS,
    PdfError,
    export_html,
    external_resources,
    find_chromium,
    print_pdf,
)

# The runner tells the kernel where publish_figures() should write; unset in JupyterLab.
FIGURES_ENV = "FEEDBACK_ANALYSIS_FIGURES_PATH"
PARAMETERS = ("month", "data_dir", "config_path", "lang")
LANGUAGES = ("nl", "en")
DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "reports" / "monthly_report.ipynb"
DEFAULT_TIMEOUT = 600
MAX_HTML_BYTES = 15 * 1024 * 1024
# Bump when the fingerprint is computed differently, so that every report is rebuilt once.
FINGERPRINT_VERSION = 1

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MONTH_IN_PATH = re.compile(r"(?<!\d)(\d{4}-(?:0[1-9]|1[0-2]))(?!\d)")
_MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


class ReportError(RuntimeError):
    """A report cannot be built; the message is one line for the user."""


class ReportLockedError(ReportError):
    """Another report run holds the lock on the reports folder."""


class NoDataError(ReportError):
    """The store has no rows for the month."""


class ReportFailedError(ReportError):
    """The notebook failed; ``failed_notebook`` is the executed notebook with the error in it."""

    def __init__(self, message: str, failed_notebook: Path | None) -> None:
        super().__init__(message)
        self.failed_notebook = failed_notebook


# --- publishing figures from the notebook ----------------------------------------------------------

def publish_figures(figures: Mapping[str, Any]) -> None:
    """Hand the month's key figures to the report runner; call it in the notebook's last cell.

    ``figures`` maps a name to a JSON value (numbers, text, booleans, lists, mappings; numpy and pandas
    scalars are converted, NaN becomes null). Put the headline figures first: the reports index shows
    the first three plain values; a name ending in ``_share`` is a fraction shown as a percentage.
    Several calls add up (a later value for the same name wins).

    Under the runner the figures go to the file named by ``FEEDBACK_ANALYSIS_FIGURES_PATH``; in
    JupyterLab (no such variable) they are only checked. Returns None, so nothing shows in the report.
    """
    cleaned = _json_ready(dict(figures), "figures")
    for key in cleaned:
        if not isinstance(key, str) or not key:
            raise TypeError(f"figure names must be non-empty strings, got {key!r}")
    target = os.environ.get(FIGURES_ENV)
    if not target:
        return None
    path = Path(target)
    published = json.loads(path.read_text("utf-8")) if path.exists() else {}
    published.update(cleaned)
    _write_text_atomic(path, json.dumps(published, ensure_ascii=False, indent=1) + "\n")
    return None


def _json_ready(value: Any, where: str) -> Any:
    """``value`` as plain JSON data: numpy/pandas scalars unwrapped, NaN and NA as None."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if hasattr(value, "item") and not hasattr(value, "__len__"):  # numpy scalar
        return _json_ready(value.item(), where)
    if hasattr(value, "tolist") and not hasattr(value, "columns"):  # numpy array, pandas Series
        return _json_ready(value.tolist(), where)
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    if hasattr(value, "isoformat"):  # dates and timestamps
        return value.isoformat()
    raise TypeError(f"{where}: {type(value).__name__} is not a JSON value; pass numbers, text, lists or mappings")


# --- paths and months ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportPaths:
    """Where one month's report in one language lives."""

    folder: Path
    html: Path
    notebook: Path
    figures: Path
    pdf: Path | None = None

    @classmethod
    def for_month(cls, reports_dir: Path, month: str, lang: str) -> ReportPaths:
        suffix = "" if lang == "nl" else f"-{lang}"
        folder = Path(reports_dir) / month
        return cls(folder, folder / f"rapport-{month}{suffix}.html", folder / f"rapport-{month}{suffix}.ipynb",
                   folder / f"figures{suffix}.json", folder / f"rapport-{month}{suffix}.pdf")


def check_month(month: str) -> str:
    """``month`` if it is a YYYY-MM month, else a ReportError."""
    if not _MONTH.match(month or ""):
        raise ReportError(f"--month: {month!r} is not a month; use YYYY-MM, e.g. 2026-10")
    return month


def last_complete_month(tz: str = "Europe/Brussels", now: datetime | None = None) -> str:
    """The month before the current one in time zone ``tz`` (the current month is not complete)."""
    local = (now or datetime.now(UTC)).astimezone(ZoneInfo(tz))
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def data_months(settings: Settings) -> list[str]:
    """The months that have rows in the store, oldest first."""
    from feedback_analysis import store

    months = store.read_posts(settings.posts_dir, columns=["month"])["month"]
    return sorted(str(m) for m in months.dropna().unique())


def month_title(month: str, lang: str) -> str:
    """'oktober 2026' or 'October 2026'."""
    year, number = month.split("-")
    names = _MONTHS_NL if lang == "nl" else _MONTHS_EN
    return f"{names[int(number) - 1]} {year}"


def resolve_config_path(config_path: Path | None) -> Path | None:
    """The config file the settings came from: the one given, else ``feedback_analysis.yaml`` if present."""
    if config_path is not None:
        return Path(config_path).resolve()
    local = Path(USER_CONFIG_NAME)
    return local.resolve() if local.is_file() else None


# --- the inputs fingerprint ------------------------------------------------------------------------

def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class InputHasher:
    """Digests of a month's report inputs; caches what several months share (one per run).

    Under ``<data-dir>/processed/`` (hidden files skipped):

    * store partitions ``posts/month=YYYY-MM/*`` count for that month and every later one;
    * Parquet tables with a ``post_id`` column (scores, threads) count with the rows of posts of the
      month and the months before it, in any order;
    * JSON files with a ``history`` list of rows that have a ``month`` (the topic registry) count with
      the rows up to the month (the rest of such a file is derived from its history);
    * a file whose path names a later month does not count; any other file counts as a whole.
    """

    def __init__(self, settings: Settings, notebook: Path, config_path: Path | None) -> None:
        self.settings = settings
        self.notebook = Path(notebook)
        self.config_path = config_path
        self._files: dict[Path, str] = {}
        self._rows: dict[Path, tuple[Any, Any, str] | None] = {}
        self._post_months: Any = None

    def digests(self, month: str, lang: str) -> dict[str, str]:
        """Name -> digest for every input of the month's report in ``lang``."""
        items = {
            "fingerprint": str(FINGERPRINT_VERSION),
            "month": month,
            "lang": lang,
            "package": __version__,
            "notebook": self._file(self.notebook),
            "config": self._file(self.config_path) if self.config_path else "none",
        }
        processed = self.settings.processed_dir
        if processed.is_dir():
            for path in sorted(processed.rglob("*")):
                relative = path.relative_to(processed)
                if not path.is_file() or any(part.startswith(".") for part in relative.parts):
                    continue
                named = _MONTH_IN_PATH.findall(str(relative))
                if named and max(named) > month:
                    continue
                items[f"processed/{relative.as_posix()}"] = self._digest(path, month)
        return items

    def fingerprint(self, month: str, lang: str) -> tuple[str, dict[str, str]]:
        digests = self.digests(month, lang)
        text = json.dumps(digests, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), digests

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = _sha256_file(path) if path.is_file() else "missing"
        return self._files[path]

    def _digest(self, path: Path, month: str) -> str:
        if path.suffix == ".parquet" and not _MONTH_IN_PATH.search(str(path.relative_to(self.settings.processed_dir))):
            return self._row_digest(path, month, self._parquet_rows)
        if path.suffix == ".json":
            return self._row_digest(path, month, self._history_rows)
        return self._file(path)

    def _row_digest(self, path: Path, month: str, reader: Callable[[Path], tuple[Any, Any, str] | None]) -> str:
        """Digest of the rows of months up to ``month``, independent of row order."""
        import numpy as np

        if path not in self._rows:
            self._rows[path] = reader(path)
        rows = self._rows[path]
        if rows is None:  # not a table by month: the whole file counts
            return self._file(path)
        months, hashes, columns = rows
        chosen = np.sort(hashes[months <= month])
        return hashlib.sha256(columns.encode("utf-8") + chosen.tobytes()).hexdigest()

    def _parquet_rows(self, path: Path) -> tuple[Any, Any, str] | None:
        import pandas as pd
        import pyarrow.parquet as pq

        if "post_id" not in pq.read_schema(path).names:
            return None
        table = pd.read_parquet(path)
        months = table["post_id"].map(self._months_of_posts()).fillna("9999-99").astype(str).to_numpy()
        return months, self._hash_rows(table), ",".join(sorted(table.columns))

    def _history_rows(self, path: Path) -> tuple[Any, Any, str] | None:
        import pandas as pd

        try:
            history = json.loads(path.read_text("utf-8")).get("history")
        except (ValueError, AttributeError, UnicodeDecodeError):
            return None
        if not isinstance(history, list) or not all(isinstance(r, dict) and "month" in r for r in history):
            return None
        table = pd.DataFrame({"row": [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in history]})
        months = pd.Series([str(r["month"]) for r in history], dtype=object).to_numpy()
        return months, self._hash_rows(table), "history"

    @staticmethod
    def _hash_rows(table: Any) -> Any:
        import pandas as pd

        table = table[sorted(table.columns)].astype(str)
        return pd.util.hash_pandas_object(table, index=False).to_numpy()

    def _months_of_posts(self) -> Any:
        if self._post_months is None:
            from feedback_analysis import store

            posts = store.read_posts(self.settings.posts_dir, columns=["post_id", "month"])
            self._post_months = posts.set_index("post_id")["month"].astype(str)
        return self._post_months


def read_figures_file(path: Path) -> dict[str, Any] | None:
    """The content of a figures file, or None when there is none or it cannot be read."""
    try:
        content = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def is_up_to_date(paths: ReportPaths, fingerprint: str) -> bool:
    """Whether the report files exist and were built from inputs with this fingerprint."""
    recorded = read_figures_file(paths.figures)
    return bool(recorded) and recorded.get("inputs") == fingerprint and paths.html.is_file() \
        and paths.notebook.is_file()


def _changed_inputs(paths: ReportPaths, digests: dict[str, str]) -> list[str]:
    recorded = (read_figures_file(paths.figures) or {}).get("input_digests") or {}
    names = sorted(set(recorded) | set(digests))
    return [name for name in names if recorded.get(name) != digests.get(name)]


# --- locking and files -----------------------------------------------------------------------------

def report_lock(reports_dir: Path) -> contextlib.AbstractContextManager[None]:
    """An exclusive, non-blocking lock on the reports folder (``.lock``) while building."""
    return exclusive_lock(Path(reports_dir) / ".lock", ReportLockedError,
                          "another report run is busy; try again when it has finished")


def _write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file already holds it; True when written."""
    if path.is_file() and path.read_text("utf-8") == text:
        return False
    _write_text_atomic(path, text)
    return True


# --- the kernel ------------------------------------------------------------------------------------

def _kernel_manager_class():
    """A kernel manager that starts ``sys.executable -m ipykernel_launcher``, needing no registered
    kernelspec, with the environment in its ``kernel_env`` and the kernel's own log in ``kernel_log``."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Dict, Unicode

    class ProjectKernelManager(AsyncKernelManager):
        kernel_env = Dict(config=True)
        kernel_log = Unicode("", config=True)

        @property
        def kernel_spec(self):  # the base class would look the name up among registered kernels
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)", language="python", env=dict(self.kernel_env))
            return self._kernel_spec

        async def start_kernel(self, **kw):
            # The kernel's own messages (start-up notices, shutdown) go to a log, not to the user's terminal.
            if not self.kernel_log:
                return await super().start_kernel(**kw)
            with open(self.kernel_log, "ab") as log:
                return await super().start_kernel(stdout=log, stderr=log, **kw)

    return ProjectKernelManager


def kernel_environment(settings: Settings, figures_path: Path) -> dict[str, str]:
    """Environment variables set for the kernel (on top of this process's environment).

    Jupyter, IPython and matplotlib folders default to ``<data-dir>/.cache/`` (values already set in
    the environment are kept); charts draw inline whatever ``MPLBACKEND`` says here; warnings are off.
    """
    cache = Path(settings.data_dir).resolve() / ".cache"
    folders = {
        "JUPYTER_CONFIG_DIR": cache / "jupyter" / "config",
        "JUPYTER_DATA_DIR": cache / "jupyter" / "data",
        "JUPYTER_RUNTIME_DIR": cache / "jupyter" / "runtime",
        "IPYTHONDIR": cache / "ipython",
        "MPLCONFIGDIR": cache / "matplotlib",
    }
    env: dict[str, str] = {}
    for name, default in folders.items():
        folder = Path(os.environ.get(name) or default)
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.update({
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONWARNINGS": "ignore",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "TQDM_DISABLE": "1",
        FIGURES_ENV: str(figures_path),
    })
    return env


def execute_notebook(notebook: Path, output: Path, parameters: dict[str, str], env: dict[str, str],
                     timeout: int = DEFAULT_TIMEOUT, kernel_log: Path | None = None) -> None:
    """Run ``notebook`` with papermill into ``output`` on this interpreter's kernel.

    Raises papermill's or nbclient's exception when a cell fails or runs longer than ``timeout`` seconds.
    """
    import papermill
    from traitlets.config import Config

    manager = _kernel_manager_class()
    config = Config({manager.__name__: {"kernel_env": env, "kernel_log": str(kernel_log or "")}})
    with _papermill_log(kernel_log):
        papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name="python3", language="python",
            progress_bar=False, log_output=False, execution_timeout=timeout, start_timeout=120,
            kernel_manager_class=manager, config=config,
        )


@contextlib.contextmanager
def _papermill_log(path: Path | None) -> Iterator[None]:
    """Send papermill's (and nbclient's) log to ``path`` instead of the terminal: the runner reports
    failures itself, in one line."""
    import logging

    logger = logging.getLogger("papermill")
    handler: logging.Handler = logging.FileHandler(path, encoding="utf-8") if path else logging.NullHandler()
    handler.setFormatter(logging.Formatter("[papermill] %(levelname)s | %(message)s"))
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        handler.close()


# --- building --------------------------------------------------------------------------------------

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
        for leftover in self.reports_dir.glob(".work-*"):  # from a run that was killed
            shutil.rmtree(leftover, ignore_errors=True)

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
            changed = _changed_inputs(paths, digests) if paths.figures.exists() else ["new report"]
            if not changed and self.pdf:
                changed = ["no PDF yet"]
        started = time.monotonic()
        work = self.reports_dir / f".work-{uuid.uuid4().hex[:8]}"
        work.mkdir(parents=True)
        try:
            result = self._run(month, paths, fingerprint, digests, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result.changed = changed
        result.seconds = time.monotonic() - started
        return result

    def _run(self, month: str, paths: ReportPaths, fingerprint: str, digests: dict[str, str], work: Path) -> ReportResult:
        import nbformat

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
            notebook_node = nbformat.read(executed, as_version=4)
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
        figures = read_figures_file(published) if published.exists() else None
        if figures is None:
            result.warnings.append(f"{self.notebook.name} published no figures (call report.publish_figures)")
        record = {
            "month": month, "lang": self.lang, "report": paths.html.name, "notebook": paths.notebook.name,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "package_version": __version__,
            "figures": figures or {}, "inputs": fingerprint, "input_digests": digests,
        }
        (work / paths.html.name).write_text(page, encoding="utf-8")
        if self.pdf:
            self.notify(f"{month}: printing {paths.pdf.name}")
            try:
                print_pdf(work / paths.html.name, work / paths.pdf.name)
            except PdfError as exc:
                raise ReportFailedError(f"report {month} failed: {exc}", None) from exc
        (work / paths.figures.name).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8")

        # Move in: each file replaces its old version in one step; the figures file, which holds the
        # fingerprint, goes last, so an interruption in between only means a rebuild next time.
        paths.folder.mkdir(parents=True, exist_ok=True)
        if not self.pdf:  # a PDF of an earlier build would no longer match the HTML
            paths.pdf.unlink(missing_ok=True)
        for target in (paths.html, *([paths.pdf] if self.pdf else []), paths.notebook, paths.figures):
            (work / target.name).replace(target)
        for stale in (self._failed_path(paths), self._failed_path(paths).with_suffix(".kernel.log")):
            stale.unlink(missing_ok=True)
        return result

    def _failed_path(self, paths: ReportPaths) -> Path:
        return self.reports_dir / ".failed" / paths.notebook.name

    def _keep_failed(self, executed: Path, paths: ReportPaths) -> Path | None:
        if not executed.exists():
            return None
        target = self._failed_path(paths)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(executed), target)
        log = executed.parent / "kernel.log"
        if log.exists() and log.stat().st_size:
            shutil.move(str(log), target.with_suffix(".kernel.log"))
        return target


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


# --- the index -------------------------------------------------------------------------------------

def __getattr__(name: str) -> Any:
    """``FIGURE_LABELS`` and ``headline_figures`` moved to :mod:`feedback_analysis.report_index`."""
    if name in {"FIGURE_LABELS", "headline_figures"}:
        from feedback_analysis import report_index

        return getattr(report_index, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_index(reports_dir: Path, municipality: str, lang: str = "nl") -> str:
    """The reports index page in ``lang`` (see :mod:`feedback_analysis.report_index`)."""
    from feedback_analysis.report_index import render_index as render

    return render(reports_dir, municipality, lang)


def write_index(reports_dir: Path, municipality: str, lang: str = "nl") -> Path:
    """Rebuild ``reports/index.html`` in ``lang``; the file is only rewritten when its content changes."""
    path = Path(reports_dir) / "index.html"
    _write_if_changed(path, render_index(reports_dir, municipality, lang))
    return path
