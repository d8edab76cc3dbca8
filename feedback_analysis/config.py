"""Settings: read from a YAML file, with documented defaults. No side effects on import.

The defaults live in ``resources/default_config.yaml``. A user file (``--config PATH`` or
``feedback_analysis.yaml`` in the working folder) overrides any of them; the data folder is
further overridden by the ``FEEDBACK_ANALYSIS_DATA_DIR`` environment variable and ``--data-dir``.
"""

from __future__ import annotations

import datetime
import difflib
import os
import types
import typing
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from feedback_analysis.packaged import resource_path_text
from feedback_analysis.vocab import CHUNK_ROWS, PLAUSIBLE_FROM, SERVICE_THRESHOLD

DATA_DIR_ENV = "FEEDBACK_ANALYSIS_DATA_DIR"
USER_CONFIG_NAME = "feedback_analysis.yaml"


class ConfigError(ValueError):
    """The configuration file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class IngestSettings:
    """How exports are read and cleaned (``ingest`` in the settings file)."""

    dayfirst: bool = True
    duplicate_min_chars: int = 40
    chunk_rows: int = CHUNK_ROWS
    workers: int = 0
    plausible_from: str = PLAUSIBLE_FROM
    max_days_ahead: int = 1


@dataclass(frozen=True)
class PrivacySettings:
    """Retention of row-level data (``privacy`` in the settings file)."""

    # Rows, scores, topic assignments, quarantine files and executed notebooks older than this many
    # months are removed by `feedback-analysis purge` and by the scheduled job (0: keep everything).
    retention_months: int = 24


@dataclass(frozen=True)
class ScoringSettings:
    """Service routing threshold and the municipality's taxonomy (``scoring``)."""

    service_threshold: float = SERVICE_THRESHOLD
    taxonomy: Path | None = None


@dataclass(frozen=True)
class TopicsConfig:
    """Topic modelling options (``topics``)."""

    # Path of a local sentence-transformers model folder (needs the `semantic` extra); None: offline default.
    embedding_model: Path | None = None


@dataclass(frozen=True)
class ReportSettings:
    """Monthly report options (``report``)."""

    # Also print each monthly report to an A4 PDF (needs headless Chromium: `make browser`).
    pdf: bool = False


@dataclass(frozen=True)
class ParallelSettings:
    """How many processes one run may start for its inner work (``parallel``)."""

    # Processes for scoring a large month and for topic fits side by side, and for ingest when
    # ingest.workers is 0 under `fleet run`; 0: one per core this process may use. `fleet run` sets it
    # to each worker's share of its machine's cores unless the municipality's config sets it.
    processes: int = 0


@dataclass(frozen=True)
class Settings:
    """All settings of one municipality, validated and frozen (see :func:`load_settings`)."""

    municipality: str = "Voorbeeldgemeente"
    timezone: str = "Europe/Brussels"
    language: str = "nl"
    data_dir: Path = Path("data")
    reports_dir: Path = Path("reports")
    ingest: IngestSettings = field(default_factory=IngestSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    report: ReportSettings = field(default_factory=ReportSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    parallel: ParallelSettings = field(default_factory=ParallelSettings)

    # Folder layout inside the data folder, in one place.
    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def posts_dir(self) -> Path:
        return self.processed_dir / "posts"

    @property
    def scores_path(self) -> Path:
        return self.processed_dir / "scores.parquet"

    @property
    def threads_path(self) -> Path:
        return self.processed_dir / "threads.parquet"

    @property
    def topics_dir(self) -> Path:
        return self.processed_dir / "topics"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def labels_dir(self) -> Path:
        return self.data_dir / "labels"

    @property
    def salt_path(self) -> Path:
        return self.data_dir / ".pseudonym_salt"

    @property
    def audit_log(self) -> Path:
        return self.data_dir / "audit.log"


# The sections of the settings file and the frozen object each one becomes.
SECTIONS: dict[str, type] = {
    "ingest": IngestSettings,
    "scoring": ScoringSettings,
    "topics": TopicsConfig,
    "report": ReportSettings,
    "privacy": PrivacySettings,
    "parallel": ParallelSettings,
}
# Top-level settings that are plain values (the sections above are mappings).
TOP_LEVEL = ("municipality", "timezone", "language", "data_dir", "reports_dir")
LANGUAGES = ("nl", "en")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.__class__.__name__}: {(str(exc).splitlines() or [''])[0]})") from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: config must be a mapping of settings, got {type(loaded).__name__}")
    return loaded


def default_config_text() -> str:
    """The documented default configuration, as YAML text."""
    return resource_path_text("default_config.yaml")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _check_known(source: Path | None, section: str | None, given: dict[str, Any], allowed: typing.Iterable[str]) -> None:
    """Fail on the first key that is not a setting, suggesting the closest valid one."""
    allowed = list(allowed)
    for key in given:
        if key in allowed:
            continue
        what = f"unknown {section} setting" if section else "unknown setting"
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (valid: {', '.join(allowed)})"
        raise ConfigError(f"{source}: {what} {key!r}{hint}")


