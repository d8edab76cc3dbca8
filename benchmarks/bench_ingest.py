"""Ingest throughput and peak memory.

Prints, for a generated CSV (100k and 200k rows, to show whether memory grows with the file) and a
generated DYI-like JSON of about 50 MB: rows, wall time, rows per second and the peak resident
memory of a fresh process doing the whole `feedback-analysis ingest` (read, clean, mask, store).
Target: >= 20,000 rows/s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from feedback_analysis.sample import write_benchmark_csv, write_benchmark_dyi_json

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from feedback_analysis import pipeline
from feedback_analysis.config import load_settings
settings = load_settings(data_dir=Path(sys.argv[1]), environ={})
start = time.perf_counter()
report = pipeline.ingest([Path(sys.argv[2])], settings)
elapsed = time.perf_counter() - start
totals = report.totals()
print(json.dumps({"read": totals.read, "stored": totals.stored, "seconds": elapsed,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "errors": report.errors}))
"""


def measure(label: str, data_dir: Path, path: Path) -> None:
    size_mb = path.stat().st_size / 1e6
    output = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), str(path)], capture_output=True, text=True, check=True)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    rate = result["read"] / result["seconds"]
    print(f"{label:28} {size_mb:7.1f} MB {result['read']:>8} rows {result['seconds']:7.2f} s "
          f"{rate:>9,.0f} rows/s  peak {result['peak_mb']:6.0f} MB  stored {result['stored']}"
          + (f"  errors {result['errors']}" if result["errors"] else ""), flush=True)


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for rows in (100_000, 200_000):
            start = time.perf_counter()
            csv = write_benchmark_csv(tmp_path / f"bench_{rows}.csv", rows)
            (tmp_path / f"bench_{rows}.columns.yaml").write_text(
                "post_id: id\nparent_id: parent\nauthor: author\ncreated_at: date\ntext: message\nreactions_like: likes\n"
            )
            print(f"(generated {csv.name} in {time.perf_counter() - start:.1f} s)")
            measure(f"CSV {rows:,} rows", tmp_path / f"data_csv_{rows}", csv)
        for megabytes in (25, 50):
            dyi = write_benchmark_dyi_json(tmp_path / f"comments_{megabytes}mb.json", megabytes)
            measure(f"DYI JSON ~{megabytes} MB", tmp_path / f"data_dyi_{megabytes}", dyi)


if __name__ == "__main__":
    main()
