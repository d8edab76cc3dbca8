"""A region on Dask: 6 generated municipalities, the whole monthly job, on 1 and on 2 workers.

For each worker count the municipalities start from the same fresh copy (raw exports and a config
each, no store), a LocalCluster of single-threaded worker processes is started, and the time of
`fleet.run_fleet` (ingest, scores, topics, pending reports with the real report notebook) is taken.
Prints both times, the speed-up (target >= 1.7x on 2 cores) and the load average around each run:
other work on the machine takes cores away from the second worker.

    .venv/bin/python benchmarks/bench_fleet.py [--posts 300] [--months 1] [--municipalities 6]
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


def run(template: Path, workers: int) -> float:
    from feedback_analysis import fleet

    with tempfile.TemporaryDirectory(prefix=f"fleet-{workers}w-") as tmp:
        root = Path(tmp) / "region"
        shutil.copytree(template, root)
        municipalities = fleet.load_fleet(root / "fleet.yaml")
        with fleet.cluster_client(workers=workers) as client:
            client.wait_for_workers(workers)
            load = os.getloadavg()[0]
            start = time.perf_counter()
            results = fleet.run_fleet(municipalities, client)
            elapsed = time.perf_counter() - start
        failed = [f"{r.name}: {r.error}" for r in results if not r.ok]
        if failed:
            raise SystemExit("fleet run failed: " + "; ".join(failed))
        rows = sum(r.rows for r in results)
        stages = {name: sum(r.stages.get(name, 0.0) for r in results) for name in ("ingest", "enrich", "report")}
        built = sum(r.built for r in results)
        print(f"{workers} worker(s): {elapsed:6.1f} s for {len(results)} municipalities, {rows:,} rows, "
              f"{built} reports (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after); summed over "
              f"municipalities: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in stages.items()), flush=True)
        return elapsed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300, help="top-level posts per month and municipality")
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--municipalities", type=int, default=6, choices=range(2, len(NAMES) + 1))
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
        one = run(template, 1)
        two = run(template, 2)
    print(f"speed-up with 2 workers: {one / two:.2f}x (target >= 1.7x)")
    publish("fleet", ["region", "1 worker", "2 workers", "speed-up"],
            [[f"{args.municipalities} generated municipalities, {args.months} month(s) x {args.posts} posts",
              f"{one:.1f} s", f"{two:.1f} s", f"{one / two:.2f}×"]],
            load=load, note="A LocalCluster on this machine; ingest, enrich and `report --pending` per municipality.",
            write=(args.posts, args.months, args.municipalities) == (300, 1, 6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
