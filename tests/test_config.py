"""Settings: defaults, user file, environment and command line, in that order."""

import dataclasses
from pathlib import Path

import pytest
import yaml

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


@pytest.mark.parametrize("content, problem", [
    ("ingest: {chunk_row: 100}\n", "unknown ingest setting 'chunk_row' (did you mean 'chunk_rows'?)"),
    ("scoring: {service_treshold: 0.5}\n", "unknown scoring setting 'service_treshold' (did you mean 'service_threshold'?)"),
    ("topics: {embeding_model: m}\n", "did you mean 'embedding_model'?"),
    ("report: {pfd: true}\n", "unknown report setting 'pfd' (did you mean 'pdf'?)"),
    ("municipallity: Gent\n", "unknown setting 'municipallity' (did you mean 'municipality'?)"),
    ("privacy: {keep: forever}\n", "valid: retention_months"),
])
def test_misspelled_key_names_the_key_and_suggests_the_closest(tmp_path, content, problem):
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message


@pytest.mark.parametrize("content, problem", [
    ("scoring: {service_threshold: high}\n", "scoring.service_threshold must be a number"),
    ("scoring: {service_threshold: 1.5}\n", "scoring.service_threshold must be a number between 0 and 1"),
    ("scoring: {taxonomy: [a, b]}\n", "scoring.taxonomy must be a path"),
    ("report: {pdf: 'yes please'}\n", "report.pdf must be true or false"),
    ("report: 3\n", "report must be a mapping"),
    ("topics: {embedding_model: {a: 1}}\n", "topics.embedding_model must be a path"),
    ("ingest: {workers: 1.5}\n", "ingest.workers must be a whole number"),
])
def test_wrong_type_names_the_file_and_the_key(tmp_path, content, problem):
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=problem) as caught:
        load_settings(path, environ={})
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_valid_values_are_converted_and_settings_are_frozen(tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    path = folder / "c.yaml"
    path.write_text("municipality: 2024\nscoring: {service_threshold: 1, taxonomy: tax.yaml}\n"
                    "ingest: {plausible_from: 2010-05-01, chunk_rows: 10}\ntopics: {embedding_model: ''}\n")
    settings = load_settings(path, environ={})
    assert settings.municipality == "2024" and settings.ingest.chunk_rows == 10
    assert settings.ingest.plausible_from == "2010-05-01"  # an unquoted YAML date is accepted as text
    assert settings.scoring.taxonomy == folder / "tax.yaml" and settings.scoring.service_threshold == 1
    assert settings.topics.embedding_model is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.scoring.service_threshold = 0.9  # type: ignore[misc]


@pytest.mark.parametrize("resource", ["sentiment_nl.yaml", "threads_nl.yaml", "abuse_nl.yaml"])
def test_a_word_list_override_with_a_misspelled_key_is_one_line_naming_file_and_key(tmp_path, resource):
    from feedback_analysis.packaged import load_yaml, resource_path_text

    first_key = next(iter(yaml.safe_load(resource_path_text(resource))))
    override = tmp_path / "mine.yaml"
    override.write_text(f"{first_key}x: []\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_yaml(resource, override)
    message = str(caught.value)
    assert "\n" not in message and str(override) in message and f"'{first_key}x'" in message
    assert f"did you mean '{first_key}'" in message
    packaged = yaml.safe_load(resource_path_text(resource))
    override.write_text(yaml.safe_dump({first_key: packaged[first_key]}, allow_unicode=True), encoding="utf-8")
    assert list(load_yaml(resource, override)) == [first_key]
