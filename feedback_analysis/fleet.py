"""A region's municipalities on a Dask cluster: each one's new exports ingested, scored and reported.

A fleet file (YAML) lists the municipalities; paths in it are relative to the file::

    municipalities:
      - name: Denderbeke
        data: denderbeke/data                     # its data folder (store, scores, topics, salt)
        config: denderbeke/feedback_analysis.yaml # its settings (taxonomy, time zone, language...)
        raw: denderbeke/raw                       # where its exports arrive (default: <data>/raw)
        reports: denderbeke/reports               # its reports (default: <data>/reports)

:func:`update_municipality` is the whole job for one municipality (ingest the exports not seen
before, enrich, topics, pending reports); :func:`run_fleet` runs it for every municipality as one
task each on a Dask cluster and returns one :class:`MunicipalityResult` each, failures included.
Nothing is shared between municipalities but the code: every path comes from the municipality's own
entry, and settings are built from its own config file only (not the working folder's, not the
environment's data folder).

The same cluster scores a large store: :func:`cluster_scorer` gives ``pipeline.enrich`` a way to
score month partitions in parallel.

How the cluster's cores are shared: a worker takes its first municipality as soon as it has joined
and imports the stages that task needs as it goes (``warm=False``, the default: warming every worker
first kept both cores waiting for the slowest; ``warm=True`` still warms every worker before the first
task, :func:`warm_worker`, once per worker of a long-lived cluster); the largest municipalities start first, so a big one does not run alone at the end; and a task's inner work
(ingest's cleaning processes, scoring processes for a large month, topic fits side by side) uses the
worker's share of its machine's cores, ``cores // worker threads on that machine`` (``parallel.processes``
in the settings; a municipality's own config wins), so two workers on two cores do not each start a
process per core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from feedback_analysis.config import ConfigError, Settings, load_settings
from feedback_analysis.fleet_workers import warm_workers, worker_share, worker_threads_per_host
from feedback_analysis.store import manifest
from feedback_analysis.store.layout import DataFolder

# Top-level entries of a raw folder that are exports (folders too: an unpacked DYI archive).
EXPORT_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt", ".xlsx", ".zip")
# A month partition larger than this is scored in pieces, so one busy month does not stall the cluster.
PART_ROWS = 20_000
ENTRY_KEYS = {"name", "data", "config", "raw", "reports"}
# How long to keep trying to reach a given scheduler.
CONNECT_TIMEOUT = "20s"


class FleetError(ValueError):
    """The fleet file cannot be used; the message names the file and the problem."""


class ClusterError(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached; the message says which."""


@dataclass(frozen=True)
class Municipality:
    """One entry of the fleet file, with absolute paths."""

    name: str
    data_dir: Path
    config: Path
    raw_dir: Path
    reports_dir: Path


@dataclass
class MunicipalityResult:
    """What the job did for one municipality. ``error`` is one line, prefixed by the stage that failed."""

    name: str
    rows: int = 0
    new_rows: int = 0
    exports: int = 0
    built: int = 0
    skipped: int = 0
    error: str | None = None
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: ingest, enrich, report
    cpu_seconds: float = 0.0  # CPU time of the process that ran the job, while it ran
    child_cpu_seconds: float = 0.0  # CPU time of the processes it started and ended (report kernel, pools)
    processes: int = 0  # the inner processes it was allowed (parallel.processes; 0: one per core)
    worker: str = ""  # the Dask worker that ran it (empty outside a cluster)

    @property
    def ok(self) -> bool:
        return self.error is None


# --- the fleet file -------------------------------------------------------------------------------

