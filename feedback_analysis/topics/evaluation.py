"""How good a set of topics is: coherence, diversity, outliers, and agreement with known labels.

:func:`evaluate_topics` takes the texts, each text's topic (-1 for outliers) and each topic's top words and
returns

* ``npmi``: normalised pointwise mutual information of every pair of a topic's top 10 words, averaged per
  topic and then over topics (-1 .. 1, higher is more coherent). Probabilities are document frequencies in
  the same texts: a word (or a two-word phrase) "occurs" in a text when its lower-cased tokens appear
  there, consecutively for a phrase. A pair that never occurs together scores -1.
* ``diversity``: the share of unique words among all topics' top 10 words (1.0: no word is repeated).
* ``outlier_share``: the share of texts in topic -1; ``n_topics``: topics other than -1.

:func:`nmi` compares topic assignments with known labels (normalised mutual information, arithmetic mean).
Outliers are one cluster of their own by default (``outliers="cluster"``): a model that leaves many texts
unassigned pays for it. ``outliers="drop"`` scores only the assigned texts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import normalized_mutual_info_score

from .text import TOKEN, strip_placeholders

TOP_N = 10


def _tokens(text: str) -> list[str]:
    return [match.group().lower().replace("’", "'") for match in TOKEN.finditer(strip_placeholders(text or ""))]


class _NgramsOf:
    """Analyzer giving a text's words and consecutive word pairs (picklable, unlike a lambda)."""

    def __call__(self, text: str) -> list[str]:
        tokens = _tokens(text)
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def _normalise(term: str) -> str:
    return " ".join(_tokens(term)) or term.lower()


def npmi_per_topic(texts: Sequence[str], top_words: Mapping[int, Sequence[str]], top_n: int = TOP_N) -> dict[int, float]:
    """NPMI coherence of each topic's first ``top_n`` words, by document co-occurrence in ``texts``."""
    words = {topic: [_normalise(word) for word in list(terms)[:top_n]] for topic, terms in top_words.items()}
    vocabulary = sorted({word for terms in words.values() for word in terms})
    if not vocabulary or not len(texts):
        return {topic: float("nan") for topic in words}
    vectorizer = CountVectorizer(analyzer=_NgramsOf(), vocabulary=vocabulary, binary=True)
    presence = vectorizer.transform(list(texts)).astype(np.float64).tocsc()
    together = (presence.T @ presence).toarray()
    n_docs = float(presence.shape[0])
    index = vectorizer.vocabulary_
    scores = {}
    for topic, terms in words.items():
        pair_scores = []
        for i, first in enumerate(terms):
            for second in terms[i + 1:]:
                a, b = index[first], index[second]
                p_a, p_b, p_ab = together[a, a] / n_docs, together[b, b] / n_docs, together[a, b] / n_docs
                if p_ab <= 0 or p_a <= 0 or p_b <= 0:
                    pair_scores.append(-1.0)
                elif p_ab >= 1.0:
                    pair_scores.append(1.0)
                else:
                    pair_scores.append(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
        scores[topic] = float(np.mean(pair_scores)) if pair_scores else float("nan")
    return scores


def topic_diversity(top_words: Iterable[Sequence[str]], top_n: int = TOP_N) -> float:
    """Share of unique words among all topics' first ``top_n`` words (lower-cased)."""
    words = [_normalise(word) for terms in top_words for word in list(terms)[:top_n]]
    return len(set(words)) / len(words) if words else float("nan")


def evaluate_topics(texts: Sequence[str], topics: Sequence[int], top_words: Mapping[int, Sequence[str]]) -> dict:
    """Coherence (``npmi``), ``diversity``, ``outlier_share`` and ``n_topics`` of one topic model's output.

    ``topics`` holds one topic per text (-1: outlier); ``top_words`` maps each topic (outliers excluded)
    to its words, best first.
    """
    words = {int(topic): list(terms) for topic, terms in top_words.items() if int(topic) != -1}
    per_topic = npmi_per_topic(texts, words)
    valid = [score for score in per_topic.values() if not math.isnan(score)]
    topics = np.asarray(list(topics))
    return {
        "npmi": float(np.mean(valid)) if valid else float("nan"),
        "diversity": topic_diversity(words.values()),
        "outlier_share": float(np.mean(topics == -1)) if len(topics) else 0.0,
        "n_topics": len(words),
    }


def nmi(labels: Sequence, topics: Sequence[int], outliers: str = "cluster") -> float:
    """Normalised mutual information between known ``labels`` and ``topics`` (arithmetic normalisation).

    ``outliers="cluster"`` keeps topic -1 as one cluster; ``"drop"`` leaves those texts out.
    """
    labels, topics = np.asarray(list(labels)), np.asarray(list(topics))
    if outliers == "drop":
        keep = topics != -1
        labels, topics = labels[keep], topics[keep]
    elif outliers != "cluster":
        raise ValueError("outliers must be 'cluster' or 'drop'")
    if not len(labels):
        return float("nan")
    return float(normalized_mutual_info_score(labels, topics))
