"""Contracts (pandera) of the tables the store writes beside the posts: scores, thread summaries,
topic assignments, author aliases and label files. The posts' own contract is ``schema.PostsSchema``.

Vocabularies come from the module that owns them (sentiment labels, abuse labels, consensus labels),
so a new label is added in one place. Validation is lazy: every failing check is reported at once.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from feedback_analysis.abuse.forms import LABELS as ABUSE_LABELS
from feedback_analysis.sentiment.model import LABELS as SENTIMENT_LABELS
from feedback_analysis.threads import CONSENSUS_LABELS


class ScoresSchema(pa.DataFrameModel):
    """``processed/scores.parquet``: one row per stored post, scored by one scorer version. Numbers and
    flags are coerced: scores reused from an earlier run and fresh ones can meet as ``object`` columns."""

    post_id: str = pa.Field(unique=True)
    content_hash: str
    scorer_version: str
    sentiment: str = pa.Field(isin=SENTIMENT_LABELS)
    sentiment_score: float = pa.Field(nullable=True, coerce=True)
    service: str = pa.Field(nullable=True)
    service_confidence: float = pa.Field(nullable=True, coerce=True)
    service_review: bool = pa.Field(coerce=True)
    abuse: str = pa.Field(isin=ABUSE_LABELS)
    compliment: bool = pa.Field(coerce=True)

    class Config:
        strict = False
        coerce = False


class ThreadsSchema(pa.DataFrameModel):
    """``processed/threads.parquet``: one row per top-level post with counted replies."""

    post_id: str = pa.Field(unique=True)
    replies: int = pa.Field(ge=0)
    agree: int = pa.Field(ge=0)
    disagree: int = pa.Field(ge=0)
    consensus: str = pa.Field(isin=CONSENSUS_LABELS)

    class Config:
        strict = False
        coerce = True


class AssignmentsSchema(pa.DataFrameModel):
    """``processed/topics/assignments/<month>.parquet``: each post's topic that month (-1: none)."""

    post_id: str = pa.Field(unique=True)
    topic: int = pa.Field(ge=-1)
    topic_label: str = pa.Field(nullable=True)
    stable_topic: int = pa.Field(ge=-1)

    class Config:
        strict = True
        coerce = True


class AliasesSchema(pa.DataFrameModel):
    """``author_aliases.parquet``: the pseudonym of a display name and of the platform id its rows carry."""

    author_alias: str
    author_id: str

    class Config:
        strict = True
        coerce = False


class LabelsSchema(pa.DataFrameModel):
    """``labels/<time>.csv``: an analyst's labels (empty text: not labelled for that task)."""

    post_id: str
    sentiment: str = pa.Field(isin=("", *SENTIMENT_LABELS))
    service: str
    abuse: str = pa.Field(isin=("", *ABUSE_LABELS))
    labelled_at: str

    class Config:
        strict = False
        coerce = False


def validate(schema: type[pa.DataFrameModel], frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` checked against ``schema`` (all failures at once); empty tables pass as they are."""
    if frame.empty:
        return frame
    return schema.validate(frame, lazy=True)
