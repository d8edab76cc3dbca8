"""The Python API does what the CLI does: a report (one month or the pending ones) refreshes the topics first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedback_analysis import pipeline
from feedback_analysis import report as reports
from feedback_analysis.stages import reports as stage


@pytest.fixture
def calls(settings, monkeypatch):
    """The order in which topics and reports were asked for, with the month each went up to."""
    done: list[tuple[str, str]] = []
    settings.posts_dir.mkdir(parents=True)
    monkeypatch.setattr(stage, "update_topics", lambda settings, up_to, **kw: done.append(("topics", up_to)))
    monkeypatch.setattr(reports, "build_report", lambda settings, month, **kw: done.append(("report", month)) or "built")
    monkeypatch.setattr(reports, "build_pending", lambda settings, **kw: done.append(("pending", "")) or "pending")
    return done


def test_a_month_report_models_the_topics_up_to_that_month_first(settings, calls):
    assert pipeline.build_month_report(settings, "2026-03", force=True) == "built"
    assert calls == [("topics", "2026-03"), ("report", "2026-03")]


def test_the_pending_reports_model_the_topics_up_to_the_last_complete_month_first(settings, calls):
    now = datetime(2026, 4, 10, tzinfo=UTC)
    assert pipeline.build_pending_reports(settings, now=now) == "pending"
    assert calls == [("topics", "2026-03"), ("pending", "")]


def test_topics_that_cannot_be_modelled_stop_the_report_with_one_line(settings, calls, monkeypatch):
    def broken(settings, up_to, **kw):
        raise ValueError("no data for 2026-03")

    monkeypatch.setattr(stage, "update_topics", broken)
    with pytest.raises(pipeline.TopicsError, match=r"^topics: no data for 2026-03$"):
        pipeline.build_month_report(settings, "2026-03")
    assert calls == []


def test_without_a_store_there_are_no_topics_to_model(settings, calls):
    settings.posts_dir.rmdir()
    pipeline.build_month_report(settings, "2026-03")
    assert calls == [("report", "2026-03")]


def test_the_municipality_name_is_kept_out_of_topic_labels(settings):
    import dataclasses

    import pandas as pd

    from feedback_analysis.stages import topics as topic_stage
    from feedback_analysis.topics import topics_by_group

    named = dataclasses.replace(settings, municipality="Sint-Denderbeke")
    assert topic_stage.municipality_words(named) == ("sint", "denderbeke")
    posts = pd.DataFrame({
        "text": [f"Denderbeke: het containerpark is weer dicht ({i})" for i in range(6)],
        "topic": [0] * 6, "topic_label": ["x"] * 6, "service": ["afval"] * 6, "sentiment": ["negative"] * 6,
    })
    words = topics_by_group(posts, stop_words=topic_stage.municipality_words(named))["words"].iloc[0]
    assert "denderbeke" not in str(words).lower() and "containerpark" in str(words).lower()
