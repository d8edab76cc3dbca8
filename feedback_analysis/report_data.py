"""The monthly report's tables and sentences: pure functions over the scored posts.

The report notebook (``notebooks/reports/monthly_report.ipynb``) loads the scored posts of the last twelve
months once (:func:`feedback_analysis.pipeline.load_scored_posts`) and calls these functions section by
section. Nothing here reads the data folder; the only files read are the packaged texts
(``resources/report_text.yaml``) and, in :func:`service_labels`, the service taxonomy.

Three kinds of function:

* tables (DataFrames): :func:`coverage`, :func:`service_shares`, :func:`overall_shares`,
  :func:`monthly_trend`, :func:`volume_by_month`, :func:`consensus_table`, :func:`shared_examples`,
  :func:`compliments`, :func:`flagged_posts`, :func:`labels_accuracy`, :func:`key_figures` (a dict);
* sentences (Markdown strings, in ``nl`` or ``en``): :func:`section`, :func:`header`, :func:`key_findings`,
  :func:`topics_text`, :func:`compliments_summary`, :func:`flagged_summary`, :func:`method_text`;
* HTML for display, styled by the report's style sheet (:mod:`feedback_analysis.report_export`):
  :func:`shares_html`, :func:`consensus_html`, :func:`shared_examples_html`, :func:`compliments_html`,
  :func:`flagged_html` (tables whose rows become cards on a phone) and :func:`contents_html` (the table of
  contents, linking to the headings of :func:`section`).

Which rows count for the figures per service: rows with a ``thread_service`` (their own service, or the
service of the post they reply to), that are no copy-paste duplicate (``is_duplicate``) and have been scored.
Every language counts. Shares are of all counted rows (positive + negative + neutral = 1), with a Wilson
95 % interval; a change is *significant* when a pooled two-proportion z-test gives p < 0.05 and both
periods hold at least :data:`SMALL_SAMPLE` rows (the normal approximation is poor below that).

Texts shown in the report are already masked in the store; they are masked once more for phone numbers,
e-mail addresses and names (:func:`readable_text`) and never come with an author id.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

LANGS = ("nl", "en")
Z_95 = 1.959963984540054       # two-sided 95 % normal quantile
ALPHA = 0.05                   # significance level of the change tests
SMALL_SAMPLE = 30              # fewer rows than this: "weinig teksten, voorzichtig interpreteren"
TREND_MONTHS = 12              # months in the trend chart (and loaded by the notebook)
MEAN_MONTHS = 3                # the "3-month average" compared with
MAIN_SERVICES = 6              # services drawn in the trend chart
EXCERPT_CHARS = 160            # flagged posts are shown truncated to this many characters
QUOTE_CHARS = 220              # compliments and shared complaints
SHRUNK_SOURCE = 0.5            # a source below this share of its recent average is reported as a gap ...
SHRUNK_MIN_AVERAGE = 20        # ... when that average is at least this many rows
KINDS = ("post", "comment", "reply")
CONSENSUS = ("shared", "contested", "isolated")
REACTION_COLUMNS = ("reactions_like", "reactions_love", "reactions_care", "reactions_haha", "reactions_wow",
                    "reactions_sad", "reactions_angry")


# --- texts --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def report_text() -> dict[str, Any]:
    """The parsed ``resources/report_text.yaml``: one mapping per language."""
    raw = resources.files("feedback_analysis").joinpath("resources/report_text.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"report language must be 'nl' or 'en', got {lang!r}")
    return lang


def text(key: str, lang: str = "nl", **values: Any) -> Any:
    """The report text at dotted ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Returns the raw value (a list or mapping) when ``key`` points to one.
    """
    node: Any = report_text()[_check_lang(lang)]
    for part in key.split("."):
        node = node[part]
    return node.format(**values) if isinstance(node, str) and values else node


# The report's sections in the order the notebook shows them (the table of contents follows it).
SECTIONS = ("findings", "shares", "trend", "topics", "consensus", "compliments", "flagged", "method")


def section_id(name: str) -> str:
    """The HTML id of a section's heading, the same in every language: ``section-compliments``."""
    return f"section-{name}"


def section(name: str, lang: str = "nl") -> str:
    """Heading and introduction of a report section (``sections.<name>`` in the texts), as Markdown.

    The heading is an HTML ``<h2>`` with the id of :func:`section_id` (and class ``fa-section``, where the
    printed report starts a new page), so that the table of contents can link to it."""
    parts = text(f"sections.{name}", lang)
    body = [value.strip() for key, value in parts.items() if key != "title"]
    title = html.escape(parts["title"], quote=False)
    return "\n\n".join([f'<h2 id="{section_id(name)}" class="fa-section">{title}</h2>', *body])


