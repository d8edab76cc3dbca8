"""Topic clustering and embedding on big months: k-means fitted on a sample, fewer SVD power iterations.

Both only switch on above a size (``MAX_FIT_ROWS``, ``LARGE_CORPUS``); the tests lower that size rather than
build a 50,000-post month, and check that the results are still the themes, the same run after run.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import homogeneity_score, normalized_mutual_info_score
from sklearn.preprocessing import normalize

from feedback_analysis.topics import embedding
from feedback_analysis.topics.clustering import SphericalKMeans, fit_kmeans
from feedback_analysis.topics.embedding import LsaEmbedder


def _blobs(n_per_blob: int = 1500, blobs: int = 4, dims: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors around ``blobs`` random directions, and which direction each came from."""
    rng = np.random.default_rng(seed)
    centres = normalize(rng.normal(size=(blobs, dims)))
    truth = np.repeat(np.arange(blobs), n_per_blob)
    return normalize(centres[truth] + 0.15 * rng.normal(size=(len(truth), dims))), truth


def test_kmeans_on_a_sample_still_finds_every_theme_and_labels_every_row():
    X, truth = _blobs()
    labels = fit_kmeans(X, 4, n_init=3, seed=42, max_fit_rows=400)
    assert labels.shape == truth.shape and (labels >= 0).all()
    assert normalized_mutual_info_score(truth, labels) > 0.99


def test_kmeans_on_a_sample_is_the_same_run_after_run_and_depends_on_the_seed_only():
    X, _ = _blobs(n_per_blob=300, blobs=6, seed=1)
    first = fit_kmeans(X, 6, n_init=1, seed=7, max_fit_rows=200)
    assert np.array_equal(first, fit_kmeans(X, 6, n_init=1, seed=7, max_fit_rows=200))


def test_below_the_sample_size_kmeans_sees_every_row():
    """Small months (and the restaurant benchmark) are clustered exactly as before: on all rows."""
    from sklearn.cluster import KMeans

    X, _ = _blobs(n_per_blob=100, blobs=3, seed=2)
    expected = KMeans(n_clusters=3, n_init=3, random_state=42).fit(X).labels_
    assert np.array_equal(fit_kmeans(X, 3, n_init=3, seed=42, max_fit_rows=len(X)), expected)


def test_spherical_kmeans_on_a_sample_keeps_outliers_and_splits_a_catch_all():
    X, truth = _blobs(n_per_blob=800, blobs=3, seed=3)
    X = np.vstack([X, np.zeros((5, X.shape[1]))])  # posts without a topic word
    model = SphericalKMeans(2, min_size=5, seed=42, max_share=0.4, max_fit_rows=300).fit(X)
    assert (model.labels_[-5:] == -1).all()
    sizes = np.bincount(model.labels_[model.labels_ >= 0])
    assert sizes.max() <= 0.4 * (len(X) - 5)  # two clusters for three themes: the big one was split
    assert homogeneity_score(truth, model.labels_[:-5]) > 0.9  # each cluster is (nearly) one theme
    predicted = model.predict(X)  # the nearest final centre: still one theme per cluster, outliers kept
    assert (predicted[-5:] == -1).all() and homogeneity_score(truth, predicted[:-5]) > 0.9


def _texts(n: int) -> list[str]:
    rng = np.random.default_rng(0)
    words = ["vuilniszak", "ophaling", "zwembad", "parking", "fietspad", "loket", "rijbewijs", "straatlamp"]
    return [" ".join(rng.choice(words, size=4)) for _ in range(n)]


def test_svd_power_iterations_drop_only_for_a_large_corpus(monkeypatch):
    small = LsaEmbedder(n_components=5)
    small.embed(_texts(60))
    assert small.svd_.n_iter == 5
    monkeypatch.setattr(embedding, "LARGE_CORPUS", 50)
    large = LsaEmbedder(n_components=5)
    vectors = large.embed(_texts(60))
    assert large.svd_.n_iter == 2
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    fixed = LsaEmbedder(n_components=5, n_iter=4)
    fixed.embed(_texts(60))
    assert fixed.svd_.n_iter == 4
