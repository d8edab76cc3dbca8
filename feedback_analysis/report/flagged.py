"""Section 8: texts flagged as offensive or threatening, for a person to review, with the next step."""

from __future__ import annotations

import re

import pandas as pd

from feedback_analysis.report.formatting import _missing, count_noun, format_number, short_date
from feedback_analysis.report.selection import _local, month_posts, readable_text
from feedback_analysis.report.tables import _html_table
from feedback_analysis.report.texts import _source_name, text

EXCERPT_CHARS = 160            # flagged posts are shown truncated to this many characters


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