def contents_html(lang: str = "nl", sections: Iterable[str] = SECTIONS) -> str:
    """A short table of contents: a list of links to the sections' headings (:func:`section`)."""
    items = "".join(f'<li><a href="#{section_id(name)}">{html.escape(text(f"sections.{name}.title", lang), quote=False)}'
                    f"</a></li>" for name in sections)
    label = html.escape(text("contents", lang), quote=False)
    return f'<nav class="fa-contents" aria-label="{label}"><p class="fa-contents-title">{label}</p><ol>{items}</ol></nav>'


def escape_markdown(value: object) -> str:
    """``value`` as literal Markdown text: HTML and Markdown syntax in posts cannot change the report."""
    escaped = html.escape(str(value), quote=False)
    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", escaped)


# --- numbers, months and dates ----------------------------------------------------------------------

def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_number(value: float, lang: str = "nl", decimals: int = 0) -> str:
    """A number with thousands separators: ``1.234,5`` in Dutch, ``1,234.5`` in English; '–' if missing."""
    if _missing(value):
        return text("none", lang)
    formatted = f"{float(value):,.{decimals}f}"
    if lang == "nl":
        formatted = formatted.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return formatted


def format_percent(share: float, lang: str = "nl", decimals: int = 0) -> str:
    """A share in [0, 1] as a percentage: ``38 %`` (nl, with a no-break space) or ``38%`` (en); '–' if missing."""
    if _missing(share):
        return text("none", lang)
    number = format_number(100 * float(share), lang, decimals)
    return f"{number}\u00a0%" if lang == "nl" else f"{number}%"


def format_interval(low: float, high: float, lang: str = "nl") -> str:
    """An interval of shares: ``31–45 %``."""
    if _missing(low) or _missing(high):
        return text("none", lang)
    return f"{format_number(100 * low, lang)}–{format_percent(high, lang)}"


def format_change(change: float, lang: str = "nl") -> str:
    """A change of a share in percentage points, signed: ``+12 pt``, ``−3 pt``, ``0 pt``; '–' if missing."""
    if _missing(change):
        return text("none", lang)
    points = round(100 * float(change))
    sign = "+" if points > 0 else "\u2212" if points < 0 else ""
    return text("points", lang, points=f"{sign}{abs(points)}").replace(" ", "\u00a0")


def count_noun(count: int, noun: str, lang: str = "nl") -> str:
    """A count with its noun in singular or plural: ``1 tekst``, ``88 teksten`` (``nouns`` in the texts)."""
    singular, plural = text(f"nouns.{noun}", lang)
    return f"{format_number(count, lang)} {singular if count == 1 else plural}"


def _points_phrase(change: float, lang: str) -> str:
    points = abs(round(100 * float(change)))
    return text("findings.point" if points == 1 else "findings.points", lang, points=points)


def month_name(month: str, lang: str = "nl") -> str:
    """``'2026-10'`` -> ``'oktober 2026'`` (nl) or ``'October 2026'`` (en)."""
    period = pd.Period(month, freq="M")
    return f"{text('months', lang)[period.month - 1]} {period.year}"


def short_date(moment: pd.Timestamp, lang: str = "nl") -> str:
    """A day and short month: ``12 okt`` (nl), ``12 Oct`` (en)."""
    if _missing(moment) or pd.isna(moment):
        return text("none", lang)
    return f"{moment.day} {text('months_short', lang)[moment.month - 1]}"


def month_range(month: str, months: int) -> list[str]:
    """The ``months`` months ending with ``month`` (included), oldest first, as ``'YYYY-MM'``."""
    end = pd.Period(month, freq="M")
    return [str(end - offset) for offset in range(months - 1, -1, -1)]


def previous_month(month: str) -> str:
    """The month before ``month``: ``'2026-10'`` -> ``'2026-09'``."""
    return str(pd.Period(month, freq="M") - 1)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {text('and', lang)} {items[-1]}"


def _day_runs(days: Iterable[int]) -> list[str]:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]


def format_days(days: Iterable[int], month: str, lang: str = "nl") -> str:
    """Days of ``month`` as readable runs: ``3–5, 17 en 20 oktober`` / ``October 3–5, 17 and 20``."""
    name = text("months", lang)[pd.Period(month, freq="M").month - 1]
    runs = _join(_day_runs(days), lang)
    return f"{runs} {name}" if lang == "nl" else f"{name} {runs}"


# --- statistics ------------------------------------------------------------------------------------------

