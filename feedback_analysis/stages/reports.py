"""Reports: what ``report --pending`` does, so the Python API can do all the CLI does."""

from __future__ import annotations

from collections.abc import Callable

from feedback_analysis.config import Settings
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.stages.topics import update_topics


class TopicsError(ValueError):
    """The topics of a month could not be modelled before its report."""


def _refresh_topics(settings: Settings, up_to: str, notify: Callable[[str], None], progress: ProgressCallback) -> None:
    """Topics of every month up to ``up_to`` that are missing or older than their data (the report shows them)."""
    if settings.posts_dir.exists():  # a month without data fails in the report, with its own message
        try:
            update_topics(settings, up_to, notify=notify, progress=progress)
        except (ValueError, OSError) as exc:
            raise TopicsError(f"topics: {exc}") from exc


def build_month_report(settings: Settings, month: str, *, notify: Callable[[str], None] = lambda message: None,
                       progress: ProgressCallback = no_progress, **options):
    """What ``report --month`` does: the topics up to ``month`` that are missing or out of date, then the
    month's report (``report.build_report``, which takes ``options``). Returns its ``ReportResult``.
    Raises :class:`TopicsError` when the topics cannot be modelled."""
    from feedback_analysis import report as reports

    _refresh_topics(settings, month, notify, progress)
    return reports.build_report(settings, month, notify=notify, **options)


def build_pending_reports(settings: Settings, *, notify: Callable[[str], None] = lambda message: None, **options):
    """Topics of every month up to the last complete month that are missing or older than their data,
    then every pending report (``report.build_pending``, which takes ``options``). Returns its
    ``PendingResult``. Raises :class:`TopicsError` when the topics cannot be modelled."""
    from feedback_analysis import report as reports

    _refresh_topics(settings, reports.last_complete_month(settings.timezone, options.get("now")), notify,
                    options.get("progress", no_progress))
    return reports.build_pending(settings, notify=notify, **options)
