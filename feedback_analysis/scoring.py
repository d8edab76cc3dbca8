"""Scoring: sentiment, services, abuse flags and compliments for every row, in one pass.

:class:`Scorer` bundles the stage models (each replaceable, so a test can pass a tiny one) and adds
the score columns to any table with a text column. ``pipeline.enrich`` runs it over the store and
keeps the results beside it, scoring only rows that are new or changed since the last run.

Every score depends on the text alone, so each distinct text is scored once (copies, "idem" and
shared posts are common) and the result is given to every row that has it. :class:`TextScores`
does that across calls (the store month by month) and splits many texts over forked worker processes
(``workers``; the models are not loaded again, only texts and score columns travel); the result is
the same as a serial run, row for row.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from feedback_analysis import __version__
from feedback_analysis.abuse import AbuseDetector
from feedback_analysis.packaged import resource_bytes
from feedback_analysis.sentiment import LexiconSentiment
from feedback_analysis.services import ServiceRouter, ServiceTaxonomy
from feedback_analysis.store.labels import label_files
from feedback_analysis.threads import compliments

SCORE_COLUMNS = (
    "sentiment", "sentiment_score",
    "service", "services", "service_confidence", "service_review",
    "abuse", "abuse_reason", "abuse_action", "abuse_target", "abuse_group",
    "compliment",
)
_RESOURCES = ("sentiment_nl.yaml", "services.yaml", "abuse_nl.yaml", "threads_nl.yaml", "abuse_model.json",
              "services_examples.csv")
# The code that decides a score: a change to a rule is a new scorer as much as a change to a word list.
_CODE = ("sentiment", "services", "abuse", "threads.py", "scoring.py", "text_nl.py", "vocab.py")
# Below this many distinct texts a worker process costs more than it saves.
PARALLEL_MIN_TEXTS = 8_000
# Texts sent to a worker at a time: small enough that both workers stay busy to the end and the
# parent gets results while it reads on, large enough that sending them costs little. The last texts
# go in ever smaller pieces (down to TAIL_TEXTS), so the workers finish together.
CHUNK_TEXTS = 2_000
TAIL_TEXTS = 200
# Texts the parent scores itself before it forks the workers: they inherit its warm word caches and
# any model trained on first use, instead of each filling its own.
WARM_TEXTS = 200
# Distinct texts remembered across calls (with their scores about 800 bytes each in a 1M-row enrich);
# past this the memory starts afresh: about 200 MB at most.
MAX_TEXTS = 250_000
# New objects between two of the cycle collector's youngest-generation runs while scoring (Python's default: 700).
GC_THRESHOLD = 50_000


def scorer_sources() -> list[Path]:
    """The package's scoring modules (:data:`_CODE`), in a fixed order."""
    package = Path(__file__).resolve().parent
    found = []
    for name in _CODE:
        path = package / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