def wilson_interval(successes, n, z: float = Z_95):
    """Wilson score interval for a proportion ``successes / n``: ``(low, high)``.

    Works on numbers or arrays; where ``n`` is 0 both bounds are NaN.
    """
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
        low = np.where(total > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(total > 0, np.clip(centre + half, 0, 1), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def two_proportion_test(k1, n1, k2, n2):
    """Pooled two-proportion z-test of ``k1/n1`` against ``k2/n2``: ``(z, p)``, p two-sided.

    Works on numbers or arrays; NaN where a sample is empty or both proportions are 0 or 1.
    """
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k1 / n1 - k2 / n2) / se
        z = np.where((n1 > 0) & (n2 > 0) & (se > 0), z, np.nan)
    p = np.vectorize(lambda v: math.erfc(abs(v) / math.sqrt(2)) if not math.isnan(v) else math.nan,
                     otypes=[float])(z)
    if np.ndim(z) == 0:
        return float(z), float(p)
    return z, p


# --- selecting rows ------------------------------------------------------------------------------------

def month_posts(posts: pd.DataFrame, month: str) -> pd.DataFrame:
    """The rows of ``posts`` whose ``month`` (Europe/Brussels month of the store) is ``month``."""
    return posts[posts["month"].astype(str) == month]


def counted_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The rows that count for the figures per service: a ``thread_service``, no duplicate, scored."""
    service = posts["thread_service"].fillna("").astype(str)
    duplicate = posts["is_duplicate"].fillna(False).astype(bool)
    scored = posts["sentiment"].notna()
    return posts[(service != "") & ~duplicate & scored]


def service_labels(lang: str = "nl", taxonomy: Path | str | None = None) -> dict[str, str]:
    """Service id -> report label in ``lang``, from the default taxonomy extended with ``taxonomy``."""
    from feedback_analysis.services import ServiceTaxonomy

    loaded = ServiceTaxonomy.load(taxonomy)
    return {sid: loaded.label(sid, _check_lang(lang)) for sid in loaded.ids}


def _label(service: str, labels: Mapping[str, str] | None, lang: str) -> str:
    if not service:
        return text("no_service", lang)
    if labels and service in labels:
        return labels[service]
    return service.replace("_", " ").capitalize()


def _local(moments: pd.Series, timezone: str) -> pd.Series:
    values = pd.to_datetime(moments, utc=True)
    return values.dt.tz_convert(timezone)


@lru_cache(maxsize=1)
def _name_masker():
    from feedback_analysis.privacy import NameMasker

    return NameMasker(())


_PLACEHOLDER_RE = re.compile(r"\[(NAME|PHONE|EMAIL|IBAN|NATIONAL_ID|PLATE|ADDRESS)\]|\[URL:[^\]\s]*\]")


def readable_text(value: object, lang: str = "nl", max_chars: int | None = None) -> str:
    """A stored (masked) text made ready to show: masked once more for phone numbers, e-mail addresses
    and first names in context, placeholders in words (``[naam]``), whitespace on one line, and cut at a
    word boundary with '…' after ``max_chars`` characters."""
    from feedback_analysis.privacy import mask_pii

    if _missing(value):
        return ""
    masked = _name_masker()(mask_pii(str(value)))
    names = text("placeholders", lang)
    shown = _PLACEHOLDER_RE.sub(lambda m: names[m.group(1) or "URL"], masked)
    shown = re.sub(r"\?{4,}", "???", " ".join(shown.split()))  # emoji lost in a Windows-1252 export
    if max_chars is not None and len(shown) > max_chars:
        cut = shown[: max_chars - 1]
        space = cut.rfind(" ")
        if space > max_chars * 0.6:
            cut = cut[:space]
        shown = cut.rstrip(" ,.;:") + "…"
    return shown


def _distinct(texts: pd.Series, groups: pd.Series | None = None, overlap: float = 0.5) -> np.ndarray:
    """Keep-mask over ``texts`` in their order: a text is dropped when it shares at least ``overlap`` of
    its words (Jaccard) with a kept text of the same group, so that one compliment or complaint reposted
    with a greeting around it is shown once."""
    groups = groups if groups is not None else pd.Series("", index=texts.index)
    kept: dict[object, list[frozenset[str]]] = {}
    keep = []
    for value, group in zip(texts.fillna("").astype(str), groups):
        words = frozenset(re.findall(r"\w{3,}", value.lower()))
        similar = any(len(words & other) / max(len(words | other), 1) >= overlap for other in kept.get(group, []))
        keep.append(not similar)
        if not similar:
            kept.setdefault(group, []).append(words)
    return np.asarray(keep, dtype=bool)


# --- 1. header: what the data covers ----------------------------------------------------------------

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


def _source_name(source: str, lang: str) -> str:
    return text("sources", lang).get(source, source)


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


# --- 3. positive and negative per service ---------------------------------------------------------

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


# --- 2. key findings ------------------------------------------------------------------------------------

def _is_true(value: object) -> bool:
    return bool(value) and not _missing(value)


def service_sentence(row: Mapping[str, Any], lang: str = "nl", topic: str | None = None) -> str:
    """One finding about a service's negative share (a row of :func:`service_shares`), in plain words:
    "**Afval en netheid** (88 teksten): 38 % negatief, 12 punten meer dan vorige maand (een duidelijke
    stijging), vooral over de gemiste PMD-ophaling." ``topic`` is an optional short topic label."""
    change = row["neg_change"]
    if _missing(change) or not row["prev_n"]:
        phrase = text("findings.no_previous", lang)
    elif round(100 * change) == 0:
        phrase = text("findings.same", lang)
    else:
        key = "findings.more" if change > 0 else "findings.less"
        phrase = text(key, lang, points=_points_phrase(change, lang))
    if _is_true(row["neg_significant"]):
        phrase += f" ({text('findings.significant_up' if change > 0 else 'findings.significant_down', lang)})"
    elif _is_true(row.get("neg_significant_mean3")):
        mean_change = row["neg_change_mean3"]
        key = "findings.above_mean3" if mean_change > 0 else "findings.below_mean3"
        phrase += f" ({text(key, lang, share=format_percent(row['mean3_neg_share'], lang))})"
    elif _is_true(row["small_sample"]):
        phrase += f" ({text('findings.small', lang)})"
    elif not _missing(change) and row["prev_n"] and abs(round(100 * change)) >= 5:
        phrase += f" ({text('findings.maybe_chance', lang)})"
    sentence = text("findings.service_negative", lang, service=escape_markdown(row["label"]),
                    texts=count_noun(row["n"], "text", lang), share=format_percent(row["neg_share"], lang),
                    change=phrase)
    if topic:
        sentence += text("findings.topic", lang, topic=escape_markdown(topic))
    return sentence + "."


