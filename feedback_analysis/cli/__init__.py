"""The ``feedback-analysis`` command: a thin layer over the Python API.

Every command takes ``--data-dir`` (or ``FEEDBACK_ANALYSIS_DATA_DIR``) and ``--config``. A user
mistake ends with a one-line ``error: <file>: <problem>`` and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from feedback_analysis import __version__
from feedback_analysis.config import DATA_DIR_ENV, USER_CONFIG_NAME, ConfigError, Settings, load_settings
from feedback_analysis.files import write_csv_safe
from feedback_analysis.ingest import FORMATS, IngestError

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


def _print_ingest_report(report) -> None:
    table = Table(title="Ingest summary", show_lines=False)
    table.add_column("file", overflow="ellipsis", no_wrap=True, max_width=40)
    for column in ("read", "stored", "updated", "duplicates", "quarantined", "skipped"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    table.add_column("status", no_wrap=True)
    for item in report.files:
        if item.ignored:
            continue
        status = "[red]failed[/]" if item.error else "ok"
        table.add_row(_short(item.file), *(str(getattr(item, c)) for c in ("read", "stored", "updated", "duplicates", "quarantined", "skipped")), status)
    total = report.totals()
    table.add_row("[bold]total[/]", *(f"[bold]{getattr(total, c)}[/]" for c in ("read", "stored", "updated", "duplicates", "quarantined", "skipped")), "")
    console.print(table)
    ignored = sum(1 for f in report.files if f.ignored)
    if ignored:
        console.print(f"{ignored} file(s) without posts or comments ignored (DYI archives hold many).")
    console.print(f"Store: {report.rows_before} -> {report.rows_after} rows.")
    if report.quarantine_file:
        console.print(f"Quarantined rows, with their reason: {report.quarantine_file}")


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    """feedback-analysis: from social-media exports to monthly reports on municipal services."""
    sys.excepthook = _one_line_excepthook
    if version:
        console.print(__version__)
        raise typer.Exit()


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


SchedulerOption = Annotated[
    Optional[str],
    typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786.", show_default=False),
]


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


@app.command()
def topics(
    input_csv: Annotated[Optional[Path], typer.Argument(help="CSV file with a text column (or use --month).", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Where to write the CSV with topic and topic_label.", show_default=False)] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="Column holding the text.")] = "text",
    topics_out: Annotated[Optional[Path], typer.Option("--topics-out", help="Write the topics (topic, label, words, size) as JSON.", show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option("--month", help="Model this month of the store (with its history), YYYY-MM.", show_default=False)] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Find topics (offline BERTopic) in a CSV, or in one month of the store with stable ids across months."""
    import json

    from feedback_analysis import pipeline

    settings = _settings(config, data_dir)
    if (input_csv is None) == (month is None):
        fail("give either a CSV file (with -o) or --month YYYY-MM", 2)
    if month is not None:
        try:
            result = pipeline.model_month_topics(settings, month)
        except ValueError as exc:
            fail(str(exc))
            return
        console.print(f"{month}: {result.topics} topics over {result.posts} posts, {result.outliers:.0%} outliers. "
                      f"{result.message}", highlight=False)
        emerging = pipeline.load_emerging_topics(settings, month)
        for row in emerging.itertuples(index=False):
            services = ", ".join(row.services) or "-"
            console.print(f"  {row.status}: {row.label} ({services}; {row.posts} posts)", highlight=False)
        return
    if output is None:
        fail("-o/--output is needed with a CSV file", 2)
    from feedback_analysis.ingest.tabular import read_plain_csv
    from feedback_analysis.topics import fit_topics

    try:
        table = read_plain_csv(input_csv)
    except IngestError as exc:
        fail(str(exc))
        return
    except FileNotFoundError:
        fail(f"{input_csv}: no such file")
        return
    except OSError as exc:
        fail(f"{input_csv}: cannot read ({exc.strerror or exc.__class__.__name__})")
        return
    if text_column not in table.columns:
        fail(f"{input_csv}: no column {text_column!r}; columns found: {list(table.columns)}. Use --text-column.")
    with _no_traceback("topics"):
        result, found = fit_topics(table, text_column, pipeline._topic_settings(settings))
    write_csv_safe(result, output)
    if topics_out is not None:
        topics_out.parent.mkdir(parents=True, exist_ok=True)
        plain = [{"topic": int(t["topic"]), "label": t["label"], "words": list(t["words"])[:10], "size": int(t["size"])} for t in found]
        topics_out.write_text(json.dumps(plain, ensure_ascii=False, indent=2), encoding="utf-8")
    message = result.attrs.get("topic_message", "")
    outliers = float((result["topic"] == -1).mean()) if len(result) else 0.0
    console.print(f"{len(found)} topics over {len(result)} rows ({outliers:.0%} outliers) -> {output}. {message}", highlight=False)


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
def demo(
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    end_month: Annotated[Optional[str], typer.Option("--end-month", help="Last month of sample data, YYYY-MM (default: the last complete month).", show_default=False)] = None,
    quiet: QuietOption = False,
) -> None:
    """The main job on generated sample data: sample exports, ingest, scores, monthly reports."""
    from feedback_analysis import pipeline
    from feedback_analysis import report as reports
    from feedback_analysis.progress import terminal_bars
    from feedback_analysis.sample import write_sample_exports

    settings = _settings(config, data_dir)
    end_month = end_month or reports.last_complete_month(settings.timezone)
    config_path = reports.resolve_config_path(config)
    if config_path is None:
        # The sample is about the invented municipality Denderbeke: say so in the report header. The
        # settings file is the one every later command in this folder reads, so `report` sees the same.
        config_path = Path(USER_CONFIG_NAME).resolve()
        config_path.write_text(
            "# Written by `feedback-analysis demo` for the sample data; edit it for your municipality\n"
            "# (all settings and their defaults: feedback_analysis/resources/default_config.yaml).\n"
            "municipality: Denderbeke\n", encoding="utf-8")
        console.print(f"Wrote {config_path} (municipality: Denderbeke).", highlight=False)
        settings = _settings(config_path, data_dir)
    notify = _notify(quiet)
    target = settings.raw_dir / "sample"
    console.rule("1. Sample exports")
    written = write_sample_exports(target, end_month=end_month)
    for kind, path in written.items():
        console.print(f"{kind:8} {path}")
    console.rule("2. Ingest")
    try:
        # The CSV's column mapping is found beside it (export_tool.columns.yaml).
        with terminal_bars(console, quiet) as progress:
            ingested = pipeline.ingest([target], settings, notify=notify, progress=progress)
        _print_ingest_report(ingested)
        console.rule("3. Scores: sentiment, services, abuse flags, thread consensus")
        with terminal_bars(console, quiet) as progress:
            enriched = pipeline.enrich(settings, notify=notify, progress=progress)
        _print_enrich_report(enriched)
    except IngestError as exc:
        fail(str(exc))
    console.rule("4. Store")
    status(data_dir=settings.data_dir, config=config_path)
    console.rule("5. Topics per month (offline BERTopic), with stable ids across months")
    with terminal_bars(console, quiet) as progress:
        modelled = pipeline.update_topics(settings, end_month, notify=notify, progress=progress)
    for result in modelled:
        console.print(f"{result.month}: {result.topics} topics over {result.posts} posts, {result.outliers:.0%} outliers", highlight=False)
    console.rule("6. Monthly reports")
    try:
        with terminal_bars(console, quiet) as progress:
            done = reports.build_pending(settings, config_path=config_path, notify=notify, progress=progress)
    except reports.ReportError as exc:
        fail(str(exc))
        return
    for result in done.results:
        console.print(f"{result.month}: {result.status} {result.paths.html}", highlight=False)
    for failure in done.failures:
        err_console.print(f"[bold red]error:[/] {failure}", highlight=False, soft_wrap=True)
    if not done.ok or not done.results:
        raise typer.Exit(1)
    newest = max(done.results, key=lambda r: r.month)
    console.print(f"\nIndex of all reports: {Path(settings.reports_dir).resolve() / 'index.html'}", highlight=False)
    console.print(f"Newest report: {newest.paths.html.resolve()}", highlight=False, soft_wrap=True)


