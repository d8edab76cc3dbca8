"""Routing texts to services: evidence per service, the place window, confidence, and the blend with the model."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from feedback_analysis.services.matching import CONNECTOR, CONTENT, CONTEXT, NAME, Matcher
from feedback_analysis.services.taxonomy import ServiceTaxonomy, default_taxonomy
from feedback_analysis.services.words import TOKEN_RE
from feedback_analysis.text_nl import PieceTokens

OUTPUT_COLUMNS = ("service", "services", "service_confidence", "service_review", "service_terms")
DEFAULT_THRESHOLD = 0.4
# The scorer's constants (see the module docstring).
PRIOR = 0.8              # evidence a text needs before it is about a service at all
PLACE_FACTOR = 0.5       # a word after a place or time preposition, when the post also names a subject
FIRST_BONUS = 1.25       # between competing services, the first one named is usually the subject
MIN_SPECIFIC = 1.0       # evidence of a specific service that makes a fallback service step back
FALLBACK_FACTOR = 0.4    # a fallback service (dienstverlening) next to a specific one
SECONDARY_SHARE = 0.35   # a service is listed in `services` from this share of the main one ...
MIN_LISTED = 0.5         # ... and with at least a weak term's worth of evidence
PLACE_WINDOW = 3         # content words after a place preposition that may be "the place"
# The blend of rules and model (chosen by 5-fold cross-validation on the tuning half, see bench_services.py):
RULES_SURE = 0.45        # rules at least this confident decide alone; below, the model is blended in
BLEND_RULES = 0.6        # weight of the rules' shares in the blend (the model's probabilities get the rest)
BLEND_FLOOR = 0.75       # a blended winner needs this share of the threshold (0.3 by default)

# Masked placeholders ([NAME], [URL:gent.be]), links, e-mail addresses and mentions carry no service.
IGNORE_RE = re.compile(r"\[[A-Z][A-Z_]*(?::[^\]\s]*)?\]|https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+")
# The same for a text without "@" (its last two parts cannot match; the e-mail part is the slow one).
_IGNORE_NO_AT_RE = re.compile(r"\[[A-Z][A-Z_]*(?::[^\]\s]*)?\]|https?://\S+|www\.\S+")

_EMPTY = ("", "", 0.0, False, "")


def without_ignored(text: str) -> str:
    """``IGNORE_RE.sub(" ", text)``, faster. No part of the pattern matches white space or looks around, so
    each run of non-space characters is replaced on its own; only the runs from the first to the last one
    holding an "@" need the whole pattern (its e-mail part tries every position of every run)."""
    first = text.find("@")
    if first < 0:
        return _IGNORE_NO_AT_RE.sub(" ", text)
    start, end, size = first, text.rfind("@") + 1, len(text)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < size and not text[end].isspace():
        end += 1
    return (_IGNORE_NO_AT_RE.sub(" ", text[:start]) + IGNORE_RE.sub(" ", text[start:end])
            + _IGNORE_NO_AT_RE.sub(" ", text[end:]))
# TOKEN_RE.findall of a text, piece by piece (exact: its words hold no white space and it looks around nothing).
_WORDS_BY_PIECE = PieceTokens(TOKEN_RE.findall)


class ServiceRouter:
    """Routes texts to services. fit / transform shape; ``fit`` is a no-op for now.

    ``threshold``: below this confidence a post gets no main ``service`` and ``service_review`` is True.
    ``model``: the learned half (:class:`~feedback_analysis.services.model.ServiceModel`, anything with
    ``classes_`` and ``predict_proba``), blended into short texts the rules are unsure of; ``"default"`` is
    the one trained on this taxonomy and the packaged examples, ``None`` none. When it is asked,
    ``service_terms`` ends with its own answer, ``<label>: model <probability>``.
    """

    def __init__(self, taxonomy: ServiceTaxonomy | None = None, threshold: float = DEFAULT_THRESHOLD,
                 model: Any = "default"):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {threshold}")
        self.taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
        self.threshold = threshold
        self._matcher = Matcher(self.taxonomy)
        self._default_taxonomy = taxonomy is None
        self._model = model  # "default" is trained on first use: long texts (reviews) never need it

    @property
    def model(self) -> Any:
        """The learned half, or None; the default one is trained when first asked for."""
        if isinstance(self._model, str) and self._model == "default":
            from feedback_analysis.services.model import default_model, model_for

            self._model = default_model() if self._default_taxonomy else model_for(self.taxonomy)
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        self._model = model

    def prepare(self, texts: Iterable[Any]) -> None:
        """Train the default model now if some text is short enough to be blended (workers forked
        after this share it instead of each training its own)."""
        from feedback_analysis.services.model import MAX_CHARS

        if any(isinstance(text, str) and len(text) <= MAX_CHARS for text in texts):
            _ = self.model

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> ServiceRouter:
        """Nothing to learn yet; later, analysts' labelled rows may tune weights or train a model."""
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        """One row per text with the columns ``OUTPUT_COLUMNS``, in the order of ``texts``."""
        texts = list(texts)
        routed = [self._route(text) for text in texts]
        rows = [row for row, _ in routed]
        if self._model is not None:
            self._blend(texts, rows, [shares for _, shares in routed])
        frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
        if not rows:
            frame = frame.astype({"service": object, "services": object, "service_terms": object})
        return frame.astype({"service_confidence": "float64", "service_review": "bool"})

    def route_text(self, text: str) -> dict:
        """The output columns for one text, as a dict."""
        return self.transform([text]).iloc[0].to_dict()

    def _blend(self, texts: list, rows: list, shares: list) -> None:
        """Blend the model into short texts the rules are not sure about (rows are replaced in place)."""
        from feedback_analysis.services.model import MAX_CHARS, NONE

        asked = [i for i, (text, row) in enumerate(zip(texts, rows))
                 if shares[i] is not None and row[2] < RULES_SURE and isinstance(text, str) and len(text) <= MAX_CHARS]
        if not asked:
            return
        ids = self._matcher.ids
        column = {str(label): j for j, label in enumerate(self.model.classes_)}
        known = [(index, column[sid]) for index, sid in enumerate(ids) if sid in column]
        if not known:
            return  # a model of other services has nothing to say about these
        probabilities = self.model.predict_proba([texts[i] for i in asked])
        # Only the labels the taxonomy has (and "none") share the model's probability.
        kept = [j for _, j in known] + ([column[NONE]] if NONE in column else [])
        probabilities = probabilities / np.maximum(probabilities[:, kept].sum(axis=1, keepdims=True), 1e-12)
        for i, model_row in zip(asked, probabilities):
            rule_share, rule_none = shares[i]
            blended = {index: BLEND_RULES * rule_share.get(index, 0.0) + (1 - BLEND_RULES) * model_row[j]
                       for index, j in known}
            for index, share in rule_share.items():
                blended.setdefault(index, BLEND_RULES * share)
            none = BLEND_RULES * rule_none + (1 - BLEND_RULES) * (model_row[column[NONE]] if NONE in column else 0.0)
            best = min(blended, key=lambda index: (-blended[index], index))
            named = blended[best] > none and blended[best] >= BLEND_FLOOR * self.threshold
            _, listed, _, _, terms = rows[i]
            top = int(np.argmax(model_row))
            explained = f"{terms}; " if terms else ""
            services = [ids[best]] if named else []
            services = ";".join(dict.fromkeys([*services, *filter(None, listed.split(";"))]))
            rows[i] = (ids[best] if named else "", services, round(float(blended[best]), 3), not named,
                       f"{explained}{self.model.classes_[top]}: model {float(model_row[top]):.2f}")

    def _route(self, text: Any) -> tuple[tuple[str, str, float, bool, str], tuple | None]:
        """The output row for one text and the rules' shares (per service index, and of no service) or None."""
        if not isinstance(text, str):
            if text is None or (isinstance(text, float) and math.isnan(text)):
                return _EMPTY, None
            text = str(text)
        matcher = self._matcher
        cache = matcher.cache
        if "[" in text or "@" in text or "://" in text or "www." in text:
            text = without_ignored(text)
        tokens = _WORDS_BY_PIECE(text)
        if not tokens:
            return _EMPTY, None
        try:  # most texts: every word analysed before
            infos = list(map(cache.__getitem__, tokens))
        except KeyError:
            infos = [cache.get(token) or matcher.analyse(token) for token in tokens]
        last = len(infos) - 1
        if not any(info[4] for info in infos) and not any(
                info[5] and i < last and infos[i + 1][6] in info[5] for i, info in enumerate(infos)):
            return _EMPTY, None
        hits: list[tuple[int, float, str, bool]] = []
        seen: dict[int, int] = {}  # together-group -> position of the first word in it
        window = 0  # content words left that may still be the place after a place preposition
        last_was_place = False
        i, count = 0, len(infos)
        while i < count:
            _, matches, _, role, active, pairs, _ = infos[i]
            if pairs and i < last and infos[i + 1][6] in pairs:
                size, found, role = self._joined_at(tokens, i, seen)
            else:
                size, found = self._match_at(infos, i, seen) if active == 2 else (1, matches)
            if found:
                place = window > 0
                hits.extend((index, weight, term, place) for index, weight, term in found)
                window, last_was_place = 0, place
            elif role == CONTEXT:
                window = PLACE_WINDOW
            elif role == CONNECTOR:
                if last_was_place:
                    window = PLACE_WINDOW
            elif role == CONTENT:
                last_was_place = False
                if window:
                    window -= 1
            elif role == NAME:
                last_was_place = window > 0  # "in de Ringlaan" names the place: what follows is not it
                window = 0
            i += size
        rule_hits = []
        if len(seen) > 1:  # in rule order, so the explanation does not depend on the order of the words
            met = sorted((position, a, b, index, weight) for a in seen
                         for position, b, index, weight in matcher.rules_by_first.get(a, ())
                         if b in seen and seen[a] != seen[b])
            rule_hits = [(index, weight, f"{tokens[seen[a]].lower()}+{tokens[seen[b]].lower()}")
                         for _, a, b, index, weight in met]
        if not hits and not rule_hits:
            return _EMPTY, None
        return self._decide(hits, rule_hits)

    def _joined_at(self, tokens: list[str], i: int, seen: dict[int, int]) -> tuple[int, tuple, int]:
        """The term written apart at position ``i`` ("stoep tegels", "zwerf vuil"): 2 words, matches, role."""
        word = tokens[i] + tokens[i + 1].lower()
        _, matches, groups, role, *_ = self._matcher.cache.get(word) or self._matcher.analyse(word)
        for group in groups:
            seen.setdefault(group, i)
        return 2, matches, role

    def _match_at(self, infos: list, i: int, seen: dict[int, int]) -> tuple[int, tuple]:
        """The words matched at position ``i`` (a phrase may take several) and how many words they take.

        Records the first position of every ``together`` group met in ``seen``."""
        canon, matches, groups = infos[i][:3]
        for group in groups:
            seen.setdefault(group, i)
        count = len(infos)
        by_second = self._matcher.phrases.get(canon)
        if by_second is None or i + 1 >= count:
            return 1, matches
        for key, phrase_hits in by_second.get(infos[i + 1][0], ()):
            if i + len(key) <= count and all(infos[i + j][0] == key[j] for j in range(2, len(key))):
                for j in range(1, len(key)):
                    for group in infos[i + j][2]:
                        seen.setdefault(group, i + j)
                return len(key), tuple((index, w, t) for index, (w, t) in phrase_hits)
        return 1, matches

    def _decide(self, hits, rule_hits) -> tuple[tuple[str, str, float, bool, str], tuple | None]:
        matcher = self._matcher
        has_subject = any(not place for *_, place in hits) or bool(rule_hits)
        # Between competing services, the first thing a report names is usually its subject.
        competing = len({index for index, *_ in hits} | {index for index, *_ in rule_hits}) > 1
        first = next((term for _, _, term, place in hits if not place), None) if competing else None
        evidence: dict[int, dict[str, float]] = {}
        for index, weight, term, place in hits:
            if place and has_subject:
                weight *= PLACE_FACTOR
            elif term == first:
                weight *= FIRST_BONUS
            terms = evidence.setdefault(index, {})
            if terms.get(term, 0.0) < weight:
                terms[term] = weight
        for index, weight, term in rule_hits:
            terms = evidence.setdefault(index, {})
            terms[term] = max(terms.get(term, 0.0), weight)
        totals = {index: sum(terms.values()) for index, terms in evidence.items()}
        if any(not matcher.fallback[index] and total >= MIN_SPECIFIC for index, total in totals.items()):
            for index in totals:
                if matcher.fallback[index]:
                    totals[index] *= FALLBACK_FACTOR
        ranked = sorted(totals, key=lambda index: (-totals[index], index))
        top = totals[ranked[0]]
        confidence = round(top / (sum(totals.values()) + PRIOR), 3)
        if len(ranked) > 1 and totals[ranked[1]] == top:
            confidence = min(confidence, round(0.5 * top / (top + PRIOR), 3))  # a tie cannot name one service
        listed = [ranked[0]] + [index for index in ranked[1:]
                                if totals[index] >= MIN_LISTED and totals[index] >= SECONDARY_SHARE * top]
        ids = matcher.ids
        main = ids[ranked[0]] if confidence >= self.threshold else ""
        explained = "; ".join(f"{ids[index]}: {', '.join(evidence[index])}" for index in ranked)
        shares = None
        if confidence < RULES_SURE:  # only then may the model be blended in
            whole = sum(totals.values()) + PRIOR
            shares = ({index: total / whole for index, total in totals.items()}, PRIOR / whole)
        return (main, ";".join(ids[index] for index in listed), confidence, not main, explained), shares



@lru_cache(maxsize=1)
def _default_router() -> ServiceRouter:
    return ServiceRouter()


def tag_services(posts: pd.DataFrame, text_column: str = "text", router: ServiceRouter | None = None) -> pd.DataFrame:
    """A copy of ``posts`` with ``service``, ``services``, ``service_confidence``, ``service_review`` and
    ``service_terms`` added (see the module docstring); rows, order and index are kept."""
    if text_column not in posts.columns:
        raise KeyError(f"posts has no column {text_column!r}")
    router = router if router is not None else _default_router()
    result = router.transform(posts[text_column].tolist())
    tagged = posts.copy()
    for column in OUTPUT_COLUMNS:
        tagged[column] = result[column].to_numpy()
    return tagged
