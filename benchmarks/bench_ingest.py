"""Ingest throughput and peak memory on one machine (issue 11).

Prints, from generated data:

- rows into an empty store: a benchmark CSV of N rows (N = 200k and 1M by default), ingest alone
  and ingest followed by scoring (``enrich``);
- N/10 more rows (a second export over the same months, with copied texts) into that store, and the
  same rows into an empty store: the incremental ratio (target <= 1.3);
- DYI JSON and Graph API JSON (a feed page with nested comments and replies) of about 25 and 50 MB,
  streamed: peak memory should not grow with the file.

Every run is a fresh process; its peak memory is its own ``ru_maxrss`` ("main") and the largest of
the cleaning workers it started ("worker"). Targets: >= 20,000 rows/s ingest alone, >= 10,000 rows/s
with scoring, peak <= 1 GB.

    .venv/bin/python benchmarks/bench_ingest.py                 # 200k and 1M rows, DYI and Graph 25/50 MB
    .venv/bin/python benchmarks/bench_ingest.py --rows 200000 --no-scoring --no-dyi --no-graph
    .venv/bin/python benchmarks/bench_ingest.py --json-only     # the DYI and Graph rows alone
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from feedback_analysis.sample import write_benchmark_csv, write_benchmark_dyi_json
from feedback_analysis.sample.benchmark import write_benchmark_graph_json

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import publish  # noqa: E402

MAPPING = "post_id: id\nparent_id: parent\nauthor: author\ncreated_at: date\ntext: message\nreactions_like: likes\n"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def main():
    from feedback_analysis import pipeline
    from feedback_analysis.config import load_settings
    settings = load_settings(data_dir=Path(sys.argv[1]), environ={})
    result = {}
    start = time.perf_counter()
    if sys.argv[2] != "-":
        report = pipeline.ingest([Path(sys.argv[2])], settings)
        totals = report.totals()
        result.update(read=totals.read, stored=totals.stored, rows_after=report.rows_after, errors=report.errors)
    result["ingest_s"] = time.perf_counter() - start
    if sys.argv[3] == "score":
        start = time.perf_counter()
        pipeline.enrich(settings)
        result["enrich_s"] = time.perf_counter() - start
    result["main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))

if __name__ == "__main__":  # the cleaning workers are spawned: they import this file again
    main()
"""


def run_child(workdir: Path, data_dir: Path, path: Path | None, score: bool = False) -> dict:
    script = workdir / "ingest_child.py"
    if not script.exists():
        script.write_text(CHILD)
    output = subprocess.run([sys.executable, str(script), str(data_dir), str(path) if path else "-", "score" if score else "-"],
                            capture_output=True, text=True)
    if output.returncode:
        raise SystemExit(f"benchmark child failed:\n{output.stderr[-2000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def write_csv(folder: Path, name: str, rows: int, seed: int) -> Path:
    path = write_benchmark_csv(folder / f"{name}.csv", rows, seed=seed)
    path.with_suffix(".columns.yaml").write_text(MAPPING)
    return path


def peak(result: dict) -> str:
    return f"{result['main_mb']:,.0f} / {result['worker_mb']:,.0f}"


def bench_rows(rows: int, tmp: Path, score: bool) -> list[str]:
    """Table lines for ``rows`` into an empty store and ``rows // 10`` more into it."""
    lines = []
    base = write_csv(tmp, f"base_{rows}", rows, seed=0)
    more = write_csv(tmp, f"more_{rows}", rows // 10, seed=1)
    store = tmp / f"store_{rows}"
    first = run_child(tmp, store, base)
    rate = first["read"] / first["ingest_s"]
    lines.append(f"| ingest, {rows:,} rows into an empty store | {first['ingest_s']:.1f} s | {rate:,.0f} rows/s | {peak(first)} MB |")
    if score:
        scored = run_child(tmp, store, None, score=True)
        total = first["ingest_s"] + scored["enrich_s"]
        lines.append(f"| ingest + scoring, {rows:,} rows | {total:.1f} s (scoring {scored['enrich_s']:.1f} s) | "
                     f"{rows / total:,.0f} rows/s | {peak(scored)} MB (scoring) |")
    empty = run_child(tmp, tmp / f"empty_{rows}", more)
    added = run_child(tmp, store, more)
    ratio = added["ingest_s"] / empty["ingest_s"]
    lines.append(f"| ingest, {rows // 10:,} rows into an empty store | {empty['ingest_s']:.1f} s | "
                 f"{empty['read'] / empty['ingest_s']:,.0f} rows/s | {peak(empty)} MB |")
    lines.append(f"| ingest, the same {rows // 10:,} rows into the {first['rows_after']:,}-row store | {added['ingest_s']:.1f} s "
                 f"(**{ratio:.2f}×** the empty store) | {added['read'] / added['ingest_s']:,.0f} rows/s | {peak(added)} MB |")
    for name in (store, tmp / f"empty_{rows}"):
        subprocess.run(["rm", "-rf", str(name)], check=False)
    for path in (base, more):
        path.unlink()
    return lines


JSON_WRITERS = {"DYI JSON": ("comments", write_benchmark_dyi_json), "Graph API JSON": ("feed", write_benchmark_graph_json)}


def bench_json(kind: str, megabytes: int, tmp: Path) -> str:
    stem, write = JSON_WRITERS[kind]
    path = write(tmp / f"{stem}_{megabytes}mb.json", megabytes)
    result = run_child(tmp, tmp / f"{stem}_{megabytes}", path)
    size = path.stat().st_size / 1e6
    path.unlink()
    return (f"| {kind} {size:.0f} MB, streamed | {result['ingest_s']:.1f} s | {result['read'] / result['ingest_s']:,.0f} rows/s | "
            f"{peak(result)} MB |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="store sizes (default 200000 and 1000000)")
    parser.add_argument("--no-scoring", action="store_true", help="measure ingest alone")
    parser.add_argument("--no-dyi", action="store_true", help="skip the DYI JSON runs")
    parser.add_argument("--no-graph", action="store_true", help="skip the Graph API JSON runs")
    parser.add_argument("--json-only", action="store_true", help="only the JSON runs (no CSV rows)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) at the start", flush=True)
    start = time.perf_counter()
    lines = ["| work | time | rate | peak main / worker |", "| --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for rows in () if args.json_only else args.rows or (200_000, 1_000_000):
            lines += bench_rows(rows, tmp, score=not args.no_scoring)
            print("\n".join(lines[-4:]), flush=True)
        kinds = [kind for kind, skip in (("DYI JSON", args.no_dyi), ("Graph API JSON", args.no_graph)) if not skip]
        for kind in kinds:
            for megabytes in (25, 50):
                lines.append(bench_json(kind, megabytes, tmp))
                print(lines[-1], flush=True)
    cells = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[2:]]
    publish("ingest", ["work", "time", "rate", "peak MB, main / worker"], cells, load=load[0],
            note="Targets: 20,000 rows/s for ingest alone and 10,000 with scoring, 1 GB peak, 1.3× for rows added "
                 "to a large store.", write=not (args.rows or args.no_scoring or args.no_dyi or args.no_graph or args.json_only))
    load = os.getloadavg()
    print(f"\n{chr(10).join(lines)}\n\nwhole run {time.perf_counter() - start:.0f} s; load average at the end "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


if __name__ == "__main__":
    main()
