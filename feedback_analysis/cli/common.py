"""What every command shares: the Typer app, the consoles, the common options, one-line errors and
the summaries printed after ingest and enrich."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from feedback_analysis import __version__
from feedback_analysis.config import DATA_DIR_ENV, ConfigError, Settings, load_settings

app = typer.Typer(
    help="Listen to what citizens say about municipal services on social media: ingest exports, clean them, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Logs of scheduled runs are not a terminal: give them room for the summary table.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)

DataDirOption = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help="Data folder (default: data/, or $FEEDBACK_ANALYSIS_DATA_DIR).", show_default=False),
]
ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", help="YAML settings file (default: feedback_analysis.yaml if present).", show_default=False),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bars or step messages (there are none when not on a terminal)."),
]


def _notify(quiet: bool):
    """Where the stages' step messages go: dim lines on the console, or nowhere with --quiet."""
    if quiet:
        return lambda message: None
    return lambda message: console.print(f"[dim]{message}[/]", highlight=False)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def _no_traceback(what: str):
    """Turn an unexpected failure into one line (the stores are written atomically, so nothing is
    half-written). Set FEEDBACK_ANALYSIS_DEBUG=1 to see the traceback."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a user's command
        if os.environ.get("FEEDBACK_ANALYSIS_DEBUG"):
            raise
        first_line = (str(exc).splitlines() or [""])[0]
        fail(f"{what} failed: {exc.__class__.__name__}: {first_line} (nothing was half-written; "
             "FEEDBACK_ANALYSIS_DEBUG=1 shows the details)")


def _settings(config: Path | None, data_dir: Path | None) -> Settings:
    try:
        settings = load_settings(config, data_dir)
    except ConfigError as exc:
        fail(str(exc), 2)
        raise  # unreachable; keeps type checkers happy
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        fail(f"{settings.data_dir}: is a file, not a data folder (--data-dir or {DATA_DIR_ENV})", 2)
    return settings


def _one_line_excepthook(kind, value, traceback) -> None:
    """Whatever escapes a command ends as one line on stderr (the traceback with FEEDBACK_ANALYSIS_DEBUG=1)."""
    if os.environ.get("FEEDBACK_ANALYSIS_DEBUG") or issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    first_line = (str(value).splitlines() or [""])[0]
    sys.stderr.write(f"error: {kind.__name__}: {first_line} (FEEDBACK_ANALYSIS_DEBUG=1 shows the details)\n")


def _short(name: str) -> str:
    """The last two parts of a file name: enough to recognise it in an 80-column summary."""
    parts = name.replace("!", "/").split("/")
    return "/".join(parts[-2:])


# The counts of each file in the ingest summary, in the order shown (read = the sum of the others).
_INGEST_COUNTS = ("read", "stored", "updated", "duplicates", "quarantined", "skipped")


def _print_ingest_report(report) -> None:
    table = Table(title="Ingest summary", show_lines=False)
    table.add_column("file", overflow="ellipsis", no_wrap=True, max_width=40)
    for column in _INGEST_COUNTS:
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    table.add_column("status", no_wrap=True)
    for item in report.files:
        if item.ignored:
            continue
        status = "[red]failed[/]" if item.error else "ok"
        table.add_row(_short(item.file), *(str(getattr(item, c)) for c in _INGEST_COUNTS), status)
    total = report.totals()
    table.add_row("[bold]total[/]", *(f"[bold]{getattr(total, c)}[/]" for c in _INGEST_COUNTS), "")
    console.print(table)
    ignored = sum(1 for f in report.files if f.ignored)
    if ignored:
        console.print(f"{ignored} file(s) without posts or comments ignored (DYI archives hold many).")
    console.print(f"Store: {report.rows_before} -> {report.rows_after} rows.")
    if report.quarantine_file:
        console.print(f"Quarantined rows, with their reason: {report.quarantine_file}")


SchedulerOption = Annotated[
    Optional[str],
    typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786.", show_default=False),
]


def _print_enrich_report(report) -> None:
    if not report.rows:
        console.print("The store is empty: nothing to score.")
        return
    console.print(
        f"Scores: {report.scored} rows scored, {report.reused} unchanged rows kept (scorer {report.version}); "
        f"{report.threads} threads summarised; {report.flagged} rows flagged for abuse review, "
        f"{report.review} for service review."
    )
    console.print(f"Sentiment model: {report.sentiment_model}")


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    """feedback-analysis: from social-media exports to monthly reports on municipal services."""
    sys.excepthook = _one_line_excepthook
    if version:
        console.print(__version__)
        raise typer.Exit()
