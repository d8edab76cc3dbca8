"""The monthly report's tables and sentences, section by section: now the package :mod:`feedback_analysis.report`.

This module keeps ``from feedback_analysis import report_data`` working for the report notebook, the
exploratory notebooks and the tests; the code lives in one module per concern: texts
(:mod:`feedback_analysis.report.texts`), numbers and months (``formatting``), statistics, which rows count
(``selection``), HTML tables (``tables``), and the sections ``coverage``, ``findings``, ``shares`` (and
trend), ``topics``, ``consensus``, ``compliments``, ``flagged``, ``method`` and the key figures (``figures``).
"""

from __future__ import annotations

from feedback_analysis.report.compliments import (
    compliments,
    compliments_count,
    compliments_html,
    compliments_summary,
)
from feedback_analysis.report.consensus import (
    consensus_html,
    consensus_table,
    shared_examples,
    shared_examples_html,
)
from feedback_analysis.report.coverage import (
    SHRUNK_MIN_AVERAGE,
    SHRUNK_SOURCE,
    coverage,
    coverage_text,
    header,
    volume_by_month,
)
from feedback_analysis.report.figures import (
    key_figures,
)
from feedback_analysis.report.findings import (
    key_findings,
    service_sentence,
)
from feedback_analysis.report.flagged import (
    EXCERPT_CHARS,
    flagged_html,
    flagged_posts,
    flagged_summary,
    readable_reason,
)
from feedback_analysis.report.formatting import (
    count_noun,
    format_change,
    format_days,
    format_interval,
    format_number,
    format_percent,
    month_name,
    month_range,
    previous_month,
    short_date,
)
from feedback_analysis.report.method import (
    _benchmark_value,
    analyst_accuracy,
    benchmark_lines,
    labels_accuracy,
    method_text,
    quality_figures,
)
from feedback_analysis.report.selection import (
    MEAN_MONTHS,
    QUOTE_CHARS,
    TREND_MONTHS,
    counted_posts,
    load_report_posts,
    month_posts,
    readable_text,
    service_labels,
)
from feedback_analysis.report.shares import (
    MAIN_SERVICES,
    SHARE_COLUMNS,
    main_services,
    monthly_trend,
    overall_shares,
    service_shares,
    shares_html,
)
from feedback_analysis.report.statistics import (
    ALPHA,
    SMALL_SAMPLE,
    Z_95,
    two_proportion_test,
    wilson_interval,
)
from feedback_analysis.report.tables import (
    _html_table,
)
from feedback_analysis.report.texts import (
    LANGS,
    SECTIONS,
    contents_html,
    escape_markdown,
    report_text,
    section,
    section_id,
    text,
)
from feedback_analysis.report.topics import (
    MIN_CELL_COVERAGE,
    MIN_CELL_POSTS,
    MIN_THEME_TEXTS,
    TOPIC_COLUMNS,
    discussed_posts,
    discussed_posts_html,
    main_topics,
    shown_topics,
    topics_audit,
    topics_text,
)
from feedback_analysis.schema import KINDS, REACTION_COLUMNS
from feedback_analysis.threads import CONSENSUS_LABELS as CONSENSUS

__all__ = [
    "LANGS",
    "report_text",
    "text",
    "SECTIONS",
    "section_id",
    "section",
    "contents_html",
    "escape_markdown",
    "format_number",
    "format_percent",
    "format_interval",
    "format_change",
    "count_noun",
    "month_name",
    "short_date",
    "month_range",
    "previous_month",
    "format_days",
    "Z_95",
    "ALPHA",
    "SMALL_SAMPLE",
    "wilson_interval",
    "two_proportion_test",
    "TREND_MONTHS",
    "MEAN_MONTHS",
    "QUOTE_CHARS",
    "month_posts",
    "load_report_posts",
    "counted_posts",
    "service_labels",
    "readable_text",
    "_html_table",
    "SHRUNK_SOURCE",
    "SHRUNK_MIN_AVERAGE",
    "coverage",
    "coverage_text",
    "header",
    "volume_by_month",
    "MAIN_SERVICES",
    "SHARE_COLUMNS",
    "service_shares",
    "overall_shares",
    "shares_html",
    "monthly_trend",
    "main_services",
    "service_sentence",
    "key_findings",
    "TOPIC_COLUMNS",
    "main_topics",
    "MIN_THEME_TEXTS",
    "MIN_CELL_POSTS",
    "MIN_CELL_COVERAGE",
    "shown_topics",
    "topics_text",
    "discussed_posts",
    "discussed_posts_html",
    "topics_audit",
    "consensus_table",
    "consensus_html",
    "shared_examples",
    "shared_examples_html",
    "compliments",
    "compliments_summary",
    "compliments_html",
    "compliments_count",
    "EXCERPT_CHARS",
    "flagged_posts",
    "readable_reason",
    "flagged_summary",
    "flagged_html",
    "_benchmark_value",
    "quality_figures",
    "benchmark_lines",
    "labels_accuracy",
    "analyst_accuracy",
    "method_text",
    "key_figures",
    "KINDS",
    "REACTION_COLUMNS",
    "CONSENSUS",
]
