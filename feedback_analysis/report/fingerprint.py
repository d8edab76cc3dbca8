"""The fingerprint of a month's report inputs: a report whose fingerprint is unchanged is up to date.

What counts is listed in :class:`InputHasher`; the files are read through :mod:`feedback_analysis.store.reports`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feedback_analysis import __version__
from feedback_analysis.config import Settings
from feedback_analysis.report.layout import ReportPaths
from feedback_analysis.store import reports as storage

# Bump when the fingerprint is computed differently, so that every report is rebuilt once.
FINGERPRINT_VERSION = 1

_MONTH_IN_PATH = re.compile(r"(?<!\d)(\d{4}-(?:0[1-9]|1[0-2]))(?!\d)")


class InputHasher:
    """Digests of a month's report inputs; caches what several months share (one per run).

    Under ``<data-dir>/processed/`` (hidden files skipped):

    * store partitions ``posts/month=YYYY-MM/*`` count for that month and every later one;
    * Parquet tables with a ``post_id`` column (scores, threads) count with the rows of posts of the
      month and the months before it, in any order;
    * JSON files with a ``history`` list of rows that have a ``month`` (the topic registry) count with
      the rows up to the month (the rest of such a file is derived from its history);
    * a file whose path names a later month does not count; any other file counts as a whole.
    """

    def __init__(self, settings: Settings, notebook: Path, config_path: Path | None) -> None:
        self.settings = settings
        self.notebook = Path(notebook)
        self.config_path = config_path
        self._files: dict[Path, str] = {}
        self._rows: dict[Path, tuple[Any, Any, str] | None] = {}
        self._post_months: Any = None

    def digests(self, month: str, lang: str) -> dict[str, str]:
        """Name -> digest for every input of the month's report in ``lang``."""
        items = {
            "fingerprint": str(FINGERPRINT_VERSION),
            "month": month,
            "lang": lang,
            "package": __version__,
            "notebook": self._file(self.notebook),
            "config": self._file(self.config_path) if self.config_path else "none",
        }
        processed = self.settings.processed_dir
        for path in storage.processed_files(processed):
            relative = path.relative_to(processed)
            named = _MONTH_IN_PATH.findall(str(relative))
            if named and max(named) > month:
                continue
            items[f"processed/{relative.as_posix()}"] = self._digest(path, month)
        return items

    def fingerprint(self, month: str, lang: str) -> tuple[str, dict[str, str]]:
        digests = self.digests(month, lang)
        text = json.dumps(digests, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), digests

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = storage.file_sha256(path)
        return self._files[path]

    def _digest(self, path: Path, month: str) -> str:
        if path.suffix == ".parquet" and not _MONTH_IN_PATH.search(str(path.relative_to(self.settings.processed_dir))):
            return self._row_digest(path, month, self._parquet_rows)
        if path.suffix == ".json":
            return self._row_digest(path, month, self._history_rows)
        return self._file(path)

    def _row_digest(self, path: Path, month: str, reader: Callable[[Path], tuple[Any, Any, str] | None]) -> str:
        """Digest of the rows of months up to ``month``, independent of row order."""
        import numpy as np

        if path not in self._rows:
            self._rows[path] = reader(path)
        rows = self._rows[path]
        if rows is None:  # not a table by month: the whole file counts
            return self._file(path)
        months, hashes, columns = rows
        chosen = np.sort(hashes[months <= month])
        return hashlib.sha256(columns.encode("utf-8") + chosen.tobytes()).hexdigest()

    def _parquet_rows(self, path: Path) -> tuple[Any, Any, str] | None:
        if "post_id" not in storage.parquet_columns(path):
            return None
        table = storage.read_parquet(path)
        months = table["post_id"].map(self._months_of_posts()).fillna("9999-99").astype(str).to_numpy()
        return months, self._hash_rows(table), ",".join(sorted(table.columns))

    def _history_rows(self, path: Path) -> tuple[Any, Any, str] | None:
        import pandas as pd

        content = storage.read_json(path)
        history = content.get("history") if isinstance(content, dict) else None
        if not isinstance(history, list) or not all(isinstance(r, dict) and "month" in r for r in history):
            return None
        table = pd.DataFrame({"row": [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in history]})
        months = pd.Series([str(r["month"]) for r in history], dtype=object).to_numpy()
        return months, self._hash_rows(table), "history"

    @staticmethod
    def _hash_rows(table: Any) -> Any:
        import pandas as pd

        table = table[sorted(table.columns)].astype(str)
        return pd.util.hash_pandas_object(table, index=False).to_numpy()

    def _months_of_posts(self) -> Any:
        if self._post_months is None:
            posts = storage.read_post_ids_and_months(self.settings.posts_dir)
            self._post_months = posts.set_index("post_id")["month"].astype(str)
        return self._post_months


def is_up_to_date(paths: ReportPaths, fingerprint: str) -> bool:
    """Whether the report files exist and were built from inputs with this fingerprint."""
    recorded = storage.read_figures_file(paths.figures)
    return bool(recorded) and recorded.get("inputs") == fingerprint and paths.html.is_file() \
        and paths.notebook.is_file()


def changed_inputs(paths: ReportPaths, digests: dict[str, str]) -> list[str]:
    """The names of the inputs whose digest differs from the one recorded in the figures file."""
    recorded = (storage.read_figures_file(paths.figures) or {}).get("input_digests") or {}
    names = sorted(set(recorded) | set(digests))
    return [name for name in names if recorded.get(name) != digests.get(name)]
