"""Learning from the analysts: a small trained sentiment model, used only when it beats the rules.

Analysts correct labels in the labelling notebook; the corrections are saved as CSV files in
``<data-dir>/labels/`` (columns ``post_id, text`` and any of ``sentiment, service, abuse``).
:func:`choose_sentiment_model` cross-validates a scikit-learn model (TF-IDF of words and character
n-grams plus the lexicon's own features) against the rules on those labels and returns the better
one, with the figures that justify the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from feedback_analysis.sentiment import LABELS, LexiconSentiment, lexicon_features
from feedback_analysis.store.labels import read_labels

MIN_LABELS = 60        # fewer labelled texts than this: too few to learn from
MIN_PER_CLASS = 5
MIN_GAIN = 0.02        # the trained model must beat the rules by this much macro-F1


def load_labels(labels_dir: Path) -> pd.DataFrame:
    """All labelled rows in ``labels_dir`` (CSV files), the newest label per post winning."""
    return read_labels(labels_dir)


class LearnedSentiment:
    """Logistic regression on TF-IDF (words 1-2, characters 2-5) and lexicon features.

    Same interface as :class:`~feedback_analysis.sentiment.LexiconSentiment`: ``fit`` then
    ``transform(texts)`` -> ``sentiment, sentiment_score`` (P(positive) - P(negative)).
    """

    def __init__(self, lexicon: LexiconSentiment | None = None, seed: int = 0):
        self.lexicon = lexicon or LexiconSentiment()
        self.seed = seed

    def _features(self, texts: list[str], fit: bool = False):
        if fit:
            self.words_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
            words, chars = self.words_.fit_transform(texts), self.chars_.fit_transform(texts)
        else:
            words, chars = self.words_.transform(texts), self.chars_.transform(texts)
        lexical = sparse.csr_matrix(lexicon_features(texts, self.lexicon))
        return sparse.hstack([words, chars, lexical]).tocsr()

    def fit(self, texts, labels) -> LearnedSentiment:
        texts = [str(t) for t in texts]
        self.model_ = LogisticRegression(max_iter=2000, class_weight="balanced", C=2.0, random_state=self.seed)
        self.model_.fit(self._features(texts, fit=True), list(labels))
        return self

    def transform(self, texts) -> pd.DataFrame:
        texts = [str(t) for t in texts]
        probabilities = self.model_.predict_proba(self._features(texts))
        classes = list(self.model_.classes_)
        labels = np.asarray(classes)[probabilities.argmax(axis=1)]

        def column(name: str) -> np.ndarray:
            return probabilities[:, classes.index(name)] if name in classes else np.zeros(len(texts))

        score = np.clip(column("positive") - column("negative"), -1, 1)
        # keep the sign of the score in line with the label, as the rules do
        score = np.where(labels == "positive", np.abs(score), np.where(labels == "negative", -np.abs(score), score * 0.1))
        return pd.DataFrame({"sentiment": labels, "sentiment_score": score.round(3)})


@dataclass(frozen=True)
class ModelChoice:
    """Which sentiment model to use, and the cross-validated figures behind the choice."""

    model: object
    name: str
    rules_macro_f1: float | None = None
    learned_macro_f1: float | None = None
    n_labels: int = 0
    reason: str = ""
    rules_accuracy: float | None = None     # share right, on the same folds as the macro-F1
    learned_accuracy: float | None = None   # out-of-fold: each label predicted by a model not trained on it
    folds: int = 0

    @property
    def accuracy(self) -> float | None:
        """The accuracy of the model in use on the labels, measured fairly: the rules were never trained on
        them; the trained model's figure is cross-validated."""
        return self.learned_accuracy if self.name == "learned" else self.rules_accuracy

    @property
    def macro_f1(self) -> float | None:
        """The macro-F1 of the model in use, measured as :attr:`accuracy` is."""
        return self.learned_macro_f1 if self.name == "learned" else self.rules_macro_f1


def choose_sentiment_model(labels: pd.DataFrame, rules: LexiconSentiment | None = None, folds: int = 5,
                           seed: int = 0, progress=None) -> ModelChoice:
    """Cross-validate the trained model against the rules on the analysts' labels; keep the better.

    ``progress`` (optional, see :mod:`feedback_analysis.progress`) hears of the folds done ("folds")."""
    rules = rules or LexiconSentiment()
    usable = labels[labels.get("sentiment", pd.Series(dtype=str)).isin(LABELS)] if "sentiment" in labels else labels.iloc[0:0]
    counts = usable["sentiment"].value_counts() if len(usable) else pd.Series(dtype=int)
    if len(usable) < MIN_LABELS or counts.min() < MIN_PER_CLASS or len(counts) < 2:
        return ModelChoice(rules, "rules", n_labels=len(usable),
                           reason=f"{len(usable)} usable sentiment labels; at least {MIN_LABELS} with "
                                  f"{MIN_PER_CLASS} per class are needed to train")
    texts = usable["text"].astype(str).to_numpy()
    truth = usable["sentiment"].to_numpy()
    rules_pred = rules.transform(texts)["sentiment"].to_numpy()
    learned_pred = np.empty(len(texts), dtype=object)
    n_folds = min(folds, int(counts.min()))
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for done, (train, test) in enumerate(splitter.split(texts, truth)):
        if progress is not None:
            progress("folds", done, n_folds)
        fold_model = LearnedSentiment(rules, seed).fit(texts[train], truth[train])
        learned_pred[test] = fold_model.transform(texts[test])["sentiment"].to_numpy()
    if progress is not None:
        progress("folds", n_folds, n_folds)
    rules_f1 = f1_score(truth, rules_pred, average="macro")
    learned_f1 = f1_score(truth, learned_pred.astype(str), average="macro")
    figures = dict(rules_accuracy=float(np.mean(rules_pred == truth)),
                   learned_accuracy=float(np.mean(learned_pred.astype(str) == truth)), folds=n_folds)
    if learned_f1 >= rules_f1 + MIN_GAIN:
        model = LearnedSentiment(rules, seed).fit(texts, truth)
        return ModelChoice(model, "learned", rules_f1, learned_f1, len(usable),
                           f"trained model beats the rules by {learned_f1 - rules_f1:.3f} macro-F1 (cross-validated)",
                           **figures)
    return ModelChoice(rules, "rules", rules_f1, learned_f1, len(usable),
                       f"trained model does not beat the rules by {MIN_GAIN} macro-F1", **figures)
