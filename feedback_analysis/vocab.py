"""Vocabularies and default figures that several stages share, written once.

A stage imports the name from here instead of repeating the literal, so the settings file, the
pipeline, the CLI, the store's schemas and the report cannot drift apart.
"""

from __future__ import annotations

# -- vocabularies of the stored tables ------------------------------------------------------------
KINDS = ("post", "comment", "reply")
REACTIONS = ("like", "love", "care", "haha", "wow", "sad", "angry")  # Facebook's order
REACTION_COLUMNS = tuple(f"reactions_{name}" for name in REACTIONS)
CONSENSUS_LABELS = ("shared", "contested", "isolated")  # how a thread's replies stand to its post

# -- defaults of the settings (resources/default_config.yaml) and of the functions that take them --
SERVICE_THRESHOLD = 0.4        # a service less certain than this goes to the review list
CHUNK_ROWS = 50_000            # rows cleaned per chunk
NOTEBOOK_TIMEOUT = 600         # seconds a report notebook cell may run
PLAUSIBLE_FROM = "2004-01-01"  # posts dated before this are a broken export (Facebook did not exist)
