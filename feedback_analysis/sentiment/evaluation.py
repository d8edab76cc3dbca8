"""Evaluation helpers: the plain Pattern baseline, the labelled development sets, macro-F1."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd


class PatternBaseline:
    """The plain Pattern analyzer of ``textblob-nl``: polarity, three classes by a threshold."""

    def __init__(self, threshold: float = 0.1):
        from textblob_nl.nl import sentiment  # imported here: it loads Pattern's tagger lexicons

        self.threshold = threshold
        self._sentiment = sentiment

    def fit(self, texts=None, labels=None) -> PatternBaseline:
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        index = texts.index if isinstance(texts, pd.Series) else None
        scores = [float(self._sentiment(text)[0]) if isinstance(text, str) else 0.0 for text in texts]
        labels = [
            "positive" if s >= self.threshold else "negative" if s <= -self.threshold else "neutral" for s in scores
        ]
        return pd.DataFrame({"sentiment": labels, "sentiment_score": scores}, index=index)


# -- evaluation data ---------------------------------------------------------------------------------


def _majority_label(polarities: Sequence[str]) -> str | None:
    """Sentence label from its opinions: majority polarity, neutral when none, None for a pos/neg tie.

    A tie between a polar class and neutral goes to the polar class: an opinion was expressed.
    """
    if not polarities:
        return "neutral"
    counts = Counter(polarities)
    positive, negative, neutral = counts["positive"], counts["negative"], counts["neutral"]
    if positive == negative and positive > 0 and positive >= neutral:
        return None
    if neutral > max(positive, negative):
        return "neutral"
    return "positive" if positive > negative else "negative"


def load_semeval_sentences(path: Path) -> pd.DataFrame:
    """Sentences of a SemEval-2016 ABSA XML file with a sentence label.

    Columns: review_id, sentence_id, text, label (majority polarity of the opinions, neutral when none;
    pos/neg ties left out) and categories (the aspect categories of the opinions, in order).
    """
    rows = []
    root = ET.parse(path).getroot()
    for review in root.iter("Review"):
        for sentence in review.iter("sentence"):
            text = sentence.findtext("text") or ""
            opinions = list(sentence.iter("Opinion"))
            label = _majority_label([opinion.get("polarity", "neutral") for opinion in opinions])
            if label is None:
                continue
            rows.append(
                {
                    "review_id": review.get("rid"),
                    "sentence_id": sentence.get("id"),
                    "text": text,
                    "label": label,
                    "categories": [opinion.get("category") for opinion in opinions],
                }
            )
    return pd.DataFrame(rows, columns=["review_id", "sentence_id", "text", "label", "categories"])


def load_tweets(path: Path) -> pd.DataFrame:
    """A ``content,polarity`` CSV of labelled tweets as columns text, label."""
    frame = pd.read_csv(path)
    return pd.DataFrame({"text": frame["content"].astype(str), "label": frame["polarity"].str.strip().str.lower()})


def evaluate(labels: Iterable[str], predictions: Iterable[str]) -> dict:
    """Macro-F1 over the classes present in ``labels``, accuracy and the number of items."""
    from sklearn.metrics import accuracy_score, f1_score

    labels, predictions = list(labels), list(predictions)
    classes = sorted(set(labels))
    return {
        "macro_f1": float(f1_score(labels, predictions, labels=classes, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(labels, predictions)),
        "n": len(labels),
    }
