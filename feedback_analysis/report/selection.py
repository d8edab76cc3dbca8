"""Which rows the report shows and counts, and how a stored text is made ready to show.

Which rows count for the figures per service: rows with a ``thread_service`` (their own service, or the
service of the post they reply to), that are no copy-paste duplicate (``is_duplicate``) and have been
scored. Every language counts.

Texts shown in the report are already masked in the store; they are masked once more for phone numbers,
e-mail addresses and names (:func:`readable_text`) and never come with an author id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from feedback_analysis.report.formatting import _missing
from feedback_analysis.report.texts import _check_lang, text
from feedback_analysis.schema import REACTION_COLUMNS

TREND_MONTHS = 12              # months in the trend chart (and loaded by the notebook)
MEAN_MONTHS = 3                # the "3-month average" compared with
QUOTE_CHARS = 220              # compliments and shared complaints
# Store columns no section reads: where and when a row was read, its hashes and links, who wrote it.
UNREPORTED_COLUMNS = ("source_file", "source_row", "ingested_at", "content_hash", "duplicate_of", "url",
                      "author_id", "parent_id")


def load_report_posts(settings, month: str, months: int = TREND_MONTHS) -> pd.DataFrame:
    """The scored posts the report reads (``pipeline.load_scored_posts``): the ``months`` months up to
    ``month``, without :data:`UNREPORTED_COLUMNS`, and with ``text`` only for the rows of ``month`` (the
    only texts a section quotes or describes; missing elsewhere), so memory stays bounded in a large store."""
    from feedback_analysis import store
    from feedback_analysis.report.formatting import month_range
    from feedback_analysis.schema import POST_COLUMNS
    from feedback_analysis.stages.enrich import load_scored_posts

    columns = [c for c in POST_COLUMNS if c not in UNREPORTED_COLUMNS and c != "text"]
    posts = load_scored_posts(settings, month_range(month, months), columns=columns)
    texts = store.read_posts(settings.posts_dir, columns=["post_id", "text"], months=[month])
    posts.insert(posts.columns.get_loc("lang"), "text", posts["post_id"].map(texts.set_index("post_id")["text"]))
    return posts


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


def _reactions(rows: pd.DataFrame) -> pd.Series:
    present = [c for c in REACTION_COLUMNS if c in rows.columns]
    if not present:
        return pd.Series(0, index=rows.index)
    return rows[present].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1).astype(int)

