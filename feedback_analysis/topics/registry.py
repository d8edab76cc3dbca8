"""Topics that keep their number from month to month, and the ones that are new or growing.

Every month is fitted on its own, so its topic numbers mean nothing next month. :class:`TopicRegistry`
gives each of the month's subjects (broad themes, :mod:`.subjects`) a *stable* id: they are matched to the
subjects seen before by the cosine similarity of their c-TF-IDF term weights (terms are words of the posts,
so the vectors of two months are comparable even though each month has its own embedder). A subject's
reference is the mean of its vectors in its last ``memory`` months (3), so it may drift slowly. Matching is
one-to-one (the Hungarian method on the similarities); a pair counts only from ``threshold`` (0.35) on and
when the two share one of their five heaviest terms, so unrelated subjects are never joined: a weak match is
a new id. A new id whose vector is still at least ``FAMILIAR`` (0.25) like an earlier subject is recorded
as ``familiar`` (a rewording or a split of something seen before) and is not called new. Both values were
set by reading the similarities of the six demo months' subjects, not measured against labelled months.
Re-running a month replaces that month's rows (matching ignores the month itself).

The registry lives in ``<data-dir>/processed/topics/registry.json`` (written atomically): the stable topics
(latest label and words, first and last month) and the history, one row per month and stable topic with
``size``, ``label``, ``words``, the term ``vector``, and a few masked ``examples`` with their post ids.

:func:`emerging_topics` reads that history: a subject is ``nieuw`` in its first month when it has at least
``min_posts`` posts by at least ``min_authors`` authors, touches a service and is not ``familiar`` (a month
without earlier months in the history has nothing to compare with, so nothing is new there), and
``groeiend`` when it has at least ``min_posts`` posts, ``growth`` times (1.5) its average over the previous
``window`` months (3; a month without it counts as 0), and at least ``min_posts`` more than that average.
Each row carries its evidence: ``authors``, ``services``, ``started`` (first day this month), examples.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

THRESHOLD = 0.35
FAMILIAR = 0.25
SHARED_TERMS = 5
HISTORY_COLUMNS = ["month", "stable_topic", "size", "label", "words", "local_topic", "examples", "example_ids",
                   "authors", "services", "started", "familiar"]
EMERGING_COLUMNS = ["stable_topic", "label", "status", "posts", "authors", "services", "started", "recent_average",
                    "ratio", "previous", "words", "examples", "example_ids"]


def cosine(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse term -> weight vectors."""
    if len(first) > len(second):
        first, second = second, first
    dot = sum(weight * second.get(term, 0.0) for term, weight in first.items())
    norms = math.sqrt(sum(w * w for w in first.values())) * math.sqrt(sum(w * w for w in second.values()))
    return dot / norms if norms else 0.0


def _share_lead_terms(first: Mapping[str, float], second: Mapping[str, float], n: int = SHARED_TERMS) -> bool:
    """Whether the two vectors' ``n`` heaviest terms meet: a month's topic only continues a topic that was
    about at least one of the same leading words (similar tails of common words are no match)."""
    def lead(vector: Mapping[str, float]) -> set[str]:
        return {term for term, _ in sorted(vector.items(), key=lambda item: -item[1])[:n]}
    return bool(lead(first) & lead(second))