def _pick_services(shares: pd.DataFrame, count: int) -> list[int]:
    significant = shares[shares["neg_significant"] | shares["neg_significant_mean3"]]
    size = significant[["neg_change", "neg_change_mean3"]].abs().max(axis=1)
    chosen = list(size.sort_values(ascending=False, kind="stable").index)
    solid = shares[~shares["small_sample"]].sort_values("neg_share", ascending=False, kind="stable")
    rest = solid if len(solid) else shares
    chosen += [i for i in rest.index if i not in chosen]
    return chosen[:count]


def key_findings(shares: pd.DataFrame, lang: str = "nl", topic_labels: Mapping[str, str] | None = None,
                 overall: pd.DataFrame | None = None, consensus: pd.DataFrame | None = None,
                 flagged: pd.DataFrame | None = None, max_services: int = 4) -> str:
    """The month's key findings as a Markdown list of plain sentences.

    In: :func:`service_shares` (required), optionally ``topic_labels`` (service id -> short topic label,
    e.g. from :func:`main_topics`: adds "vooral over ..."), :func:`overall_shares`,
    :func:`consensus_table` and :func:`flagged_posts`. Services with a significant change come first,
    then the highest negative shares among services with enough rows; then the most positive service.
    """
    topic_labels = topic_labels or {}
    lines: list[str] = []
    if overall is not None and len(overall):
        row = overall.iloc[0]
        change = (text("findings.overall_change", lang, previous=format_percent(row["prev_neg_share"], lang))
                  if row["prev_n"] else text("findings.no_previous", lang))
        lines.append(text("findings.overall", lang, share_negative=format_percent(row["neg_share"], lang),
                          share_positive=format_percent(row["pos_share"], lang),
                          texts=count_noun(row["n"], "text", lang),
                          change=change).strip())
    if shares.empty:
        lines.append(text("findings.no_data", lang))
    else:
        chosen = _pick_services(shares, max_services)
        for index in chosen:
            row = shares.loc[index]
            lines.append(service_sentence(row, lang, topic_labels.get(row["service"])))
        compared = (shares["prev_n"] > 0).any()
        if compared and not (shares["neg_significant"] | shares["neg_significant_mean3"]).any():
            lines.append(text("findings.no_change", lang))
        solid = shares[~shares["small_sample"] & ~shares.index.isin(chosen) & (shares["positive"] > 0)]
        if len(solid):
            best = solid.loc[solid["pos_share"].idxmax()]
            lines.append(text("findings.service_positive", lang, service=escape_markdown(best["label"]),
                              texts=count_noun(best["n"], "text", lang),
                              share=format_percent(best["pos_share"], lang)) + ".")
    if consensus is not None:
        shared = int(consensus["shared"].sum()) if len(consensus) else 0
        if shared:
            top = consensus.loc[consensus["shared"].idxmax()]
            lines.append(text("findings.shared", lang, complaints=count_noun(shared, "complaint", lang),
                              service=escape_markdown(top["label"])))
        else:
            lines.append(text("findings.no_shared", lang))
    if flagged is not None:
        if len(flagged):
            threats = int((flagged["abuse"] == "threat").sum())
            lines.append(text("findings.flagged", lang, texts=count_noun(len(flagged), "text", lang),
                              threats=count_noun(threats, "threat", lang)))
        else:
            lines.append(text("findings.no_flagged", lang))
    return "\n".join(f"- {line}" for line in lines)


