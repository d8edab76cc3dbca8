"""Sections 3 and 4: the positive and negative share per service this month, with Wilson 95 % intervals
and changes, and per month over the trend window.

Shares are of all counted rows (positive + negative + neutral = 1; :func:`counted_posts` chooses the
rows); how a change is tested is in :mod:`feedback_analysis.report.statistics`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np
import pandas as pd

from feedback_analysis.report.formatting import (
    format_change,
    format_interval,
    format_number,
    format_percent,
    month_range,
    previous_month,
)
from feedback_analysis.report.selection import MEAN_MONTHS, TREND_MONTHS, _label, counted_posts
from feedback_analysis.report.statistics import ALPHA, SMALL_SAMPLE, two_proportion_test, wilson_interval
from feedback_analysis.report.tables import _html_table, _markdown_inline, _paragraph
from feedback_analysis.report.texts import text

MAIN_SERVICES = 6              # services drawn in the trend chart

SHARE_COLUMNS = [
    "service", "label", "n", "negative", "positive", "neutral", "neg_share", "pos_share",
    "neg_low", "neg_high", "pos_low", "pos_high",
    "prev_n", "prev_neg_share", "prev_pos_share", "neg_change", "neg_p", "neg_significant",
    "pos_change", "pos_p", "pos_significant",
    "mean3_n", "mean3_neg_share", "neg_change_mean3", "neg_p_mean3", "neg_significant_mean3",
    "small_sample",
]


def _sentiment_counts(counted: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Counts per (key, month): ``n, negative, positive, neutral``."""
    frame = pd.DataFrame({"key": key.to_numpy(), "month": counted["month"].astype(str).to_numpy(),
                          "sentiment": counted["sentiment"].astype(str).to_numpy()})
    table = pd.crosstab([frame["key"], frame["month"]], frame["sentiment"])
    for column in ("negative", "positive", "neutral"):
        if column not in table.columns:
            table[column] = 0
    table["n"] = table[["negative", "positive", "neutral"]].sum(axis=1)
    return table[["n", "negative", "positive", "neutral"]]


def _share_stats(counts: pd.DataFrame, month: str, min_n: int, alpha: float) -> pd.DataFrame:
    """One row per key with rows in ``month``: shares, intervals and changes (see :func:`service_shares`)."""
    keys = [key for key in counts.index.get_level_values(0).unique()
            if (key, month) in counts.index and counts.loc[(key, month), "n"] > 0]

    def period(months: list[str]) -> pd.DataFrame:
        chosen = counts[counts.index.get_level_values(1).isin(months)]
        return chosen.groupby(level=0).sum().reindex(keys, fill_value=0)

    now = period([month])
    prev = period([previous_month(month)])
    mean3 = period(month_range(previous_month(month), MEAN_MONTHS))
    out = pd.DataFrame({"service": keys})
    out["n"] = now["n"].to_numpy()
    for column in ("negative", "positive", "neutral"):
        out[column] = now[column].to_numpy()
    n = out["n"].to_numpy(dtype=float)
    out["neg_share"] = out["negative"] / n
    out["pos_share"] = out["positive"] / n
    out["neg_low"], out["neg_high"] = wilson_interval(out["negative"], n)
    out["pos_low"], out["pos_high"] = wilson_interval(out["positive"], n)

    def compare(other: pd.DataFrame, column: str):
        other_n = other["n"].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            other_share = np.where(other_n > 0, other[column].to_numpy(dtype=float) / other_n, np.nan)
        _, p = two_proportion_test(out[column].to_numpy(dtype=float), n, other[column].to_numpy(dtype=float), other_n)
        p = np.atleast_1d(p)
        tested = (n >= min_n) & (other_n >= min_n)
        significant = tested & (np.nan_to_num(p, nan=1.0) < alpha)
        return other_n.astype(int), other_share, out[column].to_numpy() / n - other_share, p, significant

    out["prev_n"], out["prev_neg_share"], out["neg_change"], out["neg_p"], out["neg_significant"] = \
        compare(prev, "negative")
    _, out["prev_pos_share"], out["pos_change"], out["pos_p"], out["pos_significant"] = compare(prev, "positive")
    out["mean3_n"], out["mean3_neg_share"], out["neg_change_mean3"], out["neg_p_mean3"], \
        out["neg_significant_mean3"] = compare(mean3, "negative")
    out["small_sample"] = out["n"] < min_n
    return out


