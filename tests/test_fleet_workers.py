"""How a fleet's tasks share the cluster: the cores a task may use, the order of the tasks, the
settings that carry the share into ingest, scoring and topics (see ``feedback_analysis.fleet_workers``).
The warm-up of the workers is checked on the real cluster of ``test_fleet.py``."""

from __future__ import annotations

import concurrent.futures
import dataclasses
from pathlib import Path

import pytest

from feedback_analysis import fleet, fleet_workers, pipeline
from feedback_analysis.config import ConfigError, load_settings
from feedback_analysis.sample import write_sample_exports
from feedback_analysis.scoring import Scorer


def test_workers_on_one_machine_share_its_cores():
    workers = {"tcp://10.0.0.1:1": {"host": "10.0.0.1", "nthreads": 1},
               "tcp://10.0.0.1:2": {"host": "10.0.0.1", "nthreads": 1},
               "tcp://10.0.0.2:1": {"host": "10.0.0.2", "nthreads": 3}}
    assert fleet_workers.worker_threads_per_host(workers) == {
        "tcp://10.0.0.1:1": 2, "tcp://10.0.0.1:2": 2, "tcp://10.0.0.2:1": 3}


def test_a_task_outside_a_known_worker_starts_no_extra_processes():
    pytest.importorskip("distributed")
    assert fleet_workers.worker_share({"tcp://10.0.0.1:1": 1}) == 1  # not on a worker at all


def test_usable_cores_is_at_most_the_affinity():
    import os

    assert 1 <= fleet_workers.usable_cores() <= len(os.sched_getaffinity(0))


def _item(tmp_path: Path, config: str) -> fleet.Municipality:
    path = tmp_path / "a.yaml"
    path.write_text(config, encoding="utf-8")
    return fleet.Municipality("Aalter", tmp_path / "data", path, tmp_path / "raw", tmp_path / "reports")


def test_share_becomes_the_settings_unless_the_config_sets_them(tmp_path):
    settings = fleet.municipality_settings(_item(tmp_path, "municipality: Aalter\n"), processes=3)
    assert (settings.ingest.workers, settings.parallel.processes) == (3, 3)
    settings = fleet.municipality_settings(_item(tmp_path, "municipality: Aalter\n"))
    assert (settings.ingest.workers, settings.parallel.processes) == (1, 0)  # not on a cluster: as before
    own = "municipality: Aalter\ningest: {workers: 2}\nparallel: {processes: 1}\n"
    settings = fleet.municipality_settings(_item(tmp_path, own), processes=4)
    assert (settings.ingest.workers, settings.parallel.processes) == (2, 1)