def _kind_of(annotation: Any) -> tuple[type, bool]:
    """The base type of a field's annotation and whether it may be null (``Path | None``)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


_WANTED = {bool: "true or false", int: "a whole number of 0 or more", float: "a number",
           str: "text", Path: "a path (text) or null"}


def _type_ok(kind: type, value: Any) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is int:
        return isinstance(value, int) and value >= 0
    if kind is float:
        return isinstance(value, (int, float))
    if kind in (str, Path):
        return isinstance(value, (str, int, float)) or (kind is str and isinstance(value, datetime.date))
    return False


def _check_plausible_from(value: Any) -> str | None:
    import pandas as pd

    try:
        pd.Timestamp(str(value))
    except ValueError:
        return "must be a date such as 2004-01-01"
    return None


def _check_share(value: Any) -> str | None:
    return None if 0 <= value <= 1 else "must be a number between 0 and 1"


# Checks beyond the type, per ``section.key``: each returns the problem or None.
_VALUE_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "ingest.plausible_from": _check_plausible_from,
    "scoring.service_threshold": _check_share,
}
# Paths that are taken relative to the config file's folder.
_RELATIVE_TO_CONFIG = {"scoring.taxonomy", "topics.embedding_model"}


def _build_section(source: Path | None, section: str, given: Any) -> Any:
    """One section of the settings file as its frozen object; a bad key or value is a ConfigError."""
    cls = SECTIONS[section]
    if given is None:
        return cls()
    if not isinstance(given, dict):
        raise ConfigError(f"{source}: {section} must be a mapping of settings, got {type(given).__name__}")
    _check_known(source, section, given, [f.name for f in fields(cls)])
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in given.items():
        name = f"{section}.{key}"
        kind, nullable = _kind_of(hints[key])
        if nullable and (value is None or value == ""):
            values[key] = None
            continue
        if not _type_ok(kind, value):
            raise ConfigError(f"{source}: {name} must be {_WANTED.get(kind, kind.__name__)}, got {value!r}")
        problem = _VALUE_CHECKS.get(name, lambda _v: None)(value)
        if problem:
            raise ConfigError(f"{source}: {name} {problem}, got {value!r}")
        if kind is str:
            value = str(value)
        elif kind is Path:
            value = Path(str(value))
            if name in _RELATIVE_TO_CONFIG and not value.is_absolute() and source is not None:
                value = Path(source).parent / value
        values[key] = value
    return cls(**values)


def _check_top_level(source: Path | None, values: dict[str, Any]) -> None:
    _check_known(source, None, values, [*TOP_LEVEL, *SECTIONS])
    if values.get("language") not in LANGUAGES:
        raise ConfigError(f"{source}: language must be nl or en, got {values.get('language')!r}")
    try:
        zoneinfo.ZoneInfo(str(values["timezone"]))
    except Exception as exc:  # ZoneInfoNotFoundError or a bad key type
        raise ConfigError(f"{source}: unknown time zone {values['timezone']!r}") from exc
    for name in ("municipality", "data_dir", "reports_dir"):
        if not _type_ok(str, values.get(name)):
            raise ConfigError(f"{source}: {name} must be text, got {type(values.get(name)).__name__}")


def load_settings(
    config_path: Path | None = None,
    data_dir: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Build settings from defaults, an optional YAML file, the environment and an explicit data dir.

    Precedence, lowest first: packaged defaults, ``feedback_analysis.yaml`` in the working folder
    (or ``config_path``), ``FEEDBACK_ANALYSIS_DATA_DIR``, ``data_dir``. An unknown key, a value of the
    wrong type or out of range is a :class:`ConfigError` of one line naming the file and the key.
    """
    environ = os.environ if environ is None else environ
    values = yaml.safe_load(default_config_text())
    if config_path is None and Path(USER_CONFIG_NAME).is_file():
        config_path = Path(USER_CONFIG_NAME)
    if config_path is not None:
        if not Path(config_path).is_file():
            raise ConfigError(f"{config_path}: config file not found")
        values = _merge(values, _read_yaml(Path(config_path)))

    _check_top_level(config_path, values)
    sections = {name: _build_section(config_path, name, values.get(name)) for name in SECTIONS}
    resolved_data_dir = Path(str(values["data_dir"]))
    if environ.get(DATA_DIR_ENV):
        resolved_data_dir = Path(environ[DATA_DIR_ENV])
    if data_dir is not None:
        resolved_data_dir = Path(data_dir)

    return Settings(
        municipality=str(values["municipality"]),
        timezone=str(values["timezone"]),
        language=str(values["language"]),
        data_dir=resolved_data_dir,
        reports_dir=Path(str(values["reports_dir"])),
        **sections,
    )
