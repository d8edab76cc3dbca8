"""The command line: thin over the API, one-line errors, non-zero exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback_analysis.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEEDBACK_ANALYSIS_DATA_DIR", raising=False)
    return tmp_path / "data"


@pytest.mark.parametrize("command", [[], ["ingest"], ["sample"], ["status"], ["demo"], ["score"], ["enrich"], ["report"], ["schedule"], ["topics"], ["forget"], ["purge"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_ingest_prints_a_summary_and_exits_zero(fixtures, data_dir):
    result = runner.invoke(app, ["ingest", str(fixtures / "scraper" / "posts.jsonl"), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "Ingest summary" in result.output and "0 -> 3 rows" in result.output
    assert len(pd.read_parquet(data_dir / "processed" / "posts")) == 3


def test_data_dir_from_the_environment(fixtures, data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("FEEDBACK_ANALYSIS_DATA_DIR", str(tmp_path / "elsewhere"))
    result = runner.invoke(app, ["ingest", str(fixtures / "scraper" / "posts.jsonl")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere" / "processed" / "posts").is_dir()


def test_bad_file_is_one_line_error_and_nonzero_exit(fixtures, data_dir):
    result = runner.invoke(app, ["ingest", str(fixtures / "corrupt" / "truncated.json"), str(fixtures / "scraper" / "posts.jsonl"),
                                 "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "truncated.json" in errors[0]
    assert len(pd.read_parquet(data_dir / "processed" / "posts")) == 3  # the good file is stored


def test_missing_mapping_file_is_a_clean_error(fixtures, data_dir):
    result = runner.invoke(app, ["ingest", str(fixtures / "tweets_bom.csv"), "--columns", "nope.yaml", "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "nope.yaml: column mapping file not found" in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(fixtures, data_dir):
    result = runner.invoke(app, ["ingest", str(fixtures / "crowdtangle.csv"), "--format", "pdf", "--data-dir", str(data_dir)])
    assert result.exit_code == 2 and "unknown format 'pdf'" in result.output


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("feedback-analysis")
    env = {**os.environ, "COLUMNS": "120"}
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_score_command_keeps_every_row_and_column(tmp_path, data_dir):
    source = tmp_path / "in.csv"
    source.write_bytes("nr;bericht\n2;Proficiat aan de groendienst!\n1;ik ga hem afmaken\n3;\n".encode("cp1252"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(source), "-o", str(out), "--text-column", "bericht"])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert scored["nr"].tolist() == ["2", "1", "3"] and list(scored.columns)[:2] == ["nr", "bericht"]
    assert scored["abuse"].tolist() == ["none", "threat", "none"]


def test_score_without_the_text_column_lists_the_columns(tmp_path, data_dir):
    source = tmp_path / "in.csv"
    source.write_text("id,message\n1,hallo\n")
    result = runner.invoke(app, ["score", str(source), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "columns found: ['id', 'message']" in result.output


def test_ingest_scores_new_rows_unless_told_not_to(fixtures, data_dir):
    result = runner.invoke(app, ["ingest", str(fixtures / "scraper" / "posts.jsonl"), "--data-dir", str(data_dir)])
    assert "3 rows scored" in result.output
    assert (data_dir / "processed" / "scores.parquet").is_file()
    other = data_dir.parent / "other"
    runner.invoke(app, ["ingest", str(fixtures / "scraper" / "posts.jsonl"), "--data-dir", str(other), "--no-enrich"])
    assert not (other / "processed" / "scores.parquet").exists()


def test_an_unexpected_failure_is_one_line_not_a_traceback(fixtures, data_dir, monkeypatch):
    from feedback_analysis import clean

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(clean, "clean_rows", broken)
    result = runner.invoke(app, ["ingest", str(fixtures / "scraper" / "posts.jsonl"), "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "RuntimeError: something nobody foresaw" in errors[0]
    assert not (data_dir / "processed" / "posts").exists()


def test_status_with_a_file_as_data_dir_is_an_error(tmp_path, data_dir):
    not_a_folder = tmp_path / "store.parquet"
    not_a_folder.write_text("x")
    result = runner.invoke(app, ["status", "--data-dir", str(not_a_folder)])
    assert result.exit_code == 2 and "is a file, not a data folder" in result.output
    assert "empty" not in result.output


def test_malformed_config_is_one_line(tmp_path, data_dir):
    config = tmp_path / "bad.yaml"
    config.write_text("municipality: Denderbeke\ningest:\n  chunk_rows: [1,\n")
    result = runner.invoke(app, ["status", "--config", str(config), "--data-dir", str(data_dir)])
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(errors) == 1 and str(config) in errors[0] and "not valid YAML" in errors[0]


def test_score_output_is_safe_to_open_in_a_spreadsheet(tmp_path, data_dir):
    source = tmp_path / "in.csv"
    source.write_text('nr,text\n-3,"=HYPERLINK(""http://x"",""klik"")"\n2,+32 470 ok\n3,@SUM(A1)\n4,- de straat is vuil\n5,gewoon\n')
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert scored["nr"].tolist() == ["-3", "2", "3", "4", "5"]
    assert [t[:2] for t in scored["text"]] == ["'=", "'+", "'@", "'-", "ge"]
    for column in scored.columns:  # only plain numbers may start with a sign
        risky = scored[column].str.match(r"^[=+@\-]") & ~scored[column].str.fullmatch(r"[+-]?\d+(\.\d+)?")
        assert not risky.any(), column


def test_an_error_escaping_a_command_is_one_line_unless_debugging(tmp_path):
    code = ("import sys; from feedback_analysis import cli\n"
            "@cli.app.command()\ndef boom():\n    raise RuntimeError('kapot\\nline two')\n"
            "sys.argv = ['feedback-analysis', 'boom']; cli.app()\n")
    env = {k: v for k, v in os.environ.items() if k != "FEEDBACK_ANALYSIS_DEBUG"}
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert quiet.returncode != 0 and quiet.stderr.strip().splitlines() == [
        "error: RuntimeError: kapot (FEEDBACK_ANALYSIS_DEBUG=1 shows the details)"]
    loud = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**env, "FEEDBACK_ANALYSIS_DEBUG": "1"})
    assert "Traceback" in loud.stderr


def test_score_on_a_folder_is_one_line(tmp_path, data_dir):
    result = runner.invoke(app, ["score", str(tmp_path), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot read" in result.output and len(result.output.strip().splitlines()) == 1
