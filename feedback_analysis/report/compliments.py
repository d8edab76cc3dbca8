"""Section 7: compliments to pass on to the teams."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from feedback_analysis.report.formatting import count_noun, format_number, short_date
from feedback_analysis.report.selection import (
    QUOTE_CHARS,
    _distinct,
    _label,
    _local,
    _reactions,
    month_posts,
    readable_text,
)
from feedback_analysis.report.tables import _html_table
from feedback_analysis.report.texts import escape_markdown, text


# The stored ``compliment`` column is the one rule (``threads.is_compliment``, applied when scoring).
def _month_compliments(posts: pd.DataFrame, month: str) -> pd.DataFrame:
    rows = month_posts(posts, month)
    return rows[rows["compliment"].fillna(False).astype(bool) & ~rows["is_duplicate"].fillna(False).astype(bool)]


def compliments(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None, lang: str = "nl",
                timezone: str = "Europe/Brussels", per_service: int = 3, max_chars: int = QUOTE_CHARS) -> pd.DataFrame:
    """Compliments to pass on to the teams: up to ``per_service`` per service.

    In: scored posts (``compliment`` column). Out: columns ``service, label, created_at`` (local time),
    ``text`` (masked again, shortened), ``reactions`` (all Facebook reactions together); per service the
    most reacted-to and then the most recent first; services with the most compliments first, texts
    about no service ("Algemeen") last. No author column.
    """
    rows = _month_compliments(posts, month)
    columns = ["service", "label", "created_at", "text", "reactions"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(_service=rows["thread_service"].fillna("").astype(str), _reactions=_reactions(rows),
                       _when=_local(rows["created_at"], timezone))
    size = rows.groupby("_service").size()
    rows = rows.assign(_size=rows["_service"].map(size), _general=rows["_service"].eq(""))
    rows = rows.sort_values(["_general", "_size", "_service", "_reactions", "_when"],
                            ascending=[True, False, True, False, False], kind="stable")
    rows = rows[_distinct(rows["text"], rows["_service"])].groupby("_service", sort=False).head(per_service)
    return pd.DataFrame({
        "service": rows["_service"].to_numpy(),
        "label": [_label(s, labels, lang) for s in rows["_service"]],
        "created_at": rows["_when"].to_numpy(),
        "text": [readable_text(t, lang, max_chars) for t in rows["text"]],
        "reactions": rows["_reactions"].to_numpy(),
    })


def compliments_summary(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None,
                        lang: str = "nl") -> str:
    """One sentence: how many compliments this month, and which service got the most."""
    rows = _month_compliments(posts, month)
    if rows.empty:
        return text("compliments.empty", lang)
    services = rows["thread_service"].fillna("").astype(str)
    with_service = services[services != ""]
    top = with_service.value_counts().index[0] if len(with_service) else ""
    return text("compliments.summary", lang, compliments=count_noun(len(rows), "compliment", lang),
                service=escape_markdown(_label(top, labels, lang)))


def compliments_html(selected: pd.DataFrame, lang: str = "nl") -> str:
    """:func:`compliments` as an HTML table (service, date, text, reactions)."""
    if selected.empty:
        return ""  # compliments_summary already says there are none
    names = text("compliments.columns", lang)
    table = pd.DataFrame({names["service"]: selected["label"],
                          names["date"]: [short_date(d, lang) for d in selected["created_at"]],
                          names["text"]: selected["text"],
                          names["reactions"]: [format_number(v, lang) for v in selected["reactions"]]})
    return _html_table(table, wide=[names["service"], names["text"]])



def compliments_count(posts: pd.DataFrame, month: str) -> int:
    """Number of compliments this month (no copies)."""
    return len(_month_compliments(posts, month))
