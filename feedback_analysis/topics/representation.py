"""Topic words people can read: c-TF-IDF candidates, chosen for coherence and without repeats.

:class:`CoherentWords` is a BERTopic representation model (BERTopic's interface, without importing it). For each topic it takes the 30 best c-TF-IDF
terms (words and two-word phrases as they appear in the posts) and picks ``top_n`` of them greedily, like
maximal marginal relevance:

    score = (1 - coherence) * c-TF-IDF / best c-TF-IDF of the topic
            + coherence * mean NPMI with the terms already picked
            - diversity * highest embedding similarity to a term already picked
            - reuse * (1 if a larger topic already shows the term)

NPMI is normalised pointwise mutual information over the posts (do the two terms appear in the same
posts?): a description whose words turn up together reads as one subject. The embedding similarity uses
the topic model's own embedder on single words (with the default embedder, character n-grams make
"vriendelijk" and "vriendelijke" near-identical). Besides, a term is skipped when it repeats a picked one:
a word inside a picked phrase, a phrase around a picked word, or the same word with another ending
("gezellig"/"gezellige"). Topics are handled largest first, so the reuse penalty keeps words in the topic
where they matter most and makes topics more distinct.

Note for benchmarks: the coherence term uses the same statistic (document co-occurrence NPMI on the same
posts) that ``evaluate_topics`` reports; the benchmark also prints the plain c-TF-IDF words for comparison.

:func:`topic_label` makes the short label from the first words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics.pairwise import cosine_similarity

CANDIDATES = 30


def repeats(term: str, other: str) -> bool:
    """Whether two lower-case terms say the same thing: shared word of a phrase, or one word's other ending."""
    if term == other:
        return True
    words, others = term.split(), other.split()
    if len(words) > 1 or len(others) > 1:
        return bool(set(words) & set(others))
    short, long = sorted((term, other), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3


def npmi_matrix(presence: csr_matrix) -> np.ndarray:
    """NPMI between the columns of a binary documents x terms matrix (-1 where two terms never meet)."""
    presence = presence.astype(np.float64).tocsc()
    n_docs = max(presence.shape[0], 1)
    joint = (presence.T @ presence).toarray() / n_docs
    single = np.diag(joint).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.log(joint / np.outer(single, single)) / -np.log(joint)
    scores[joint <= 0] = -1.0
    scores[joint >= 1] = 1.0
    return np.nan_to_num(scores, nan=-1.0)


class CoherentWords:
    """Pick each topic's words from its c-TF-IDF candidates (see the module docstring for the score).

    Pass it to BERTopic in a list, ``representation_model=[CoherentWords()]``: BERTopic then only calls
    ``extract_topics``, and this module need not import BERTopic (which takes seconds).
    """

    def __init__(self, top_n: int = 10, coherence: float = 0.5, diversity: float = 0.2, reuse: float = 0.15) -> None:
        self.top_n = top_n
        self.coherence = coherence
        self.diversity = diversity
        self.reuse = reuse

    def extract_topics(self, topic_model, documents: pd.DataFrame, c_tf_idf: csr_matrix,
                       topics: Mapping[int, Sequence[tuple[str, float]]]) -> dict[int, list[tuple[str, float]]]:
        candidates = {
            topic: [(word, float(score)) for word, score in words[:CANDIDATES] if word and score > 0]
            for topic, words in topics.items()
        }
        vocabulary = sorted({word for words in candidates.values() for word, _ in words})
        if not vocabulary:
            return {topic: list(words) for topic, words in topics.items()}
        index = {word: i for i, word in enumerate(vocabulary)}
        analyzer = topic_model.vectorizer_model.build_analyzer()
        presence = CountVectorizer(analyzer=analyzer, vocabulary=vocabulary, binary=True).transform(
            documents["Document"].tolist()
        )
        npmi = npmi_matrix(presence)
        similarity = self._word_similarity(topic_model, vocabulary)
        sizes = documents.groupby("Topic").size()
        order = sorted(candidates, key=lambda topic: (topic == -1, -sizes.get(topic, 0), topic))
        used: set[str] = set()
        chosen = {}
        for topic in order:
            chosen[topic] = self._pick(candidates[topic], index, npmi, similarity, used if topic != -1 else set())
            if topic != -1:
                used.update(word for word, _ in chosen[topic])
        return {topic: chosen.get(topic, []) for topic in topics}

    def _word_similarity(self, topic_model, vocabulary: list[str]) -> np.ndarray | None:
        if not self.diversity or topic_model.embedding_model is None:
            return None
        vectors = topic_model._extract_embeddings(vocabulary, method="word", verbose=False)
        return cosine_similarity(vectors)

    def _pick(self, candidates: list[tuple[str, float]], index: dict[str, int], npmi: np.ndarray,
              similarity: np.ndarray | None, used: set[str]) -> list[tuple[str, float]]:
        if not candidates:
            return []
        best = candidates[0][1]
        picked = [candidates[0]]
        rest = candidates[1:]
        while rest and len(picked) < self.top_n:
            scored = []
            for word, score in rest:
                if any(repeats(word, other) for other, _ in picked):
                    continue
                rows = [index[other] for other, _ in picked]
                value = (1 - self.coherence) * score / best + self.coherence * npmi[index[word], rows].mean()
                if similarity is not None:
                    value -= self.diversity * similarity[index[word], rows].max()
                if word in used:
                    value -= self.reuse
                scored.append((value, word, score))
            if not scored:
                break
            _, word, score = max(scored, key=lambda item: (item[0], -index[item[1]]))
            picked.append((word, score))
            rest = [(other, value) for other, value in rest if other != word]
        return picked


def topic_label(words: Sequence[str], n_words: int = 3, max_length: int = 48) -> str:
    """Short label from a topic's first words: ``"loket, burgerzaken, gesloten"``."""
    label = ""
    for word in words[:n_words]:
        candidate = f"{label}, {word}" if label else word
        if label and len(candidate) > max_length:
            break
        label = candidate
    return label
