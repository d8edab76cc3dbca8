"""Moved to :mod:`feedback_analysis.store.sql` (the store owns the data folder); this name is the same module."""

import sys

from feedback_analysis.store import sql as _moved

sys.modules[__name__] = _moved
