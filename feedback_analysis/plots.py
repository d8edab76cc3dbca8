"""Charts of the monthly report: now :mod:`feedback_analysis.report.charts` (this name keeps working)."""

from feedback_analysis.report.charts import (  # noqa: F401 - re-exported
    CONSENSUS_COLOURS,
    DPI,
    GREY,
    KIND_COLOURS,
    NARROW,
    NEGATIVE,
    PHONE_DPI,
    PHONE_WIDTH,
    POSITIVE,
    STYLE,
    WIDTH,
    as_image,
    chart_html,
    figure_html,
    plot_consensus,
    plot_service_shares,
    plot_trend,
    plot_volume,
    to_png,
)