@lru_cache(maxsize=1)
def _packaged_digest() -> str:
    digest = hashlib.sha1(__version__.encode())
    for name in _RESOURCES:
        digest.update(resource_bytes(name))
    for path in scorer_sources():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def scorer_version(extra_files: tuple[Path, ...] = ()) -> str:
    """Package version plus a hash of every word list, model file and scoring module: stored rows are
    re-scored when any of them changes (an upgrade that changes a rule re-scores, too)."""
    digest = hashlib.sha1(_packaged_digest().encode())
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
        with TextScores(self) as texts:
            scores = texts.collect(texts.submit(table[text_column]))
        out = table.copy()
        for column in SCORE_COLUMNS:
            out[column] = scores[column].to_numpy()
        return out

    def score_texts(self, texts: list[str]) -> pd.DataFrame:
        """The :data:`SCORE_COLUMNS` for each text, in order (one process)."""
        with _few_collections():
            parts = [
                self.sentiment.transform(texts),
                self.router.transform(texts),
                self.abuse.transform(texts),
            ]
        scores = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        # What mark_compliments adds, without copying the texts into the table first.
        scores["compliment"] = compliments(texts, scores["sentiment"], scores["service"].fillna(""))
        if self.lang != "nl":
            from feedback_analysis.abuse import ESCALATION

            scores["abuse_action"] = scores["abuse"].map(lambda label: ESCALATION.get(label, {}).get(self.lang, ""))
        return scores[list(SCORE_COLUMNS)]

    def worker_count(self, texts: int) -> int:
        """Worker processes worth starting for ``texts`` distinct texts (1: score in this process)."""
        if texts < self.parallel_min_texts or "fork" not in multiprocessing.get_all_start_methods():
            return 1
        wanted = self.workers if self.workers is not None else min(_cpu_count(), 4)
        return max(1, min(wanted, texts // max(1, self.parallel_min_texts // 2)))


class Ticket:
    """Texts handed to :meth:`TextScores.submit`: where each one's scores are, until collected."""

    def __init__(self, positions: np.ndarray, upto: int):
        self.positions = positions
        self.upto = upto  # every position below this must be scored before the ticket can be collected
        self.frame: pd.DataFrame | None = None  # kept here when the memory of texts starts afresh


class TextScores:
    """Each distinct text scored once, across calls, in forked worker processes when there are many.

    ``submit(texts)`` hands over the texts (new ones start scoring at once when workers run) and
    returns a :class:`Ticket`; ``collect(ticket)`` returns the :data:`SCORE_COLUMNS` of those texts
    in their order (index 0..n-1). Several tickets may be open, so a caller reads its next part while
    the workers score this one. Workers start once ``scorer.parallel_min_texts`` distinct texts
    wait; with fewer the texts are scored here, when collected. At most ``max_texts`` distinct texts
    are remembered; then the memory starts afresh (open tickets keep their scores), so memory stays
    bounded and a text seen again is scored again, to the same result. Use it as a context manager:
    the workers stop at the end.
    """

    def __init__(self, scorer: Scorer, chunk_texts: int = CHUNK_TEXTS, max_texts: int = MAX_TEXTS):
        self.scorer = scorer
        self.chunk_texts = chunk_texts
        self.max_texts = max_texts
        self._pool: ProcessPoolExecutor | None = None
        self._parallel = True  # False once the workers failed: the rest is scored here
        self._workers = 1
        self._forget()
        self._open: list[Ticket] = []

    def _forget(self) -> None:
        self._known: dict[str, int] = {}
        self._waiting: list[str] = []  # known texts not sent yet, in position order
        self._sent: deque[tuple[Future, list[str]]] = deque()
        self._parts: list[pd.DataFrame] = []  # scores of positions 0..filled-1, in order
        self._filled = 0
        self._table: pd.DataFrame | None = None

    def __enter__(self) -> TextScores:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (waiting work is dropped)."""
        global _WORKER_SCORER
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            _WORKER_SCORER = None

    def submit(self, texts: Iterable[str]) -> Ticket:
        """Hand over ``texts`` (missing ones count as empty); returns the ticket to collect them by."""
        if len(self._known) > self.max_texts:
            self._start_afresh()
        series = pd.Series(texts, dtype=object) if not isinstance(texts, pd.Series) else texts
        codes, unique = pd.factorize(series.fillna("").astype(str), sort=False)
        known, waiting = self._known, self._waiting
        positions = np.empty(len(unique), dtype=np.int64)
        for i, text in enumerate(unique):
            position = known.get(text)
            if position is None:
                position = known[text] = len(known)
                waiting.append(text)
            positions[i] = position
        self._send()
        ticket = Ticket(positions[codes], len(known))
        self._open.append(ticket)
        return ticket

    def collect(self, ticket: Ticket) -> pd.DataFrame:
        """The scores of the ticket's texts, in order; waits for the workers when needed."""
        self._open = [t for t in self._open if t is not ticket]
        if ticket.frame is not None:
            return ticket.frame
        while self._filled < ticket.upto:
            if self._sent:
                future, chunk = self._sent.popleft()
                self._append(self._result(future, chunk))
            else:  # not worth workers: score what waits here
                waiting, self._waiting = self._waiting, []
                self._append(self.scorer.score_texts(waiting))
        if not self._parts:
            return self.scorer.score_texts([])
        if self._table is None:
            self._table = pd.concat(self._parts, ignore_index=True) if len(self._parts) > 1 else self._parts[0]
            self._parts = [self._table]
        return self._table.take(ticket.positions).reset_index(drop=True)

    def _append(self, part: pd.DataFrame) -> None:
        self._parts.append(part.reset_index(drop=True))
        self._filled += len(part)
        self._table = None

    def _start_afresh(self) -> None:
        for ticket in list(self._open):
            ticket.frame = self.collect(ticket)
        self._forget()

    def _send(self) -> None:
        if not self._waiting or not self._parallel:
            return
        if self._pool is None:
            workers = self.scorer.worker_count(len(self._waiting) + sum(len(c) for _, c in self._sent))
            if workers < 2:
                return
            self._start(workers)
        waiting, self._waiting = self._waiting, []
        for chunk in _chunks(waiting, self.chunk_texts, self._workers):
            try:
                self._sent.append((self._pool.submit(_score_chunk, chunk), chunk))
            except (BrokenProcessPool, RuntimeError, OSError):
                self._sent.append((_failed(), chunk))

    def _start(self, workers: int) -> None:
        # Forked workers inherit the loaded models; only the texts and the score columns are sent.
        global _WORKER_SCORER
        self._warm_up()
        _WORKER_SCORER = self.scorer
        self._workers = workers
        try:
            # gc.freeze in a worker: the collector leaves the inherited models and caches alone, so it
            # neither walks them nor copies their memory pages (they stay shared with the parent).
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=gc.freeze)
        except OSError:
            self._parallel = False

    def _warm_up(self) -> None:
        """Train what the texts need and score the first ones here (they are the next positions:
        nothing is sent yet), so the workers inherit trained models and warm word caches."""
        prepare = getattr(self.scorer.router, "prepare", None)
        if prepare is not None:
            prepare(self._waiting)
        count = min(WARM_TEXTS, len(self._waiting) // 10)
        if count:
            first, self._waiting = self._waiting[:count], self._waiting[count:]
            self._append(self.scorer.score_texts(first))

    def _result(self, future: Future, chunk: list[str]) -> pd.DataFrame:
        try:
            return future.result()
        except (BrokenProcessPool, OSError):
            # A worker was killed (memory) or no process could be started: the same work, here.
            self._parallel = False
            return self.scorer.score_texts(chunk)


def _chunks(texts: list[str], size: int, workers: int) -> Iterable[list[str]]:
    """``texts`` in pieces of ``size``; the last ``size * workers`` in pieces of a share of what is left
    (guided scheduling), so no worker gets a large piece when the others are nearly done."""
    start, count = 0, len(texts)
    while start < count:
        left = count - start
        step = size if left > size * workers else max(min(TAIL_TEXTS, size), left // (2 * workers))
        yield texts[start:start + step]
        start += step


@contextmanager
def _few_collections() -> Iterator[None]:
    """Python's cycle collector run less often while texts are scored: the scorers make many small
    short-lived objects (tokens, hits) and no cycles, and a collection also walks the word caches, which
    grow large. Reference counting still frees everything; the thresholds are restored afterwards."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _failed() -> Future:
    future: Future = Future()
    future.set_exception(BrokenProcessPool("the worker processes stopped"))
    return future


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
