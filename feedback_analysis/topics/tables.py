"""Tables over posts that carry topics: per service and sentiment, and per month.

- :func:`topics_by_group` answers "what do negative posts about waste collection say, and positive ones?":
  per group (service x sentiment by default) and topic, the number of posts, their share of the group, the
  words that set this group's posts in this topic apart (c-TF-IDF over the cells of the table), and a label
  chosen from the cell's own posts. This is BERTopic's ``topics_per_class`` idea: topics are found over the
  whole month (one subject that touches two services stays one topic, with one id across months), while
  what is listed under a service is described from that service's posts only.
- :func:`topic_sizes_by_month` counts posts per month and topic, with each topic's share of its month.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from .labels import Labeller
from .model import OUTLIER
from .text import TermAnalyzer, surface_forms

GROUP_WORDS = 8


def _cell_words(texts: pd.Series, cells: pd.Series, n_words: int, stop_words: Sequence[str] = ()) -> dict:
    """Distinctive words of each cell: c-TF-IDF among the cell's siblings.

    Siblings are the cells that differ only in the last ``by`` column (the negative and the positive posts
    of one service and topic), so the words say what sets them apart; a cell without siblings is compared
    with all cells. Score: term share in the cell x log(1 + mean cell size / term count among the compared).
    """
    joined = texts.groupby(cells, sort=True).agg(" \n ".join)
    vectorizer = CountVectorizer(analyzer=TermAnalyzer())
    try:
        counts = vectorizer.fit_transform(joined.tolist()).astype(np.float64).tocsr()
    except ValueError:  # no words at all
        return {cell: [] for cell in joined.index}
    terms = vectorizer.get_feature_names_out()
    skipped = np.isin(terms, list(stop_words))
    keys = list(joined.index)
    family = [key[:-2] + key[-1:] for key in keys]  # the key without the last `by` value
    best = {}
    for position, cell in enumerate(keys):
        compared = [i for i, other in enumerate(family) if other == family[position]]
        if len(compared) < 2:
            compared = list(range(len(keys)))
        block = counts[compared]
        totals = np.asarray(block.sum(axis=0)).ravel()
        idf = np.log(1 + block.sum() / len(compared) / np.maximum(totals, 1))
        row = counts.getrow(position).toarray().ravel()
        scores = row / max(row.sum(), 1) * idf
        scores[skipped] = 0
        order = [i for i in np.argsort(-scores, kind="stable")[:n_words] if scores[i] > 0]
        best[cell] = [str(terms[i]) for i in order]
    forms = surface_forms(texts.tolist(), {word for words in best.values() for word in words})
    return {cell: [forms.get(word, word) for word in words] for cell, words in best.items()}


def _cell_labels(all_texts: list[str], frame: pd.DataFrame, keys: list[str], stop_words: Sequence[str] = ()) -> dict:
    """Per cell: its own label (:class:`Labeller` over the cell's texts against all other texts), the
    label's coverage of the cell, and the cell's row labels (index values of the input table).

    ``frame`` has a ``_position`` column: each row's position in ``all_texts``."""
    labeller = Labeller(all_texts, stop_words or None)
    result = {}
    for key, rows in frame.groupby(keys, sort=True)["_position"]:
        members = rows.tolist()
        label, _ = labeller.label(members)
        coverage = labeller.coverage(members, label) if label else 0.0
        result[key if isinstance(key, tuple) else (key,)] = (label, coverage, list(rows.index))
    return result


def topics_by_group(posts_with_topics: pd.DataFrame, by: Sequence[str] = ("service", "sentiment"),
                    text_column: str = "text", topic_column: str = "topic", label_column: str = "topic_label",
                    include_outliers: bool = False, n_words: int = GROUP_WORDS,
                    stop_words: Sequence[str] = ()) -> pd.DataFrame:
    """Topic sizes and words per group.

    In: posts with ``topic`` and ``topic_label`` (from :func:`fit_topics`) and the ``by`` columns. Out: one row
    per group and topic, columns ``*by, topic, topic_label, posts, share, words, cell_label, coverage, rows``:
    ``posts`` in that group and topic, ``share`` of the group's posts (outliers included in the denominator),
    ``words`` the cell's distinctive words (list), ``cell_label`` the phrase that describes the cell's own
    texts (:class:`~feedback_analysis.topics.labels.Labeller`, against all other texts; "" when none recurs),
    ``coverage`` the share of the cell's texts that contain one of its words, ``rows`` the cell's index
    values in the input. ``stop_words``: more words that never make a cell label or its words (the municipality's name,
    ``TopicSettings.extra_stop_words``). Sorted by group, then largest topic first. Outliers (-1) are left out unless
    ``include_outliers``. Rows with an empty group value (a post about no service) form their own group.
    """
    by = list(by)
    if not by:
        raise ValueError("topics_by_group needs at least one column to group by")
    missing = [column for column in [*by, text_column, topic_column] if column not in posts_with_topics]
    if missing:
        raise KeyError(f"posts_with_topics lacks column(s): {', '.join(missing)}")
    frame = posts_with_topics[[*by, text_column, topic_column]].copy()
    frame["_position"] = np.arange(len(frame))
    frame[by] = frame[by].astype("string").fillna("")
    frame[text_column] = frame[text_column].fillna("").astype(str)
    labels = (posts_with_topics[label_column] if label_column in posts_with_topics
              else pd.Series("", index=posts_with_topics.index))
    label_of = dict(zip(posts_with_topics[topic_column], labels))
    group_sizes = frame.groupby(by, sort=True).size()
    if not include_outliers:
        frame = frame[frame[topic_column] != OUTLIER]
    columns = [*by, topic_column, label_column, "posts", "share", "words", "cell_label", "coverage", "rows"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    cell_labels = _cell_labels(posts_with_topics[text_column].fillna("").astype(str).tolist(),
                               frame, [*by, topic_column], [word.lower() for word in stop_words])
    cells = pd.Series(list(zip(*[frame[column] for column in [*by, topic_column]])), index=frame.index)
    words = _cell_words(frame[text_column], cells, n_words, [word.lower() for word in stop_words])
    table = frame.groupby([*by, topic_column], sort=True).size().rename("posts").reset_index()
    keys = list(zip(*[table[column] for column in [*by, topic_column]]))
    table[label_column] = [label_of.get(key[-1], "") for key in keys]
    denominators = [group_sizes.loc[key[:-1] if len(by) > 1 else key[0]] for key in keys]
    table["share"] = table["posts"] / np.asarray(denominators, dtype=float)
    table["words"] = [words.get(key, []) for key in keys]
    table["cell_label"] = [cell_labels[key][0] for key in keys]
    table["coverage"] = [cell_labels[key][1] for key in keys]
    table["rows"] = [cell_labels[key][2] for key in keys]
    table = table.sort_values([*by, "posts", topic_column], ascending=[True] * len(by) + [False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def topic_sizes_by_month(posts_with_topics: pd.DataFrame, month_column: str = "month", topic_column: str = "topic",
                         label_column: str = "topic_label", include_outliers: bool = True) -> pd.DataFrame:
    """Posts per month and topic.

    In: posts with a month (``YYYY-MM``) and a topic column (use ``stable_topic`` for topics matched across
    months). Out: columns ``month, topic, topic_label, posts, share`` (share of that month's posts), sorted
    by month then largest topic first; the column named by ``topic_column`` keeps its name.
    """
    frame = posts_with_topics
    if not include_outliers:
        frame = frame[frame[topic_column] != OUTLIER]
    columns = [month_column, topic_column, label_column, "posts", "share"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    grouped = frame.groupby([month_column, topic_column], sort=True)
    table = grouped.size().rename("posts").reset_index()
    table[label_column] = grouped[label_column].first().to_numpy() if label_column in frame else ""
    month_totals = posts_with_topics.groupby(month_column).size()
    table["share"] = table["posts"] / table[month_column].map(month_totals).astype(float)
    table = table.sort_values([month_column, "posts", topic_column], ascending=[True, False, True], kind="stable")
    return table[columns].reset_index(drop=True)
