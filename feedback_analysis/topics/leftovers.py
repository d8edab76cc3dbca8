"""What happens to the texts a cluster's label does not describe: catch-alls, a second pass, rehoming.

:class:`~feedback_analysis.topics.model.TopicModeler` clusters the month, then, per cluster:

* :func:`keep_covered`: a cluster whose label occurs in fewer than ``min_coverage`` of its texts is a
  catch-all; it keeps only the texts its label covers (when at least ``min_size`` do: a part of it that is a
  theme), the rest becomes -1 ("overige");
* :func:`second_pass`: the texts with words still at -1 are clustered once more (about 0.5 * sqrt(n)
  clusters) and kept the same way;
* :func:`rehome`: a text still at -1 joins the topic whose label it contains (like BERTopic's
  ``reduce_outliers``, but only where the label describes the text, so label coverage holds).

Each works in place on ``labels``, the topic of every text (-1: none).
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import normalize

from .clustering import SphericalKMeans
from .labels import Labeller, label_words

OUTLIER = -1


def keep_covered(labels: np.ndarray, labeller: Labeller, members: np.ndarray, min_size: int,
                 min_coverage: float) -> str:
    """The label of the texts at ``members``; a catch-all keeps only the texts its label covers (a relabelled
    part of at least ``min_size``), the others become -1 in ``labels``. "" when nothing is kept."""
    label, _ = labeller.label(members)
    if label and labeller.coverage(members, label) >= min_coverage:
        return label
    if label:
        words = label_words(label, labeller.stop_words)
        covered = np.array([i for i in members if words & labeller.texts[i].words], dtype=np.int64)
        if len(covered) >= min_size:
            labels[np.setdiff1d(members, covered)] = OUTLIER
            relabel, _ = labeller.label(covered)
            return relabel if relabel and labeller.coverage(covered, relabel) >= min_coverage else label
    labels[members] = OUTLIER
    return ""


def second_pass(labels: np.ndarray, labeller: Labeller, embeddings: np.ndarray, min_size: int,
                min_coverage: float, start: int, seed: int = 42) -> dict[int, str]:
    """Cluster the texts with words that are still -1 and keep the clusters as :func:`keep_covered` does;
    new topics are numbered from ``start``. Returns {new topic: label}."""
    left = np.flatnonzero((labels == OUTLIER) & (np.abs(embeddings).sum(axis=1) > 0))
    if len(left) < 2 * min_size:
        return {}
    k = max(2, round(0.5 * len(left) ** 0.5))
    clusterer = SphericalKMeans(k, min_size=min_size, seed=seed, n_init=3, max_share=1.0).fit(embeddings[left])
    found = {}
    for cluster in sorted(set(clusterer.labels_.tolist()) - {OUTLIER}):
        members = left[clusterer.labels_ == cluster]
        topic = start + len(found)
        labels[members] = topic
        label = keep_covered(labels, labeller, members, min_size, min_coverage)
        if label:
            found[topic] = label
    return found


def rehome(labels: np.ndarray, topics: list[dict], labeller: Labeller, embeddings: np.ndarray,
           max_share: float) -> None:
    """Give a text without a topic the topic of ``topics`` (``{"topic", "label", "size"}``) whose label it
    contains (the nearest centre among several), unless that topic would then hold more than ``max_share``
    of the texts with words; updates ``labels`` and each topic's ``size``."""
    words = {item["topic"]: label_words(item["label"], labeller.stop_words) for item in topics}
    if not words:
        return
    limit = max_share * max(int((np.abs(embeddings).sum(axis=1) > 0).sum()), 1)
    centres = {topic: normalize(embeddings[labels == topic].mean(axis=0, keepdims=True)).ravel() for topic in words}
    sizes = {topic: int((labels == topic).sum()) for topic in words}
    for index in np.flatnonzero(labels == OUTLIER):
        present = labeller.texts[index].words
        options = [topic for topic, chosen in words.items() if chosen & present and sizes[topic] < limit]
        if options and np.abs(embeddings[index]).sum() > 0:
            best = max(options, key=lambda topic: float(embeddings[index] @ centres[topic]))
            labels[index] = best
            sizes[best] += 1
    for item in topics:
        item["size"] = sizes[item["topic"]]