def service_shares(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None,
                   lang: str = "nl", min_n: int = SMALL_SAMPLE, alpha: float = ALPHA) -> pd.DataFrame:
    """Positive and negative share per service for ``month``, with intervals and changes.

    In: scored posts of ``month`` and the (up to) three months before (:func:`counted_posts` chooses the
    rows), ``labels`` from :func:`service_labels`. Out: one row per service with rows this month, most
    rows first; columns :data:`SHARE_COLUMNS`: ``n`` and the ``negative / positive / neutral`` counts;
    ``neg_share, pos_share`` with Wilson 95 % bounds ``neg_low, neg_high, pos_low, pos_high``;
    against the previous month ``prev_n, prev_neg_share, prev_pos_share``, the changes ``neg_change,
    pos_change`` (shares, not points), p-values ``neg_p, pos_p`` of the pooled two-proportion z-test and
    ``neg_significant, pos_significant`` (p < ``alpha`` and both periods at least ``min_n`` rows);
    against the three months before pooled (their average weighted by rows) ``mean3_n, mean3_neg_share,
    neg_change_mean3, neg_p_mean3, neg_significant_mean3``; ``small_sample`` when ``n < min_n``.
    """
    counted = counted_posts(posts)
    counts = _sentiment_counts(counted, counted["thread_service"].astype(str))
    out = _share_stats(counts, month, min_n, alpha) if len(counts) else pd.DataFrame(columns=SHARE_COLUMNS)
    out["label"] = [_label(s, labels, lang) for s in out["service"]]
    out = out.sort_values(["n", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[SHARE_COLUMNS]


def overall_shares(posts: pd.DataFrame, month: str, lang: str = "nl", min_n: int = SMALL_SAMPLE,
                   alpha: float = ALPHA) -> pd.DataFrame:
    """The same figures as :func:`service_shares` over all services together: one row (``service`` '*',
    ``label`` "Alle diensten samen"), or no row when nothing counts this month."""
    counted = counted_posts(posts)
    counts = _sentiment_counts(counted, pd.Series("*", index=counted.index))
    out = _share_stats(counts, month, min_n, alpha) if len(counts) else pd.DataFrame(columns=SHARE_COLUMNS)
    out["label"] = text("all_services", lang)
    return out[SHARE_COLUMNS].reset_index(drop=True)


def _change_cell(change: float, significant: bool, lang: str) -> str:
    cell = format_change(change, lang)
    return f"{cell}\u00a0*" if significant else cell


def _share_cell(share: float, low: float, high: float, lang: str) -> str:
    """A share with its interval on a second, smaller line (``38 %`` over ``(31–45 %)``), so the column
    stays narrow."""
    interval = html.escape(f"({format_interval(low, high, lang)})", quote=False)
    return f'{html.escape(format_percent(share, lang), quote=False)}<span class="ci">{interval}</span>'


def shares_html(shares: pd.DataFrame, lang: str = "nl", overall: pd.DataFrame | None = None,
                min_n: int = SMALL_SAMPLE) -> str:
    """The per-service table (from :func:`service_shares`, plus the :func:`overall_shares` row) as HTML,
    with a note on how to read it."""
    if shares.empty:
        return _paragraph(_markdown_inline(text("shares.empty", lang)))
    rows = pd.concat([shares, overall], ignore_index=True) if overall is not None and len(overall) else shares
    names = text("shares.columns", lang)
    table = pd.DataFrame({
        names["service"]: rows["label"],
        names["n"]: [format_number(v, lang) for v in rows["n"]],
        names["negative"]: [_share_cell(s, lo, hi, lang)
                            for s, lo, hi in zip(rows["neg_share"], rows["neg_low"], rows["neg_high"])],
        names["negative_prev"]: [_change_cell(c, s, lang) for c, s in zip(rows["neg_change"], rows["neg_significant"])],
        names["negative_mean3"]: [_change_cell(c, s, lang)
                                  for c, s in zip(rows["neg_change_mean3"], rows["neg_significant_mean3"])],
        names["positive"]: [_share_cell(s, lo, hi, lang)
                            for s, lo, hi in zip(rows["pos_share"], rows["pos_low"], rows["pos_high"])],
        names["positive_prev"]: [_change_cell(c, s, lang) for c, s in zip(rows["pos_change"], rows["pos_significant"])],
        names["note"]: [text("shares.small", lang) if small else "" for small in rows["small_sample"]],
    })
    bold_last = overall is not None and len(overall) > 0
    note = _markdown_inline(text("shares.note", lang, min_n=min_n).strip())
    table_html = _html_table(table, wide=[names["service"], names["note"]], bold_last_row=bold_last,
                             raw=[names["negative"], names["positive"]])
    return table_html + _paragraph(note, small=True)



def monthly_trend(posts: pd.DataFrame, month: str, labels: Mapping[str, str] | None = None, lang: str = "nl",
                  months: int = TREND_MONTHS) -> pd.DataFrame:
    """Negative and positive share per service and month, for the ``months`` months up to ``month``.

    Out: one row per service and month (from the first month with data; months without rows have
    ``n`` 0 and NaN shares), columns ``month, service, label, n, negative, positive, neg_share, pos_share,
    neg_low, neg_high, pos_low, pos_high``, sorted by service and month.
    """
    window = month_range(month, months)
    counted = counted_posts(posts[posts["month"].astype(str).isin(window)])
    columns = ["month", "service", "label", "n", "negative", "positive", "neg_share", "pos_share",
               "neg_low", "neg_high", "pos_low", "pos_high"]
    if counted.empty:
        return pd.DataFrame(columns=columns)
    window = window[window.index(min(counted["month"].astype(str))):]
    counts = _sentiment_counts(counted, counted["thread_service"].astype(str))
    services = sorted(counts.index.get_level_values(0).unique())
    full = pd.MultiIndex.from_product([services, window], names=["service", "month"])
    table = counts.rename_axis(["service", "month"]).reindex(full, fill_value=0).reset_index()
    n = table["n"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["neg_share"] = np.where(n > 0, table["negative"] / n, np.nan)
        table["pos_share"] = np.where(n > 0, table["positive"] / n, np.nan)
    table["neg_low"], table["neg_high"] = wilson_interval(table["negative"], n)
    table["pos_low"], table["pos_high"] = wilson_interval(table["positive"], n)
    table["label"] = [_label(s, labels, lang) for s in table["service"]]
    return table[columns]


def main_services(trend: pd.DataFrame, count: int = MAIN_SERVICES) -> list[str]:
    """The ``count`` services with the most rows over the trend window (from :func:`monthly_trend`)."""
    if trend.empty:
        return []
    totals = trend.groupby("service")["n"].sum().sort_values(ascending=False, kind="stable")
    return [s for s in totals.index[:count] if totals[s] > 0]

