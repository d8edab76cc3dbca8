"""Why a report cannot be built: each error's message is one line for the user."""

from __future__ import annotations

from pathlib import Path


class ReportError(RuntimeError):
    """A report cannot be built; the message is one line for the user."""


class ReportLockedError(ReportError):
    """Another report run holds the lock on the reports folder."""


class NoDataError(ReportError):
    """The store has no rows for the month."""


class ReportFailedError(ReportError):
    """The notebook failed; ``failed_notebook`` is the executed notebook with the error in it."""

    def __init__(self, message: str, failed_notebook: Path | None) -> None:
        super().__init__(message)
        self.failed_notebook = failed_notebook
