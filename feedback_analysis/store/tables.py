"""The tables beside the posts: scores, thread summaries, topic assignments and quarantine files.

Each ``write_*`` checks the table against its contract (``schemas``) and writes it atomically;
each ``read_*`` returns an empty table with the right columns when there is none yet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from feedback_analysis.files import atomic_path
from feedback_analysis.store.files import write_parquet_atomic
from feedback_analysis.store.layout import DataFolder
from feedback_analysis.store.marks import marks_file
from feedback_analysis.store.posts import read_posts

THREAD_COLUMNS = ("post_id", "sentiment", "replies", "agree", "disagree", "consensus")
ASSIGNMENT_COLUMNS = ("post_id", "topic", "topic_label", "stable_topic")


def store_months(settings) -> list[str]:
    """The months the store holds rows of (``YYYY-MM``), oldest first: the one list every stage uses."""
    months = read_posts(DataFolder.of(settings).posts, columns=["month"])["month"]
    return sorted(months.astype(str).unique())


# --- scores --------------------------------------------------------------------------------------

def read_scores(settings, columns: list[str] | None = None) -> pd.DataFrame:
    """The stored scores (``post_id, content_hash, scorer_version`` and the score columns), or empty."""
    from feedback_analysis.scoring import SCORE_COLUMNS

    path = DataFolder.of(settings).scores
    return _read_or_empty(path, ["post_id", "content_hash", "scorer_version", *SCORE_COLUMNS], columns)


def write_scores(settings, scores: pd.DataFrame) -> Path:
    """Replace ``processed/scores.parquet`` by ``scores`` (checked against ``ScoresSchema``)."""
    from feedback_analysis.store.schemas import ScoresSchema

    return _write_checked(scores, ScoresSchema, DataFolder.of(settings).scores)


def read_scores_table(settings, version: str) -> pa.Table | None:
    """The stored scores of scorer ``version`` as an Arrow table (compact: no Python object per value;
    labels dictionary-encoded, ``post_id`` and ``content_hash`` plain strings), or None when there are none."""
    path = DataFolder.of(settings).scores
    if not path.exists():
        return None
    labels = [f.name for f in pq.read_schema(path) if f.name not in ("post_id", "content_hash") and _is_text(f.type)]
    table = pq.read_table(path, filters=[("scorer_version", "==", version)], read_dictionary=labels)
    if not table.num_rows:
        return None
    plain = [pa.field(f.name, pa.string()) if f.name in ("post_id", "content_hash") else f for f in table.schema]
    return table.cast(pa.schema(plain))


def decode_labels(table: pa.Table) -> pd.DataFrame:
    """Rows of :func:`read_scores_table` as a DataFrame with plain text columns (no categoricals)."""
    plain = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema]
    return table.cast(pa.schema(plain)).to_pandas()


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


class ScoresWriter:
    """``processed/scores.parquet`` written part by part (e.g. month by month), so the whole table is
    never in memory. Each part is checked against ``ScoresSchema``; the file replaces the old one only
    when the block ends without an error. ``rows`` counts the rows written.

        with ScoresWriter(settings) as scores:
            scores.write(part)
    """

    def __init__(self, settings):
        from feedback_analysis.scoring import SCORE_COLUMNS

        self.path = DataFolder.of(settings).scores
        self.rows = 0
        self.columns = ["post_id", "content_hash", "scorer_version", *SCORE_COLUMNS]
        numbers = {"sentiment_score": pa.float64(), "service_confidence": pa.float64(),
                   "service_review": pa.bool_(), "compliment": pa.bool_()}
        self.schema = pa.schema([(c, numbers.get(c, pa.string())) for c in self.columns])
        self._writer: pq.ParquetWriter | None = None

    def __enter__(self) -> ScoresWriter:
        self._target = atomic_path(self.path)
        self._writer = pq.ParquetWriter(self._target.__enter__(), self.schema)
        return self

    def write(self, part: pd.DataFrame) -> None:
        """Check ``part`` (the columns of ``read_scores``; others are left out) and append it."""
        from feedback_analysis.store.schemas import ScoresSchema, validate

        if part.empty:
            return
        checked = validate(ScoresSchema, part[self.columns])
        self._writer.write_table(pa.Table.from_pandas(checked, schema=self.schema, preserve_index=False))
        self.rows += len(part)

    def __exit__(self, kind, error, trace) -> bool:
        self._writer.close()
        return bool(self._target.__exit__(kind, error, trace))


# --- thread summaries ----------------------------------------------------------------------------

def read_threads(settings, columns: list[str] | None = None) -> pd.DataFrame:
    """The thread summaries (``post_id, sentiment, replies, agree, disagree, consensus``), or empty."""
    return _read_or_empty(DataFolder.of(settings).threads, list(THREAD_COLUMNS), columns)


def write_threads(settings, threads: pd.DataFrame) -> Path:
    """Replace ``processed/threads.parquet`` by ``threads`` (checked against ``ThreadsSchema``)."""
    from feedback_analysis.store.schemas import ThreadsSchema

    return _write_checked(threads, ThreadsSchema, DataFolder.of(settings).threads)


def _read_or_empty(path: Path, all_columns: list[str], columns: list[str] | None) -> pd.DataFrame:
    """The table at ``path`` (only ``columns`` when given), or an empty one with its columns when missing."""
    if not path.exists():
        empty = pd.DataFrame(columns=all_columns)
        return empty if columns is None else empty[columns]
    return pd.read_parquet(path, columns=columns)


def _write_checked(frame: pd.DataFrame, schema, path: Path) -> Path:
    """Write ``frame`` to ``path`` atomically after checking it against ``schema``."""
    from feedback_analysis.store.schemas import validate

    write_parquet_atomic(validate(schema, frame), path)
    return path


# --- topic assignments ---------------------------------------------------------------------------

def assignments_exist(settings, month: str) -> bool:
    """Whether the month's topics were modelled."""
    return DataFolder.of(settings).assignment(month).exists()


