"""Reports: what ``report --pending`` does, so the Python API can do all the CLI does."""

from __future__ import annotations

from collections.abc import Callable

from feedback_analysis.config import Settings
from feedback_analysis.progress import no_progress
from feedback_analysis.stages.topics import update_topics


class TopicsError(ValueError):
    """The topics of a month could not be modelled before its report."""


def build_pending_reports(settings: Settings, *, notify: Callable[[str], None] = lambda message: None, **options):
    """Topics of every month up to the last complete month that are missing or older than their data,
    then every pending report (``report.build_pending``, which takes ``options``). Returns its
    ``PendingResult``. Raises :class:`TopicsError` when the topics cannot be modelled."""
    from feedback_analysis import report as reports

    if settings.posts_dir.exists():  # the report shows the topics
        try:
            update_topics(settings, reports.last_complete_month(settings.timezone, options.get("now")), notify=notify,
                          progress=options.get("progress", no_progress))
        except (ValueError, OSError) as exc:
            raise TopicsError(f"topics: {exc}") from exc
    return reports.build_pending(settings, notify=notify, **options)
