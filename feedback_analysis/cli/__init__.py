"""The ``feedback-analysis`` command: a thin layer over the Python API.

Every command takes ``--data-dir`` (or ``FEEDBACK_ANALYSIS_DATA_DIR``) and ``--config``. A user
mistake ends with a one-line ``error: <file>: <problem>`` and a non-zero exit, never a traceback.
The commands live in ``data`` (ingest, enrich, score, sample, status, query), ``reports`` (topics,
report, demo) and ``operations`` (forget, purge, schedule, fleet); ``common`` holds what they share.
"""

from __future__ import annotations

from feedback_analysis.cli import data, operations, reports  # noqa: F401 - registers the commands
from feedback_analysis.cli.common import app, console, err_console, fail

__all__ = ["app", "console", "err_console", "fail", "run"]

# `--help` lists the commands in the order of the monthly job, whichever module defines them (others last).
_ORDER = ("ingest", "score", "enrich", "topics", "sample", "status", "demo", "report", "forget", "purge", "query",
          "schedule")
app.registered_commands.sort(key=lambda command: (_ORDER + (command.callback.__name__,)).index(command.callback.__name__))


def run() -> None:  # pragma: no cover - console entry point used by `python -m`
    """Run the command line."""
    app()
