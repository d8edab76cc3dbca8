"""The store layer: every read and write under the data folder goes through this package.

``layout.DataFolder`` names the folder's files; ``posts`` is the Parquet store of cleaned rows;
``tables`` the scores, thread summaries, topic assignments and the store's months; ``topics`` the topic
registry's file; ``labels`` the analysts' label files; ``manifest`` the fleet's ingested exports;
``erasure`` the retention and right-to-erasure operations; ``sql`` read-only DuckDB views. Every table
written beside the posts is checked against its contract in ``schemas``.
"""

from feedback_analysis.store.layout import DataFolder

# Every public name of posts.py (the former store.py, which the ingest work extends) stays a store name.
from feedback_analysis.store.posts import *  # noqa: F403
from feedback_analysis.store.posts import (
    StoreLockedError,
    pq,
    read_posts,
    store_lock,
    write_months,
    write_posts,
    write_table_atomic,
)
from feedback_analysis.store.tables import (
    assignments_exist,
    read_assignments,
    read_scores,
    read_threads,
    store_months,
    write_assignments,
    write_scores,
    write_threads,
)

__all__ = [
    "DataFolder",
    "StoreLockedError",
    "assignments_exist",
    "pq",
    "read_assignments",
    "read_posts",
    "read_scores",
    "read_threads",
    "store_lock",
    "store_months",
    "write_assignments",
    "write_months",
    "write_posts",
    "write_scores",
    "write_table_atomic",
    "write_threads",
]