# --- 4. trend ----------------------------------------------------------------------------------------------

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


# --- 6. shared and isolated complaints -------------------------------------------------------------

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


# --- 7. compliments -----------------------------------------------------------------------------------

def _reactions(rows: pd.DataFrame) -> pd.Series:
    present = [c for c in REACTION_COLUMNS if c in rows.columns]
    if not present:
        return pd.Series(0, index=rows.index)
    return rows[present].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1).astype(int)


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


# --- 8. flagged posts ----------------------------------------------------------------------------------

def flagged_posts(posts: pd.DataFrame, month: str, lang: str = "nl", timezone: str = "Europe/Brussels",
                  max_chars: int = EXCERPT_CHARS) -> pd.DataFrame:
    """Texts flagged as offensive or threatening this month, for a person to review.

    Out: columns ``created_at`` (local time), ``kind``, ``where`` (group name, else the source),
    ``abuse`` (offensive / threat), ``reason`` (what matched, in words of ``lang``), ``action`` (the
    escalation step in ``lang``, from :data:`feedback_analysis.abuse.ESCALATION`), ``text`` (masked,
    cut at ``max_chars``); threats against staff first, then other threats, then the rest, each by time. Copies are kept: each one needs the same step.
    No author column.
    """
    from feedback_analysis.abuse import ESCALATION

    rows = month_posts(posts, month)
    rows = rows[rows["abuse"].fillna("none").isin(["offensive", "threat"])]
    columns = ["created_at", "kind", "where", "abuse", "reason", "action", "text"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    target = rows["abuse_target"] if "abuse_target" in rows else pd.Series("", index=rows.index)
    threat = rows["abuse"].eq("threat")
    rows = rows.assign(_rank=(~threat).astype(int) * 2 + (threat & target.ne("staff")).astype(int),
                       _when=_local(rows["created_at"], timezone))
    rows = rows.sort_values(["_rank", "_when"], kind="stable")
    where = rows["group_name"].where(rows["group_name"].notna() & rows["group_name"].astype(str).ne(""),
                                     rows["source"].map(lambda s: _source_name(str(s), lang)))
    return pd.DataFrame({
        "created_at": rows["_when"].to_numpy(),
        "kind": rows["kind"].astype(str).to_numpy(),
        "where": where.astype(str).to_numpy(),
        "abuse": rows["abuse"].astype(str).to_numpy(),
        "reason": [readable_reason(r, lang) for r in rows["abuse_reason"]],
        "action": [ESCALATION.get(a, {}).get(lang, "") for a in rows["abuse"]],
        "text": [readable_text(t, lang, max_chars) for t in rows["text"]],
    })


_REASON_KIND_RE = re.compile(r"^\s*([a-z]+(?: [a-z]+)?)(?=[\s:])")
_QUOTED_RE = re.compile(r"'([^']+)'")


def readable_reason(reason: object, lang: str = "nl") -> str:
    """The detector's reason ("insult 'debiel' aimed at 'die'; ...") in words of ``lang``:
    "belediging ('debiel')". Unknown kinds keep the detector's text."""
    if _missing(reason) or not str(reason).strip():
        return ""
    kinds = text("abuse_kinds", lang)
    parts = []
    for finding in str(reason).split(";"):
        match = _REASON_KIND_RE.match(finding)
        kind = match.group(1) if match else ""
        if kind not in kinds and kind.split(" ")[0] in kinds:
            kind = kind.split(" ")[0]
        quoted = _QUOTED_RE.findall(finding)
        if kind in kinds:
            parts.append(f"{kinds[kind]} ('{quoted[0]}')" if quoted else kinds[kind])
        else:
            parts.append(finding.strip())
    return "; ".join(dict.fromkeys(parts))


def flagged_summary(flagged: pd.DataFrame, lang: str = "nl") -> str:
    """One sentence: how many texts were flagged, and how many of them as threat."""
    if flagged.empty:
        return text("flagged.empty", lang)
    threats = int((flagged["abuse"] == "threat").sum())
    return text("flagged.summary", lang, texts=count_noun(len(flagged), "text", lang),
                offensive=format_number(len(flagged) - threats, lang), threats=count_noun(threats, "threat", lang))


def flagged_html(flagged: pd.DataFrame, lang: str = "nl") -> str:
    """:func:`flagged_posts` as an HTML table (date, where, kind of flag, excerpt, reason, next step)."""
    if flagged.empty:
        return ""
    names = text("flagged.columns", lang)
    kinds = text("kinds", lang)
    table = pd.DataFrame({
        names["date"]: [short_date(d, lang) for d in flagged["created_at"]],
        names["where"]: [f"{w} · {kinds.get(k, k)}" for w, k in zip(flagged["where"], flagged["kind"])],
        names["label"]: [text("abuse_labels", lang).get(a, a) for a in flagged["abuse"]],
        names["text"]: flagged["text"],
        names["reason"]: flagged["reason"],
        names["action"]: flagged["action"],
    })
    return _html_table(table, wide=[names["where"], names["text"], names["reason"], names["action"]])


# --- 9. method and limits ------------------------------------------------------------------------------

def _benchmark_value(item: Mapping[str, Any], value: float, lang: str) -> str:
    if item.get("unit") == "percent":
        return format_percent(value, lang, decimals=1 if 0 < value < 0.01 else 0)
    return format_number(value, lang, decimals=len(str(value).split(".")[-1]) if "." in str(value) else 0)


def quality_figures() -> dict[str, Any]:
    """The measured quality of each stage, as ``make bench`` wrote it to ``resources/quality.json``
    (``{stage: {"measured_on": date, "items": [...]}}``, see ``benchmarks/quality.py``)."""
    raw = resources.files("feedback_analysis").joinpath("resources/quality.json").read_text("utf-8")
    return json.loads(raw)


def benchmark_lines(lang: str = "nl") -> list[str]:
    """The measured quality of each stage (:func:`quality_figures`), one Markdown line each."""
    lines = []
    for stage, measured in quality_figures().items():
        items = measured["items"]
        rendered = []
        for item in items:
            metric = text(f"method.metrics.{item['metric']}", lang, value=_benchmark_value(item, item["value"], lang))
            data = text(f"method.data.{item['data']}", lang, n=format_number(item.get("n", 0), lang))
            baseline = ""
            if "baseline" in item:
                baseline = " (" + text(f"method.baselines.{item['baseline_name']}", lang,
                                       value=_benchmark_value(item, item["baseline"], lang)) + ")"
            rendered.append(text("method.benchmark_item", lang, metric=metric, data=data, baseline=baseline))
        lines.append(f"- {text(f'method.stages.{stage}', lang)}: {'; '.join(rendered)}.")
    return lines


def _macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == label and p == label for t, p in zip(truth, predicted))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores)) if scores else math.nan