def test_parallel_processes_is_a_checked_setting(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("parallel: {processes: -1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="parallel.processes must be a whole number"):
        load_settings(path, environ={})
    path.write_text("parallel: {procs: 2}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean 'processes'"):
        load_settings(path, environ={})
    assert load_settings(None, environ={}).parallel.processes == 0


@pytest.fixture
def three_months(settings, tmp_path):
    write_sample_exports(tmp_path / "raw", end_month="2026-10", months=3, posts_per_month=15, seed=4)
    pipeline.ingest([tmp_path / "raw"], settings)
    return settings


def test_enrich_and_topics_start_at_most_the_configured_processes(three_months, monkeypatch):
    settings = dataclasses.replace(three_months, parallel=dataclasses.replace(three_months.parallel, processes=1))
    built = []
    default = Scorer.for_municipality

    def keep(*args, **kwargs):
        built.append(default(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(Scorer, "for_municipality", keep)
    assert pipeline.enrich(settings).scored > 0
    assert built[0].workers == 1 and built[0].worker_count(10**6) == 1

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started against parallel.processes: 1")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    from feedback_analysis.stages.topics import update_topics

    assert [r.month for r in update_topics(settings, "2026-10")] == ["2026-08", "2026-09", "2026-10"]


def test_enrich_without_the_setting_keeps_one_process_per_core(three_months, monkeypatch):
    built = []
    default = Scorer.for_municipality
    monkeypatch.setattr(Scorer, "for_municipality", lambda *a, **k: built.append(default(*a, **k)) or built[-1])
    pipeline.enrich(three_months)
    assert built[0].workers is None


def test_municipality_volume_counts_raw_and_store_bytes(tmp_path):
    item = fleet.Municipality("A", tmp_path / "data", tmp_path / "a.yaml", tmp_path / "raw", tmp_path / "reports")
    assert fleet.municipality_volume(item) == 0  # folders not there (yet, or not on this machine)
    (tmp_path / "raw" / "dyi").mkdir(parents=True)
    (tmp_path / "raw" / "dyi" / "posts.json").write_bytes(b"x" * 100)
    (tmp_path / "data" / "processed" / "posts").mkdir(parents=True)
    (tmp_path / "data" / "processed" / "posts" / "part.parquet").write_bytes(b"x" * 20)
    assert fleet.municipality_volume(item) == 120


def test_largest_municipalities_run_first(tmp_path):
    """One single-threaded worker in this process takes the tasks one at a time: the biggest raw
    folder first, ties in the fleet file's order. The configs are missing, so each task ends at once."""
    pytest.importorskip("distributed")
    entries = []
    for name, size in (("Small", 10), ("Large", 5000), ("Medium", 500), ("Other", 500)):
        raw = tmp_path / name.lower() / "raw"
        raw.mkdir(parents=True)
        (raw / "posts.csv").write_bytes(b"x" * size)
        entries.append(fleet.Municipality(name, tmp_path / name.lower() / "data", tmp_path / f"{name}.yaml", raw,
                                          tmp_path / name.lower() / "reports"))
    finished = []
    with fleet.cluster_client(workers=1, processes=False, warm=False) as client:
        results = fleet.run_fleet(entries, client, on_done=lambda result: finished.append(result.name))
    assert finished == ["Large", "Medium", "Other", "Small"]
    assert [r.name for r in results] == ["Small", "Large", "Medium", "Other"]  # the file's order
    assert all(r.error.startswith("config:") and r.cpu_seconds >= 0 and r.worker.startswith("tcp://") for r in results)


def test_volumes_measured_beside_the_cluster_order_the_tasks_alike(tmp_path):
    """The volumes measured in a thread while the cluster starts (what ``fleet run`` does) give the
    order of measuring them in ``run_fleet``; a worker of the default cluster is not warmed first."""
    pytest.importorskip("distributed")
    entries = []
    for name, size in (("Small", 10), ("Large", 5000), ("Medium", 500)):
        raw = tmp_path / name.lower() / "raw"
        raw.mkdir(parents=True)
        (raw / "posts.csv").write_bytes(b"x" * size)
        entries.append(fleet.Municipality(name, tmp_path / name.lower() / "data", tmp_path / f"{name}.yaml", raw,
                                          tmp_path / name.lower() / "reports"))
    volumes = fleet.municipality_volumes(entries)
    assert volumes.result() == [fleet.municipality_volume(item) for item in entries] == [10, 5000, 500]
    finished = []
    with fleet.cluster_client(workers=1, processes=False) as client:
        results = fleet.run_fleet(entries, client, volumes=volumes, on_done=lambda result: finished.append(result.name))
        plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert finished == ["Large", "Medium", "Small"] and [r.name for r in results] == ["Small", "Large", "Medium"]
    assert all(fleet_workers.WARM_PLUGIN not in names for names in plugins.values())


FINISHED: list[str] = []  # tasks of the in-process workers below record here (a module global: shared)


def _slow_task(item, threads_on_host, **options):
    import time

    time.sleep(0.3)
    FINISHED.append(item.name)
    return fleet.MunicipalityResult(item.name)


def test_a_task_is_handed_out_only_when_a_worker_thread_is_free(tmp_path, monkeypatch):
    """Two single-threaded workers: never more than two municipalities on the cluster at once (the
    scheduler would otherwise place all of them at the start, some behind a long one)."""
    pytest.importorskip("distributed")
    finished = FINISHED
    finished.clear()
    monkeypatch.setattr(fleet, "_municipality_task", _slow_task)
    entries = [fleet.Municipality(f"M{n}", tmp_path / f"m{n}", tmp_path / f"m{n}.yaml", tmp_path / f"m{n}" / "raw",
                                  tmp_path / f"m{n}" / "reports") for n in range(5)]
    outstanding = []
    with fleet.cluster_client(workers=2, processes=False, warm=False) as client:

        class Counting:
            def __getattr__(self, name):
                return getattr(client, name)

            def submit(self, *args, **kwargs):
                outstanding.append(len(outstanding) + 1 - len(finished))
                return client.submit(*args, **kwargs)

        results = fleet.run_fleet(entries, Counting())
    assert [r.name for r in results] == [e.name for e in entries] and sorted(finished) == [e.name for e in entries]
    assert len(outstanding) == 5 and max(outstanding) <= 2
