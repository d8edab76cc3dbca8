"""Topics: each month's topics, matched to earlier months' so a subject keeps its stable id."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feedback_analysis import store
from feedback_analysis.config import Settings
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.stages.decisions import is_in
from feedback_analysis.stages.enrich import load_scored_posts
from feedback_analysis.store import tables
from feedback_analysis.store.topics import read_topic_input, write_topic_input

MAX_TOPIC_WORKERS = 4
# What a month's fit reads of the store: the text and what the registry's evidence and the thread rules use.
FIT_COLUMNS = ["text", "lang", "author_id", "created_at", "is_duplicate"]
MONTH_TOPIC_COLUMNS = ["service", "sentiment", "topic", "stable_topic", "topic_label", "words", "size", "status",
                       "examples", "coverage", "post_ids"]


@dataclass
class TopicsReport:
    """What modelling one month's topics did."""

    month: str
    posts: int = 0
    topics: int = 0
    outliers: float = 0.0
    message: str = ""


def topic_settings(settings: Settings):
    """The topic model's settings from the municipality's settings."""
    from feedback_analysis.topics import TopicSettings

    model = settings.topics.embedding_model
    return TopicSettings(embedding_model=str(model) if model else None, language=settings.language)


def municipality_words(settings: Settings) -> tuple[str, ...]:
    """The words of the municipality's name ("Sint-Niklaas" -> sint, niklaas): never a label under a service.

    Only the labels leave them out; the topic model keeps them, as they help tell a local event apart."""
    return tuple(word for word in re.split(r"[^\w]+", settings.municipality.lower()) if len(word) > 2)


# Columns of a stored row that say where and when it was read, not what it says: a re-export of the
# same posts does not change the month's topics.
_PROVENANCE = ("source_file", "source_row", "ingested_at")


def _frame_digest(frame: pd.DataFrame, digest) -> None:
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    if len(frame):
        try:
            hashed = pd.util.hash_pandas_object(frame, index=False)
        except TypeError:  # a column of lists: hash its text
            hashed = pd.util.hash_pandas_object(frame.astype(str), index=False)
        digest.update(hashed.to_numpy().tobytes())


def topic_inputs_digest(settings: Settings, month: str, scores: pd.DataFrame | None = None,
                        threads: pd.DataFrame | None = None) -> str:
    """A digest of everything the month's topics are fitted on: its stored rows (without where and when
    they were read), the scores and thread summaries of those rows and of their threads' first posts,
    and the topic settings. ``scores`` / ``threads``: the whole tables when the caller has them, so a
    check over many months reads them once."""
    scores = tables.read_scores(settings) if scores is None else scores
    threads = tables.read_threads(settings) if threads is None else threads
    posts = store.read_posts(settings.posts_dir, months=[month])
    posts = posts.drop(columns=[c for c in _PROVENANCE if c in posts.columns]).sort_values("post_id", kind="stable")
    ids = pd.concat([posts["post_id"], posts["thread_id"].dropna()]).astype(str).unique()
    digest = hashlib.sha256(repr(topic_settings(settings)).encode())
    for frame in (posts, scores, threads):
        if frame is not posts:
            frame = frame[is_in(frame["post_id"].astype(str), ids)].sort_values("post_id", kind="stable")
        _frame_digest(frame.reset_index(drop=True), digest)
    return digest.hexdigest()


def model_month_topics(settings: Settings, month: str, digest: str | None = None) -> TopicsReport:
    """Fit the month's topics, match them to earlier months' in the registry, and keep the
    assignments (``processed/topics/assignments/<month>.parquet``), the registry and the digest of the
    month's inputs (:func:`topic_inputs_digest`, or ``digest`` when the caller computed it) up to date.

    Copy-paste duplicates are left out of the fit (they would make a repost a topic of its own).
    """
    digest = digest or topic_inputs_digest(settings, month)
    posts, fit = fit_month(settings, month)
    return _keep_month(settings, month, posts, fit, digest)


def fit_month(settings: Settings, month: str):
    """The month's posts (copy-paste duplicates left out) and their topics and subjects before the registry
    matches them (``topics.fit_month_subjects``): what needs no other month, so months can be fitted side
    by side. Raises ValueError when the store has no rows of ``month``."""
    from feedback_analysis.topics.registry import fit_month_subjects

    posts = load_scored_posts(settings, [month], columns=FIT_COLUMNS)
    if posts.empty:
        raise ValueError(f"no data for {month} in {settings.posts_dir}")
    posts = posts[~posts["is_duplicate"].astype(bool)].reset_index(drop=True)
    return posts, fit_month_subjects(posts, settings=topic_settings(settings))


