"""Where a month's report lives, which months there are, and which config file a report reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from feedback_analysis.config import USER_CONFIG_NAME, Settings
from feedback_analysis.report.errors import ReportError
from feedback_analysis.report.formatting import month_title  # noqa: F401 - part of this module's API
from feedback_analysis.store.tables import store_months

LANGUAGES = ("nl", "en")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ReportPaths:
    """Where one month's report in one language lives."""

    folder: Path
    html: Path
    notebook: Path
    figures: Path
    pdf: Path | None = None

    @classmethod
    def for_month(cls, reports_dir: Path, month: str, lang: str) -> ReportPaths:
        suffix = "" if lang == "nl" else f"-{lang}"
        folder = Path(reports_dir) / month
        return cls(folder, folder / f"rapport-{month}{suffix}.html", folder / f"rapport-{month}{suffix}.ipynb",
                   folder / f"figures{suffix}.json", folder / f"rapport-{month}{suffix}.pdf")


def check_month(month: str) -> str:
    """``month`` if it is a YYYY-MM month, else a ReportError."""
    if not MONTH.match(month or ""):
        raise ReportError(f"--month: {month!r} is not a month; use YYYY-MM, e.g. 2026-10")
    return month


def last_complete_month(tz: str = "Europe/Brussels", now: datetime | None = None) -> str:
    """The month before the current one in time zone ``tz`` (the current month is not complete)."""
    local = (now or datetime.now(UTC)).astimezone(ZoneInfo(tz))
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def data_months(settings: Settings) -> list[str]:
    """The months that have rows in the store, oldest first (the store's one list of its months)."""
    return store_months(settings)


def resolve_config_path(config_path: Path | None) -> Path | None:
    """The config file the settings came from: the one given, else ``feedback_analysis.yaml`` if present."""
    if config_path is not None:
        return Path(config_path).resolve()
    local = Path(USER_CONFIG_NAME)
    return local.resolve() if local.is_file() else None