def load_fleet(path: Path) -> list[Municipality]:
    """The municipalities of a fleet file. Raises :class:`FleetError` (one line) when the file is
    unreadable, an entry lacks ``name``, ``data`` or ``config``, has an unknown key, or two entries
    share a name or a folder (their data would mix)."""
    path = Path(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FleetError(f"{path}: fleet file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = (str(exc).splitlines() or [""])[0]
        raise FleetError(f"{path}: cannot read the fleet file ({exc.__class__.__name__}: {first})") from None
    entries = loaded.get("municipalities") if isinstance(loaded, dict) else None
    if not isinstance(entries, list) or not entries:
        raise FleetError(f"{path}: expected a list under 'municipalities:' with name, data and config for each")
    base = path.resolve().parent
    fleet = [_municipality(path, base, number, entry) for number, entry in enumerate(entries, start=1)]
    seen: dict[str, str] = {}
    for item in fleet:
        for kind, value in (("name", item.name.casefold()), ("data folder", str(item.data_dir)),
                            ("raw folder", str(item.raw_dir)), ("reports folder", str(item.reports_dir))):
            if (kind, value) in seen:
                raise FleetError(f"{path}: {item.name} and {seen[kind, value]} share a {kind} ({value}); "
                                 "every municipality needs its own")
            seen[kind, value] = item.name
    return fleet


def _municipality(path: Path, base: Path, number: int, entry: Any) -> Municipality:
    where = f"{path}: municipality {number}"
    if not isinstance(entry, dict):
        raise FleetError(f"{where}: expected a mapping with name, data and config")
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise FleetError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}; use {', '.join(sorted(ENTRY_KEYS))}")
    missing = [key for key in ("name", "data", "config") if not entry.get(key)]
    if missing:
        raise FleetError(f"{where}: missing {', '.join(missing)}")

    def folder(key: str, default: Path | None = None) -> Path:
        value = entry.get(key)
        return (base / Path(str(value)).expanduser()).resolve() if value else default  # type: ignore[return-value]

    data_dir = folder("data")
    return Municipality(name=str(entry["name"]), data_dir=data_dir, config=folder("config"),
                        raw_dir=folder("raw", data_dir / "raw"), reports_dir=folder("reports", data_dir / "reports"))


def municipality_settings(item: Municipality, processes: int | None = None) -> Settings:
    """Settings from the municipality's own config file, with its data and reports folders.

    The environment's ``FEEDBACK_ANALYSIS_DATA_DIR`` is ignored. The config must name the municipality
    (the report notebook reads the name from it). ``processes`` (the worker's share of the cores) becomes
    ``parallel.processes`` and ``ingest.workers`` where the config leaves them at 0; without it ingest
    runs on one core: the cluster already runs municipalities side by side."""
    settings = load_settings(item.config, data_dir=item.data_dir, environ={})
    if "municipality" not in (yaml.safe_load(item.config.read_text(encoding="utf-8")) or {}):
        raise ConfigError(f"{item.config}: does not name the municipality; add `municipality: {item.name}`")
    changes: dict[str, Any] = {"reports_dir": item.reports_dir}
    if not settings.ingest.workers:
        changes["ingest"] = dataclasses.replace(settings.ingest, workers=processes or 1)
    if processes and not settings.parallel.processes:
        changes["parallel"] = dataclasses.replace(settings.parallel, processes=processes)
    return dataclasses.replace(settings, **changes)


# --- new exports ----------------------------------------------------------------------------------

def _fingerprint(path: Path) -> str:
    """Names, sizes and modification times of the export's files: changes when a file is replaced."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha1()
    for file in files:
        stat = file.stat()
        digest.update(f"{file.relative_to(path.parent)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def export_entries(raw_dir: Path) -> list[Path]:
    """The exports in a raw folder: its export files and its sub-folders (an unpacked archive or a
    folder of exports), not column mappings or hidden files."""
    if not raw_dir.is_dir():
        return []
    return sorted(p for p in raw_dir.iterdir() if not p.name.startswith(".") and
                  (p.is_dir() or (p.suffix.lower() in EXPORT_SUFFIXES and not p.name.endswith(".columns.yaml"))))


def read_manifest(settings: Settings) -> dict[str, str]:
    """Exports already ingested (name in the raw folder -> fingerprint); empty when none."""
    return manifest.read_manifest(settings)


def new_exports(settings: Settings, raw_dir: Path) -> dict[Path, str]:
    """Exports of the raw folder that are new or changed since they were last ingested, with their fingerprint."""
    done = read_manifest(settings)
    found = {entry: _fingerprint(entry) for entry in export_entries(raw_dir)}
    return {entry: mark for entry, mark in found.items() if done.get(entry.name) != mark}


def _record_exports(settings: Settings, ingested: dict[Path, str]) -> None:
    manifest.write_manifest(settings, read_manifest(settings) | {entry.name: mark for entry, mark in ingested.items()})


def _failed_exports(report, entries: list[Path]) -> set[Path]:
    """The exports that had a file the ingest could not read (they are tried again next run)."""
    failed = set()
    for summary in report.files:
        if summary.error:
            for entry in entries:
                if summary.file == str(entry) or summary.file.startswith((f"{entry}/", f"{entry}!")):
                    failed.add(entry)
    return failed


# --- one municipality -----------------------------------------------------------------------------

def _one_line(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0]
    return first if isinstance(exc, (ConfigError, ValueError, OSError)) and first else f"{exc.__class__.__name__}: {first}"


def update_municipality(item: Municipality, *, notebook: Path | None = None, lang: str | None = None,
                        timeout: int | None = None, notify: Callable[[str], None] = lambda message: None,
                        score_parts: Callable | None = None, processes: int | None = None) -> MunicipalityResult:
    """The whole job for one municipality: ingest the exports of its raw folder that are new or
    changed, score the store (``pipeline.enrich``), model the topics and build the pending reports
    (``pipeline.build_pending_reports``, what ``report --pending`` does).

    Never raises for a failure of the municipality's data or settings: the first one is in
    ``error`` (``"ingest: ..."``, ``"report 2026-10 failed: ..."``). An export that cannot be read
    does not stop the rest of its municipality's job; it is tried again on the next run.
    ``processes``: the inner processes the job may start (see :func:`municipality_settings`)."""
    import resource
    import time

    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = _update(item, notebook=notebook, lang=lang, timeout=timeout, notify=notify, score_parts=score_parts,
                     processes=processes)
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu_seconds, result.child_cpu_seconds = (
        round(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime, 2) for start, end in zip(before, after))
    result.seconds = time.monotonic() - started
    return result


def _update(item: Municipality, *, notebook, lang, timeout, notify, score_parts, processes) -> MunicipalityResult:
    import time

    from feedback_analysis import pipeline

    result = MunicipalityResult(item.name)
    errors: list[str] = []
    try:
        settings = municipality_settings(item, processes)
    except (ConfigError, OSError, yaml.YAMLError) as exc:
        result.error = f"config: {_one_line(exc)}"
        return result
    result.processes = settings.parallel.processes
    stage, mark = "ingest", time.monotonic()

    def next_stage(name: str) -> str:
        nonlocal mark
        now = time.monotonic()
        result.stages[stage] = round(now - mark, 1)
        mark = now
        return name

    try:
        if not item.raw_dir.is_dir():
            errors.append(f"ingest: {item.raw_dir}: raw folder not found")
        todo = new_exports(settings, item.raw_dir)
        result.exports = len(todo)
        if todo:
            report = pipeline.ingest(list(todo), settings, notify=notify)
            failed = _failed_exports(report, list(todo))
            _record_exports(settings, {entry: mark for entry, mark in todo.items() if entry not in failed})
            errors += [f"ingest: {message}" for message in report.errors]
            totals = report.totals()
            result.new_rows = totals.stored + totals.updated
        stage = next_stage("enrich")
        result.rows = pipeline.enrich(settings, notify=notify, score_parts=score_parts).rows
        if result.rows:
            stage = next_stage("report")
            options: dict[str, Any] = {"lang": lang, "config_path": item.config, "notify": notify}
            if notebook is not None:
                options["notebook"] = Path(notebook)
            if timeout is not None:
                options["timeout"] = timeout
            done = pipeline.build_pending_reports(settings, **options)
            result.built = sum(r.status == "built" for r in done.results)
            result.skipped = sum(r.status == "skipped" for r in done.results)
            errors += [(str(failure).splitlines() or [""])[0] for failure in done.failures]
    except pipeline.TopicsError as exc:
        errors.append(_one_line(exc))
    except Exception as exc:  # noqa: BLE001 - one municipality's failure must not stop the others
        errors.append(f"{stage}: {_one_line(exc)}")
    next_stage("")
    result.error = errors[0] if errors else None
    if len(errors) > 1:
        result.error += f" (and {len(errors) - 1} more)"
    return result


# --- the cluster ----------------------------------------------------------------------------------

def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError("Dask distributed is not installed: pip install 'dask[distributed]'") from None
    return distributed


@contextlib.contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None, *,
                   processes: bool = True, warm: bool = False) -> Iterator[Any]:
    """A Dask client: on the scheduler at ``scheduler`` (``tcp://host:8786``), else on a
    ``LocalCluster`` of ``workers`` (default 2) single-threaded workers on this machine, listening on
    localhost only, closed on the way out. ``processes=False`` keeps the workers in this process (tests).
    ``warm``: every worker imports the stages once before the client is handed out (:func:`warm_workers`;
    a worker already warmed by an earlier run is not warmed again). By default the workers import what
    their first task needs as it runs, so no core waits for another worker's warm-up.

    Workers are not daemons, so ingest may still start its own process pool when a config asks for it."""
    distributed = _distributed()
    import dask

    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {_one_line(exc)}") from None
        with client:
            try:  # tasks would wait for ever on a scheduler without workers
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise ClusterError(f"the Dask scheduler at {scheduler} has no workers (start some with "
                                   f"`dask worker {scheduler} --nthreads 1`)") from None
            if warm:
                warm_workers(client)
            yield client
        return
    with dask.config.set({"distributed.worker.daemon": False, "distributed.admin.system-monitor.gil.enabled": False}):
        cluster = distributed.LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=processes,
                                           host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                                           protocol="tcp")
        with cluster, distributed.Client(cluster) as client:
            if warm:
                warm_workers(client)
            yield client


def municipality_volume(item: Municipality) -> int:
    """Bytes in the municipality's raw folder and store: how long its job will take, roughly (0 when
    this machine cannot see its folders)."""
    total = 0
    for folder in (item.raw_dir, DataFolder.of(item.data_dir).posts):
        try:
            total += sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        except OSError:
            continue
    return total


def _municipality_task(item: Municipality, threads_on_host: dict[str, int], **options) -> MunicipalityResult:
    from distributed import get_worker

    result = update_municipality(item, processes=worker_share(threads_on_host), **options)
    result.worker = get_worker().address
    return result


def _cluster_workers(client) -> dict[str, dict]:
    """The cluster's workers (address -> ``host``, ``nthreads`` ...), all of them."""
    try:
        return client.scheduler_info(n_workers=-1)["workers"]  # recent Dask lists only five unless asked
    except TypeError:  # older Dask: takes no argument and lists them all
        return client.scheduler_info()["workers"]


def municipality_volumes(fleet: list[Municipality]) -> Future:
    """:func:`municipality_volume` of every municipality, measured in a thread (dozens of folders take
    a while to walk): start it before the cluster starts, hand the future to :func:`run_fleet`."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="fleet-volumes")
    try:
        return pool.submit(lambda: [municipality_volume(item) for item in fleet])
    finally:
        pool.shutdown(wait=False)  # the thread ends when the volumes are measured


def run_fleet(fleet: list[Municipality], client, *, notebook: Path | None = None, lang: str | None = None,
              timeout: int | None = None, on_done: Callable[[MunicipalityResult], None] = lambda result: None,
              volumes: Future | list[int] | None = None) -> list[MunicipalityResult]:
    """Run :func:`update_municipality` for every municipality, one task each on ``client``'s cluster,
    each with its worker's share of the cores (:func:`worker_share`).

    The largest municipalities (:func:`municipality_volume`) go first, and a task is handed to the
    cluster only when a worker thread is free: the scheduler would otherwise place every task at once,
    not knowing how long they take, and one worker could be left with a queue while another idles.
    Results come back in the fleet file's order; ``on_done`` is called as each one finishes. A task
    that dies (its worker was lost) is reported as that municipality's failure. ``volumes``: the
    municipalities' volumes when measured already (:func:`municipality_volumes`)."""
    distributed = _distributed()
    if volumes is None:
        volumes = [municipality_volume(item) for item in fleet]
    elif isinstance(volumes, Future):
        volumes = volumes.result()
    waiting = sorted(range(len(fleet)), key=lambda number: -volumes[number])  # stable: ties keep the file's order
    running = distributed.as_completed()
    numbers: dict[str, int] = {}

    def hand_out() -> None:
        workers = _cluster_workers(client)
        free = max(1, sum(int(info.get("nthreads") or 1) for info in workers.values())) - running.count()
        for _ in range(min(free, len(waiting))):
            number = waiting.pop(0)
            item = fleet[number]
            key = f"municipality-{item.name}-{hashlib.sha1(str(item.data_dir).encode()).hexdigest()[:8]}"
            future = client.submit(_municipality_task, item, worker_threads_per_host(workers), notebook=notebook,
                                   lang=lang, timeout=timeout, key=key, pure=False)
            numbers[future.key] = number
            running.add(future)

    hand_out()
    results: dict[int, MunicipalityResult] = {}
    for future in running:
        number = numbers[future.key]
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker, an unpicklable result
            result = MunicipalityResult(fleet[number].name, error=f"cluster: {_one_line(exc)}")
        results[number] = result
        hand_out()
        on_done(result)
    return [results[number] for number in range(len(fleet))]


# --- one large store on the cluster ---------------------------------------------------------------

def _score_part(scorer, part: pd.DataFrame) -> pd.DataFrame:
    return scorer.score(part)


def cluster_scorer(client, part_rows: int = PART_ROWS) -> Callable:
    """A ``score_parts`` for ``pipeline.enrich``: scores each month partition (in pieces of at most
    ``part_rows`` rows) as a task on ``client``'s cluster and returns the scored rows in input order.
    The scorer is sent to every worker once."""

    def score_parts(scorer, rows: pd.DataFrame) -> pd.DataFrame:
        if rows.empty:
            return scorer.score(rows.drop(columns=["month"]))
        parts = []
        for _, month in rows.groupby("month", sort=True, observed=True, dropna=False):
            for start in range(0, len(month), part_rows):
                parts.append(month.iloc[start:start + part_rows].drop(columns=["month"]))
        shared = client.scatter(scorer, broadcast=True)
        futures = client.map(_score_part, [shared] * len(parts), parts, pure=False)
        scored = pd.concat(client.gather(futures), ignore_index=False)
        return scored.loc[rows.index]

    return score_parts
