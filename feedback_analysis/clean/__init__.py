"""Cleaning: raw reader rows -> clean, masked, typed posts (moved from clean.py; split next)."""

from feedback_analysis.clean.rows import *  # noqa: F403
from feedback_analysis.clean.rows import QUARANTINE_COLUMNS, CleanResult  # noqa: F401