_NO_SERVICE = {"none", "geen", "-", "–", "nvt", "n/a"}


def labels_accuracy(labels: pd.DataFrame, scores: pd.DataFrame, choice: Any = None) -> pd.DataFrame:
    """How well the scores agree with the analysts' labels (``<data-dir>/labels/*.csv``).

    In: labels from :func:`feedback_analysis.learning.load_labels` (``post_id`` and any of ``sentiment,
    service, abuse``; an empty cell is "not labelled", for service "none"/"geen" means no service) and
    scores with ``post_id`` and the same columns (``pipeline.read_scores``). Out: one row per labelled
    task with ``task, n, accuracy, macro_f1`` (labelled rows found among the scores); empty when none.

    ``choice``: the sentiment model choice on these labels (``learning.choose_sentiment_model``). When it
    holds cross-validated figures, the sentiment row gives those instead (a model trained on the labels
    would agree with them too well), with ``model`` (``learned`` or ``rules``, the one in use), ``folds``,
    ``rules_macro_f1`` and ``learned_macro_f1``; otherwise those columns are empty.
    """
    columns = ["task", "n", "accuracy", "macro_f1", "model", "folds", "rules_macro_f1", "learned_macro_f1"]
    if labels is None or labels.empty or "post_id" not in labels.columns or scores.empty:
        return pd.DataFrame(columns=columns)
    merged = labels.merge(scores, on="post_id", how="inner", suffixes=("_label", ""))
    rows = []
    for task in ("sentiment", "service", "abuse"):
        if f"{task}_label" not in merged.columns or task not in merged.columns:
            continue
        truth = merged[f"{task}_label"].fillna("").astype(str).str.strip()
        chosen = truth != ""
        truth = truth[chosen]
        if task == "service":
            truth = truth.where(~truth.str.lower().isin(_NO_SERVICE), "")
        predicted = merged.loc[chosen, task].fillna("").astype(str)
        if truth.empty:
            continue
        truth_list, predicted_list = truth.tolist(), predicted.tolist()
        accuracy = float(np.mean([t == p for t, p in zip(truth_list, predicted_list)]))
        rows.append({"task": task, "n": len(truth_list), "accuracy": accuracy,
                     "macro_f1": _macro_f1(truth_list, predicted_list)})
    if choice is not None and getattr(choice, "folds", 0) and choice.accuracy is not None:
        rows = [row for row in rows if row["task"] != "sentiment"]
        rows.insert(0, {"task": "sentiment", "n": choice.n_labels, "accuracy": choice.accuracy,
                        "macro_f1": choice.macro_f1, "model": choice.name, "folds": choice.folds,
                        "rules_macro_f1": choice.rules_macro_f1, "learned_macro_f1": choice.learned_macro_f1})
    return pd.DataFrame(rows, columns=columns)


