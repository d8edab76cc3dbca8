"""Moved to :mod:`feedback_analysis.store.erasure` (the store owns the data folder); this name is the same module."""

import sys

from feedback_analysis.store import erasure as _moved

sys.modules[__name__] = _moved
