"""Operations commands: the privacy operations (forget, purge), the monthly schedule and the fleet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from feedback_analysis.cli.common import (
    ConfigOption,
    DataDirOption,
    SchedulerOption,
    _no_traceback,
    _settings,
    app,
    console,
    fail,
)

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
        volumes = fleet.municipality_volumes(municipalities)  # measured while the cluster starts
        with fleet.cluster_client(scheduler, workers) as client, _no_traceback("fleet"):
            results = fleet.run_fleet(municipalities, client, notebook=notebook.resolve() if notebook else None,
                                      lang=lang, timeout=timeout, on_done=done, volumes=volumes)
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