def _model_note(row: Any, lang: str) -> str:
    """Which sentiment model the figure is of and how it was measured, for a row of :func:`labels_accuracy`
    made with the model choice; "" for other rows."""
    model = getattr(row, "model", None)
    if _missing(model) or model not in ("learned", "rules"):
        return ""
    return " " + text(f"method.labels_{model}", lang, folds=format_number(row.folds, lang),
                learned=format_number(row.learned_macro_f1, lang, 2), rules=format_number(row.rules_macro_f1, lang, 2))


def method_text(lang: str = "nl", accuracy: pd.DataFrame | None = None, service_threshold: float = 0.4,
                min_n: int = SMALL_SAMPLE) -> str:
    """How sentiment, services, topics, consensus and abuse flags are computed, their measured accuracy
    (the benchmarks, and ``accuracy`` on the municipality's own labels from :func:`labels_accuracy`), the
    statistics used, the limits and privacy, as Markdown."""
    paragraphs = [text(f"method.{key}", lang).strip() for key in ("counted", "sentiment")]
    paragraphs.append(text("method.services", lang, threshold=format_percent(service_threshold, lang)).strip())
    paragraphs += [text(f"method.{key}", lang).strip() for key in ("topics", "consensus", "abuse")]
    paragraphs.append(text("method.statistics", lang, min_n=min_n).strip())
    paragraphs.append("\n".join([text("method.accuracy_title", lang), "", text("method.accuracy_intro", lang), "",
                                 *benchmark_lines(lang), "", text("method.suite_note", lang).strip()]))
    if accuracy is not None and len(accuracy):
        items = []
        for row in accuracy.itertuples(index=False):
            f1 = "" if _missing(row.macro_f1) or row.task != "sentiment" else \
                text("method.labels_f1", lang, value=format_number(row.macro_f1, lang, 2))
            items.append("- " + text("method.labels_item", lang, task=text(f"method.tasks.{row.task}", lang),
                                     n=format_number(row.n, lang), accuracy=format_percent(row.accuracy, lang), f1=f1)
                         + _model_note(row, lang))
        paragraphs.append("\n".join([text("method.labels_title", lang), "", text("method.labels_intro", lang).strip(),
                                     "", *items]))
    else:
        paragraphs.append("\n".join([text("method.labels_title", lang), "", text("method.labels_none", lang).strip()]))
    paragraphs += [text("method.limits", lang).strip(), text("method.privacy", lang).strip()]
    return "\n\n".join(paragraphs)


# --- figures.json ----------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """``value`` as plain JSON data: numpy numbers to Python, NaN to None."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    return value


