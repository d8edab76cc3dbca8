"""Commands that model topics and build the monthly reports: topics, report and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from feedback_analysis.cli.common import (
    ConfigOption,
    DataDirOption,
    QuietOption,
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
from feedback_analysis.cli.data import status
from feedback_analysis.config import USER_CONFIG_NAME
from feedback_analysis.files import write_csv_safe
from feedback_analysis.ingest import IngestError


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
    from feedback_analysis.stages.topics import topic_settings
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
        result, found = fit_topics(table, text_column, topic_settings(settings))
    write_csv_safe(result, output)
    if topics_out is not None:
        topics_out.parent.mkdir(parents=True, exist_ok=True)
        plain = [{"topic": int(t["topic"]), "label": t["label"], "words": list(t["words"])[:10], "size": int(t["size"])} for t in found]
        topics_out.write_text(json.dumps(plain, ensure_ascii=False, indent=2), encoding="utf-8")
    message = result.attrs.get("topic_message", "")
    outliers = float((result["topic"] == -1).mean()) if len(result) else 0.0
    console.print(f"{len(found)} topics over {len(result)} rows ({outliers:.0%} outliers) -> {output}. {message}", highlight=False)


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
            try:  # topics first: the report shows them
                with terminal_bars(console, quiet) as progress:
                    result = pipeline.build_month_report(settings, month, progress=progress, **options)
            except pipeline.TopicsError as exc:
                fail(str(exc))
                return
            show(result)
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
