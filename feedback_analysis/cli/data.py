"""Commands over the store's rows: ingest, enrich, score a CSV, sample exports, status and SQL queries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from feedback_analysis.cli.common import (
    ConfigOption,
    DataDirOption,
    QuietOption,
    SchedulerOption,
    _no_traceback,
    _notify,
    _print_enrich_report,
    _print_ingest_report,
    _settings,
    app,
    console,
    err_console,
    fail,
)
from feedback_analysis.files import write_csv_safe
from feedback_analysis.ingest import FORMATS, IngestError


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files, folders or ZIP archives.", show_default=False)],
    format: Annotated[str, typer.Option("--format", help=f"Export format: {'|'.join(FORMATS)}.")] = "auto",
    run_enrich: Annotated[bool, typer.Option("--enrich/--no-enrich", help="Score new rows after ingesting.")] = True,
    columns: Annotated[Optional[Path], typer.Option("--columns", help="Column-mapping YAML for CSV/XLSX (canonical name: file column). Default: <file>.columns.yaml beside the file, else built-in presets.")] = None,
    group: Annotated[Optional[str], typer.Option("--group", help="Group or page name to record for these files.")] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Read exports (Facebook DYI JSON, Graph API JSON, facebook-scraper, CrowdTangle, CSV/XLSX) into the store."""
    from feedback_analysis import pipeline
    from feedback_analysis.progress import terminal_bars
    from feedback_analysis.store import StoreLockedError

    settings = _settings(config, data_dir)
    if format not in FORMATS:
        fail(f"--format: unknown format {format!r}; use one of {', '.join(FORMATS)}", 2)
    try:
        with _no_traceback("ingest"), terminal_bars(console, quiet) as progress:
            report = pipeline.ingest(paths, settings, format, columns, group, notify=_notify(quiet), progress=progress)
    except (IngestError, StoreLockedError) as exc:
        fail(str(exc))
        return
    _print_ingest_report(report)
    if run_enrich and report.rows_after:
        with _no_traceback("scoring"), terminal_bars(console, quiet) as progress:
            enriched = pipeline.enrich(settings, notify=_notify(quiet), progress=progress)
        _print_enrich_report(enriched)
    for message in report.errors:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def score(
    input_csv: Annotated[Path, typer.Argument(help="CSV file with a text column.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the scored CSV (UTF-8).", show_default=False)],
    text_column: Annotated[str, typer.Option("--text-column", help="Column holding the text.")] = "text",
    config: ConfigOption = None,
) -> None:
    """Add sentiment, service and abuse columns to a CSV, keeping every input row and column in order."""
    from feedback_analysis.ingest.tabular import read_plain_csv
    from feedback_analysis.scoring import Scorer

    settings = _settings(config, None)
    try:
        table = read_plain_csv(input_csv)
    except (IngestError, FileNotFoundError) as exc:
        fail(str(exc) if isinstance(exc, IngestError) else f"{input_csv}: no such file")
        return
    except OSError as exc:  # a folder, no permission
        fail(f"{input_csv}: cannot read ({exc.strerror or exc.__class__.__name__})")
        return
    if text_column not in table.columns:
        fail(f"{input_csv}: no column {text_column!r}; columns found: {list(table.columns)}. Use --text-column.")
    with _no_traceback("score"):
        scorer = Scorer.for_municipality(settings.scoring.taxonomy, settings.scoring.service_threshold, settings.language)
        scored = scorer.score(table, text_column)
    write_csv_safe(scored, output)
    flagged = int((scored["abuse"] != "none").sum())
    review = int(scored["service_review"].sum())
    console.print(f"Scored {len(scored)} rows -> {output} ({flagged} flagged for abuse review, {review} for service review).")


