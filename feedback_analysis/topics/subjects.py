"""Subjects: the month's broad themes, coarser than its topics, that carry the stable ids across months.

Topics are fine (about 1.8 * sqrt(posts)) so that each gets a sharp label under a service; but one event,
such as a closed population office, then falls apart into several topics ("loket burgerzaken",
"bevolkingsdienst", "gesloten deur") that a "new this month" list would show three times, each with a part
of the services it touches. Subjects cluster the same embeddings coarsely (about ``factor`` * sqrt(posts),
0.6: measured on the sample months, 0.9 already splits the closure in two) with the same
:class:`~feedback_analysis.topics.clustering.SphericalKMeans` (no subject above ``max_share`` of the posts),
are labelled by the same :class:`~feedback_analysis.topics.labels.Labeller`, and a subject whose label
occurs in fewer than ``min_coverage`` of its posts is no subject (-1). Each subject gets c-TF-IDF term
weights over the topic vocabulary (BERTopic's formula), which :class:`TopicRegistry` matches across months.

:func:`find_subjects` returns each post's subject and ``[{"topic", "label", "words", "size", "vector",
"members"}]`` (``topic`` is the subject's number within the month; ``members`` the indices of its posts,
nearest to its centre first).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from .clustering import SphericalKMeans, auto_min_topic_size
from .labels import Labeller

OUTLIER = -1
VECTOR_TERMS = 50


def n_subjects(n_docs: int, factor: float = 0.6) -> int:
    """About ``factor`` * sqrt(n) subjects: 17 for 800 posts, 33 for 3,000; at least 2, at most 40."""
    return int(min(40, max(2, round(factor * math.sqrt(max(n_docs, 1))))))


def subject_vectors(counts: sparse.csr_matrix, labels: np.ndarray, subjects: list[int],
                    terms: np.ndarray) -> dict[int, dict[str, float]]:
    """c-TF-IDF of each subject over ``counts`` (documents x terms): term share in the subject times
    log(1 + mean words per subject / the term's count over all subjects), the top terms, L2-normalised."""
    rows = [np.asarray(counts[labels == subject].sum(axis=0)).ravel() for subject in subjects]
    if not rows:
        return {}
    matrix = np.vstack(rows).astype(np.float64)
    idf = np.log(1 + matrix.sum() / len(subjects) / np.maximum(matrix.sum(axis=0), 1))
    tf = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    weights = tf * idf
    vectors = {}
    for subject, row in zip(subjects, weights):
        best = [i for i in np.argsort(-row, kind="stable")[:VECTOR_TERMS] if row[i] > 0]
        norm = float(np.linalg.norm(row[best])) or 1.0
        vectors[subject] = {str(terms[i]): float(row[i] / norm) for i in best}
    return vectors


def find_subjects(embeddings: np.ndarray, counts: sparse.csr_matrix, terms: np.ndarray, labeller: Labeller,
                  factor: float = 0.6, min_coverage: float = 0.5, max_share: float = 0.25,
                  seed: int = 42, k: int | None = None) -> tuple[np.ndarray, list[dict]]:
    """Each post's subject (-1: none) and the subjects (see the module docstring).

    ``embeddings``: one row per post (zero rows: posts without words); ``counts``: the topic vocabulary's
    counts per post, ``terms`` its terms; ``labeller``: a :class:`Labeller` over the same posts; ``k``: the
    number of clusters (default :func:`n_subjects`).
    """
    active = int((np.abs(embeddings).sum(axis=1) > 0).sum())
    labels = np.full(len(embeddings), OUTLIER, dtype=np.int64)
    if active < 2:
        return labels, []
    k = k or n_subjects(active, factor)
    clusterer = SphericalKMeans(k, min_size=auto_min_topic_size(active, k), seed=seed, n_init=3,
                                max_share=max_share).fit(embeddings)
    labels = clusterer.labels_.copy()
    kept = []
    for subject in sorted(set(labels.tolist()) - {OUTLIER}):
        members = np.flatnonzero(labels == subject)
        label, words = labeller.label(members)
        if not label or labeller.coverage(members, label) < min_coverage:
            labels[members] = OUTLIER
            continue
        centre = normalize(embeddings[members].mean(axis=0, keepdims=True)).ravel()
        order = members[np.argsort(-(normalize(embeddings[members]) @ centre), kind="stable")]
        kept.append({"topic": int(subject), "label": label, "size": len(members), "members": order.tolist()})
    vectors = subject_vectors(sparse.csr_matrix(counts), labels, [item["topic"] for item in kept], terms)
    for item in kept:
        item["vector"] = vectors.get(item["topic"], {})
        item["words"] = list(item["vector"])[:10]
    kept.sort(key=lambda item: (-item["size"], item["topic"]))
    return labels, kept
