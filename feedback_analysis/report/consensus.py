"""Section 6: negative top-level posts per service by what the replies say (shared, contested or
isolated), and examples of shared complaints."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from feedback_analysis.report.formatting import format_number
from feedback_analysis.report.selection import QUOTE_CHARS, _distinct, _label, month_posts, readable_text
from feedback_analysis.report.tables import _html_table, _markdown_inline, _paragraph
from feedback_analysis.report.texts import text
from feedback_analysis.threads import CONSENSUS_LABELS as CONSENSUS


def _negative_top_posts(posts: pd.DataFrame, month: str) -> pd.DataFrame:
    rows = month_posts(posts, month)
    rows = rows[(rows["kind"] == "post") & (rows["sentiment"] == "negative")
                & ~rows["is_duplicate"].fillna(False).astype(bool)
                & rows["thread_service"].fillna("").astype(str).ne("")].copy()
    # A post without replies that take a side has one voice: isolated.
    consensus = rows["consensus"] if "consensus" in rows.columns else pd.Series(np.nan, index=rows.index)
    rows["consensus"] = consensus.fillna("isolated").astype(str)
    for column in ("replies", "agree", "disagree"):
        values = rows[column] if column in rows.columns else pd.Series(0, index=rows.index)
        rows[column] = values.fillna(0).astype(int)
    return rows


def consensus_table(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None,
                    lang: str = "nl") -> pd.DataFrame:
    """Negative top-level posts per service by what the replies say.

    In: scored posts with the thread columns (``consensus``, ``replies``, ...). Out: one row per service
    with negative posts this month, columns ``service, label, posts, shared, contested, isolated``
    (a post whose replies take no side, or that has none, is isolated), most shared first.
    """
    rows = _negative_top_posts(posts, month)
    columns = ["service", "label", "posts", *CONSENSUS]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = pd.crosstab(rows["thread_service"].astype(str), rows["consensus"])
    table = table.reindex(columns=list(CONSENSUS), fill_value=0)
    table["posts"] = table.sum(axis=1)
    table = table.rename_axis(index="service", columns=None).reset_index()
    table["label"] = [_label(s, labels, lang) for s in table["service"]]
    table = table.sort_values(["shared", "posts", "label"], ascending=[False, False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def consensus_html(consensus: pd.DataFrame, lang: str = "nl") -> str:
    """:func:`consensus_table` as an HTML table with a total row."""
    if consensus.empty:
        return _paragraph(_markdown_inline(text("consensus.empty", lang)))
    names = text("consensus.columns", lang)
    total = {"label": text("all_services", lang), **{c: consensus[c].sum() for c in ["posts", *CONSENSUS]}}
    rows = pd.concat([consensus, pd.DataFrame([total])], ignore_index=True)
    table = pd.DataFrame({names["service"]: rows["label"],
                          **{names[c]: [format_number(v, lang) for v in rows[c]] for c in ["posts", *CONSENSUS]}})
    return _html_table(table, wide=[names["service"]], bold_last_row=True)


def shared_examples(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None, lang: str = "nl",
                    count: int = 5, max_chars: int = QUOTE_CHARS) -> pd.DataFrame:
    """Examples of shared complaints: negative top-level posts labelled ``shared``.

    Out: at most ``count`` rows, columns ``service, label, text, replies, agree`` (masked text, shortened),
    the most agreed-with first, one per service before a second of the same service.
    """
    rows = _negative_top_posts(posts, month)
    rows = rows[rows["consensus"] == "shared"]
    columns = ["service", "label", "text", "replies", "agree"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.sort_values(["agree", "replies", "created_at"], ascending=[False, False, False], kind="stable")
    rows = rows[_distinct(rows["text"])]
    rows["rank"] = rows.groupby("thread_service").cumcount()
    rows = rows.sort_values(["rank", "agree", "replies"], ascending=[True, False, False], kind="stable").head(count)
    return pd.DataFrame({
        "service": rows["thread_service"].astype(str).to_numpy(),
        "label": [_label(s, labels, lang) for s in rows["thread_service"]],
        "text": [readable_text(t, lang, max_chars) for t in rows["text"]],
        "replies": rows["replies"].to_numpy(),
        "agree": rows["agree"].to_numpy(),
    })


def shared_examples_html(examples: pd.DataFrame, lang: str = "nl") -> str:
    """:func:`shared_examples` as an HTML table under a short title."""
    title = _paragraph(_markdown_inline(text("consensus.examples_title", lang)))
    if examples.empty:
        return title + _paragraph(_markdown_inline(text("consensus.no_examples", lang)))
    names = text("consensus.example_columns", lang)
    table = pd.DataFrame({names["service"]: examples["label"], names["text"]: examples["text"],
                          names["replies"]: [format_number(v, lang) for v in examples["replies"]],
                          names["agree"]: [format_number(v, lang) for v in examples["agree"]]})
    return title + _html_table(table, wide=[names["service"], names["text"]])

