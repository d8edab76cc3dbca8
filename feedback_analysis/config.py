"""Settings: read from a YAML file, with documented defaults. No side effects on import.

The defaults live in ``resources/default_config.yaml``. A user file (``--config PATH`` or
``feedback_analysis.yaml`` in the working folder) overrides any of them; the data folder is
further overridden by the ``FEEDBACK_ANALYSIS_DATA_DIR`` environment variable and ``--data-dir``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from feedback_analysis.packaged import resource_path_text

DATA_DIR_ENV = "FEEDBACK_ANALYSIS_DATA_DIR"
USER_CONFIG_NAME = "feedback_analysis.yaml"


class ConfigError(ValueError):
    """The configuration file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class IngestSettings:
    """How exports are read and cleaned (``ingest`` in the settings file)."""

    dayfirst: bool = True
    duplicate_min_chars: int = 40
    chunk_rows: int = 50_000
    workers: int = 0
    plausible_from: str = "2004-01-01"
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

    service_threshold: float = 0.4
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


def load_settings(
    config_path: Path | None = None,
    data_dir: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Build settings from defaults, an optional YAML file, the environment and an explicit data dir.

    Precedence, lowest first: packaged defaults, ``feedback_analysis.yaml`` in the working folder
    (or ``config_path``), ``FEEDBACK_ANALYSIS_DATA_DIR``, ``data_dir``.
    """
    environ = os.environ if environ is None else environ
    values = yaml.safe_load(default_config_text())
    if config_path is None and Path(USER_CONFIG_NAME).is_file():
        config_path = Path(USER_CONFIG_NAME)
    if config_path is not None:
        if not Path(config_path).is_file():
            raise ConfigError(f"{config_path}: config file not found")
        values = _merge(values, _read_yaml(Path(config_path)))

    known = {"municipality", "timezone", "language", "data_dir", "reports_dir", "ingest", "scoring", "topics",
             "report", "privacy"}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{config_path}: unknown setting(s) {', '.join(unknown)}")
    if values.get("language") not in {"nl", "en"}:
        raise ConfigError(f"{config_path}: language must be nl or en, got {values.get('language')!r}")
    try:
        import zoneinfo

        zoneinfo.ZoneInfo(str(values["timezone"]))
    except Exception as exc:  # ZoneInfoNotFoundError or a bad key type
        raise ConfigError(f"{config_path}: unknown time zone {values['timezone']!r}") from exc

    for section in ("ingest", "scoring", "topics", "privacy"):
        if values.get(section) is not None and not isinstance(values[section], dict):
            raise ConfigError(f"{config_path}: {section} must be a mapping of settings, got {type(values[section]).__name__}")
    ingest_values = values.get("ingest") or {}
    unknown_ingest = sorted(set(ingest_values) - set(IngestSettings.__dataclass_fields__))
    if unknown_ingest:
        raise ConfigError(f"{config_path}: unknown ingest setting(s) {', '.join(unknown_ingest)}")

    scoring_values = dict(values.get("scoring") or {})
    unknown_scoring = sorted(set(scoring_values) - set(ScoringSettings.__dataclass_fields__))
    if unknown_scoring:
        raise ConfigError(f"{config_path}: unknown scoring setting(s) {', '.join(unknown_scoring)}")
    if scoring_values.get("taxonomy"):
        taxonomy = Path(scoring_values["taxonomy"])
        if not taxonomy.is_absolute() and config_path is not None:
            taxonomy = Path(config_path).parent / taxonomy  # relative to the config file
        scoring_values["taxonomy"] = taxonomy
    threshold = scoring_values.get("service_threshold", 0.4)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise ConfigError(f"{config_path}: scoring.service_threshold must be a number between 0 and 1")

    topics_values = dict(values.get("topics") or {})
    unknown_topics = sorted(set(topics_values) - set(TopicsConfig.__dataclass_fields__))
    if unknown_topics:
        raise ConfigError(f"{config_path}: unknown topics setting(s) {', '.join(unknown_topics)}")
    if topics_values.get("embedding_model"):
        model = Path(topics_values["embedding_model"])
        if not model.is_absolute() and config_path is not None:
            model = Path(config_path).parent / model
        topics_values["embedding_model"] = model

    report_values = dict(values.get("report") or {})
    unknown_report = sorted(set(report_values) - set(ReportSettings.__dataclass_fields__))
    if unknown_report:
        raise ConfigError(f"{config_path}: unknown report setting(s) {', '.join(unknown_report)}")
    if not isinstance(report_values.get("pdf", False), bool):
        raise ConfigError(f"{config_path}: report.pdf must be true or false")
    _check_types(config_path, "ingest", ingest_values, IngestSettings())
    privacy_values = dict(values.get("privacy") or {})
    unknown_privacy = sorted(set(privacy_values) - set(PrivacySettings.__dataclass_fields__))
    if unknown_privacy:
        raise ConfigError(f"{config_path}: unknown privacy setting(s) {', '.join(unknown_privacy)}")
    _check_types(config_path, "privacy", privacy_values, PrivacySettings())
    try:
        import pandas as pd

        pd.Timestamp(str(ingest_values.get("plausible_from", IngestSettings.plausible_from)))
    except ValueError:
        raise ConfigError(f"{config_path}: ingest.plausible_from must be a date such as 2004-01-01") from None
    for name in ("municipality", "data_dir", "reports_dir"):
        if not isinstance(values.get(name), (str, int, float)) or isinstance(values.get(name), bool):
            raise ConfigError(f"{config_path}: {name} must be text, got {type(values.get(name)).__name__}")

    resolved_data_dir = Path(values["data_dir"])
    if environ.get(DATA_DIR_ENV):
        resolved_data_dir = Path(environ[DATA_DIR_ENV])
    if data_dir is not None:
        resolved_data_dir = Path(data_dir)

    return Settings(
        municipality=str(values["municipality"]),
        timezone=str(values["timezone"]),
        language=str(values["language"]),
        data_dir=resolved_data_dir,
        reports_dir=Path(values["reports_dir"]),
        ingest=IngestSettings(**ingest_values),
        scoring=ScoringSettings(**scoring_values),
        topics=TopicsConfig(**topics_values),
        report=ReportSettings(**report_values),
        privacy=PrivacySettings(**privacy_values),
    )


def _check_types(config_path: Path | None, section: str, given: dict[str, Any], defaults: object) -> None:
    """Each value has the type of its default (whole numbers where a number of rows or months is
    meant, true/false for switches); numbers must not be negative."""
    for key, value in given.items():
        default = getattr(defaults, key)
        expected = type(default)
        if expected is bool:
            ok = isinstance(value, bool)
        elif expected is int:
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        if not ok:
            wanted = {bool: "true or false", int: "a whole number of 0 or more"}.get(expected, "text")
            raise ConfigError(f"{config_path}: {section}.{key} must be {wanted}, got {value!r}")
