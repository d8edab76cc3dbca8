"""Section 5, topics: the themes per service and the new and growing topics, or the most discussed posts
in a month with too little text for themes. (Moved verbatim from ``report_data.py``.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from feedback_analysis.report.formatting import _join, format_number, short_date
from feedback_analysis.report.selection import QUOTE_CHARS, _label, _reactions, month_posts, readable_text
from feedback_analysis.report.tables import _html_table
from feedback_analysis.report.texts import escape_markdown, text

# --- 5. topics --------------------------------------------------------------------------------------------

TOPIC_COLUMNS = ("service", "sentiment", "topic_label", "words", "size", "status", "examples")


def main_topics(topics: pd.DataFrame | None, sentiment: str = "negative") -> dict[str, str]:
    """Service id -> label of its largest shown topic (:func:`shown_topics`) among ``sentiment`` texts, for
    :func:`key_findings`.

    In: the topics table (columns :data:`TOPIC_COLUMNS`) or None. Out: {} when there are no topics.
    """
    topics = shown_topics(topics)
    if topics.empty:
        return {}
    chosen = topics[topics["sentiment"] == sentiment]
    chosen = chosen.sort_values("size", ascending=False, kind="stable").drop_duplicates("service")
    return {str(s): str(label) for s, label in zip(chosen["service"], chosen["topic_label"]) if s}


MIN_THEME_TEXTS = 150  # fewer texts in the month: too little text for themes, the most discussed posts instead
MIN_CELL_POSTS = 3
MIN_CELL_COVERAGE = 0.6  # replies take their thread's topic without its words: a cell must show its label is read in most


def shown_topics(topics: pd.DataFrame | None, per_group: int = 3,
                 sentiments: tuple[str, ...] = ("negative", "positive")) -> pd.DataFrame:
    """The topics "Waarover gaat het?" shows: per service and sentiment the ``per_group`` largest with a label
    that at least ``MIN_CELL_COVERAGE`` of their texts contain and at least ``MIN_CELL_POSTS`` texts; the rest
    is no theme (a cell whose texts share no words reads as "overige")."""
    if topics is None or topics.empty:
        return pd.DataFrame(columns=list(TOPIC_COLUMNS))
    topics = topics.copy()
    topics["service"] = topics["service"].fillna("").astype(str)
    label = topics["topic_label"].fillna("").astype(str)
    coverage = pd.to_numeric(topics["coverage"], errors="coerce") if "coverage" in topics else pd.Series(1.0, index=topics.index)
    keep = label.ne("") & label.ne("overige") & (topics["size"] >= MIN_CELL_POSTS) & (coverage.fillna(0) >= MIN_CELL_COVERAGE)
    keep &= topics["service"].ne("") & topics["sentiment"].isin(sentiments)
    kept = topics[keep].sort_values("size", ascending=False, kind="stable")
    return kept.groupby(["service", "sentiment"], sort=False).head(per_group).reset_index(drop=True)


def _topic_item(row: Mapping[str, Any], lang: str) -> str:
    return text("topics.item", lang, label=escape_markdown(row["topic_label"]), size=format_number(row["size"], lang))


def _emerging_lines(emerging: pd.DataFrame, lang: str, labels: Mapping[str, str] | None, max_emerging: int,
                    n_examples: int) -> list[str]:
    lines = [text("topics.emerging_title", lang), ""]
    emerging = emerging[emerging["status"].fillna("").isin(["nieuw", "groeiend"])]
    emerging = emerging.sort_values(["status", "posts"], ascending=[False, False], kind="stable").head(max_emerging)
    if emerging.empty:
        return [*lines, f"- {text('topics.no_emerging', lang)}"]
    for _, row in emerging.iterrows():
        services = [_label(s, labels, lang) for s in list(row.get("services") or [])]
        started = row.get("started") or ""
        lines.append("- " + text("topics.emerging_item", lang, label=escape_markdown(row["label"]),
                                 services=escape_markdown(_join(services, lang)) if services else text("topics.no_service", lang),
                                 status=text("topic_status", lang).get(row["status"], row["status"]),
                                 size=format_number(row["posts"], lang), authors=format_number(row.get("authors") or 0, lang),
                                 started=short_date(pd.Timestamp(started), lang) if started else "?"))
        for example in list(row.get("examples") or [])[:n_examples]:
            lines.append(f"    - “{escape_markdown(readable_text(example, lang, QUOTE_CHARS))}”")
    return lines


def topics_text(topics: pd.DataFrame | None, lang: str = "nl", labels: Mapping[str, str] | None = None,
                services: list[str] | None = None, per_group: int = 3, max_emerging: int = 8,
                n_examples: int = 2, emerging: pd.DataFrame | None = None, n_texts: int | None = None) -> str:
    """Topics per service (negative versus positive) and the new and growing ones, as Markdown.

    In: a topics table with columns :data:`TOPIC_COLUMNS` (``pipeline.load_month_topics``: one row per
    service, sentiment and topic, labelled from those texts), or None when the topic stage has not run: then
    one sentence says topics are not available. ``emerging``: one row per new or growing topic
    (``pipeline.load_emerging_topics``: ``label, status, posts, authors, services, started, examples``).
    ``n_texts``: the month's texts; below :data:`MIN_THEME_TEXTS` the section says there is too little text
    for themes (show :func:`discussed_posts_html` under it). ``services`` limits and orders the services
    shown (default: most texts first); only :func:`shown_topics` are listed; examples are masked again.
    """
    if n_texts is not None and n_texts < MIN_THEME_TEXTS:
        return text("topics.too_little", lang, n=format_number(n_texts, lang), minimum=MIN_THEME_TEXTS).strip()
    if topics is None or topics.empty:
        return text("topics.unavailable", lang).strip()
    shown = shown_topics(topics, per_group)
    order = services or list(shown.groupby("service")["size"].sum().sort_values(ascending=False).index)
    lines: list[str] = []
    for service in order:
        own = shown[shown["service"] == service]
        if own.empty:
            continue
        lines.append(f"**{escape_markdown(_label(service, labels, lang))}**")
        lines.append("")
        for sentiment in ("negative", "positive"):
            chosen = own[own["sentiment"] == sentiment]
            items = "; ".join(_topic_item(r, lang) for _, r in chosen.iterrows()) or text("topics.none", lang)
            lines.append(f"- {text(f'topics.{sentiment}', lang)}: {items}")
        lines.append("")
    if emerging is not None:
        lines += _emerging_lines(emerging, lang, labels, max_emerging, n_examples)
    return "\n".join(lines).strip()


def discussed_posts(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None, lang: str = "nl",
                    count: int = 5) -> pd.DataFrame:
    """The month's most discussed top-level posts (replies, then reactions), for months too small for themes.

    Out: columns ``post_id`` and the shown ``Dienst/Service``, ``Reacties/Replies``, ``Tekst/Text`` (masked)."""
    rows = month_posts(posts, month)
    rows = rows[(rows["kind"] == "post") & ~rows["is_duplicate"].fillna(False).astype(bool)].copy()
    if rows.empty:
        return pd.DataFrame(columns=["post_id", *text("topics.discussed_columns", lang)])
    replies = pd.to_numeric(rows["replies"], errors="coerce").fillna(0) if "replies" in rows else 0
    rows["_replies"] = replies
    rows["_reactions"] = _reactions(rows)
    rows = rows.sort_values(["_replies", "_reactions", "created_at"], ascending=[False, False, True], kind="stable").head(count)
    service, answers, content = text("topics.discussed_columns", lang)
    return pd.DataFrame({
        "post_id": rows["post_id"].astype(str).tolist(),
        service: [_label(s, labels, lang) if s else "" for s in rows["thread_service"].fillna("").astype(str)],
        answers: [format_number(int(r), lang) for r in rows["_replies"]],
        content: [readable_text(t, lang, QUOTE_CHARS) for t in rows["text"]],
    })


def discussed_posts_html(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None,
                         lang: str = "nl", min_texts: int = MIN_THEME_TEXTS) -> str:
    """The table of :func:`discussed_posts` when the month has fewer than ``min_texts`` texts, else ""."""
    if len(month_posts(posts, month)) >= min_texts:
        return ""
    table = discussed_posts(posts, month, labels, lang)
    return _html_table(table.drop(columns=["post_id"]), wide=[table.columns[-1]]) if len(table) else ""


def topics_audit(topics: pd.DataFrame | None, emerging: pd.DataFrame | None = None, per_group: int = 3) -> list[dict]:
    """Every topic the report shows, for figures.json: ``label, services, sentiment, status, size, post_ids``
    (the per-service themes of :func:`shown_topics`, then the new and growing topics, ``sentiment`` "")."""
    audit = []
    for _, row in shown_topics(topics, per_group).iterrows():
        audit.append({"label": str(row["topic_label"]), "services": [str(row["service"])],
                      "sentiment": str(row["sentiment"]), "status": str(row.get("status") or ""),
                      "size": int(row["size"]), "post_ids": [str(i) for i in list(row.get("post_ids") or [])]})
    if emerging is not None:
        for _, row in emerging.iterrows():
            audit.append({"label": str(row["label"]), "services": [str(s) for s in list(row.get("services") or [])],
                          "sentiment": "", "status": str(row["status"]), "size": int(row["posts"]),
                          "post_ids": [str(i) for i in list(row.get("post_ids") or [])]})
    return audit