def read_assignments(settings, months: list[str]) -> pd.DataFrame:
    """The topic assignments (``post_id, topic, topic_label, stable_topic``) of those ``months`` that
    were modelled, together; empty when none was."""
    folder = DataFolder.of(settings)
    paths = [folder.assignment(month) for month in months]
    frames = [pd.read_parquet(path) for path in paths if path.exists()]
    if not frames:
        return pd.DataFrame(columns=list(ASSIGNMENT_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def write_assignments(settings, month: str, assigned: pd.DataFrame) -> Path:
    """Replace the month's topic assignments by ``assigned``'s assignment columns (checked)."""
    from feedback_analysis.store.schemas import AssignmentsSchema, validate

    path = DataFolder.of(settings).assignment(month)
    write_parquet_atomic(validate(AssignmentsSchema, assigned[list(ASSIGNMENT_COLUMNS)]), path)
    return path


def topics_outdated(settings, month: str) -> bool:
    """Whether the month's topics are missing or older than its stored rows (or their duplicate marks) or the scores."""
    folder = DataFolder.of(settings)
    done = folder.assignment(month)
    inputs = [*folder.month_partition(month).glob("*.parquet"), marks_file(folder.posts, month), folder.scores]
    newest_input = max(p.stat().st_mtime for p in inputs if p.exists())
    return not done.exists() or done.stat().st_mtime < newest_input


# --- quarantine ----------------------------------------------------------------------------------

def quarantine_path(settings, stamp: str, what: str = "ingest") -> Path:
    """Where one run's quarantined rows go: ``quarantine/<stamp>-<what>.csv``."""
    return DataFolder.of(settings).quarantine / f"{stamp}-{what}.csv"


# --- rows of some posts only ---------------------------------------------------------------------

def _read_rows_of(path: Path, all_columns: list[str], post_ids, columns: list[str] | None) -> pd.DataFrame:
    """The rows of ``path`` whose ``post_id`` is one of ``post_ids`` (only ``columns`` when given): the
    filter runs in Arrow, so the other rows never become Python objects."""
    import pyarrow.compute as pc

    if not path.exists():
        empty = pd.DataFrame(columns=all_columns)
        return empty if columns is None else empty[columns]
    field = pq.read_schema(path).field("post_id")
    ids = pa.array(pd.unique(pd.Series(post_ids, dtype="object").dropna().astype(str)), type=field.type)
    return pq.read_table(path, columns=columns, filters=pc.field("post_id").isin(ids)).to_pandas()


def read_scores_of(settings, post_ids, columns: list[str] | None = None) -> pd.DataFrame:
    """:func:`read_scores` of the rows whose ``post_id`` is in ``post_ids``: a few months of a large store."""
    from feedback_analysis.scoring import SCORE_COLUMNS

    all_columns = ["post_id", "content_hash", "scorer_version", *SCORE_COLUMNS]
    return _read_rows_of(DataFolder.of(settings).scores, all_columns, post_ids, columns)


def read_threads_of(settings, post_ids, columns: list[str] | None = None) -> pd.DataFrame:
    """:func:`read_threads` of the rows whose ``post_id`` is in ``post_ids``."""
    return _read_rows_of(DataFolder.of(settings).threads, list(THREAD_COLUMNS), post_ids, columns)
