"""``make lab``'s launcher: the environment and command JupyterLab gets, and how notebooks find the settings."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from feedback_analysis import explore
from feedback_analysis.config import DATA_DIR_ENV, ConfigError
from feedback_analysis.lab import CONFIG_ENV, lab_command, lab_environment, main

ROOT = Path(__file__).resolve().parents[1]


def test_lab_gets_the_settings_data_folder_and_config_as_absolute_paths(tmp_path):
    (tmp_path / "feedback_analysis.yaml").write_text("municipality: Teststad\ndata_dir: store\n", encoding="utf-8")
    env = lab_environment(tmp_path, {"PATH": "/usr/bin"})
    assert env[DATA_DIR_ENV] == str(tmp_path.resolve() / "store")
    assert env[CONFIG_ENV] == str((tmp_path / "feedback_analysis.yaml").resolve())
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                 "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR"):
        assert Path(env[name]).is_relative_to(tmp_path.resolve() / ".cache") and Path(env[name]).is_dir()
    tracker = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    assert json.loads(tracker.read_text())["autoStartDefaultKernel"] is True


def test_the_environment_wins_and_an_analysts_lab_settings_are_kept(tmp_path):
    settings_dir = tmp_path / "mine"
    tracker = settings_dir / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"autoStartDefaultKernel": false}')
    env = lab_environment(tmp_path, {DATA_DIR_ENV: "/srv/data", "JUPYTERLAB_SETTINGS_DIR": str(settings_dir)})
    assert env[DATA_DIR_ENV] == "/srv/data" and CONFIG_ENV not in env
    assert json.loads(tracker.read_text()) == {"autoStartDefaultKernel": False}


def test_a_bad_settings_file_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "feedback_analysis.yaml").write_text("colour: blue\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        lab_environment(tmp_path, {})
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error:") and "colour" in error and "\n" not in error


def test_lab_command_serves_the_notebooks_folder_with_this_interpreter(tmp_path):
    command = lab_command(tmp_path, ["--port=9999"], environ={})
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path.resolve() / 'notebooks'}" in command
    assert "--no-browser" in command or not sys.platform.startswith("linux")
    assert command[-1] == "--port=9999"
    assert f"--FileCheckpoints.checkpoint_dir={tmp_path.resolve() / '.cache' / 'jupyter' / 'checkpoints'}" in command
    assert "--no-browser" not in lab_command(tmp_path, environ={"DISPLAY": ":0"})


def test_notebooks_pair_with_py_files_through_the_repository_config():
    config = tomllib.loads((ROOT / "notebooks" / "jupytext.toml").read_text())
    assert config["formats"] == "ipynb,py:percent"


def test_notebook_settings_follow_the_lab_environment_unless_a_parameter_says_otherwise(tmp_path, monkeypatch):
    config = tmp_path / "elsewhere.yaml"
    config.write_text("municipality: Teststad\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(CONFIG_ENV, str(config))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "lab-data"))
    settings = explore.notebook_settings()
    assert settings.municipality == "Teststad" and settings.data_dir == tmp_path / "lab-data"
    assert explore.notebook_settings(str(tmp_path / "given")).data_dir == tmp_path / "given"
    monkeypatch.delenv(CONFIG_ENV)
    assert explore.notebook_settings().municipality != "Teststad"
