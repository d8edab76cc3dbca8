"""The workers of a fleet's Dask cluster: optionally warmed once when they join, and sharing their
machine's cores.

A municipality's task imports the scoring, topic and report stages (BERTopic, papermill, nbconvert:
seconds of CPU in a fresh process). By default a worker does that in its first task, as the task needs
them. :func:`warm_workers` has every worker do it once before any task runs (a worker plugin, not run
again on a worker that has it), so that the first task of each worker is as fast as the others; the
price is that every core waits for the slowest warm-up.

A task's inner work (ingest's cleaning processes, scoring processes for a large month, topic fits side
by side) gets :func:`worker_share` processes: the machine's cores divided by the task threads of the
cluster's workers on that machine. One worker on a two-core machine may use both cores; two workers
there get one each instead of both starting a process per core.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

# What a municipality's task imports (scoring, topics with BERTopic, the report runner with papermill
# and nbconvert): imported once per worker when it joins the cluster (:func:`warm_worker`).
WARM_MODULES = ("feedback_analysis.pipeline", "feedback_analysis.scoring", "feedback_analysis.threads",
                "feedback_analysis.stages.topics", "feedback_analysis.topics", "bertopic", "feedback_analysis.report",
                "papermill", "nbconvert", "nbclient", "jupyter_client")
WARM_PLUGIN = "feedback-analysis-warm"
WARMED = [0]  # warm-ups this process has run (a worker of a long-lived cluster: one)


def usable_cores() -> int:
    """CPU cores this process may use: its CPU affinity, lowered by a cgroup (container) CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def warm_worker() -> None:
    """Import what a municipality's task needs (:data:`WARM_MODULES`), then ingest and score a few
    generated posts in a temporary folder (deleted after), which imports and loads the rest on the way
    (table contracts, Parquet, the packaged scoring models), so that no task pays for it. Run by every
    worker when it joins the cluster; no municipality's data is touched."""
    import importlib
    import tempfile

    WARMED[0] += 1
    for name in WARM_MODULES:
        importlib.import_module(name)
    from feedback_analysis import pipeline
    from feedback_analysis.config import IngestSettings, Settings
    from feedback_analysis.sample import write_sample_exports

    with tempfile.TemporaryDirectory(prefix="feedback-analysis-warm-") as folder:
        write_sample_exports(Path(folder) / "raw", end_month="2026-10", months=1, posts_per_month=5, seed=1)
        # The packaged defaults (not the working folder's settings file), on one core.
        settings = Settings(municipality="Warm", data_dir=Path(folder) / "data", reports_dir=Path(folder) / "reports",
                            ingest=IngestSettings(workers=1))
        pipeline.ingest([Path(folder) / "raw"], settings)
        pipeline.enrich(settings)


def _warm_plugin():
    """A worker plugin that runs :func:`warm_worker` beside the worker's event loop (which keeps
    answering the scheduler); registering it waits until every worker is warm, and a worker that joins
    later is warmed when it joins."""
    import asyncio

    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmImports(WorkerPlugin):
        name = WARM_PLUGIN
        idempotent = True  # a long-lived cluster's workers are warmed by the first run only

        async def setup(self, worker):
            await asyncio.get_running_loop().run_in_executor(None, warm_worker)

    return WarmImports()


def warm_workers(client) -> None:
    """Warm every worker of ``client``'s cluster (and each that joins later): see :func:`warm_worker`.
    A warm-up that fails only costs time: the tasks import what they need themselves."""
    try:
        client.register_plugin(_warm_plugin(), name=WARM_PLUGIN)
    except Exception as exc:  # noqa: BLE001 - e.g. a worker without this package's optional extras
        from feedback_analysis.fleet import _one_line  # fleet imports this module: import it here

        logging.getLogger(__name__).warning("warming the Dask workers failed: %s", _one_line(exc))


def worker_threads_per_host(workers: dict[str, dict]) -> dict[str, int]:
    """For each worker (address -> its ``scheduler_info`` entry): the task threads of all workers on
    its machine. A task's share of the machine is ``usable_cores() // that``."""
    threads: dict[str, int] = {}
    for info in workers.values():
        threads[info["host"]] = threads.get(info["host"], 0) + int(info.get("nthreads") or 1)
    return {address: threads[info["host"]] for address, info in workers.items()}


def worker_share(threads_on_host: dict[str, int]) -> int:
    """Processes a task on this worker may use for its inner work: this machine's cores divided by the
    task threads of the cluster's workers on it (one when the worker was not known at submit time)."""
    from distributed import get_worker

    try:
        threads = threads_on_host.get(get_worker().address)
    except ValueError:  # not on a worker
        threads = None
    return max(1, usable_cores() // threads) if threads else 1
