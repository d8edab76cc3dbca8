"""The reports index page: now :mod:`feedback_analysis.report.index` (this name keeps working)."""

from feedback_analysis.report.index import (  # noqa: F401 - re-exported
    CSS,
    EARLIER_FIGURES,
    FIGURE_LABELS,
    LATEST_FIGURES,
    TEMPLATE,
    TREND_MONTHS,
    headline_figures,
    render_index,
)
