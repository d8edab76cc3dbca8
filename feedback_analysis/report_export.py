"""The report's HTML and PDF export: now :mod:`feedback_analysis.report.export` (this name keeps working)."""

from feedback_analysis.report.export import (  # noqa: F401 - re-exported
    CHROMIUM_FLAGS,
    CHROMIUM_NAMES,
    PDF_TIMEOUT,
    REMOVE_CELL_TAGS,
    REMOVE_OUTPUT_TAGS,
    REPORT_CSS,
    PdfError,
    export_html,
    external_resources,
    find_chromium,
    print_pdf,
)
