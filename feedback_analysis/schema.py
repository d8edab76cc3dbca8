"""Table contracts, written once: raw rows from a reader -> clean posts in the store.

Readers in ``feedback_analysis.ingest`` return :data:`RawRows` tables; ``clean/`` turns them into
:class:`PostsSchema` tables, which is what ``store.py`` writes and every later stage reads.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from feedback_analysis.vocab import KINDS, REACTION_COLUMNS, REACTIONS  # noqa: F401 - the stored vocabularies

SOURCES = ("dyi", "graph", "scraper", "crowdtangle", "csv", "xlsx")
LANGUAGES = ("nl", "fr", "en", "other")
COUNT_COLUMNS = (*REACTION_COLUMNS, "comment_count", "share_count")

# Columns every reader fills (None where the source has nothing). `author` and `context_names`
# hold personal data: they exist only in memory, to pseudonymise and to mask names in text.
RAW_COLUMNS = (
    "source",          # one of SOURCES
    "source_file",     # file name (inside an archive: archive.zip!member)
    "source_row",      # 1-based position of the record in its file
    "post_id",         # id given by the source, or None
    "parent_id",       # id of the post or comment this row answers, or None
    "thread_id",       # id of the thread's top-level post when the source says so, or None
    "kind",            # post / comment / reply, or None to infer from parent_id
    "group_name",
    "author",          # display name or platform id of the author
    "author_name",     # the display name when `author` is a platform id (for erasure by name), or None
    "created_at",      # as found: datetime, unix seconds, ISO or local string, Excel serial
    "text",
    "url",
    *COUNT_COLUMNS,
    "context_names",   # other people's names seen around the row (DYI titles), for masking
    "raw",             # the original record as JSON text, for the quarantine file
    "problem",         # why the reader could not use the record (it goes to quarantine), or None
)

# Columns of the store, in order.
POST_COLUMNS = (
    "post_id",
    "parent_id",
    "thread_id",
    "kind",
    "source",
    "source_file",
    "source_row",
    "group_name",
    "author_id",
    "created_at",
    "month",
    "text",
    "lang",
    *COUNT_COLUMNS,
    "url",
    "content_hash",
    "duplicate_of",
    "is_duplicate",
    "ingested_at",
)


def empty_raw_rows() -> pd.DataFrame:
    """An empty raw table with all reader columns."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in RAW_COLUMNS})


def raw_rows_from_records(records: list[dict]) -> pd.DataFrame:
    """Build a raw table from reader records (dicts with a subset of RAW_COLUMNS)."""
    frame = pd.DataFrame.from_records(records, columns=list(RAW_COLUMNS))
    return frame.astype("object").where(frame.notna(), None)


class PostsSchema(pa.DataFrameModel):
    """One row per post, comment or reply in the store."""

    post_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    parent_id: Series[str] = pa.Field(nullable=True)
    thread_id: Series[str]
    kind: Series[str] = pa.Field(isin=KINDS)
    source: Series[str] = pa.Field(isin=SOURCES)
    source_file: Series[str]
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1)
    group_name: Series[str] = pa.Field(nullable=True)
    author_id: Series[str] = pa.Field(nullable=True, str_matches=r"^a_[0-9a-f]{16}$")
    created_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "us", "tz": "UTC"})
    month: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}$")
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    lang: Series[str] = pa.Field(isin=LANGUAGES)
    reactions_like: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_love: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_care: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_haha: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_wow: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_sad: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    reactions_angry: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    comment_count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    share_count: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    url: Series[str] = pa.Field(nullable=True)
    content_hash: Series[str]
    duplicate_of: Series[str] = pa.Field(nullable=True)
    is_duplicate: Series[bool]
    ingested_at: Series[pd.DatetimeTZDtype] = pa.Field(dtype_kwargs={"unit": "us", "tz": "UTC"})

    class Config:
        strict = True
        ordered = True
        coerce = True


def validate_posts(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate (and coerce) a posts table; all problems are reported together."""
    return PostsSchema.validate(frame, lazy=True)


# Checked per row before a batch reaches the store; links, kinds and duplicates are decided later.
_LATER_COLUMNS = ("thread_id", "kind", "duplicate_of", "is_duplicate")


def row_contract_failures(frame: pd.DataFrame) -> dict[int, str]:
    """Index -> the first check of :class:`PostsSchema` that a row fails, for rows that would make
    the store refuse its whole batch (columns decided after cleaning are not checked here)."""
    full = PostsSchema.to_schema()
    columns = {name: column for name, column in full.columns.items()
               if name not in _LATER_COLUMNS and name in frame.columns}
    schema = pa.DataFrameSchema(columns, strict=False, coerce=True)
    if "post_id" in columns:
        schema = schema.update_column("post_id", unique=False)
    try:
        schema.validate(frame[list(columns)], lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        failing: dict[int, str] = {}
        for column, check, case, index in zip(cases["column"], cases["check"], cases["failure_case"], cases["index"]):
            if index is None or pd.isna(index):
                raise  # not a row's problem: let the caller report it
            failing.setdefault(int(index), f"{column} {check} ({str(case)[:40]})")
        return failing
    return {}
