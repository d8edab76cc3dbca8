"""End to end for one busy month: generated exports -> ingest -> scores -> topics -> HTML report.

Prints the wall time of each command (whole processes, as the scheduled job runs them) and the total,
for a generated month of about 20,000 posts, comments and replies. Target: <= 60 s on 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from feedback_analysis.sample import write_sample_exports

MONTH = "2026-10"
POSTS = 6_500  # about 20,000 rows with comments and replies


def run(label: str, *args: str, cwd: Path) -> float:
    script = Path(sys.executable).with_name("feedback-analysis")
    start = time.perf_counter()
    done = subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(f"{label} failed")
    print(f"{label:34} {elapsed:6.1f} s", flush=True)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "feedback_analysis.yaml").write_text("municipality: Denderbeke\n")
        written = write_sample_exports(root / "data" / "raw" / "sample", end_month=MONTH, months=1, posts_per_month=POSTS)
        env_rows = None
        total = run("ingest (+ scores, threads)", "ingest", str(written["dyi"].parent), cwd=root)
        env_rows = len(pd.read_parquet(root / "data" / "processed" / "posts"))
        total += run("report (+ topics, notebook, HTML)", "report", "--month", MONTH, cwd=root)
        html = root / "reports" / MONTH / f"rapport-{MONTH}.html"
        print(f"{'total, ingest to HTML':34} {total:6.1f} s for {env_rows:,} rows "
              f"({os.cpu_count()} cores); report {html.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
