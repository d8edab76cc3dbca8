"""Scoring: sentiment, services, abuse flags and compliments for every row, in one pass.

:class:`Scorer` bundles the stage models (each replaceable, so a test can pass a tiny one) and adds
the score columns to any table with a text column. ``pipeline.enrich`` runs it over the store and
keeps the results beside it, scoring only rows that are new or changed since the last run.

Every score depends on the text alone, so each distinct text is scored once (copies, "idem" and
shared posts are common) and the result is given to every row that has it. Large inputs are split
over worker processes (``workers``; forked, so the models are not loaded again); the result is the
same as a serial run, row for row.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from feedback_analysis import __version__
from feedback_analysis.abuse import AbuseDetector
from feedback_analysis.packaged import resource_bytes
from feedback_analysis.sentiment import LexiconSentiment
from feedback_analysis.services import ServiceRouter, ServiceTaxonomy
from feedback_analysis.store.labels import label_files
from feedback_analysis.threads import mark_compliments

SCORE_COLUMNS = (
    "sentiment", "sentiment_score",
    "service", "services", "service_confidence", "service_review",
    "abuse", "abuse_reason", "abuse_action", "abuse_target", "abuse_group",
    "compliment",
)
_RESOURCES = ("sentiment_nl.yaml", "services.yaml", "abuse_nl.yaml", "threads_nl.yaml")
# Below this many distinct texts a worker process costs more than it saves.
PARALLEL_MIN_TEXTS = 8_000
# Pieces per worker: small enough that a slow piece does not leave the other worker idle.
CHUNKS_PER_WORKER = 4


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
    workers: int | None = None  # worker processes for large inputs; None: one per CPU core (at most 4)
    parallel_min_texts: int = PARALLEL_MIN_TEXTS

    @classmethod
    def for_municipality(cls, taxonomy_path: Path | None = None, threshold: float = 0.4, lang: str = "nl",
                         labels_dir: Path | None = None) -> Scorer:
        """Default models with the municipality's own service words merged into the taxonomy, and a
        sentiment model trained on the analysts' labels when it beats the rules (see ``learning``)."""
        router = ServiceRouter(ServiceTaxonomy.load(taxonomy_path), threshold=threshold)
        scorer = cls(router=router, lang=lang, taxonomy_path=taxonomy_path)
        files = label_files(labels_dir) if labels_dir is not None else []
        if files:
            from feedback_analysis.learning import choose_sentiment_model, load_labels

            choice = choose_sentiment_model(load_labels(labels_dir), scorer.sentiment)
            scorer.sentiment = choice.model
            scorer.sentiment_note = f"{choice.name}: {choice.reason}"
            if choice.name == "learned":
                scorer.label_files = tuple(files)
        return scorer

    @property
    def version(self) -> str:
        extra = ((self.taxonomy_path,) if self.taxonomy_path else ()) + self.label_files
        return scorer_version(extra)

    def score(self, table: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
        """Copy of ``table`` with :data:`SCORE_COLUMNS` added; rows, order and index kept."""
        texts = table[text_column].fillna("").astype(str)
        codes, unique = pd.factorize(texts, sort=False)
        unique_texts = [str(text) for text in unique]
        workers = self._worker_count(len(unique_texts))
        if workers > 1:
            scores = self._score_parallel(unique_texts, workers)
        else:
            scores = self.score_texts(unique_texts)
        out = table.copy()
        for column in SCORE_COLUMNS:
            out[column] = scores[column].to_numpy()[codes]
        return out

    def score_texts(self, texts: list[str]) -> pd.DataFrame:
        """The :data:`SCORE_COLUMNS` for each text, in order (one process)."""
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
        return scores[list(SCORE_COLUMNS)]

    def _worker_count(self, texts: int) -> int:
        if texts < self.parallel_min_texts or "fork" not in multiprocessing.get_all_start_methods():
            return 1
        wanted = self.workers if self.workers is not None else min(_cpu_count(), 4)
        return max(1, min(wanted, texts // max(1, self.parallel_min_texts // 2)))

    def _score_parallel(self, texts: list[str], workers: int) -> pd.DataFrame:
        # Forked workers inherit the loaded models; only the texts and the score columns are sent.
        global _WORKER_SCORER
        size = -(-len(texts) // (workers * CHUNKS_PER_WORKER))
        chunks = [texts[start:start + size] for start in range(0, len(texts), size)]
        _WORKER_SCORER = self
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                parts = list(pool.map(_score_chunk, chunks))
        except (BrokenProcessPool, OSError):
            # A worker was killed (memory) or no process could be started: the same work, serially.
            parts = [self.score_texts(chunk) for chunk in chunks]
        finally:
            _WORKER_SCORER = None
        return pd.concat(parts, ignore_index=True)


def _cpu_count() -> int:
    """CPU cores this process may use (a container's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


_WORKER_SCORER: Scorer | None = None


def _score_chunk(texts: list[str]) -> pd.DataFrame:
    """Runs in a forked worker: score one piece with the parent's scorer."""
    return _WORKER_SCORER.score_texts(texts)
