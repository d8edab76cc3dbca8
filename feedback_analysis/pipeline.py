"""The stages in order, as one Python API over the store layer (``store/``, the only code that touches the
data folder): ingest (``stages/survey.py``, ``stages/ingest.py``), enrich, topics and reports (``stages/``),
and the privacy operations (``store/erasure.py``). The CLI is a thin layer over these names."""

# ruff: noqa: F401 - every name below is re-exported as the Python API
from feedback_analysis.stages.enrich import SCORE_BATCH_ROWS, EnrichReport, enrich, load_scored_posts, read_scores
from feedback_analysis.stages.ingest import PARALLEL_MIN_ROWS, StagingError, ingest
from feedback_analysis.stages.reports import TopicsError, build_month_report, build_pending_reports
from feedback_analysis.stages.survey import FileSummary, IngestReport, file_error, plausible_window, relative_label
from feedback_analysis.stages.topics import (
    TopicsReport,
    load_emerging_topics,
    load_month_topics,
    load_topic_history,
    model_month_topics,
    update_topics,
)
from feedback_analysis.store.erasure import RemovalReport, forget, forget_author, purge