@app.command()
def report(
    month: Annotated[Optional[str], typer.Option("--month", help="Month to report on, YYYY-MM.", show_default=False)] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Build every month with data and no up-to-date report, up to the last complete month (the scheduled job).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the inputs have not changed.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Report language, nl or en (default: the config's language). English files end in -en.", show_default=False)] = None,
    notebook: Annotated[Optional[Path], typer.Option("--notebook", help="Report notebook to run (default: notebooks/reports/monthly_report.ipynb).", show_default=False)] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=1, help="Seconds a notebook cell may run.")] = 600,
    pdf: Annotated[Optional[bool], typer.Option("--pdf/--no-pdf", help="Also print the report to rapport-YYYY-MM.pdf (A4) with headless Chromium (default: the config's report.pdf).", show_default=False)] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> None:
    """Build the monthly HTML report(s) in the reports folder: skips months whose inputs have not changed."""
    from feedback_analysis import report as reports
    from feedback_analysis.progress import terminal_bars

    settings = _settings(config, data_dir)
    if bool(month) == pending:
        fail("give either --month YYYY-MM or --pending", 2)
    if lang is not None and lang not in reports.LANGUAGES:
        fail(f"--lang: {lang!r} is not a report language; use nl or en", 2)
    if month:
        try:
            reports.check_month(month)
        except reports.ReportError as exc:
            fail(str(exc), 2)
    options = dict(lang=lang, force=force, notebook=notebook or reports.DEFAULT_NOTEBOOK, pdf=pdf,
                   config_path=reports.resolve_config_path(config), timeout=timeout,
                   notify=_notify(quiet))

    def show(result) -> None:
        where = result.paths.html
        if result.status == "skipped":
            console.print(f"{result.month}: up to date, skipped ({where}); use --force to rebuild", highlight=False)
            return
        console.print(f"{result.month}: built {where} in {result.seconds:.0f} s (changed: {', '.join(result.changed[:4])}"
                      f"{', ...' if len(result.changed) > 4 else ''})", highlight=False, soft_wrap=True)
        for warning in result.warnings:
            err_console.print(f"[yellow]warning:[/] {result.month}: {warning}", highlight=False, soft_wrap=True)

    try:
        from feedback_analysis import pipeline

        if month:
            if settings.posts_dir.exists():  # topics first: the report shows them (months without data fail below)
                try:
                    with terminal_bars(console, quiet) as progress:
                        pipeline.update_topics(settings, month, notify=options["notify"], progress=progress)
                except (ValueError, OSError) as exc:
                    fail(f"topics: {exc}")
            show(reports.build_report(settings, month, **options))
        else:
            try:  # the same job as each municipality's in `fleet run`
                with terminal_bars(console, quiet) as progress:
                    done = pipeline.build_pending_reports(settings, progress=progress, **options)
            except pipeline.TopicsError as exc:
                fail(str(exc))
                return
            for result in done.results:
                show(result)
            if not done.results:
                console.print(f"No months with data up to {done.last_complete} in {settings.posts_dir}.", highlight=False)
            for failure in done.failures:
                err_console.print(f"[bold red]error:[/] {failure}", highlight=False, soft_wrap=True)
            if not done.ok:
                raise typer.Exit(1)
    except reports.ReportError as exc:
        fail(str(exc))
    console.print(f"Index: {Path(settings.reports_dir).resolve() / 'index.html'}", highlight=False)


