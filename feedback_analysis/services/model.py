"""A small learned fallback for service routing: character n-grams of the words a report uses.

The rules in :mod:`feedback_analysis.services.router` explain every choice, but they only know the words in
the taxonomy. :class:`ServiceModel` (fit / predict) is a linear classifier over character 3- to 5-grams
(scikit-learn: TF-IDF and a modified-Huber SGD classifier, so it gives probabilities). Character
n-grams reach inflections, compounds and spelling variants the word lists do not hold
("vergunninghoudersplek", "fietsnietjes", "speeltuintje").

:func:`default_model` trains it, once per process and in well under a second, on

* every term of the default taxonomy (a term is a tiny example of its service), and
* the report-like sentences in ``resources/services_examples.csv``, written by the team (the tuning
  half of ``benchmarks/cases``), with "none" texts that name no service.

Nothing is downloaded or stored: the model is rebuilt from these files. The router asks it only about
short texts (reports, not reviews) that the rules leave without a service, and keeps its answer only
when its probability is at least :data:`MIN_PROBABILITY` (:data:`MIN_PROBABILITY_UNSEEN` when the rules
found no service word at all); see ``benchmarks/bench_services.py`` for what it adds on the reporting half.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

EXAMPLES = "resources/services_examples.csv"
NONE = "none"            # the label of example texts that name no service
# Below these probabilities the model's answer is not used: 0.5 when the rules saw a service word but
# not enough to decide (review), 0.8 when they saw none. Chosen on the tuning half (5-fold CV: no loss)
# and on the share of Flemish restaurant sentences it routes (1.3 % instead of 5.6 % with 0.5 everywhere).
MIN_PROBABILITY = 0.5
MIN_PROBABILITY_UNSEEN = 0.8
MAX_CHARS = 280          # longer texts are not reports; the model was not trained on them
ALPHA = 3e-4             # regularisation of the classifier (chosen by 5-fold CV on the tuning half)
SEED = 0


class ServiceModel:
    """Character n-gram classifier from texts to service ids (or ``"none"``)."""

    def __init__(self, alpha: float = ALPHA, ngram_range: tuple[int, int] = (3, 5), seed: int = SEED):
        self.alpha = alpha
        self.ngram_range = ngram_range
        self.seed = seed

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> ServiceModel:
        """Learn from ``texts`` and their service ids; sets ``vectorizer_``, ``classifier_`` and ``classes_``."""
        # Imported here: scikit-learn takes a while to import and most commands never route a text.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier

        if len(texts) != len(labels) or not texts:
            raise ValueError("fit needs as many labels as texts, and at least one of each")
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True,
                                           dtype=np.float32)
        features = self.vectorizer_.fit_transform(list(texts))
        self.classifier_ = SGDClassifier(loss="modified_huber", alpha=self.alpha, random_state=self.seed)
        self.classifier_.fit(features, list(labels))
        self.classes_ = self.classifier_.classes_
        return self

    def predict(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The most likely label of each text and its probability."""
        if not texts:
            return [], np.zeros(0)
        probabilities = self.classifier_.predict_proba(self.vectorizer_.transform(list(texts)))
        best = probabilities.argmax(axis=1)
        return [str(label) for label in self.classes_[best]], probabilities[np.arange(len(best)), best]


def read_examples(text: str, source: str = EXAMPLES) -> tuple[list[str], list[str]]:
    """Texts and labels of an examples CSV (columns ``text`` and ``service``)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and not {"text", "service"} <= set(rows[0]):
        raise ValueError(f"{source}: needs the columns text and service")
    return [row["text"] for row in rows], [row["service"] for row in rows]


def training_examples(taxonomy, extra: Iterable[tuple[str, str]] = (),
                      packaged: bool = True) -> tuple[list[str], list[str]]:
    """Every term of ``taxonomy`` (labelled with its service), the packaged examples (unless
    ``packaged`` is False) and ``extra`` (text, label) pairs; labels outside the taxonomy are left out."""
    texts, labels = [], []
    for service in taxonomy.services.values():
        for term in service.terms:
            texts.append(term.text.lstrip("="))
            labels.append(service.id)
    examples: list[tuple[str, str]] = []
    if packaged:
        examples = list(zip(*read_examples(resources.files("feedback_analysis").joinpath(EXAMPLES).read_text("utf-8"))))
    known = set(taxonomy.services) | {NONE}
    for text, label in [*examples, *extra]:
        if label in known:
            texts.append(text)
            labels.append(label)
    return texts, labels


@lru_cache(maxsize=1)
def default_model() -> ServiceModel:
    """The model trained on the default taxonomy and the packaged examples (trained once per process)."""
    from feedback_analysis.services.taxonomy import default_taxonomy

    return ServiceModel().fit(*training_examples(default_taxonomy()))
