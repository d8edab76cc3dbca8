"""Scoring: sentiment, services, abuse flags and compliments for every row, in one pass.

:class:`Scorer` bundles the stage models (each replaceable, so a test can pass a tiny one) and adds
the score columns to any table with a text column. ``pipeline.enrich`` runs it over the store and
keeps the results beside it, scoring only rows that are new or changed since the last run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from feedback_analysis import __version__
from feedback_analysis.abuse import AbuseDetector
from feedback_analysis.packaged import resource_bytes
from feedback_analysis.sentiment import LexiconSentiment
from feedback_analysis.services import ServiceRouter, ServiceTaxonomy
from feedback_analysis.threads import mark_compliments

SCORE_COLUMNS = (
    "sentiment", "sentiment_score",
    "service", "services", "service_confidence", "service_review",
    "abuse", "abuse_reason", "abuse_action", "abuse_target", "abuse_group",
    "compliment",
)
_RESOURCES = ("sentiment_nl.yaml", "services.yaml", "abuse_nl.yaml", "threads_nl.yaml")


def scorer_version(extra_files: tuple[Path, ...] = ()) -> str:
    """Package version plus a hash of every word list: rows are re-scored when a list changes."""
    digest = hashlib.sha1(__version__.encode())
    for name in _RESOURCES:
        digest.update(resource_bytes(name))
    for path in extra_files:
        digest.update(Path(path).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


@dataclass
class Scorer:
    """The stage models used to score texts. Defaults are built on first use."""

    sentiment: LexiconSentiment = field(default_factory=LexiconSentiment)
    router: ServiceRouter = field(default_factory=ServiceRouter)
    abuse: AbuseDetector = field(default_factory=AbuseDetector)
    lang: str = "nl"
    taxonomy_path: Path | None = None
    sentiment_note: str = "rules (lexicon)"
    label_files: tuple[Path, ...] = ()

    @classmethod
    def for_municipality(cls, taxonomy_path: Path | None = None, threshold: float = 0.4, lang: str = "nl",
                         labels_dir: Path | None = None) -> Scorer:
        """Default models with the municipality's own service words merged into the taxonomy, and a
        sentiment model trained on the analysts' labels when it beats the rules (see ``learning``)."""
        router = ServiceRouter(ServiceTaxonomy.load(taxonomy_path), threshold=threshold)
        scorer = cls(router=router, lang=lang, taxonomy_path=taxonomy_path)
        if labels_dir is not None and Path(labels_dir).is_dir() and any(Path(labels_dir).glob("*.csv")):
            from feedback_analysis.learning import choose_sentiment_model, load_labels

            choice = choose_sentiment_model(load_labels(labels_dir), scorer.sentiment)
            scorer.sentiment = choice.model
            scorer.sentiment_note = f"{choice.name}: {choice.reason}"
            if choice.name == "learned":
                scorer.label_files = tuple(sorted(Path(labels_dir).glob("*.csv")))
        return scorer

    @property
    def version(self) -> str:
        extra = ((self.taxonomy_path,) if self.taxonomy_path else ()) + self.label_files
        return scorer_version(extra)

    def score(self, table: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
        """Copy of ``table`` with :data:`SCORE_COLUMNS` added; rows, order and index kept."""
        texts = table[text_column].fillna("").astype(str).tolist()
        parts = [
            self.sentiment.transform(texts),
            self.router.transform(texts),
            self.abuse.transform(texts),
        ]
        scores = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        scores["text"] = texts
        scores = mark_compliments(scores)
        if self.lang != "nl":
            from feedback_analysis.abuse import ESCALATION

            scores["abuse_action"] = scores["abuse"].map(lambda label: ESCALATION.get(label, {}).get(self.lang, ""))
        out = table.copy()
        for column in SCORE_COLUMNS:
            out[column] = scores[column].to_numpy()
        return out