def _keep_month(settings: Settings, month: str, posts: pd.DataFrame, fit, digest: str) -> TopicsReport:
    """Match a fitted month to the registry and write its assignments, the registry and its input digest."""
    from feedback_analysis.topics import TopicRegistry
    from feedback_analysis.topics.registry import match_month_topics

    with store.store_lock(settings.data_dir, name="topics"):
        registry = TopicRegistry.load(settings.topics_dir)
        assigned, topics = match_month_topics(posts, month, registry, fit)
        registry.save()
        tables.write_assignments(settings, month, assigned)
        write_topic_input(settings.topics_dir, month, digest)
    outliers = float((assigned["topic"] == -1).mean()) if len(assigned) else 0.0
    return TopicsReport(month, len(assigned), len(topics), round(outliers, 3), assigned.attrs.get("topic_message", ""))


def months_to_model(settings: Settings, up_to: str) -> dict[str, str]:
    """The months up to ``up_to`` whose topics must be (re)fitted, oldest first, each with the digest of
    its inputs (:func:`topic_inputs_digest`).

    A month whose assignments are newer than its rows and the scores is up to date without reading
    anything. One that only looks older (an ingest of another month rewrote the scores file) is up to
    date when the digest of its inputs is the one its topics were fitted on: the monthly run then
    models only the new month, not the whole year again."""
    candidates = [m for m in tables.store_months(settings) if m <= up_to and tables.topics_outdated(settings, m)]
    if not candidates:
        return {}
    scores, threads = tables.read_scores(settings), tables.read_threads(settings)
    todo = {}
    for month in candidates:
        digest = topic_inputs_digest(settings, month, scores, threads)
        if not tables.assignments_exist(settings, month) or read_topic_input(settings.topics_dir, month) != digest:
            todo[month] = digest
    return todo


def topic_workers(months: int) -> int:
    """How many processes fit ``months`` months side by side: one per core, at most ``MAX_TOPIC_WORKERS``
    (each holds one month's model); one in a daemonic process (a cluster worker), which may not start any."""
    from multiprocessing import current_process

    if current_process().daemon:
        return 1
    return max(1, min(months, os.cpu_count() or 1, MAX_TOPIC_WORKERS))


def update_topics(settings: Settings, up_to: str, notify: Callable[[str], None] = lambda message: None,
                  progress: ProgressCallback = no_progress, workers: int | None = None) -> list[TopicsReport]:
    """Model every month up to ``up_to`` whose topics are missing or whose inputs changed since
    (:func:`months_to_model`). Months are fitted side by side in ``workers`` processes (default
    :func:`topic_workers`) and matched to the registry one by one, oldest first (the registry needs earlier
    months before later ones), so the result is the same as one month after the other.
    ``progress`` hears of the months modelled ("topics")."""
    todo = months_to_model(settings, up_to)
    reports: list[TopicsReport] = []
    if not todo:
        return reports
    progress("topics", 0, len(todo))
    workers = (min(topic_workers(len(todo)), settings.parallel.processes or MAX_TOPIC_WORKERS) if workers is None
               else max(1, min(workers, len(todo))))
    with contextlib.ExitStack() as stack:
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            pool = stack.enter_context(ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                                                           initializer=_one_thread))
            fits = {month: pool.submit(fit_month, settings, month) for month in todo}
        for month, digest in todo.items():
            notify(f"{month}: modelling topics")
            posts, fit = _fitted(fits[month]) if workers > 1 else fit_month(settings, month)
            reports.append(_keep_month(settings, month, posts, fit, digest))
            progress("topics", len(reports), len(todo))
    return reports


