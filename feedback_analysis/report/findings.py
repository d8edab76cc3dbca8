"""Section 2: the month's key findings, as plain sentences built from the other sections' tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from feedback_analysis.report.formatting import _missing, _points_phrase, count_noun, format_percent
from feedback_analysis.report.texts import escape_markdown, text


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

