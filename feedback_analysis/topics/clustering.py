"""Clustering of document embeddings into topics, without UMAP: spherical k-means with small clusters dissolved.

Why not BERTopic's default UMAP + HDBSCAN: UMAP compiles itself with numba in every new process (about
20 to 40 s on the first fit, more on the first transform) and then needs about 10 s per 3,000 posts with a
fixed seed, which a monthly run pays every time; HDBSCAN on the unreduced 100 dimensions leaves most short
posts as outliers. K-means on L2-normalised embeddings (cosine geometry) takes a second on 20,000 posts,
is reproducible with a seed and assigns every post that has words; ``benchmarks/bench_topics.py`` measures
the alternatives.

:class:`SphericalKMeans` follows the scikit-learn shape BERTopic expects from a cluster model (``fit`` sets
``labels_``; ``predict``):

* rows that are all zero (posts without a single topic word) are outliers, -1;
* k-means with ``n_clusters`` (capped by the number of rows), ``n_init`` restarts, seeded;
  above ``max_fit_rows`` rows the centres are fitted on a seeded sample of that many rows and every row
  takes its nearest centre (a big month's 50,000 posts: k-means on 12,000 of them; see :func:`fit_kmeans`);
* clusters larger than ``max_share`` of the rows are split with k-means inside them;
* clusters smaller than ``min_size`` are dissolved: their posts go to the nearest remaining cluster when
  their cosine similarity to its centre is at least ``min_similarity``, else to -1;
* ``predict`` gives the nearest centre under the same rule.

:func:`auto_n_topics` and :func:`auto_min_topic_size` give the defaults from the corpus size.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

MAX_TOPICS = 60
# Rows k-means fits its centres on; the other rows take the nearest centre. With 60 clusters that is still
# about 200 rows a centre. Measured on a generated 49k-post month (two seeds each): the topics agree with a
# fit on every row (NMI 0.78 to 0.81) as well as two seeds of a fit on every row agree with each other (0.785),
# at a similar label coverage and overige share.
MAX_FIT_ROWS = 12_000
# k-means restarts on such a sample: one. On that month, three restarts gave the same subjects and topics
# that agree with one restart's as two seeds agree with each other, for three times the k-means time.
SAMPLED_N_INIT = 1


def auto_n_topics(n_docs: int) -> int:
    """About 1.8 * sqrt(n) clusters: 11 for 40 posts, 31 for 300, at most 60 (from about 1,100 posts on).

    Measured on the tuning half of the restaurant sentences (733 sentences, NMI against the aspect
    categories, catch-alls as "overige"): 0.5, 0.9, 1.3, 1.8, 2.5 * sqrt(n) give 0.170, 0.187, 0.231, 0.244,
    0.264. NMI keeps rising with more, smaller clusters, so it alone cannot choose; 1.8 is where a topic still
    holds about 15 texts and its label covers about nine in ten of them (finer topics get sharper labels:
    "PMD niet opgehaald" rather than "afval"). ``benchmarks/topic_quality.py`` reports the other half.
    """
    return int(min(MAX_TOPICS, max(2, round(1.8 * math.sqrt(max(n_docs, 1))))))


def fit_kmeans(X: np.ndarray, n_clusters: int, n_init: int, seed: int, max_fit_rows: int = MAX_FIT_ROWS) -> np.ndarray:
    """k-means labels of the rows of ``X``: fitted on all rows with ``n_init`` restarts, or above
    ``max_fit_rows`` on a seeded sample of that many with ``SAMPLED_N_INIT`` restart(s), every row then
    taking its nearest centre (a prediction costs one pass).

    Float64 on purpose: in float32, scikit-learn's k-means++ start computes its distances in small
    upcast chunks, which made it five times slower on a 49k-post month."""
    if len(X) <= max_fit_rows:
        return KMeans(n_clusters=min(n_clusters, len(X)), n_init=n_init, random_state=seed).fit(X).labels_
    sample = np.sort(np.random.default_rng(seed).choice(len(X), size=max_fit_rows, replace=False))
    kmeans = KMeans(n_clusters=min(n_clusters, len(X)), n_init=min(n_init, SAMPLED_N_INIT), random_state=seed)
    return kmeans.fit(X[sample]).predict(X)


def auto_min_topic_size(n_docs: int, n_topics: int) -> int:
    """An eighth of the average cluster size, at least 3: 8 for 3,000 posts in 49 clusters."""
    return int(max(3, round(n_docs / (8 * max(n_topics, 1)))))


class SphericalKMeans:
    """K-means on unit vectors, with empty rows as outliers and small clusters dissolved (see module doc)."""

    def __init__(self, n_clusters: int, min_size: int = 3, min_similarity: float = 0.0, seed: int = 42,
                 n_init: int = 3, max_share: float = 1.0, max_fit_rows: int = MAX_FIT_ROWS) -> None:
        self.n_clusters = n_clusters
        self.max_fit_rows = max_fit_rows
        self.max_share = max_share
        self.min_size = min_size
        self.min_similarity = min_similarity
        self.seed = seed
        self.n_init = n_init
        self.centres_: np.ndarray | None = None
        self.labels_: np.ndarray | None = None

    def fit(self, X: np.ndarray, y=None) -> SphericalKMeans:
        X = normalize(np.asarray(X, dtype=np.float64))
        active = np.flatnonzero(np.abs(X).sum(axis=1) > 0)
        labels = np.full(X.shape[0], -1, dtype=np.int64)
        n_clusters = min(self.n_clusters, len(active))
        if n_clusters < 1:
            self.centres_, self.labels_ = np.zeros((0, X.shape[1])), labels
            return self
        labels[active] = fit_kmeans(X[active], n_clusters, self.n_init, self.seed, self.max_fit_rows)
        for _ in range(3):  # dissolving small clusters can push a neighbour over the limit again
            labels[active] = self._split_large(X[active], labels[active])
            centres, labels = self._dissolve_small(X, labels)
            sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(1)
            if sizes.max() <= max(self.max_share * len(active), 2 * self.min_size):
                break
        self.centres_, self.labels_ = centres, labels
        return self

    def _split_large(self, X: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Split every cluster above ``max_share`` of the rows with k-means inside it (a catch-all hides
        several subjects; one cluster holding half the month reads as no subject at all)."""
        limit = max(self.max_share * len(X), 2 * self.min_size)
        labels = labels.copy()
        if (labels < 0).any():  # dissolved rows without a cluster stay out
            inside = labels >= 0
            labels[inside] = self._split_large(X[inside], labels[inside])
            return labels
        for _ in range(8):
            clusters, sizes = np.unique(labels, return_counts=True)
            large = clusters[sizes > limit]
            if not len(large):
                break
            for cluster in large:
                rows = np.flatnonzero(labels == cluster)
                parts = int(np.ceil(len(rows) / (0.6 * limit))) + 1
                inner_labels = fit_kmeans(X[rows], parts, self.n_init, self.seed, self.max_fit_rows)
                if len(np.unique(inner_labels)) < 2:
                    continue
                labels[rows] = np.where(inner_labels == 0, cluster, labels.max() + 1 + inner_labels)
        return labels

    def _dissolve_small(self, X: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Drop clusters below min_size (smallest first), reassign their rows, renumber by first row."""
        while True:
            clusters, sizes = np.unique(labels[labels >= 0], return_counts=True)
            small = clusters[sizes < self.min_size]
            if not len(small) or len(small) == len(clusters):
                break
            # One at a time: a dissolved cluster's rows can make another small cluster big enough.
            victim = small[np.argmin(sizes[sizes < self.min_size])]
            labels = labels.copy()
            moved = labels == victim
            labels[moved] = -2
            keep = clusters[clusters != victim]
            centres = self._centres(X, labels, keep)
            labels[moved] = self._nearest(X[moved], centres, keep)
        clusters = np.unique(labels[labels >= 0])
        if len(clusters) and (np.bincount(labels[labels >= 0])[clusters] < self.min_size).all():
            labels = np.where(labels >= 0, -1, labels)  # every cluster too small: no topics at all
            clusters = clusters[:0]
        # Number clusters in order of their first row, so the result depends only on the data.
        first_row = {cluster: np.flatnonzero(labels == cluster)[0] for cluster in clusters}
        order = sorted(clusters, key=first_row.__getitem__)
        renumber = {old: new for new, old in enumerate(order)}
        labels = np.array([renumber.get(label, -1) for label in labels], dtype=np.int64)
        return self._centres(X, labels, np.arange(len(order))), labels

    @staticmethod
    def _centres(X: np.ndarray, labels: np.ndarray, clusters: np.ndarray) -> np.ndarray:
        if not len(clusters):
            return np.zeros((0, X.shape[1]))
        return normalize(np.vstack([X[labels == cluster].mean(axis=0) for cluster in clusters]))

    def _nearest(self, X: np.ndarray, centres: np.ndarray, clusters: np.ndarray) -> np.ndarray:
        if not len(clusters) or not len(X):
            return np.full(len(X), -1, dtype=np.int64)
        similarity = X @ centres.T
        best = similarity.argmax(axis=1)
        empty = np.abs(X).sum(axis=1) == 0
        keep = (similarity[np.arange(len(X)), best] >= self.min_similarity) & ~empty
        return np.where(keep, clusters[best], -1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The nearest cluster of each row (-1 for empty rows or below ``min_similarity``)."""
        if self.centres_ is None:
            raise ValueError("SphericalKMeans is not fitted")
        X = normalize(np.asarray(X, dtype=np.float64))
        return self._nearest(X, self.centres_, np.arange(len(self.centres_)))
