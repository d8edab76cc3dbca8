"""Keeping the ingest's peak memory to what it holds at once: Arrow on malloc, and freed memory handed back."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import pyarrow as pa


@contextlib.contextmanager
def system_arrow_memory() -> Iterator[None]:
    """Arrow allocates through malloc while the block runs: glibc hands freed memory back to the
    system (:func:`release_memory`), where Arrow's own pools (mimalloc, jemalloc) keep it, so the
    peak would follow everything the merge ever held rather than what it holds at once."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def release_memory() -> None:
    """Hand memory freed by a chunk back to the system (glibc keeps it otherwise, and the peak
    would grow with the number of chunks rather than with their size)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass
