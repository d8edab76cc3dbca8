"""Progress on long work: what the stages report, and where the bars are (not) drawn."""

from __future__ import annotations

import io
import re

import pandas as pd
from rich.console import Console
from typer.testing import CliRunner

from feedback_analysis import pipeline
from feedback_analysis.cli import app
from feedback_analysis.progress import no_progress, notebook_bars, terminal_bars
from feedback_analysis.stages import enrich as stages_enrich

runner = CliRunner()
BAR = re.compile(r"^\s*(files|rows|scoring)\s.*\d+/\d+", re.M)  # a bar line: its name, then done/total


class Calls(list):
    def __call__(self, stage, done, total=None):
        self.append((stage, done, total))

    def of(self, stage):
        return [(done, total) for name, done, total in self if name == stage]


def test_ingest_and_enrich_report_files_rows_and_scoring_to_the_end(fixtures, settings, monkeypatch):
    calls = Calls()
    report = pipeline.ingest([fixtures / "scraper" / "posts.jsonl", fixtures / "dyi"], settings, progress=calls)
    files = calls.of("files")
    assert files[0][0] == 0 and files[-1][0] == files[-1][1] == len(report.files)
    rows = calls.of("rows")
    assert rows[-1] == (report.totals().read, report.totals().read)
    assert [done for done, _ in rows] == sorted(done for done, _ in rows)  # never backwards

    monkeypatch.setattr(stages_enrich, "SCORE_BATCH_ROWS", 3)  # several batches on a small store
    calls.clear()
    enriched = pipeline.enrich(settings, progress=calls)
    scoring = calls.of("scoring")
    assert scoring[0] == (0, enriched.rows) and scoring[-1] == (enriched.rows, enriched.rows)
    assert len(scoring) == 1 + -(-enriched.rows // 3)
    batched = pipeline.read_scores(settings).sort_values("post_id").reset_index(drop=True)

    monkeypatch.setattr(stages_enrich, "SCORE_BATCH_ROWS", 100_000)
    settings.scores_path.unlink()
    pipeline.enrich(settings)
    whole = pipeline.read_scores(settings).sort_values("post_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(batched, whole)  # batches change nothing but the bar


def test_terminal_bars_draw_only_on_a_terminal_and_never_when_quiet():
    shown = io.StringIO()
    with terminal_bars(Console(file=shown, force_terminal=True, width=100)) as progress:
        progress("files", 0, 4)
        progress("files", 4, 4)
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.getvalue()).replace("\r", "\n")
    assert BAR.search(drawn) and "4/4" in drawn
    for console, quiet in [(Console(file=io.StringIO(), force_terminal=True), True),
                           (Console(file=io.StringIO(), force_terminal=False), False)]:
        with terminal_bars(console, quiet=quiet) as progress:
            assert progress is no_progress
            progress("files", 1, 4)
        assert console.file.getvalue() == ""


def test_notebook_bars_count_up_and_close():
    with notebook_bars() as progress:
        progress("months", 0, 3)
        progress("months", 2, 3)
        bar = progress.bars["months"]
        assert (bar.n, bar.total) == (2, 3)
    assert bar.disable or bar.last_print_n == 2


def test_cli_prints_no_bars_in_a_pipe_and_no_step_lines_when_quiet(fixtures, settings):
    source = str(fixtures / "scraper" / "posts.jsonl")
    piped = runner.invoke(app, ["ingest", source, "--data-dir", str(settings.data_dir)])
    assert piped.exit_code == 0, piped.output
    assert not BAR.search(piped.output) and "Ingest summary" in piped.output
    assert "read 4 rows from" in piped.output  # the step lines are there without --quiet
    quiet = runner.invoke(app, ["ingest", source, "--quiet", "--data-dir", str(settings.data_dir)])
    assert quiet.exit_code == 0, quiet.output
    assert "read 4 rows from" not in quiet.output and "Ingest summary" in quiet.output
