"""A region on Dask: 6 generated municipalities, the whole monthly job, on 1 and on 2 workers.

For each worker count the municipalities start from the same fresh copy (raw exports and a config
each, no store), a LocalCluster of single-threaded worker processes is started (timed and printed apart;
by default, as in `fleet run`, each worker imports the stages in its first task; with `--warm` every
worker imports them as it joins, `fleet_workers.warm_workers`, which is then part of the start), and the
time of `fleet.run_fleet` (ingest, scores, topics, pending reports with the real report notebook) is
taken. Prints both times, the speed-up (target >= 1.7x on 2 cores), the speed-up with the cluster's start
included, and the load average around each run: other work on the machine takes cores away from the
second worker (and with Linux's autogroup scheduling a session's processes share one session's part
of the CPU, so on a busy shared machine a second worker gains little wall time: compare the CPU
figures). Per task it prints the worker, start and end, wall and CPU seconds (the worker's own and
that of the processes it started: the report kernel), and the speed-up by CPU (the 1-worker run's CPU
over the busiest of the 2 workers' CPU): what an idle machine shows when the tasks are CPU-bound.

    .venv/bin/python benchmarks/bench_fleet.py --detail   # each task's worker, time line, wall and CPU

    .venv/bin/python benchmarks/bench_fleet.py [--posts 300] [--months 1] [--municipalities 6] [--warm]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from feedback_analysis.sample import write_sample_exports

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import publish  # noqa: E402

MONTH = "2026-10"
NAMES = ["Aalter", "Beveren", "Dilsen", "Essen", "Geel", "Hamme", "Lille", "Mol"]


def make_region(root: Path, count: int, posts: int, months: int) -> Path:
    entries = []
    for number, name in enumerate(NAMES[:count]):
        folder = root / name.lower()
        folder.mkdir(parents=True)
        (folder / "feedback_analysis.yaml").write_text(f"municipality: {name}\n", encoding="utf-8")
        write_sample_exports(folder / "raw", end_month=MONTH, months=months, posts_per_month=posts,
                             seed=100 + number, municipality=name)
        entries.append({"name": name, "data": f"{name.lower()}/data", "config": f"{name.lower()}/feedback_analysis.yaml",
                        "raw": f"{name.lower()}/raw", "reports": f"{name.lower()}/reports"})
    path = root / "fleet.yaml"
    path.write_text(yaml.safe_dump({"municipalities": entries}, sort_keys=False), encoding="utf-8")
    return path


def run(template: Path, workers: int, detail: bool, warm: bool = False) -> tuple[float, float, float]:
    """Seconds of the fleet run, of the cluster's start (warm-up included with ``warm``) and of the
    busiest worker's CPU (its tasks' own and their processes') on ``workers`` workers."""
    from feedback_analysis import fleet

    with tempfile.TemporaryDirectory(prefix=f"fleet-{workers}w-") as tmp:
        root = Path(tmp) / "region"
        shutil.copytree(template, root)
        municipalities = fleet.load_fleet(root / "fleet.yaml")
        begin = time.perf_counter()
        volumes = fleet.municipality_volumes(municipalities)
        with fleet.cluster_client(workers=workers, warm=warm) as client:
            client.wait_for_workers(workers)
            started = time.perf_counter() - begin
            load = os.getloadavg()[0]
            start = time.perf_counter()
            timeline: dict[str, tuple[float, float, str]] = {}
            results = fleet.run_fleet(municipalities, client, volumes=volumes, on_done=lambda r: timeline.__setitem__(
                r.name, (time.perf_counter() - start - r.seconds, time.perf_counter() - start, "")))
            elapsed = time.perf_counter() - start
        failed = [f"{r.name}: {r.error}" for r in results if not r.ok]
        if failed:
            raise SystemExit("fleet run failed: " + "; ".join(failed))
        rows = sum(r.rows for r in results)
        stages = {name: sum(r.stages.get(name, 0.0) for r in results) for name in ("ingest", "enrich", "report")}
        built = sum(r.built for r in results)
        cpu = sum(r.cpu_seconds + r.child_cpu_seconds for r in results)
        per_worker: dict[str, float] = {}
        for r in results:
            per_worker[r.worker] = per_worker.get(r.worker, 0.0) + r.cpu_seconds + r.child_cpu_seconds
        print(f"{workers} worker(s): {elapsed:6.1f} s for {len(results)} municipalities, {rows:,} rows, "
              f"{built} reports (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after); cluster start "
              f"{started:.1f} s; tasks' CPU {cpu:.1f} s, busiest worker's {max(per_worker.values()):.1f} s; "
              f"summed over municipalities: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in stages.items()),
              flush=True)
        if detail:
            for r in sorted(results, key=lambda r: timeline[r.name][0]):
                begin_at, end_at, _ = timeline[r.name]
                print(f"  {r.name:8s} {r.worker:22s} {begin_at:6.1f} -> {end_at:6.1f} s  wall {r.seconds:5.1f} s  "
                      f"CPU {r.cpu_seconds:5.1f} s + started processes {r.child_cpu_seconds:5.1f} s  "
                      f"inner processes {r.processes}", flush=True)
        return elapsed, started, max(per_worker.values())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300, help="top-level posts per month and municipality")
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--municipalities", type=int, default=6, choices=range(2, len(NAMES) + 1))
    parser.add_argument("--detail", action="store_true", help="print each task's worker time line, wall and CPU")
    parser.add_argument("--warm", action="store_true", help="warm every worker before the first task (part of the start)")
    args = parser.parse_args(argv)
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("skipped: Dask distributed is not installed (pip install 'dask[distributed]')")
        return 0
    with tempfile.TemporaryDirectory(prefix="fleet-template-") as tmp:
        template = Path(tmp)
        make_region(template, args.municipalities, args.posts, args.months)
        print(f"{args.municipalities} municipalities x {args.months} month(s) x {args.posts} posts; "
              f"{os.cpu_count()} cores", flush=True)
        load = os.getloadavg()[0]
        one, one_start, one_cpu = run(template, 1, args.detail, args.warm)
        two, two_start, two_cpu = run(template, 2, args.detail, args.warm)
    print(f"speed-up with 2 workers: {one / two:.2f}x (target >= 1.7x); with the cluster's start included: "
          f"{(one + one_start) / (two + two_start):.2f}x; by CPU (1 worker's CPU / the busiest of 2 workers' CPU, "
          f"what an idle machine would show): {one_cpu / two_cpu:.2f}x")
    publish("fleet", ["region", "1 worker", "2 workers", "speed-up", "cluster start (1 / 2 workers)",
                      "speed-up, start included"],
            [[f"{args.municipalities} generated municipalities, {args.months} month(s) x {args.posts} posts",
              f"{one:.1f} s", f"{two:.1f} s", f"{one / two:.2f}×", f"{one_start:.1f} s / {two_start:.1f} s",
              f"{(one + one_start) / (two + two_start):.2f}×"]],
            load=load, note="A LocalCluster on this machine; ingest, enrich and `report --pending` per municipality. "
                            "Each worker imports the stages in its first task (in the times), as `fleet run` does.",
            write=(args.posts, args.months, args.municipalities) == (300, 1, 6) and not args.warm)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
