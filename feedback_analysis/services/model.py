"""The learned half of service routing: words and character n-grams of a report.

The rules in :mod:`feedback_analysis.services.router` explain every choice, but they only know the words in
the taxonomy and weigh them by hand. :class:`ServiceModel` (fit / predict) is a linear classifier over
word 1- and 2-grams and character 2- to 5-grams within words (scikit-learn: TF-IDF and a modified-Huber
SGD classifier, so it gives probabilities). Character n-grams reach inflections, compounds and spelling
variants the word lists do not hold ("vergunninghoudersplek", "fietsnietjes", "speeltuintje"); word
n-grams weigh the situation words around them ("staat al weken", "niet opgehaald").

:func:`default_model` trains it, once per process and in well under a second, on

* every term of the default taxonomy (a term is a tiny example of its service), and
* the report-like sentences in ``resources/services_examples.csv``, written by the team (the tuning
  half of ``benchmarks/cases``), with "none" texts that name no service.

Nothing is downloaded or stored (models never enter git): the model is rebuilt from these files. The
router blends its probabilities with the rules' shares for short texts (reports, not reviews) in which
the rules found a service word but are not sure; see :mod:`feedback_analysis.services.router` and
``benchmarks/bench_services.py`` for what it adds on the reporting half.
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
MAX_CHARS = 200          # longer texts are not reports (the team's are all under 150 characters)
ALPHA = 3e-4             # regularisation of the classifier (chosen by 5-fold CV on the tuning half)
SEED = 0


class ServiceModel:
    """Word and character n-gram classifier from texts to service ids (or ``"none"``).

    ``word_range=None`` leaves the word n-grams out (characters only)."""

    def __init__(self, alpha: float = ALPHA, ngram_range: tuple[int, int] = (2, 5),
                 word_range: tuple[int, int] | None = (1, 2), seed: int = SEED):
        self.alpha = alpha
        self.ngram_range = ngram_range
        self.word_range = word_range
        self.seed = seed

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> ServiceModel:
        """Learn from ``texts`` and their service ids; sets ``vectorizer_``, ``classifier_`` and ``classes_``."""
        # Imported here: scikit-learn takes a while to import and most commands never route a text.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import SGDClassifier
        from sklearn.pipeline import FeatureUnion

        if len(texts) != len(labels) or not texts:
            raise ValueError("fit needs as many labels as texts, and at least one of each")
        parts = [("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True,
                                           dtype=np.float32))]
        if self.word_range:
            parts.append(("words", TfidfVectorizer(analyzer="word", ngram_range=self.word_range, sublinear_tf=True,
                                                   token_pattern=r"(?u)\b\w+\b", dtype=np.float32)))
        self.vectorizer_ = FeatureUnion(parts)
        features = self.vectorizer_.fit_transform(list(texts))
        self.classifier_ = SGDClassifier(loss="modified_huber", alpha=self.alpha, random_state=self.seed)
        self.classifier_.fit(features, list(labels))
        self.classes_ = self.classifier_.classes_
        return self

    def predict(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """The most likely label of each text and its probability."""
        if not texts:
            return [], np.zeros(0)
        probabilities = self.predict_proba(texts)
        best = probabilities.argmax(axis=1)
        return [str(label) for label in self.classes_[best]], probabilities[np.arange(len(best)), best]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per label in ``classes_``; each row sums to 1."""
        if not texts:
            return np.zeros((0, len(self.classes_)))
        return self.classifier_.predict_proba(self.vectorizer_.transform(list(texts)))


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

    return model_for(default_taxonomy())


@lru_cache(maxsize=4)
def model_for(taxonomy) -> ServiceModel:
    """The model trained on ``taxonomy``'s terms and the packaged examples of its services (a municipality's
    own terms and services are learned too; examples of services it lacks are left out)."""
    return ServiceModel().fit(*training_examples(taxonomy))