def _mean_vector(vectors: Iterable[Mapping[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    count = 0
    for vector in vectors:
        count += 1
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
    return {term: weight / count for term, weight in total.items()} if count else {}


class TopicRegistry:
    """Stable topic ids across months (see the module docstring)."""

    def __init__(self, path: str | os.PathLike | None = None, threshold: float = THRESHOLD, memory: int = 3) -> None:
        self.path = Path(path) if path is not None else None
        self.threshold = threshold
        self.memory = memory
        self.topics: dict[int, dict] = {}
        self.rows: list[dict] = []
        self.next_id = 0

    # -- files ---------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike, threshold: float = THRESHOLD, memory: int = 3) -> TopicRegistry:
        """The registry in folder ``path`` (``<data-dir>/processed/topics``); an empty one if there is none yet."""
        from feedback_analysis.store.topics import read_registry

        registry = cls(path, threshold=threshold, memory=memory)
        data = read_registry(Path(path))
        if data is not None:
            registry.next_id = int(data["next_id"])
            registry.topics = {int(key): value for key, value in data["topics"].items()}
            registry.rows = list(data["history"])
        return registry

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Write ``registry.json`` into ``path`` (default: where it was loaded from), atomically."""
        folder = Path(path) if path is not None else self.path
        if folder is None:
            raise ValueError("TopicRegistry.save needs a folder")
        from feedback_analysis.store.topics import write_registry

        data = {"version": 1, "next_id": self.next_id,
                "topics": {str(key): value for key, value in sorted(self.topics.items())}, "history": self.rows}
        return write_registry(folder, data)

    # -- matching ------------------------------------------------------------------------------------

    def references(self, exclude_month: str | None = None) -> dict[int, dict[str, float]]:
        """Each stable topic's reference vector: the mean of its last ``memory`` months' vectors."""
        by_topic: dict[int, list[tuple[str, dict]]] = {}
        for row in self.rows:
            if row["month"] != exclude_month:
                by_topic.setdefault(int(row["stable_topic"]), []).append((row["month"], row["vector"]))
        return {topic: _mean_vector(vector for _, vector in sorted(rows, key=lambda item: item[0])[-self.memory:])
                for topic, rows in sorted(by_topic.items())}

    def match_and_update(self, month: str, topics_with_vectors: list[dict]) -> dict[int, int]:
        """Match a month's topics to stable ids, record them in the history; returns local -> stable id.

        ``topics_with_vectors``: dicts with ``topic``, ``label``, ``words``, ``size``, ``vector`` (term ->
        weight), and optionally ``examples`` and ``example_ids`` (``TopicModeler.topics_with_vectors``).
        """
        self.rows = [row for row in self.rows if row["month"] != month]
        # Ids that only this month had are given out again, so running a month twice changes nothing.
        alive = {int(row["stable_topic"]) for row in self.rows}
        reusable = sorted(topic for topic in self.topics if topic not in alive)
        for topic in reusable:
            del self.topics[topic]
        references = self.references(exclude_month=month)
        stable_ids = list(references)
        mapping: dict[int, int] = {}
        if topics_with_vectors and stable_ids:
            similarity = np.array([[cosine(item["vector"], references[stable]) for stable in stable_ids]
                                   for item in topics_with_vectors])
            for row, column in zip(*linear_sum_assignment(-similarity)):
                item = topics_with_vectors[row]
                if similarity[row, column] >= self.threshold and _share_lead_terms(item["vector"], references[stable_ids[column]]):
                    mapping[int(topics_with_vectors[row]["topic"])] = stable_ids[column]
        for item in sorted(topics_with_vectors, key=lambda item: (-item["size"], item["topic"])):
            local = int(item["topic"])
            # A weak match (FAMILIAR <= similarity < threshold) gets a new id, but is not "nieuw": it is a
            # rewording or a split of something seen before.
            item = {**item, "familiar": local in mapping or any(
                cosine(item["vector"], reference) >= FAMILIAR for reference in references.values())}
            if local not in mapping:
                if reusable:
                    mapping[local] = reusable.pop(0)
                else:
                    mapping[local] = self.next_id
                    self.next_id += 1
            self._record(month, mapping[local], item)
        self.rows.sort(key=lambda row: (row["month"], row["stable_topic"]))
        return mapping

    def _record(self, month: str, stable: int, item: dict) -> None:
        self.rows.append({
            "month": month, "stable_topic": stable, "size": int(item["size"]), "label": item["label"],
            "words": list(item["words"]), "local_topic": int(item["topic"]),
            "vector": {term: round(float(weight), 6) for term, weight in item["vector"].items()},
            "examples": list(item.get("examples", [])), "example_ids": list(item.get("example_ids", [])),
            "authors": int(item.get("authors", 0) or 0), "services": list(item.get("services", [])),
            "started": item.get("started", ""), "familiar": bool(item.get("familiar", False)),
        })
        months = sorted(row["month"] for row in self.rows if row["stable_topic"] == stable)
        latest = max((row for row in self.rows if row["stable_topic"] == stable), key=lambda row: row["month"])
        self.topics[stable] = {"label": latest["label"], "words": latest["words"],
                               "first_month": months[0], "last_month": months[-1]}

    @property
    def history(self) -> pd.DataFrame:
        """One row per month and stable topic: ``month, stable_topic, size, label, words, local_topic, examples,
        example_ids``, sorted by month and stable id."""
        return pd.DataFrame([{column: row.get(column) for column in HISTORY_COLUMNS} for row in self.rows],
                            columns=HISTORY_COLUMNS)


def emerging_topics(history: pd.DataFrame, month: str, window: int = 3, growth: float = 1.5,
                    min_posts: int = 5, n_examples: int = 2, min_authors: int = 3) -> pd.DataFrame:
    """Topics that are new this month (``nieuw``) or clearly larger than their recent average (``groeiend``).

    In: the registry's ``history`` (at least ``month, stable_topic, size, label``; ``words``, ``examples``,
    ``example_ids`` are passed on when present). Out: columns ``stable_topic, label, status, posts,
    recent_average, ratio, previous, words, examples, example_ids`` with the evidence: this month's posts,
    the average over the previous ``window`` months, their ratio (inf when the topic was absent from that
    window but seen before), and ``previous`` ("2026-07: 4, 2026-08: 0, 2026-09: 6"). New topics first, then
    by ratio. ``attrs["message"]`` explains an empty result when there is no earlier month to compare with.
    A topic written by fewer than ``min_authors`` distinct authors this month is no trend, whatever its size
    (one person posting five times); rows recorded without authors (0) are not held to it. ``authors``,
    ``services`` (the services its posts touch) and ``started`` (its first day this month) are passed on.
    """
    result = pd.DataFrame(columns=EMERGING_COLUMNS)
    if history.empty or month not in set(history["month"]):
        result.attrs["message"] = f"No topics recorded for {month}."
        return result
    earlier = sorted(m for m in set(history["month"]) if m < month)
    if not earlier:
        result.attrs["message"] = f"{month} is the first month in the history: nothing to compare with yet."
        return result
    recent = earlier[-window:]
    sizes = history.groupby(["stable_topic", "month"])["size"].sum()
    first_seen = history.groupby("stable_topic")["month"].min()
    rows = []
    for record in history[history["month"] == month].sort_values("stable_topic").itertuples(index=False):
        record = record._asdict()
        topic, posts = record["stable_topic"], int(record["size"])
        counts = [int(sizes.get((topic, m), 0)) for m in recent]
        average = float(np.mean(counts))
        if first_seen[topic] == month:
            status, ratio = "nieuw", math.inf
        elif average == 0:
            status, ratio = "groeiend", math.inf
        else:
            ratio = posts / average
            status = "groeiend" if ratio >= growth and posts - average >= min_posts else ""
        authors = int(record.get("authors") or 0)
        if status == "nieuw" and record.get("familiar"):
            continue  # a new id for something seen before in other words is no news
        if not status or posts < min_posts or 0 < authors < min_authors:
            continue
        if record.get("services") is not None and not len(record.get("services")) and "services" in history:
            continue  # chatter about no service is no theme to act on
        rows.append({
            "stable_topic": int(topic), "label": record["label"], "status": status, "posts": posts,
            "authors": authors, "services": list(record.get("services") or []), "started": record.get("started") or "",
            "recent_average": round(average, 2), "ratio": round(ratio, 2) if math.isfinite(ratio) else ratio,
            "previous": ", ".join(f"{m}: {c}" for m, c in zip(recent, counts)),
            "words": list(record.get("words", []) or []),
            "examples": list(record.get("examples", []) or [])[:n_examples],
            "example_ids": list(record.get("example_ids", []) or [])[:n_examples],
        })
    if rows:
        result = pd.DataFrame(rows, columns=EMERGING_COLUMNS)
        result = result.sort_values(["status", "ratio", "posts"], ascending=[False, False, False], kind="stable")
        result = result.reset_index(drop=True)
    result.attrs["message"] = "" if rows else f"No new or growing topics in {month}."
    return result


def topic_evidence(posts: pd.DataFrame, members: np.ndarray, author_column: str = "author_id",
                   service_columns: tuple[str, ...] = ("thread_service", "service"),
                   time_column: str = "created_at") -> dict:
    """Who and what a topic's posts are: distinct ``authors``, the ``services`` they touch (most posts first,
    at least two posts or a fifth of the topic), the day it ``started`` (YYYY-MM-DD). Missing columns give
    0, [] and ''."""
    rows = posts[np.asarray(members, dtype=bool)]
    evidence: dict = {"authors": 0, "services": [], "started": ""}
    if author_column in rows:
        evidence["authors"] = int(rows[author_column].dropna().nunique())
    column = next((c for c in service_columns if c in rows), None)
    if column is not None:
        counts = rows[column].astype("string").fillna("").value_counts()
        counts = counts[(counts.index != "") & (counts >= max(2, 0.2 * len(rows)))]
        evidence["services"] = [str(service) for service in counts.index]
    if time_column in rows and len(rows):
        first = pd.to_datetime(rows[time_column], errors="coerce", utc=True).dt.tz_convert("Europe/Brussels").min()
        evidence["started"] = first.strftime("%Y-%m-%d") if pd.notna(first) else ""
    return evidence


def merge_reply_subjects(posts: pd.DataFrame, subjects: np.ndarray, id_column: str = "post_id",
                         thread_column: str = "thread_id", share: float = 0.5) -> dict[int, int]:
    """Subjects made of replies to another subject's posts, mapped to that subject: {merged: target}.

    A reply is about its thread ("vroeger was dat beter geregeld" under a post about the closed office), so a
    subject at least ``share`` of whose posts reply in threads started by posts of one other subject is that
    subject. Smallest subjects first; {} without the id and thread columns."""
    if id_column not in posts or thread_column not in posts:
        return {}
    ids = posts[id_column].astype(str).to_numpy()
    threads = posts[thread_column].astype(str).to_numpy()
    subject_of_post = dict(zip(ids, subjects.tolist()))
    root_subject = np.array([subject_of_post.get(thread, -1) if thread != post else -1
                             for post, thread in zip(ids, threads)])
    merged: dict[int, int] = {}
    sizes = {int(subject): int((subjects == subject).sum()) for subject in set(subjects.tolist()) - {-1}}
    for subject in sorted(sizes, key=lambda item: (sizes[item], item)):
        roots = root_subject[(subjects == subject) & (root_subject >= 0) & (root_subject != subject)]
        if not len(roots):
            continue
        values, counts = np.unique(roots, return_counts=True)
        target = int(values[counts.argmax()])
        while target in merged:
            target = merged[target]
        if target != subject and counts.max() >= share * sizes[subject]:
            merged[subject] = target
    return merged


def inherit_thread_topics(posts: pd.DataFrame, topics: np.ndarray, id_column: str = "post_id",
                          thread_column: str = "thread_id") -> np.ndarray:
    """``topics`` where every reply or comment in no topic (-1) takes the topic of the post that started its
    thread: "dat is toch niet normaal meer" under a post about an uncollected PMD bag is about that bag.
    Unchanged without the id and thread columns."""
    if id_column not in posts or thread_column not in posts:
        return topics
    ids = posts[id_column].astype(str).to_numpy()
    threads = posts[thread_column].astype(str).to_numpy()
    topic_of_post = dict(zip(ids, topics.tolist()))
    inherited = np.array([topic_of_post.get(thread, -1) if topic < 0 and thread != post else topic
                          for post, thread, topic in zip(ids, threads, topics.tolist())], dtype=np.int64)
    return inherited


def own_language(posts: pd.DataFrame, column: str = "lang") -> np.ndarray:
    """Which posts are in the month's main language (the most frequent known ``lang``) or in no known
    language (missing, "", "other", "und"): posts in another language form no theme of their own (they would
    cluster by language, not by subject). The main language is the posts', not the report's: a Flemish
    municipality with English reports still has Dutch posts. All True without the column."""
    if column not in posts:
        return np.ones(len(posts), dtype=bool)
    codes = posts[column].astype("string").fillna("").str.lower()
    unknown = codes.isin(["", "other", "und"])
    if unknown.all():
        return np.ones(len(posts), dtype=bool)
    main = codes[~unknown].value_counts().index[0]
    return np.asarray(unknown | codes.eq(main), dtype=bool)


def fit_month_topics(posts: pd.DataFrame, month: str, registry: TopicRegistry, text_column: str = "text",
                     id_column: str = "post_id", settings=None) -> tuple[pd.DataFrame, list[dict]]:
    """:func:`fit_topics` for one month's posts, its subjects matched to the registry (which the caller saves).

    The registry follows the month's *subjects* (broad themes, :mod:`.subjects`), not its finer topics: one
    event is one subject, so it is new once, with every service it touches (:func:`topic_evidence`).
    Out: a copy of ``posts`` with ``topic``, ``topic_label`` (the fine topic) and ``stable_topic`` (the
    subject's stable id; -1 for posts in no subject), and the month's topics as in topics.json plus
    ``stable_topic`` (the stable id most of the topic's posts have, -1 if none). Posts in another language
    than the month's main one (column ``lang``, :func:`own_language`) are left out of the fit: ``topic`` -1,
    ``topic_label`` "andere taal". A reply in no topic takes its thread's topic (:func:`inherit_thread_topics`,
    ``settings.inherit_thread``), not its subject: what counts as new stays what people raised themselves. Examples kept in the registry are the masked texts of ``text_column`` with the ids of ``id_column`` (the index when missing).
    """
    return match_month_topics(posts, month, registry, fit_month_subjects(posts, text_column, id_column, settings),
                              id_column)


@dataclass
class MonthFit:
    """What :func:`fit_month_subjects` found in one month, before the registry gives its subjects stable ids
    (:func:`match_month_topics`): for the posts in the month's own language (``own``), their ``topic``,
    ``topic_label`` and ``subject`` (after merging reply subjects), the subjects to match (``found``), the
    month's topics (``topics``, sizes over the final topics) and the model's ``message``."""

    own: np.ndarray
    topic: np.ndarray
    topic_label: np.ndarray
    subject: np.ndarray
    found: list[dict]
    topics: list[dict]
    message: str


def fit_month_subjects(posts: pd.DataFrame, text_column: str = "text", id_column: str = "post_id",
                       settings=None) -> MonthFit:
    """The part of :func:`fit_month_topics` that needs no other month: it can run for several months at
    once (in other processes), and :func:`match_month_topics` then matches them in month order."""
    from .model import TopicModeler, TopicSettings, _with_topics

    settings = settings or TopicSettings()
    own = own_language(posts)
    posts = posts[own]
    texts = posts[text_column].tolist()
    modeler = TopicModeler(settings).fit(texts)
    ids = posts[id_column].tolist() if id_column in posts else posts.index.tolist()
    subjects = modeler.subject_labels_.copy()
    merged = merge_reply_subjects(posts, subjects, id_column)
    subjects = np.array([merged.get(int(subject), int(subject)) for subject in subjects], dtype=np.int64)
    if settings.inherit_thread:  # not the subjects: "new" counts the posts and authors that raise a subject
        modeler.labels_ = inherit_thread_topics(posts, modeler.labels_, id_column)
        for item in modeler.topics_:
            item["size"] = int((modeler.labels_ == item["topic"]).sum())
    found = [{**item, "size": int((subjects == item["topic"]).sum()), **topic_evidence(posts, subjects == item["topic"])}
             for item in modeler.subjects_with_vectors(texts, ids) if item["topic"] not in merged]
    fitted = _with_topics(posts, modeler)
    return MonthFit(np.asarray(own), fitted["topic"].to_numpy(), fitted["topic_label"].to_numpy(), subjects, found,
                    [dict(item) for item in modeler.topics_], fitted.attrs.get("topic_message", ""))


def match_month_topics(posts: pd.DataFrame, month: str, registry: TopicRegistry, fit: MonthFit,
                       id_column: str = "post_id") -> tuple[pd.DataFrame, list[dict]]:
    """The month's subjects (``fit``, of ``posts``) matched to the registry (which the caller saves); returns
    what :func:`fit_month_topics` returns."""
    from .model import OTHER_LANGUAGE_LABEL

    own, subjects = fit.own, fit.subject
    mapping = registry.match_and_update(month, fit.found)
    fitted = posts[own].copy()
    fitted["topic"] = fit.topic
    fitted["topic_label"] = fit.topic_label
    fitted["stable_topic"] = np.array([mapping.get(int(subject), -1) for subject in subjects], dtype=np.int64)
    result = posts.copy()
    result["topic"] = np.full(len(result), -1, dtype=np.int64)
    result["topic_label"] = OTHER_LANGUAGE_LABEL
    result["stable_topic"] = np.full(len(result), -1, dtype=np.int64)
    for column in ("topic", "topic_label", "stable_topic"):
        values = result[column].to_numpy(copy=True)
        values[own] = fitted[column].to_numpy()
        result[column] = values
    result.attrs["topic_message"] = fit.message
    topics = []
    for item in fit.topics:
        stable = fitted.loc[fitted["topic"] == item["topic"], "stable_topic"]
        topics.append({**item, "stable_topic": int(stable.mode().iloc[0]) if len(stable) else -1})
    return result, topics
