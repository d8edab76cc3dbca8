"""Numbers, shares, months and dates as the report writes them, in Dutch (nl-BE) or English.

The one place these are formatted: the report's sections, its charts and the reports index all use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from feedback_analysis.report.texts import text


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



def month_title(month: str, lang: str) -> str:
    """'oktober 2026' or 'October 2026': the month as the title of its report (:func:`month_name`)."""
    return month_name(month, lang)
