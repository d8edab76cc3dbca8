"""Threads and compliments: is a complaint shared by the replies, or one person's feeling?

Works on scored posts (``sentiment`` from ``sentiment.py``; ``service`` when present). A reply
*agrees* with its thread's top-level post when it has the same polarity or uses an agreement phrase
("idem", "bij ons ook"), and *pushes back* when it has the opposite polarity or a push-back phrase
("valt toch mee", "bij ons gewoon opgehaald"). Replies by the post's own author and copy-paste
duplicates do not count. Facebook reactions are summarised separately and never mixed into text
sentiment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from feedback_analysis.packaged import load_yaml

CONSENSUS_LABELS = ("shared", "contested", "isolated")


@dataclass(frozen=True)
class ThreadRules:
    """When a thread counts as shared or contested."""

    min_voices: int = 2          # replies that take a side; fewer is "isolated"
    contested_share: float = 0.4  # share of push-back among those replies that makes it "contested"
    agree_share: float = 0.6      # share of agreement that makes it "shared"


@lru_cache(maxsize=4)
def _phrases(path: str | None = None) -> dict[str, re.Pattern[str]]:
    lists = load_yaml("threads_nl.yaml", Path(path) if path else None)

    def pattern(words: list[str]) -> re.Pattern[str]:
        alternatives = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
        return re.compile(r"(?<![\w+])(?:" + "|".join(alternatives) + r")(?![\w+])")

    return {name: pattern(words) for name, words in lists.items()}


def reply_stance(text: str, sentiment: str, post_sentiment: str) -> str:
    """agree, disagree or none: how one reply relates to the top-level post of its thread."""
    return stance_of(phrase_stance(text), sentiment, post_sentiment)


def phrase_stance(text: str) -> str:
    """agree, disagree or "": the side a reply's own phrases take ("idem", "valt toch mee"), whatever
    its sentiment. It depends on the text alone, so a copied reply is read once."""
    lowered = text.lower()
    phrases = _phrases()
    if phrases["disagree"].search(lowered):
        return "disagree"
    if phrases["agree"].search(lowered):
        return "agree"
    return ""


def stance_of(phrase: str, sentiment: str, post_sentiment: str) -> str:
    """agree, disagree or none from a reply's :func:`phrase_stance` and the polarity of reply and post."""
    if phrase:
        return phrase
    if post_sentiment in ("positive", "negative") and sentiment in ("positive", "negative"):
        return "agree" if sentiment == post_sentiment else "disagree"
    return "none"


def phrase_stances(texts: pd.Series) -> pd.Series:
    """:func:`phrase_stance` of each text (same index), each distinct text read once."""
    codes, unique = pd.factorize(texts.fillna("").astype(str), sort=False)
    found = np.array([phrase_stance(text) for text in unique] or [""], dtype=object)
    return pd.Series(found[codes] if len(codes) else [], index=texts.index, dtype=object)


def label_consensus(agree: int, disagree: int, rules: ThreadRules = ThreadRules()) -> str:
    """shared, contested or isolated from the number of replies that agree and push back."""
    voices = agree + disagree
    if voices < rules.min_voices:
        return "isolated"
    if disagree / voices >= rules.contested_share:
        return "contested"
    if agree / voices >= rules.agree_share:
        return "shared"
    return "contested"


def summarise_threads(posts: pd.DataFrame, rules: ThreadRules = ThreadRules()) -> pd.DataFrame:
    """One row per top-level post that has replies.

    In: scored posts with ``post_id, thread_id, kind, author_id, text, sentiment`` (and
    ``is_duplicate`` when present); instead of ``text``, ``reply_phrase`` (:func:`phrase_stances` of the
    text) will do. Out: ``post_id, sentiment, replies, agree, disagree, consensus`` where ``replies``
    counts the replies considered (others' replies, no duplicates).
    """
    tops = posts[posts["kind"] == "post"].set_index("post_id")
    replies = posts[(posts["kind"] != "post") & posts["thread_id"].isin(tops.index)].copy()
    if "is_duplicate" in replies.columns:
        replies = replies[~replies["is_duplicate"].astype(bool)]
    op_author = replies["thread_id"].map(tops["author_id"])
    replies = replies[(replies["author_id"] != op_author) | op_author.isna()]
    if replies.empty:
        return pd.DataFrame(columns=["post_id", "sentiment", "replies", "agree", "disagree", "consensus"])
    post_sentiment = replies["thread_id"].map(tops["sentiment"])
    phrases = replies["reply_phrase"] if "reply_phrase" in replies.columns else phrase_stances(replies["text"])
    replies["stance"] = [stance_of(f, s, p) for f, s, p in zip(phrases, replies["sentiment"], post_sentiment)]
    counts = replies.groupby("thread_id")["stance"].value_counts().unstack(fill_value=0)
    for column in ("agree", "disagree"):
        if column not in counts.columns:
            counts[column] = 0
    summary = pd.DataFrame({
        "post_id": counts.index,
        "sentiment": tops.loc[counts.index, "sentiment"].to_numpy(),
        "replies": replies.groupby("thread_id").size().loc[counts.index].to_numpy(),
        "agree": counts["agree"].to_numpy(),
        "disagree": counts["disagree"].to_numpy(),
    })
    summary["consensus"] = [label_consensus(a, d, rules) for a, d in zip(summary["agree"], summary["disagree"])]
    return summary.reset_index(drop=True)


