"""Enrich: score the store's new or changed rows and summarise the threads, beside the store."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feedback_analysis import store
from feedback_analysis.config import Settings
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.store import tables

# Rows of a month handed to the scorer at a time: the progress bar moves and the result is the same (the
# worker processes take the texts in small pieces whatever this is, see scoring.TextScores).
SCORE_BATCH_ROWS = 50_000
# Rows of store months read together when another scorer (``score_parts``, a Dask cluster) scores them:
# enough months at once to keep the cluster's workers busy, few enough to keep memory bounded.
CLUSTER_GROUP_ROWS = 400_000


@dataclass
class EnrichReport:
    """What `enrich` did: rows in the store, rows scored anew and reused, the scorer version."""

    rows: int = 0
    scored: int = 0
    reused: int = 0
    threads: int = 0
    flagged: int = 0
    review: int = 0
    version: str = ""
    sentiment_model: str = ""


def read_scores(settings: Settings) -> pd.DataFrame:
    """The stored scores (``post_id, content_hash, scorer_version`` and the score columns), or empty."""
    return tables.read_scores(settings)


# What the thread summaries need of each row, once scored (the text only as a reply's phrase stance).
_THREAD_COLUMNS = ["post_id", "thread_id", "kind", "author_id", "is_duplicate", "sentiment", "reply_phrase"]
_READ_COLUMNS = ["post_id", "thread_id", "kind", "author_id", "text", "content_hash", "is_duplicate"]


def enrich(settings: Settings, scorer=None, notify: Callable[[str], None] = lambda message: None,
           score_parts: Callable | None = None, progress: ProgressCallback = no_progress) -> EnrichReport:
    """Score the store's rows that are new or changed (by text hash and scorer version), then
    recompute the thread summaries. Writes ``processed/scores.parquet`` and ``processed/threads.parquet``.

    The store is read and its scores written month by month, so memory does not grow with the store;
    each distinct text is scored once (``scoring.TextScores``), the next month read while the worker
    processes score this one. ``score_parts(scorer, rows)`` scores the rows elsewhere (``rows``:
    ``post_id, content_hash, text, month``; returns them scored, same index), e.g. month partitions on
    a Dask cluster (``fleet.cluster_scorer``); the scores are the same as in this process.
    ``progress`` hears of the rows scored ("scoring"). The scorer built here starts at most
    ``settings.parallel.processes`` worker processes for a large month (0: one per core)."""
    from feedback_analysis.scoring import Scorer
    from feedback_analysis.threads import summarise_threads

    report = EnrichReport()
    with store.store_lock(settings.data_dir):
        months = pd.Series({month: 0 for month in tables.store_months(settings)}, dtype="int64")
        if months.empty:
            return report
        if scorer is None:
            scorer = Scorer.for_municipality(settings.scoring.taxonomy, settings.scoring.service_threshold,
                                             settings.language, settings.labels_dir)
            scorer.workers = settings.parallel.processes or None  # None: one process per core
        report.sentiment_model = scorer.sentiment_note
        report.version = scorer.version
        previous = tables.read_scores_table(settings, report.version)
        for month in months.index:  # a first light pass, month by month: how many rows are new or changed
            keys = store.read_posts(settings.posts_dir, columns=["post_id", "content_hash"], months=[month])
            months[month] = len(keys)
            report.reused += int((_reused_positions(keys["post_id"], keys["content_hash"], previous) >= 0).sum())
        report.rows = int(months.sum())
        report.scored = report.rows - report.reused
        if report.scored:
            notify(f"scoring {report.scored} new or changed rows")
        run = _MonthScoring(settings, scorer, previous, score_parts, progress, report)
        with tables.ScoresWriter(settings) as writer:
            threads = run.all_months(months, writer)
        summary = summarise_threads(threads)
        tables.write_threads(settings, summary)
        report.threads = len(summary)
    return report


def _reused_positions(post_ids: pd.Series, hashes: pd.Series, previous: pa.Table | None) -> np.ndarray:
    """For each row, its row in ``previous`` when that has the same post id and text hash, else -1."""
    if previous is None or not len(post_ids):
        return np.full(len(post_ids), -1, dtype=np.int64)
    found = pc.index_in(pa.array(post_ids, type=pa.string()), value_set=previous.column("post_id"))
    positions = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    hit = np.flatnonzero(positions >= 0)
    stored = previous.column("content_hash").take(pa.array(positions[hit]))
    same = pc.equal(pa.array(hashes, type=pa.string()).take(pa.array(hit)), stored)
    positions[hit[~same.fill_null(False).to_numpy(zero_copy_only=False)]] = -1
    return positions


def _month_groups(months: pd.Series, rows: int) -> list[list[str]]:
    """Consecutive months (``months``: rows per month) in groups of at most ``rows`` rows (a larger
    month is a group of its own)."""
    groups: list[list[str]] = []
    size = 0
    for month, count in months.items():
        if groups and size + count <= rows:
            groups[-1].append(month)
            size += count
        else:
            groups.append([month])
            size = count
    return groups


class _MonthScoring:
    """One enrich run over the store's months: read a month, reuse or score its rows, write its scores,
    keep what the thread summaries need. Scoring in this process runs one month ahead of the writing."""

    def __init__(self, settings, scorer, previous, score_parts, progress, report):
        self.settings, self.scorer, self.previous = settings, scorer, previous
        self.score_parts, self.progress, self.report = score_parts, progress, report
        self.done = 0
        self.flagged = 0
        self.review = 0

    def all_months(self, months: pd.Series, writer) -> pd.DataFrame:
        """Score and write every month (``months``: rows per month, in order); returns the rows for
        ``summarise_threads``."""
        from feedback_analysis.scoring import TextScores

        threads = []
        self.progress("scoring", 0, self.report.scored)
        if self.score_parts is not None:
            for group in _month_groups(months, CLUSTER_GROUP_ROWS):
                works = [self._start(month, None) for month in group]
                self._score_elsewhere(works)
                threads += [self._finish(work, None, writer) for work in works]
        else:
            with TextScores(self.scorer) as texts:
                waiting = deque()
                for month in months.index:
                    waiting.append(self._start(month, texts))
                    if len(waiting) > 1:
                        threads.append(self._finish(waiting.popleft(), texts, writer))
                while waiting:
                    threads.append(self._finish(waiting.popleft(), texts, writer))
        self.report.flagged = self.flagged
        self.report.review = self.review
        return pd.concat(threads, ignore_index=True)

    def _start(self, month: str, texts) -> dict:
        posts = store.read_posts(self.settings.posts_dir, columns=_READ_COLUMNS, months=[month])
        positions = _reused_positions(posts["post_id"], posts["content_hash"], self.previous)
        todo = posts[positions < 0]
        work = {"posts": posts, "positions": positions, "todo": todo, "month": month, "tickets": []}
        if texts is not None:
            for start in range(0, len(todo), SCORE_BATCH_ROWS):
                batch = todo.iloc[start:start + SCORE_BATCH_ROWS]
                work["tickets"].append((len(batch), texts.submit(batch["text"])))
        return work

    def _finish(self, work: dict, texts, writer) -> pd.DataFrame:
        posts, positions, todo = work["posts"], work["positions"], work["todo"]
        parts = []
        if (positions >= 0).any():
            reused = tables.decode_labels(self.previous.take(pa.array(positions[positions >= 0])))
            parts.append(reused.drop(columns=["scorer_version"]).set_axis(posts.index[positions >= 0]))
        if len(todo):
            parts.append(self._fresh(work, texts))
        scores = pd.concat(parts).loc[posts.index] if len(parts) > 1 else parts[0]
        scores["post_id"] = posts["post_id"].to_numpy()
        scores["content_hash"] = posts["content_hash"].to_numpy()
        scores["scorer_version"] = self.report.version
        writer.write(scores)
        self.flagged += int((scores["abuse"] != "none").sum())
        self.review += int(scores["service_review"].astype(bool).sum())
        return self._thread_rows(posts, scores)

    def _fresh(self, work: dict, texts) -> pd.DataFrame:

        todo = work["todo"]
        if "fresh" in work:
            return work["fresh"]
        parts = []
        for size, ticket in work["tickets"]:
            parts.append(texts.collect(ticket))
            self._advance(size)
        return pd.concat(parts, ignore_index=True).set_axis(todo.index)

    def _score_elsewhere(self, works: list[dict]) -> None:
        """The months' rows to score, scored by ``score_parts`` in one call (the cluster's workers can
        take several months at once); each month's part is kept in its work as ``fresh``."""
        from feedback_analysis.scoring import SCORE_COLUMNS

        todo = [work["todo"][["post_id", "content_hash", "text"]].assign(month=work["month"]) for work in works]
        rows = pd.concat(todo, ignore_index=True)
        if rows.empty:
            return
        fresh = self.score_parts(self.scorer, rows).loc[rows.index, list(SCORE_COLUMNS)]
        start = 0
        for work in works:
            size = len(work["todo"])
            work["fresh"] = fresh.iloc[start:start + size].set_axis(work["todo"].index)
            start += size
        self._advance(len(rows))

    def _advance(self, rows: int) -> None:
        self.done += rows
        self.progress("scoring", self.done, self.report.scored)

    @staticmethod
    def _thread_rows(posts: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
        """The rows ``summarise_threads`` counts: top-level posts and the replies that are no copies."""
        from feedback_analysis.threads import phrase_stances

        counted = (posts["kind"] == "post") | ~posts["is_duplicate"].astype(bool)
        rows = posts.loc[counted, ["post_id", "thread_id", "kind", "author_id", "is_duplicate"]]
        rows = rows.assign(sentiment=scores.loc[counted, "sentiment"].astype("category"), reply_phrase="")
        replies = rows["kind"] != "post"
        rows.loc[replies, "reply_phrase"] = phrase_stances(posts.loc[rows.index[replies], "text"])
        rows["kind"] = rows["kind"].astype("category")
        rows["reply_phrase"] = rows["reply_phrase"].astype("category")
        pa.default_memory_pool().release_unused()  # the month's Arrow buffers are no longer needed
        return rows[_THREAD_COLUMNS]


def load_scored_posts(settings: Settings, months: list[str] | None = None,
                      columns: list[str] | None = None) -> pd.DataFrame:
    """Store rows with their scores and thread summaries, for notebooks and reports.

    Adds the score columns (``scoring.SCORE_COLUMNS``), ``thread_service`` (the row's own service,
    else the service of its thread's top-level post, so that "idem hier" counts for the thread's
    service), for top-level posts with replies ``replies, agree, disagree, consensus``, and
    ``topic, topic_label, stable_topic`` for months whose topics were modelled.
    Rows not scored yet (run ``enrich``) have empty scores. ``columns``: the store columns to read
    (``post_id``, ``thread_id`` and ``month`` always are); None: all. With ``months``, only the scores and
    thread summaries of those months' rows and their threads' first posts are read.
    """
    from feedback_analysis.scoring import SCORE_COLUMNS

    if columns is not None:
        columns = list(dict.fromkeys(["post_id", "thread_id", "month", *columns]))
    posts = store.read_posts(settings.posts_dir, columns=columns, months=months)
    score_columns = ["post_id", *SCORE_COLUMNS]
    if months:  # a thread's top-level post may sit in an earlier month: its scores are read too
        scores = tables.read_scores_of(settings, pd.concat([posts["post_id"], posts["thread_id"]]), score_columns)
    else:
        scores = tables.read_scores(settings, score_columns)
    posts = posts.merge(scores, on="post_id", how="left")
    root_service = posts["thread_id"].map(posts.set_index("post_id")["service"]).astype("object")
    if months:
        root_service = root_service.fillna(posts["thread_id"].map(scores.set_index("post_id")["service"]))
    own = posts["service"].astype("object").fillna("")
    root_service = root_service.astype("object").fillna("")
    posts["thread_service"] = own.where(own != "", root_service)
    if settings.threads_path.exists():
        threads = (tables.read_threads_of(settings, posts["post_id"]) if months else tables.read_threads(settings))
        posts = posts.merge(threads.drop(columns=["sentiment"], errors="ignore"), on="post_id", how="left")
    months_here = sorted(posts["month"].astype(str).unique())
    if any(tables.assignments_exist(settings, m) for m in months_here):  # topics of the months modelled
        posts = posts.merge(tables.read_assignments(settings, months_here), on="post_id", how="left")
    return posts