@app.command()
def enrich(
    scheduler: SchedulerOption = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Score month partitions on a local Dask cluster of this many workers.", show_default=False)] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Score the store's new or changed rows and recompute thread consensus (runs after ingest too)."""
    from feedback_analysis import pipeline
    from feedback_analysis.progress import terminal_bars
    from feedback_analysis.store import StoreLockedError

    settings = _settings(config, data_dir)
    notify = _notify(quiet)
    try:
        if scheduler is None and workers is None:
            with _no_traceback("enrich"), terminal_bars(console, quiet) as progress:
                report = pipeline.enrich(settings, notify=notify, progress=progress)
        else:
            from feedback_analysis import fleet

            try:
                with fleet.cluster_client(scheduler, workers) as client, _no_traceback("enrich"):
                    report = pipeline.enrich(settings, notify=notify, score_parts=fleet.cluster_scorer(client))
            except fleet.ClusterError as exc:
                fail(str(exc))
                return
    except StoreLockedError as exc:
        fail(str(exc))
        return
    _print_enrich_report(report)


@app.command()
def sample(
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for the exports (default: <data-dir>/raw/sample).")] = None,
    end_month: Annotated[str, typer.Option("--end-month", help="Last month of sample data, YYYY-MM.")] = "2026-10",
    months: Annotated[int, typer.Option("--months", min=1, help="Number of months.")] = 6,
    posts_per_month: Annotated[int, typer.Option("--posts-per-month", min=1, help="Top-level posts per month.")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same files.")] = 42,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Write synthetic sample exports (DYI JSON, scraper JSON lines, a CSV) for a Flemish municipality."""
    from feedback_analysis.sample import write_sample_exports

    settings = _settings(config, data_dir)
    target = out or settings.raw_dir / "sample"
    written = write_sample_exports(target, end_month=end_month, months=months, posts_per_month=posts_per_month, seed=seed)
    for kind, path in written.items():
        console.print(f"{kind:8} {path}")


@app.command()
def status(
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Show what the store holds: rows per month, source, kind and language."""
    from feedback_analysis import store
    from feedback_analysis.overview import OVERVIEW_DIMENSIONS, count_rows

    settings = _settings(config, data_dir)
    with _no_traceback("status"):
        posts = store.read_posts(settings.posts_dir, columns=[*OVERVIEW_DIMENSIONS, "is_duplicate"])
    if posts.empty:
        console.print(f"The store at {settings.posts_dir} is empty. Run `feedback-analysis ingest PATH`.")
        return
    for column in OVERVIEW_DIMENSIONS:
        table = Table(title=f"rows per {column}")
        table.add_column(column)
        table.add_column("rows", justify="right")
        for value, rows in count_rows(posts, column)[[column, "rows"]].itertuples(index=False):
            table.add_row(value, str(rows))
        console.print(table)
    console.print(f"{len(posts)} rows, {int(posts['is_duplicate'].sum())} marked as copy-paste duplicates.")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="One SELECT, e.g. \"select service, count(*) from feedback group by 1\".", show_default=False)],
    csv: Annotated[Optional[Path], typer.Option("--csv", help="Write the result to this CSV file (UTF-8) instead of showing it.", show_default=False)] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Rows shown on screen (the CSV gets all).")] = 50,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Read-only SQL (DuckDB) on the store: views posts, scores, threads, topics, and feedback (all joined)."""
    from feedback_analysis.sql import QueryError
    from feedback_analysis.sql import query as run_query

    settings = _settings(config, data_dir)
    with _no_traceback("query"):
        try:
            result = run_query(sql, settings)
        except QueryError as exc:
            fail(f"query: {exc}", 2)
            return
    if csv is not None:
        try:
            csv.parent.mkdir(parents=True, exist_ok=True)
            result.to_csv(csv, index=False)
        except OSError as exc:
            fail(f"{csv}: cannot write the CSV ({exc.strerror or exc})")
        console.print(f"{len(result)} rows -> {csv}", highlight=False)
        return
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(str(column), overflow="fold")
    for row in result.head(max_rows).itertuples(index=False):
        table.add_row(*("" if _is_missing(value) else str(value) for value in row))
    console.print(table)
    shown = min(len(result), max_rows)
    console.print(f"{len(result)} rows" + (f" (the first {shown} shown; --csv FILE writes all)" if shown < len(result) else ""),
                  highlight=False)


def _is_missing(value) -> bool:
    try:
        return bool(value is None or value != value)  # None, NaN, NaT
    except (TypeError, ValueError):  # arrays and the like
        return False