def is_compliment(text: str, sentiment: str, service: str = "") -> bool:
    """A positive text that thanks or praises a service or its staff.

    Thanks in advance for an answer ("moet ik betalen? merci op voorhand") is politeness, and thanks for
    a message or for kind words ("Bedankt voor de mooie woorden, we geven het door") is how the page
    answers: neither is praise.
    """
    if sentiment != "positive":
        return False
    lowered = text.lower()
    phrases = _phrases()
    if not phrases["praise"].search(lowered) or phrases["thanks_in_advance"].search(lowered):
        return False
    if is_thanks_for_an_answer(lowered) or phrases["acknowledgement"].search(lowered):
        return False
    return bool(service) or bool(phrases["staff"].search(lowered))


def is_thanks_for_an_answer(text: str) -> bool:
    """A question with nothing but a word of thanks after it ("Geldt de blauwe zone ook op zaterdag?
    Dank u!", "Vraagje: hoe lang nog? Merci"): thanks for the answer still to come, unless the text
    also praises before its question ("Bedankt voor de snelle hulp! Kan het ook online? Merci")."""
    head, mark, tail = text.lower().rpartition("?")
    if not mark or not head.strip():
        return False
    phrases = _phrases()
    rest = phrases["thanks_filler"].sub(" ", phrases["praise"].sub(" ", tail))
    return not re.search(r"\w", rest) and not phrases["praise"].search(head)


def mark_compliments(posts: pd.DataFrame) -> pd.DataFrame:
    """Copy of scored posts with a boolean ``compliment`` column (uses ``service`` when present)."""
    services = posts["service"].fillna("") if "service" in posts.columns else pd.Series("", index=posts.index)
    out = posts.copy()
    out["compliment"] = compliments(posts["text"], posts["sentiment"], services)
    return out


def compliments(texts: Iterable, sentiments: Iterable[str], services: Iterable[str]) -> list[bool]:
    """:func:`is_compliment` of every text, with its sentiment and service."""
    return [is_compliment(str(t), s, v) for t, s, v in zip(texts, sentiments, services)]


def summarise_reactions(posts: pd.DataFrame) -> pd.DataFrame:
    """Facebook reactions per row as their own signal, never mixed into text sentiment.

    Adds ``reactions_total`` (all reactions, null where the source has none) and
    ``reaction_balance`` in [-1, 1]: (love + care - angry - sad) / (love + care + angry + sad),
    null when none of those four were given. Likes are left out: they mean too many things.
    """
    out = posts.copy()
    columns = [c for c in posts.columns if c.startswith("reactions_")]
    counts = posts[columns].astype("Float64") if columns else pd.DataFrame(index=posts.index)
    has_any = counts.notna().any(axis=1) if columns else pd.Series(False, index=posts.index)
    out["reactions_total"] = counts.sum(axis=1, min_count=1).where(has_any).astype("Int64") if columns else pd.NA

    def column(name: str) -> pd.Series:
        return counts[name].fillna(0) if name in counts.columns else pd.Series(0.0, index=posts.index)

    warm = column("reactions_love") + column("reactions_care")
    cold = column("reactions_angry") + column("reactions_sad")
    total = warm + cold
    out["reaction_balance"] = ((warm - cold) / total.where(total > 0)).astype("Float64").round(3)
    return out
