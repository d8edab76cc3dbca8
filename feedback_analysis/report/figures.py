"""The month's key figures for ``figures.json`` beside the report (the reports index shows the first)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from feedback_analysis.report.publish import _json_ready
from feedback_analysis.report.topics import topics_audit


def _plain(value: Any) -> Any:
    """``value`` as plain JSON data (numpy numbers to Python, NaN to None; see :func:`publish._json_ready`),
    with fractions rounded to 4 decimals."""
    value = _json_ready(value, "figures")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return round(value, 4) if isinstance(value, float) else value


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
