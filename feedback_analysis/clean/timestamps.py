"""Timestamps of every export format -> UTC, and the month a post belongs to."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_TZ_SUFFIX = re.compile(r"\s*\b(CET|CEST|UTC|GMT|Z)\s*$", re.IGNORECASE)
_TZ_OFFSETS = {"CET": "+01:00", "CEST": "+02:00", "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00"}
_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


def _localise(naive: pd.Series, timezone: str) -> pd.Series:
    # Ambiguous autumn hours are taken as standard time; non-existent spring hours move forward.
    return naive.dt.tz_localize(timezone, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward").dt.tz_convert("UTC")


def _parse_numbers(values: pd.Series, timezone: str) -> pd.Series:
    numbers = pd.to_numeric(values.astype(str).str.replace(",", ".", regex=False), errors="coerce")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    millis = (numbers > 1e11) & (numbers < 1e14)  # beyond that: not a time (quarantined as unparseable)
    seconds = (numbers > 1e8) & (numbers <= 1e11)
    excel = (numbers > 20_000) & (numbers < 80_000)  # 1954..2119 as Excel day serials
    if millis.any():
        out[millis] = pd.to_datetime(numbers[millis], unit="ms", utc=True)
    if seconds.any():
        out[seconds] = pd.to_datetime(numbers[seconds], unit="s", utc=True)
    if excel.any():
        naive = _EXCEL_EPOCH + pd.to_timedelta(numbers[excel], unit="D")
        out[excel] = _localise(naive.dt.round("s"), timezone)
    return out


def _parse_strings(values: pd.Series, timezone: str, dayfirst: bool) -> pd.Series:
    text = values.astype(str).str.strip()
    # Time-zone abbreviations (CrowdTangle writes "2021-03-04 10:15:00 CET") become offsets.
    suffix = text.str.extract(_TZ_SUFFIX, expand=False)
    has_suffix = suffix.notna()
    if has_suffix.any():
        text = text.where(~has_suffix, text.str.replace(_TZ_SUFFIX, "", regex=True) + suffix.str.upper().map(_TZ_OFFSETS))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}")
    # ISO strings first, in one vectorised call; only the rest goes through the slower mixed parser.
    for mask, kwargs in ((iso, {"format": "ISO8601"}), (~iso, {"format": "mixed", "dayfirst": dayfirst})):
        if not mask.any():
            continue
        subset = text[mask]
        aware = subset.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$", regex=True)
        if aware.any():
            out[aware[aware].index] = pd.to_datetime(subset[aware], utc=True, errors="coerce", **kwargs)
        if (~aware).any():
            rest = subset[~aware]
            try:
                naive = pd.to_datetime(rest, errors="coerce", **kwargs)
            except (ValueError, TypeError):  # zones written inside the text, mixed with local times
                out[rest.index] = [_parse_one(value, timezone, dayfirst) for value in rest]
                continue
            if getattr(naive.dt, "tz", None) is not None:
                out[naive.index] = naive.dt.tz_convert("UTC")
            else:
                out[naive.index] = _localise(naive, timezone)
    return out


def _parse_one(value: str, timezone: str, dayfirst: bool) -> pd.Timestamp:
    """One timestamp in any format dateutil reads ("Wed Oct 10 20:19:24 +0000 2018"), in UTC, or NaT."""
    try:
        stamp = pd.Timestamp(pd.to_datetime(value, dayfirst=dayfirst))
        if stamp is not pd.NaT and stamp.tzinfo is None:
            stamp = stamp.tz_localize(timezone, ambiguous=False, nonexistent="shift_forward")
        return stamp.tz_convert("UTC") if stamp is not pd.NaT else pd.NaT
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def parse_timestamps(values: pd.Series, timezone: str = "Europe/Brussels", dayfirst: bool = True) -> pd.Series:
    """Parse creation times as sources write them into UTC timestamps; NaT where impossible.

    Handles Unix seconds and milliseconds, Excel day serials, ``datetime`` objects, ISO strings with
    offsets, CrowdTangle's ``CET``/``CEST`` suffixes and local (naive) strings, day-first by default.
    Naive values are local time in ``timezone``.
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    if values.empty:
        return out
    is_datetime = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "isoformat"))
    is_number = values.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    is_numeric_string = values.map(lambda v: isinstance(v, str) and bool(_NUMBER.match(v)))
    numeric = (is_number | is_numeric_string) & values.notna()
    strings = values.map(lambda v: isinstance(v, str)) & ~is_numeric_string
    if is_datetime.any():
        stamps = pd.to_datetime(values[is_datetime], errors="coerce", utc=False)
        if getattr(stamps.dt, "tz", None) is None:
            out[is_datetime] = _localise(stamps, timezone)
        else:
            out[is_datetime] = stamps.dt.tz_convert("UTC")
    if numeric.any():
        out[numeric] = _parse_numbers(values[numeric], timezone)
    if strings.any():
        try:
            out[strings] = _parse_strings(values[strings], timezone, dayfirst)
        except (ValueError, OverflowError):  # a date beyond what pandas holds (year 294247): one by one
            out[strings] = [_parse_one(str(v), timezone, dayfirst) for v in values[strings]]
    return out


def month_of(created_at: pd.Series, timezone: str = "Europe/Brussels") -> pd.Series:
    """YYYY-MM of each UTC timestamp, in the reporting time zone."""
    return created_at.dt.tz_convert(timezone).dt.strftime("%Y-%m")