def _one_thread() -> None:
    """In a worker process: numerical libraries (BLAS, scikit-learn's OpenMP) use one thread. The workers
    already take one core each, so more threads per worker would only compete for the same cores; the
    topics are the same (checked on a generated 20k-row month)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _fitted(future):
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise OSError("a topic worker process died (out of memory?)") from exc


def load_month_topics(settings: Settings, month: str, posts: pd.DataFrame | None = None,
                      examples: int = 3) -> pd.DataFrame:
    """The month's topics per service and sentiment, for the report: one row per (service,
    sentiment, topic) with ``service, sentiment, topic, stable_topic, topic_label, words, size, status,
    examples, coverage, post_ids`` (``status``: ``nieuw`` / ``groeiend`` / ''). Empty when topics were not
    modelled. ``topic_label`` describes the posts of that service and sentiment in the topic (chosen from
    them, ``topics_by_group``), ``coverage`` is the share of them that contain one of its words.

    ``posts``: the output of :func:`load_scored_posts` when the caller already has it (the report
    does), so the store is not read twice."""
    from feedback_analysis.topics import TopicRegistry, emerging_topics, topics_by_group

    if not tables.assignments_exist(settings, month):
        return pd.DataFrame(columns=MONTH_TOPIC_COLUMNS)
    posts = load_scored_posts(settings, [month]) if posts is None else posts[posts["month"].astype(str) == month]
    if "topic" not in posts.columns:
        return pd.DataFrame(columns=MONTH_TOPIC_COLUMNS)
    posts = posts[posts["topic"].notna()].astype({"topic": "int64", "stable_topic": "int64"}).reset_index(drop=True)
    posts = posts.assign(service=posts["thread_service"])
    groups = topics_by_group(posts, by=("service", "sentiment"), stop_words=municipality_words(settings))
    if groups.empty:
        return pd.DataFrame(columns=MONTH_TOPIC_COLUMNS)
    # A cell's subject (stable id) is the one most of its posts belong to (the smallest id on a tie);
    # its status is that subject's.
    groups["stable_topic"] = _most_common(groups["rows"], posts["stable_topic"].to_numpy())
    emerging = emerging_topics(TopicRegistry.load(settings.topics_dir).history, month)
    status = dict(zip(emerging["stable_topic"], emerging["status"]))
    groups["status"] = groups["stable_topic"].map(status).fillna("")
    groups["topic_label"] = groups["cell_label"]
    order = posts["created_at"].rank(method="first").to_numpy()  # ties in time: the first row first
    texts, ids = posts["text"].to_numpy(), posts["post_id"].astype(str).to_numpy()
    cells = [np.asarray(rows, dtype=np.int64) for rows in groups["rows"]]  # positions: posts has a range index
    groups["examples"] = [texts[rows[np.argsort(order[rows], kind="stable")[:examples]]].tolist() for rows in cells]
    groups["post_ids"] = [ids[rows].tolist() for rows in cells]
    return groups.rename(columns={"posts": "size"})[MONTH_TOPIC_COLUMNS].reset_index(drop=True)


def _most_common(cells: pd.Series, values: np.ndarray) -> list[int]:
    """Per cell (a list of row positions), the most common of ``values`` at those rows, the smallest on a
    tie (``Series.mode().iloc[0]``), without a pandas call per cell."""
    lengths = cells.map(len).to_numpy()
    frame = pd.DataFrame({"cell": np.repeat(np.arange(len(cells)), lengths),
                          "value": values[np.concatenate([np.asarray(rows, dtype=np.int64) for rows in cells])
                                          if len(cells) else np.zeros(0, dtype=np.int64)]})
    counts = frame.groupby(["cell", "value"]).size().rename("n").reset_index()
    best = counts.sort_values(["cell", "n", "value"], ascending=[True, False, True], kind="stable")
    return [int(value) for value in best.drop_duplicates("cell")["value"]]


def load_topic_history(settings: Settings) -> pd.DataFrame:
    """Every month's topics as the registry recorded them (``TopicRegistry.history``: ``month, stable_topic,
    label, size, words, ...``); empty when no month was modelled."""
    from feedback_analysis.topics import TopicRegistry

    return TopicRegistry.load(settings.topics_dir).history


def load_emerging_topics(settings: Settings, month: str, posts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The month's new and growing topics, one row per topic (``topics.emerging_topics``: ``stable_topic,
    label, status, posts, authors, services, started, ..., examples, example_ids``) plus ``post_ids`` (all
    the month's posts under it). Empty when topics were not modelled."""
    from feedback_analysis.topics import TopicRegistry, emerging_topics

    if not tables.assignments_exist(settings, month):
        return pd.DataFrame(columns=["stable_topic", "label", "status", "posts", "services", "post_ids"])
    emerging = emerging_topics(TopicRegistry.load(settings.topics_dir).history, month)
    assigned = tables.read_assignments(settings, [month])
    ids = assigned.groupby("stable_topic")["post_id"].apply(lambda values: [str(v) for v in values])
    emerging["post_ids"] = [ids.get(topic, []) for topic in emerging["stable_topic"]]
    return emerging
