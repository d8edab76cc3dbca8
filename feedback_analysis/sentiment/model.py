"""The rule-based scorer: :class:`LexiconSentiment`, its features and :func:`score_sentiment`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from feedback_analysis.sentiment import constructions, rules
from feedback_analysis.sentiment.lexicon import SentimentLexicon
from feedback_analysis.sentiment.scan import ClauseScan

LABELS = ("positive", "negative", "neutral")


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment of one text: a label (positive / negative / neutral) and a score in [-1, 1]."""

    label: str
    score: float


class LexiconSentiment:
    """Rule-based three-class sentiment scorer with a fit / transform interface (fit learns nothing).

    ``lexicon_path`` replaces the packaged ``resources/sentiment_nl.yaml``; ``neutral_band`` is the
    score below which (in absolute value) a text is neutral. The lexicons are loaded once, here.
    """

    def __init__(self, lexicon_path: Path | None = None, neutral_band: float | None = None, use_pattern: bool = True):
        self.lexicon_path = lexicon_path
        self.neutral_band = rules.NEUTRAL_BAND if neutral_band is None else neutral_band
        self.use_pattern = use_pattern
        self.lexicon = SentimentLexicon(lexicon_path, use_pattern)

    # -- fit / transform ---------------------------------------------------------------------------

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> LexiconSentiment:
        """No training: the rules are fixed. Returns self, so the scorer fits in a scikit-learn pipeline."""
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        """Score texts; returns a table with ``sentiment`` and ``sentiment_score``, one row per text.

        A Series keeps its index; other iterables get a 0..n-1 index. Missing texts are neutral, 0.
        """
        index = texts.index if isinstance(texts, pd.Series) else None
        # Short comments repeat ("Bedankt!", "Top 👍", shared posts): each distinct text is scored once.
        seen: dict[str, SentimentResult] = {}
        results = []
        for text in texts:
            result = seen.get(text) if isinstance(text, str) else None
            if result is None:
                result = self.score_text(text)
                if isinstance(text, str):
                    seen[text] = result
            results.append(result)
        return pd.DataFrame(
            {
                "sentiment": [result.label for result in results],
                "sentiment_score": np.array([result.score for result in results], dtype=float),
            },
            index=index,
        )

    def score_text(self, text: str) -> SentimentResult:
        """Label and score of one text."""
        score = self.analyse(text)["score"]
        return SentimentResult(self.label_for(score), score)

    def label_for(self, score: float) -> str:
        if score >= self.neutral_band:
            return "positive"
        if score <= -self.neutral_band:
            return "negative"
        return "neutral"

    def tokenize(self, text: str) -> list[tuple[str, str, str]]:
        """(kind, lowercased token, original token) triples; placeholders, links and mentions removed."""
        return self.lexicon.tokenize(text)

    def analyse(self, text: str, explain: bool = False) -> dict:
        """Score one text; returns the score and the parts the features are made of.

        Keys: score, raw, positive, negative, negations, exclamations, caps_ratio, emoji; with
        ``explain=True`` also ``hits``: (clause weight, value, words) for every opinion found.
        """
        if not isinstance(text, str) or not text.strip():
            return dict(_EMPTY_ANALYSIS, hits=[]) if explain else dict(_EMPTY_ANALYSIS)
        scan = ClauseScan(self.lexicon, self.lexicon.tokenize(text)).run()
        constructions.mark_postmodifiers(scan)
        constructions.mark_lost_good(scan)
        constructions.mark_irony(scan)
        constructions.mark_scare_quotes(scan)
        constructions.mark_rhetorical(scan)
        constructions.damp_news(scan)
        constructions.mark_wishes(scan)  # after the damping: a wish is the writer's, even beside a date
        result = constructions.aggregate(scan.clauses, explain)
        result.update(
            negations=scan.negations,
            exclamations=scan.exclamations,
            caps_ratio=scan.caps_words / scan.letter_words if scan.letter_words else 0.0,
            emoji=scan.emoji_sum,
        )
        return result


_EMPTY_ANALYSIS = {
    "score": 0.0, "raw": 0.0, "positive": 0.0, "negative": 0.0,
    "negations": 0, "exclamations": 0, "caps_ratio": 0.0, "emoji": 0.0,
}
FEATURE_NAMES = ("positive", "negative", "negations", "exclamations", "caps_ratio", "emoji", "score")


@lru_cache(maxsize=1)
def _default_model() -> LexiconSentiment:
    return LexiconSentiment()


def lexicon_features(texts: Iterable[str], model: LexiconSentiment | None = None) -> np.ndarray:
    """Numeric features per text for a trained model: one row per text, columns in ``FEATURE_NAMES``.

    Positive sum, negative sum, negation count, exclamation marks, share of ALL-CAPS words,
    emoji polarity and the final rule score.
    """
    model = model or _default_model()
    rows = []
    for text in texts:
        parts = model.analyse(text)
        rows.append([float(parts[name]) for name in FEATURE_NAMES])
    return np.asarray(rows, dtype=float).reshape(-1, len(FEATURE_NAMES))


def score_sentiment(
    posts: pd.DataFrame, text_column: str = "text", model: LexiconSentiment | None = None
) -> pd.DataFrame:
    """Returns a copy of ``posts`` with ``sentiment`` and ``sentiment_score`` added (rows and order kept)."""
    model = model or _default_model()
    scored = posts.copy()
    result = model.transform(posts[text_column])
    scored["sentiment"] = result["sentiment"].to_numpy()
    scored["sentiment_score"] = result["sentiment_score"].to_numpy()
    return scored
