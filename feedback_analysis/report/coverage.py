"""Section 1, the header: what the month's data covers and its gaps, and the volume per month."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from feedback_analysis.report.formatting import (
    _join,
    format_days,
    format_number,
    month_name,
    month_range,
    previous_month,
)
from feedback_analysis.report.selection import MEAN_MONTHS, TREND_MONTHS, _local, counted_posts, month_posts
from feedback_analysis.report.texts import _source_name, escape_markdown, text
from feedback_analysis.schema import KINDS

SHRUNK_SOURCE = 0.5            # a source below this share of its recent average is reported as a gap ...
SHRUNK_MIN_AVERAGE = 20        # ... when that average is at least this many rows


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.dropna().astype(str).value_counts().items()}


def coverage(posts: pd.DataFrame, month: str, timezone: str = "Europe/Brussels") -> dict[str, Any]:
    """What the month's data covers, and its gaps.

    In: store rows (scored or not) of at least this month and the months before. Out: a dict with
    ``month, rows, posts, comments, replies`` (all rows), ``duplicates``, ``counted`` (rows that count per
    service), ``unscored``, ``sources`` and ``groups`` (name -> rows), and the gaps: ``missing_days`` (days
    of the month without a single row, in ``timezone``), ``missing_sources`` and ``missing_groups`` (in the
    previous month, not in this one: name -> rows last month), ``new_sources`` (name -> rows; only when the
    previous month has data), ``shrunk_sources`` (name -> [rows, recent average]: under half the average of
    the three months before) and ``previous_rows``.
    """
    rows = month_posts(posts, month)
    previous = month_posts(posts, previous_month(month))
    kinds = rows["kind"].astype(str).value_counts()
    sources = _counts(rows["source"])
    previous_sources = _counts(previous["source"])
    groups = _counts(rows["group_name"])
    previous_groups = _counts(previous["group_name"])

    days_in_month = pd.Period(month, freq="M").days_in_month
    seen = set(_local(rows["created_at"], timezone).dt.day.tolist()) if len(rows) else set()
    missing_days = [day for day in range(1, days_in_month + 1) if day not in seen] if len(rows) else []

    earlier_months = month_range(previous_month(month), MEAN_MONTHS)
    earlier = posts[posts["month"].astype(str).isin(earlier_months)]
    shrunk: dict[str, list[float]] = {}
    if len(earlier):
        per_month = earlier.groupby([earlier["source"].astype(str), earlier["month"].astype(str)]).size()
        months_with_data = earlier["month"].astype(str).nunique()
        for source, count in sources.items():
            average = per_month.get(source, pd.Series(dtype=int)).sum() / months_with_data
            if average >= SHRUNK_MIN_AVERAGE and count < SHRUNK_SOURCE * average:
                shrunk[source] = [count, round(float(average), 1)]

    counted = counted_posts(rows) if {"thread_service", "sentiment"} <= set(rows.columns) else rows.iloc[0:0]
    unscored = int(rows["sentiment"].isna().sum()) if "sentiment" in rows.columns else len(rows)
    return {
        "month": month,
        "rows": len(rows),
        "posts": int(kinds.get("post", 0)),
        "comments": int(kinds.get("comment", 0)),
        "replies": int(kinds.get("reply", 0)),
        "duplicates": int(rows["is_duplicate"].fillna(False).astype(bool).sum()),
        "counted": len(counted),
        "unscored": unscored,
        "sources": sources,
        "groups": groups,
        "missing_days": missing_days,
        "missing_sources": {s: n for s, n in previous_sources.items() if s not in sources},
        "new_sources": {s: n for s, n in sources.items() if s not in previous_sources} if previous_sources else {},
        "shrunk_sources": shrunk,
        "missing_groups": {g: n for g, n in previous_groups.items() if g not in groups},
        "previous_rows": len(previous),
    }



def coverage_text(cover: Mapping[str, Any], lang: str = "nl") -> str:
    """The "which data" part of the header, with the gaps, as Markdown (from :func:`coverage`)."""
    month = cover["month"]
    if not cover["rows"]:
        return text("coverage.no_data", lang, month_name=month_name(month, lang)).strip()
    def n(value: float) -> str:
        return format_number(value, lang)

    facts = [text("coverage.rows", lang, rows=n(cover["rows"]), posts=n(cover["posts"]),
                  comments=n(cover["comments"]), replies=n(cover["replies"])).strip()]
    facts.append(text("coverage.sources", lang, sources=_join(
        [f"{escape_markdown(_source_name(s, lang))} ({n(c)})" for s, c in cover["sources"].items()], lang)))
    if cover["groups"]:
        facts.append(text("coverage.groups", lang, groups=_join(
            [f"{escape_markdown(g)} ({n(c)})" for g, c in cover["groups"].items()], lang)))
    else:
        facts.append(text("coverage.no_groups", lang))
    if cover["duplicates"]:
        facts.append(text("coverage.duplicates", lang, duplicates=n(cover["duplicates"])))
    facts.append(text("coverage.about_service", lang, counted=n(cover["counted"])))
    if cover["unscored"]:
        facts.append(text("coverage.unscored", lang, unscored=n(cover["unscored"])))

    gaps = []
    if cover["missing_days"]:
        gaps.append(text("coverage.missing_days", lang, days=format_days(cover["missing_days"], month, lang)))
    for source, rows in cover["missing_sources"].items():
        gaps.append(text("coverage.missing_source", lang, source=escape_markdown(_source_name(source, lang)),
                         rows=n(rows)))
    for source, rows in cover["new_sources"].items():
        gaps.append(text("coverage.new_source", lang, source=escape_markdown(_source_name(source, lang)), rows=n(rows)))
    for source, (rows, average) in cover["shrunk_sources"].items():
        gaps.append(text("coverage.shrunk_source", lang, source=escape_markdown(_source_name(source, lang)),
                         rows=n(rows), average=n(average)))
    for group, rows in cover["missing_groups"].items():
        gaps.append(text("coverage.missing_group", lang, group=escape_markdown(group), rows=n(rows)))
    if not cover["previous_rows"]:
        gaps.append(text("coverage.previous_missing", lang))
    lines = [f"### {text('coverage.title', lang)}", "", *[f"- {fact}" for fact in facts], "",
             text("coverage.gaps_title", lang), ""]
    lines += [f"- {gap}" for gap in gaps] if gaps else [f"- {text('coverage.no_gaps', lang)}"]
    return "\n".join(lines)


def header(municipality: str, month: str, cover: Mapping[str, Any], lang: str = "nl",
           today: date | None = None) -> str:
    """The report's title, what it answers and for whom, and what the data covers, as Markdown."""
    name = month_name(month, lang)
    today = today or date.today()
    made = f"{today.day} {text('months', lang)[today.month - 1]} {today.year}"
    return "\n\n".join([
        f"# {text('header.title', lang, municipality=escape_markdown(municipality))}",
        f"## {text('header.subtitle', lang, month_name=name)}",
        text("header.intro", lang, month_name=name).strip(),
        f"*{text('header.made', lang, date=made)}*",
        coverage_text(cover, lang),
    ])


def volume_by_month(posts: pd.DataFrame, month: str, months: int = TREND_MONTHS) -> pd.DataFrame:
    """Rows per month and kind, without copy-paste duplicates, for the ``months`` months up to ``month``.

    Out: one row per month (from the first month with data), columns ``month, post, comment, reply``.
    """
    window = month_range(month, months)
    rows = posts[posts["month"].astype(str).isin(window) & ~posts["is_duplicate"].fillna(False).astype(bool)]
    table = pd.crosstab(rows["month"].astype(str), rows["kind"].astype(str))
    table = table.reindex(index=window, columns=list(KINDS), fill_value=0)
    with_data = table.sum(axis=1) > 0
    if with_data.any():
        table = table.loc[with_data.idxmax():]
    return table.rename_axis(index="month", columns=None).reset_index()