# --- privacy operations: a thin layer over feedback_analysis.erasure ---------------------------------

def _remove(operation: str, run) -> None:
    """Run ``forget`` or ``purge`` under the store lock's one-line error, then print what was removed."""
    from feedback_analysis.store import StoreLockedError

    try:
        with _no_traceback(operation):
            result = run()
    except StoreLockedError as exc:
        fail(str(exc))
        return
    _print_removal(result)


def _print_removal(result) -> None:
    removed = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in result.removed.items() if count)
    console.print(f"{result.operation}: removed {removed or 'nothing'}.", highlight=False, soft_wrap=True)
    if result.reports_marked:
        console.print(f"Reports marked for rebuild: {', '.join(result.reports_marked)} "
                      "(run `feedback-analysis report --pending`).", highlight=False, soft_wrap=True)
    console.print("Audit line written to the data folder's audit.log.", highlight=False)


@app.command()
def forget(
    post_id: Annotated[Optional[list[str]], typer.Option("--post-id", help="Id of a post or comment as in the export (repeatable).", show_default=False)] = None,
    url: Annotated[Optional[list[str]], typer.Option("--url", help="Link to a post or comment (repeatable).", show_default=False)] = None,
    author: Annotated[Optional[list[str]], typer.Option("--author", help="Author's name (or id) as it appeared in the export (repeatable).", show_default=False)] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Right to erasure: remove posts by id or URL, or every row of an author, everywhere; mark reports for rebuild."""
    from feedback_analysis import pipeline

    settings = _settings(config, data_dir)
    if not (post_id or url or author):
        fail("give --post-id, --url or --author (each may be repeated)", 2)
    _remove("forget", lambda: pipeline.forget(settings, post_ids=post_id or (), urls=url or (), authors=author or ()))


@app.command()
def purge(
    months: Annotated[Optional[int], typer.Option("--months", min=0, help="Retention in months (default: privacy.retention_months, 24).", show_default=False)] = None,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Retention: remove rows, scores, topics, quarantine files and executed notebooks older than the period."""
    from feedback_analysis import pipeline

    settings = _settings(config, data_dir)
    _remove("purge", lambda: pipeline.purge(settings, retention_months=months))


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


@app.command()
def schedule(
    install: Annotated[bool, typer.Option("--install", help="Install the job for the current user (systemd user timer, else crontab).")] = False,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Print (or --install) a monthly job that runs `report --pending` on the 1st at 06:00 Europe/Brussels."""
    from feedback_analysis import report as reports
    from feedback_analysis import schedule as schedules

    settings = _settings(config, data_dir)
    job = schedules.report_job(settings, reports.resolve_config_path(config))
    if not install:
        console.print(schedules.describe(job), highlight=False, markup=False, soft_wrap=True)
        return
    try:
        message = schedules.install(job)
    except schedules.ScheduleError as exc:
        fail(str(exc))
        return
    console.print(message, highlight=False, markup=False, soft_wrap=True)


fleet_app = typer.Typer(help="Run the monthly job for a region's municipalities on a Dask cluster.", no_args_is_help=True)
app.add_typer(fleet_app, name="fleet")


@fleet_app.command("run")
def fleet_run(
    fleet_file: Annotated[Path, typer.Argument(help="FLEET.yaml: the municipalities (name, data, config, raw, reports).", show_default=False)],
    scheduler: SchedulerOption = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Workers of the local cluster started when no --scheduler is given.")] = 2,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Report language, nl or en (default: each config's language).", show_default=False)] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=1, help="Seconds a report notebook cell may run.")] = 600,
    notebook: Annotated[Optional[Path], typer.Option("--notebook", help="Report notebook to run for every municipality (default: notebooks/reports/monthly_report.ipynb).", show_default=False)] = None,
) -> None:
    """For every municipality: ingest its new exports, score, model topics, build pending reports.

    Each municipality is one task on Dask (a local cluster by default); one that fails does not stop
    the others. Ends with a summary table, and a non-zero exit when any municipality failed."""
    from feedback_analysis import fleet
    from feedback_analysis import report as reports

    if lang is not None and lang not in reports.LANGUAGES:
        fail(f"--lang: {lang!r} is not a report language; use nl or en", 2)
    try:
        municipalities = fleet.load_fleet(fleet_file)
    except fleet.FleetError as exc:
        fail(str(exc), 2)
        return

    def done(result) -> None:
        state = "ok" if result.ok else f"[red]failed[/]: {escape(result.error or '')}"
        console.print(f"{result.name}: {state} ({result.seconds:.0f} s)", highlight=False, soft_wrap=True)

    where = scheduler or f"a local cluster of {workers} worker(s)"
    console.print(f"{len(municipalities)} municipalities on {where}", highlight=False)
    try:
        with fleet.cluster_client(scheduler, workers) as client, _no_traceback("fleet"):
            results = fleet.run_fleet(municipalities, client, notebook=notebook.resolve() if notebook else None,
                                      lang=lang, timeout=timeout, on_done=done)
    except fleet.ClusterError as exc:
        fail(str(exc))
        return
    _print_fleet_summary(results)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def _print_fleet_summary(results) -> None:
    table = Table(title="Fleet summary")
    table.add_column("municipality", no_wrap=True)
    for column in ("rows", "new rows", "exports", "built", "skipped", "time"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("status", overflow="fold")
    for r in results:
        status = "ok" if r.ok else f"[red]failed[/]: {escape(r.error or '')}"
        table.add_row(r.name, str(r.rows), str(r.new_rows), str(r.exports), str(r.built), str(r.skipped),
                      f"{r.seconds:.0f} s", status)
    console.print(table)
    failed = sum(not r.ok for r in results)
    console.print(f"{len(results) - failed} of {len(results)} municipalities done, {failed} failed.", highlight=False)


def run() -> None:  # pragma: no cover - console entry point used by `python -m`
    """Run the command line."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
