"""SQL on the store for analysts: DuckDB over the Parquet files, read-only.

:func:`query` runs one ``SELECT`` (or ``WITH ... SELECT``) and returns a DataFrame; the
``feedback-analysis query`` command and ``feedback_analysis.query`` call it. These views are there:

* ``posts``: the store as it is (texts masked, authors as pseudonyms, as the store keeps them), without
  the post's URL, which leads to its author's profile (as the notebooks' tables leave it out);
* ``scores``: sentiment, service, abuse per post (``processed/scores.parquet``);
* ``threads``: per top-level post with replies: ``replies, agree, disagree, consensus``;
* ``topics``: per post of the modelled months: ``topic, topic_label, stable_topic``;
* ``feedback``: ``posts`` joined with all three, plus ``thread_service`` (the post's own service, else the
  service of its thread's top-level post, as in the report). Most questions start here.

Read-only twice over: only a single query statement is accepted (no ``COPY``, ``CREATE``, ``SET``,
``ATTACH``), and DuckDB itself may read nothing outside the data folder and write nothing at all. The
views read the files on each query, so a query never holds the store's lock or a copy of the store.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from feedback_analysis.config import Settings, load_settings
from feedback_analysis.store.layout import DataFolder
from feedback_analysis.store.marks import MARKS_FOLDER

VIEWS = ("posts", "scores", "threads", "topics", "feedback")
SCORE_VIEW_COLUMNS = {"post_id": "VARCHAR", "sentiment": "VARCHAR", "sentiment_score": "DOUBLE",
                      "service": "VARCHAR", "services": "VARCHAR", "service_confidence": "DOUBLE",
                      "service_review": "BOOLEAN", "abuse": "VARCHAR", "abuse_reason": "VARCHAR",
                      "abuse_action": "VARCHAR", "compliment": "BOOLEAN"}
THREAD_VIEW_COLUMNS = {"post_id": "VARCHAR", "replies": "BIGINT", "agree": "BIGINT", "disagree": "BIGINT",
                       "consensus": "VARCHAR"}
TOPIC_VIEW_COLUMNS = {"post_id": "VARCHAR", "topic": "BIGINT", "topic_label": "VARCHAR", "stable_topic": "BIGINT"}


class QueryError(ValueError):
    """A query that cannot run: not a single SELECT, a syntax error, an unknown column, no store."""


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _empty_view(columns: dict[str, str]) -> str:
    typed = ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in columns.items())
    return f"SELECT {typed} WHERE false"


def _parquet_view(path: Path, columns: dict[str, str], exclude: tuple[str, ...] = ()) -> str:
    """A view over a Parquet file (or glob) when there is one, else an empty table of the same columns."""
    present = path.exists() if "*" not in path.name else any(path.parent.glob(path.name))
    if not present:
        return _empty_view(columns)
    dropped = f" EXCLUDE ({', '.join(exclude)})" if exclude else ""
    return f"SELECT *{dropped} FROM read_parquet({_literal(path)}, union_by_name = true)"


def _posts_view(posts_dir: Path) -> str:
    """The stored rows, with the changed duplicate marks kept beside the months laid over them
    (``posts/_marks/``, see ``store.marks``)."""
    rows = (f"SELECT * EXCLUDE (url) FROM read_parquet({_literal(posts_dir / 'month=*' / '*.parquet')}, "
            "hive_partitioning = true, hive_types = {'month': VARCHAR})")
    marks = posts_dir / MARKS_FOLDER / "*.parquet"
    if not any(marks.parent.glob(marks.name)):
        return rows
    return (f"SELECT p.* REPLACE (CASE WHEN m.post_id IS NULL THEN p.duplicate_of ELSE m.duplicate_of END AS duplicate_of, "
            f"coalesce(m.is_duplicate, p.is_duplicate) AS is_duplicate) FROM ({rows}) p "
            f"LEFT JOIN read_parquet({_literal(marks)}) m ON m.post_id = p.post_id")


def connect(settings: Settings):
    """A DuckDB connection with the views of this module over ``settings.data_dir``, locked down.

    Raises QueryError when the store holds no posts yet.
    """
    import duckdb

    folder = DataFolder(settings.data_dir.resolve())
    posts_dir = folder.posts
    if not any(posts_dir.glob("month=*/*.parquet")):
        raise QueryError(f"{posts_dir}: the store holds no posts yet; run `feedback-analysis ingest` first")
    connection = duckdb.connect(":memory:")
    assignments = folder.assignments / "*.parquet"
    statements = {
        "posts": _posts_view(posts_dir),
        "scores": _parquet_view(folder.scores, SCORE_VIEW_COLUMNS, ("content_hash", "scorer_version")),
        "threads": _parquet_view(folder.threads, THREAD_VIEW_COLUMNS, ("sentiment",)),
        "topics": _parquet_view(assignments, TOPIC_VIEW_COLUMNS),
    }
    for name, select in statements.items():
        connection.execute(f"CREATE VIEW {name} AS {select}")
    connection.execute("""
        CREATE VIEW feedback AS
        SELECT p.*, s.* EXCLUDE (post_id),
               coalesce(nullif(s.service, ''), nullif(root.service, ''), '') AS thread_service,
               t.* EXCLUDE (post_id), o.* EXCLUDE (post_id)
        FROM posts p
        LEFT JOIN scores s USING (post_id)
        LEFT JOIN scores root ON root.post_id = p.thread_id
        LEFT JOIN threads t USING (post_id)
        LEFT JOIN topics o USING (post_id)""")
    # From here on DuckDB reads only inside the data folder, writes nowhere, and keeps these settings.
    connection.execute(f"SET allowed_directories = [{_literal(folder.root)}]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


def _check_statement(connection, sql: str) -> None:
    import duckdb

    try:
        statements = connection.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_first_line(exc)) from None
    if len(statements) != 1:
        raise QueryError(f"give exactly one SELECT statement, not {len(statements)}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryError(f"only SELECT queries are allowed (read-only), not {kind.name}")


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else exc.__class__.__name__


def query(sql: str, settings: Settings | None = None, data_dir: Path | str | None = None,
          config_path: Path | str | None = None) -> pd.DataFrame:
    """Run one read-only SQL ``SELECT`` on the store; returns the result as a DataFrame.

    In: the query (views :data:`VIEWS`, see the module text), and either ``settings`` or the data folder
    and config file to load them from (default: as every command finds them). Raises QueryError, with a
    one-line message, for anything but a single SELECT, an error in the query, or an empty store.
    """
    import duckdb

    if settings is None:
        settings = load_settings(Path(config_path) if config_path else None,
                                 Path(data_dir) if data_dir is not None else None)
    if not str(sql).strip():
        raise QueryError("the query is empty")
    connection = connect(settings)
    try:
        _check_statement(connection, sql)
        try:
            return connection.execute(sql).df()
        except duckdb.Error as exc:
            raise QueryError(_first_line(exc)) from None
    finally:
        connection.close()