def key_figures(month: str, cover: Mapping[str, Any], shares: pd.DataFrame, overall: pd.DataFrame | None = None,
                consensus: pd.DataFrame | None = None, flagged: pd.DataFrame | None = None,
                compliments_count: int | None = None, municipality: str | None = None,
                topics: pd.DataFrame | None = None, emerging: pd.DataFrame | None = None) -> dict[str, Any]:
    """The month's key figures as a JSON-serialisable dict (for ``figures.json`` beside the report).

    The headline figures come first (the reports index shows the first three): ``posts, comments,
    negative_share, positive_share, abuse_flags, shared_complaints, top_service``, then ``replies, rows,
    duplicates, counted, compliments, new_topics`` (when ``topics`` is given), ``month, municipality,
    missing_days, missing_sources, flagged`` (``total, offensive, threat``) and ``services`` (id -> ``label,
    n, negative_share, positive_share, negative_change, negative_significant, small_sample``). Shares are
    fractions in [0, 1]; figures whose table is not given are left out. With ``topics``, ``topics`` lists every
    topic the report shows (:func:`topics_audit`, with ``emerging``: one row per new or growing topic).
    """
    figures: dict[str, Any] = {"posts": cover["posts"], "comments": cover["comments"]}
    if overall is not None and len(overall):
        figures["negative_share"] = overall["neg_share"].iloc[0]
        figures["positive_share"] = overall["pos_share"].iloc[0]
    threats = int((flagged["abuse"] == "threat").sum()) if flagged is not None and len(flagged) else 0
    if flagged is not None:
        figures["abuse_flags"] = len(flagged)
    if consensus is not None:
        figures["shared_complaints"] = int(consensus["shared"].sum()) if len(consensus) else 0
    if len(shares):
        figures["top_service"] = shares.loc[shares["n"].idxmax(), "label"]
    figures.update({key: cover[key] for key in ("replies", "rows", "duplicates", "counted")})
    if compliments_count is not None:
        figures["compliments"] = compliments_count
    if emerging is not None:
        figures["new_topics"] = int((emerging["status"] == "nieuw").sum()) if len(emerging) else 0
    elif topics is not None:
        new = topics.loc[topics["status"] == "nieuw", "stable_topic" if "stable_topic" in topics else "topic_label"]
        figures["new_topics"] = int(new.nunique()) if len(topics) else 0
    figures.update({"month": month, "municipality": municipality, "missing_days": list(cover["missing_days"]),
                    "missing_sources": sorted(cover["missing_sources"])})
    if flagged is not None:
        figures["flagged"] = {"total": len(flagged), "offensive": len(flagged) - threats, "threat": threats}
    figures["services"] = {
        row.service: {"label": row.label, "n": row.n, "negative_share": row.neg_share,
                      "positive_share": row.pos_share, "negative_change": row.neg_change,
                      "negative_significant": bool(row.neg_significant), "small_sample": bool(row.small_sample)}
        for row in shares.itertuples(index=False)
    }
    if topics is not None:
        figures["topics"] = topics_audit(topics, emerging)
    return _plain(figures)


def compliments_count(posts: pd.DataFrame, month: str) -> int:
    """Number of compliments this month (no copies)."""
    return len(_month_compliments(posts, month))


# --- HTML helpers ---------------------------------------------------------------------------------------

def _cell_html(value: object, raw: bool) -> str:
    if _missing(value):
        return ""
    return str(value) if raw else html.escape(str(value), quote=False)


def _html_table(table: pd.DataFrame, wide: Iterable[str] = (), bold_last_row: bool = False,
                raw: Iterable[str] = ()) -> str:
    """A plain HTML table (escaped, no index) for the report's style sheet (class ``fa-table``).

    The ``wide`` columns hold text: left-aligned, wrapping; the others hold figures: right-aligned. Each
    cell names its column (``data-label``), so that a phone shows every row as a small card with the
    labels beside the values instead of a table wider than the screen; the first column is the card's
    title. Cells are escaped, except in the ``raw`` columns, whose cells are HTML built from escaped parts.
    The style sheet lives in the report's template (:mod:`feedback_analysis.report_export`), so it
    applies to the exported HTML whatever nbconvert's own table rules say.
    """
    wide, raw = set(wide), set(raw)
    kinds = ["text" if column in wide else "num" for column in table.columns]
    head = "".join(f'<th scope="col" class="{kind}">{html.escape(str(column), quote=False)}</th>'
                   for column, kind in zip(table.columns, kinds))
    rows = []
    for number, values in enumerate(table.itertuples(index=False, name=None)):
        total = ' class="total"' if bold_last_row and number == len(table) - 1 else ""
        cells = "".join(f'<td class="{kind}" data-label="{html.escape(str(column))}">{_cell_html(value, column in raw)}</td>'
                        for column, kind, value in zip(table.columns, kinds, values))
        rows.append(f"<tr{total}>{cells}</tr>")
    return (f'<div class="fa-table-wrap"><table class="fa-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _markdown_inline(value: str) -> str:
    """The little Markdown the texts use inside HTML (``**bold**``, ``\\*``), converted; the rest escaped."""
    escaped = html.escape(value, quote=False).replace("\\*", "&#42;")
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def _paragraph(content: str, small: bool = False) -> str:
    style = ' style="font-size: 0.9em; color: #444;"' if small else ""
    return f"<p{style}>{content}</p>"
