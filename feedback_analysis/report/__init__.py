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

The package, one concern a module:

* building: :mod:`~.runner` (a run over months), :mod:`~.kernel` (papermill and the kernel),
  :mod:`~.fingerprint` (is a report up to date), :mod:`~.publish` (figures from the notebook),
  :mod:`~.export` (HTML and PDF), :mod:`~.index` (the reports index), :mod:`~.layout` (paths and months),
  :mod:`~.errors`; every file it reads or writes under the data and reports folders goes through
  :mod:`feedback_analysis.store.reports`;
* the report's content, called section by section by the notebook (also as :mod:`feedback_analysis.report_data`):
  :mod:`~.texts`, :mod:`~.formatting`, :mod:`~.statistics`, :mod:`~.selection`, :mod:`~.tables`, the
  sections :mod:`~.coverage`, :mod:`~.findings`, :mod:`~.shares` (and trend), :mod:`~.topics`,
  :mod:`~.consensus`, :mod:`~.compliments`, :mod:`~.flagged`, :mod:`~.method`, the key figures
  :mod:`~.figures`, and the charts :mod:`~.charts` (also as :mod:`feedback_analysis.plots`).
"""

from __future__ import annotations

from typing import Any

from feedback_analysis.report.errors import NoDataError, ReportError, ReportFailedError, ReportLockedError
from feedback_analysis.report.export import (
    REMOVE_CELL_TAGS,
    REMOVE_OUTPUT_TAGS,
    PdfError,
    export_html,
    external_resources,
    find_chromium,
    print_pdf,
)
from feedback_analysis.report.fingerprint import FINGERPRINT_VERSION, InputHasher, is_up_to_date
from feedback_analysis.report.kernel import DEFAULT_TIMEOUT, execute_notebook, kernel_environment
from feedback_analysis.report.layout import (
    LANGUAGES,
    ReportPaths,
    check_month,
    data_months,
    last_complete_month,
    month_title,
    resolve_config_path,
)
from feedback_analysis.report.publish import FIGURES_ENV, publish_figures
from feedback_analysis.report.runner import (
    DEFAULT_NOTEBOOK,
    MAX_HTML_BYTES,
    PARAMETERS,
    PendingResult,
    ReportResult,
    build_pending,
    build_report,
    pending_months,
    render_index,
    report_lock,
    write_index,
)
from feedback_analysis.store.reports import read_figures_file

__all__ = [
    "DEFAULT_NOTEBOOK", "DEFAULT_TIMEOUT", "FIGURES_ENV", "FINGERPRINT_VERSION", "LANGUAGES", "MAX_HTML_BYTES",
    "PARAMETERS", "REMOVE_CELL_TAGS", "REMOVE_OUTPUT_TAGS", "InputHasher", "NoDataError", "PdfError",
    "PendingResult", "ReportError", "ReportFailedError", "ReportLockedError", "ReportPaths", "ReportResult",
    "build_pending", "build_report", "check_month", "data_months", "execute_notebook", "export_html",
    "external_resources", "find_chromium", "is_up_to_date", "kernel_environment", "last_complete_month",
    "month_title", "pending_months", "print_pdf", "publish_figures", "read_figures_file", "render_index",
    "report_lock", "resolve_config_path", "write_index",
]


def __getattr__(name: str) -> Any:
    """``FIGURE_LABELS`` and ``headline_figures`` live in :mod:`feedback_analysis.report.index`."""
    if name in {"FIGURE_LABELS", "headline_figures"}:
        from feedback_analysis.report import index

        return getattr(index, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
