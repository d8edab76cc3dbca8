"""Enrich: score the store's new or changed rows and summarise the threads, beside the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from feedback_analysis import store
from feedback_analysis.config import Settings
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.store import tables

# Rows scored at a time: the progress bar moves and the result is the same; large enough that the scorer
# still splits a batch over both cores (scoring.Scorer.parallel_min_texts).
SCORE_BATCH_ROWS = 50_000


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


def _score_rows(scorer, todo: pd.DataFrame, score_parts: Callable | None, progress: ProgressCallback) -> pd.DataFrame:
    """``todo`` scored, in batches here or by ``score_parts`` elsewhere."""
    progress("scoring", 0, len(todo))
    if score_parts is not None:
        fresh = score_parts(scorer, todo[["post_id", "content_hash", "text", "month"]])
        progress("scoring", len(todo), len(todo))
        return fresh
    batches = []
    for start in range(0, len(todo), SCORE_BATCH_ROWS):
        batch = todo.iloc[start:start + SCORE_BATCH_ROWS]
        batches.append(scorer.score(batch[["post_id", "content_hash", "text"]]))
        progress("scoring", start + len(batch), len(todo))
    return pd.concat(batches)


def enrich(settings: Settings, scorer=None, notify: Callable[[str], None] = lambda message: None,
           score_parts: Callable | None = None, progress: ProgressCallback = no_progress) -> EnrichReport:
    """Score the store's rows that are new or changed (by text hash and scorer version), then
    recompute the thread summaries. Writes ``processed/scores.parquet`` and ``processed/threads.parquet``.

    ``score_parts(scorer, rows)`` scores the rows elsewhere (``rows``: ``post_id, content_hash, text,
    month``; returns them scored, same index), e.g. month partitions on a Dask cluster
    (``fleet.cluster_scorer``); the scores are the same as in this process. ``progress`` hears of the
    rows scored ("scoring")."""
    from feedback_analysis.scoring import Scorer
    from feedback_analysis.threads import summarise_threads

    report = EnrichReport()
    with store.store_lock(settings.data_dir):
        posts = store.read_posts(settings.posts_dir, columns=["post_id", "thread_id", "kind", "author_id", "text",
                                                              "content_hash", "is_duplicate", "month"])
        report.rows = len(posts)
        if posts.empty:
            return report
        scorer = scorer or Scorer.for_municipality(settings.scoring.taxonomy, settings.scoring.service_threshold,
                                                   settings.language, settings.labels_dir)
        report.sentiment_model = scorer.sentiment_note
        report.version = scorer.version
        previous = read_scores(settings)
        previous = previous[previous["scorer_version"] == report.version]
        key = ["post_id", "content_hash"]
        reusable = posts[key].merge(previous, on=key, how="inner")
        todo = posts[~posts["post_id"].isin(reusable["post_id"])]
        report.reused = len(reusable)
        report.scored = len(todo)
        if len(todo):
            notify(f"scoring {len(todo)} new or changed rows")
            fresh = _score_rows(scorer, todo, score_parts, progress).drop(columns=["text"])
            fresh["scorer_version"] = report.version
            scores = pd.concat([reusable, fresh[reusable.columns]], ignore_index=True)
        else:
            scores = reusable
        tables.write_scores(settings, scores)

        scored_posts = posts.drop(columns=["month"]).merge(scores[["post_id", "sentiment"]], on="post_id", how="left")
        threads = summarise_threads(scored_posts)
        tables.write_threads(settings, threads)
        report.threads = len(threads)
        report.flagged = int((scores["abuse"] != "none").sum())
        report.review = int(scores["service_review"].sum())
    return report


def load_scored_posts(settings: Settings, months: list[str] | None = None) -> pd.DataFrame:
    """Store rows with their scores and thread summaries, for notebooks and reports.

    Adds the score columns (``scoring.SCORE_COLUMNS``), ``thread_service`` (the row's own service,
    else the service of its thread's top-level post, so that "idem hier" counts for the thread's
    service), for top-level posts with replies ``replies, agree, disagree, consensus``, and
    ``topic, topic_label, stable_topic`` for months whose topics were modelled.
    Rows not scored yet (run ``enrich``) have empty scores.
    """
    from feedback_analysis.scoring import SCORE_COLUMNS

    posts = store.read_posts(settings.posts_dir, months=months)
    scores = read_scores(settings).drop(columns=["content_hash", "scorer_version"], errors="ignore")
    posts = posts.merge(scores[["post_id", *SCORE_COLUMNS]], on="post_id", how="left")
    root_service = posts["thread_id"].map(posts.set_index("post_id")["service"]).astype("object")
    if months:  # a thread's top-level post may sit in an earlier month
        earlier = read_scores(settings).set_index("post_id")["service"]
        root_service = root_service.fillna(posts["thread_id"].map(earlier))
    own = posts["service"].astype("object").fillna("")
    root_service = root_service.astype("object").fillna("")
    posts["thread_service"] = own.where(own != "", root_service)
    if settings.threads_path.exists():
        threads = tables.read_threads(settings).drop(columns=["sentiment"], errors="ignore")
        posts = posts.merge(threads, on="post_id", how="left")
    months_here = sorted(posts["month"].astype(str).unique())
    if any(tables.assignments_exist(settings, m) for m in months_here):  # topics of the months modelled
        posts = posts.merge(tables.read_assignments(settings, months_here), on="post_id", how="left")
    return posts
