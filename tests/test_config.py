"""Settings: defaults, user file, environment and command line, in that order."""

from pathlib import Path

import pytest

from feedback_analysis.config import ConfigError, default_config_text, load_settings


def test_documented_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.timezone == "Europe/Brussels" and settings.language == "nl"
    assert settings.data_dir == Path("data") and settings.posts_dir == Path("data/processed/posts")
    assert "timezone: Europe/Brussels" in default_config_text()


def test_precedence_file_then_environment_then_argument(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feedback_analysis.yaml").write_text("municipality: Denderbeke\ndata_dir: from-file\n")
    assert load_settings(environ={}).data_dir == Path("from-file")
    assert load_settings(environ={"FEEDBACK_ANALYSIS_DATA_DIR": "from-env"}).data_dir == Path("from-env")
    assert load_settings(data_dir=Path("from-arg"), environ={"FEEDBACK_ANALYSIS_DATA_DIR": "x"}).data_dir == Path("from-arg")
    assert load_settings(environ={}).municipality == "Denderbeke"


@pytest.mark.parametrize("content, problem", [
    ("language: de\n", "language must be nl or en"),
    ("timezone: Mars/Olympus\n", "unknown time zone"),
    ("colour: blue\n", "unknown setting"),
    ("- a list\n", "must be a mapping"),
])
def test_bad_config_names_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=problem) as caught:
        load_settings(path, environ={})
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content, problem", [
    ("municipality: [unclosed\n", "not valid YAML at line"),
    ("ingest: {chunk_rows: many}\n", "ingest.chunk_rows must be a whole number"),
    ("ingest: 5\n", "ingest must be a mapping"),
    ("ingest: {dayfirst: 3}\n", "ingest.dayfirst must be true or false"),
    ("ingest: {plausible_from: yesterdayish}\n", "plausible_from must be a date"),
    ("privacy: {retention_months: -1}\n", "privacy.retention_months must be a whole number"),
    ("privacy: {keep: forever}\n", "unknown privacy setting"),
    ("municipality: {a: 1}\n", "municipality must be text"),
])
def test_malformed_config_is_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=problem) as caught:
        load_settings(path, environ={})
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_retention_defaults_to_24_months(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).privacy.retention_months == 24
