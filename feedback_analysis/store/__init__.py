"""The store layer: every read and write under the data folder goes through this package."""

from feedback_analysis.store.posts import (
    StoreLockedError,
    pq,
    read_posts,
    store_lock,
    write_months,
    write_posts,
    write_table_atomic,
)

__all__ = [
    "StoreLockedError",
    "pq",
    "read_posts",
    "store_lock",
    "write_months",
    "write_posts",
    "write_table_atomic",
]
