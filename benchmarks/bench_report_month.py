"""`report --month` on a big month (issue 11): wall time, CPU time and peak memory of the whole command.

Generates twelve months of sample exports with the project's own writer (``write_sample_exports``), sized
so that the last month has about ``--rows`` rows (posts, comments and replies; 95,000 by default), ingests
and scores them (not timed), then times ``feedback-analysis report --month <last month>`` as a whole
process, twice:

- (b) "earlier months modelled": the topics of the eleven earlier months exist (modelled beforehand, not
  timed), the last month's do not, and the store changed after them the way an ingest of the new month's
  export changes it (its month partition and the scores file are rewritten: here their times are bumped):
  the monthly job;
- (a) "from nothing": no topics at all, so the report models the topics of all twelve months first.

Printed per run: wall s, CPU s (user + sys of the command and every process it started: the notebook
kernel too) and peak MB (the largest resident set of any of those processes), with the load average.
Targets: (b) <= 60 s, (a) <= 120 s.

    .venv/bin/python benchmarks/bench_report_month.py                  # 95k rows in the last month
    .venv/bin/python benchmarks/bench_report_month.py --rows 10000     # quick dev loop
    .venv/bin/python benchmarks/bench_report_month.py --keep /tmp/rm   # keep (and reuse) the data folder

Preparing 12 x 95k rows (generating, ingesting, scoring, the earlier months' topics) takes most of the
run; ``BENCH_REPORT_MONTH_ROWS=20000 make bench`` keeps ``make bench`` short on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import publish  # noqa: E402

END_MONTH = "2026-10"
MONTHS = 12
ROWS_PER_POST = 3.1  # posts per month -> rows: comments and replies come on top (bench_end_to_end: 6,500 -> ~20k)
CONFIG = "municipality: Denderbeke\n"

PREPARE = r"""
import json, sys
from pathlib import Path
from feedback_analysis.config import load_settings
from feedback_analysis.stages.topics import update_topics
if __name__ == "__main__":  # the topic stage fits months in spawned processes, which import this file
    settings = load_settings(Path(sys.argv[1]), data_dir=Path(sys.argv[2]), environ={})
    update_topics(settings, sys.argv[3])
    print(json.dumps({"ok": True}))
"""


def previous_month(month: str) -> str:
    year, number = map(int, month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def cli() -> str:
    return str(Path(sys.executable).with_name("feedback-analysis"))


# A fresh wrapper per measured command: its children's peak is that command's alone.
WRAPPER = r"""
import json, resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[0] + ".err", "w"))
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def timed(args: list[str], cwd: Path) -> dict:
    """Run one command to its end: wall s, CPU s (user + sys of it and every process it started, which
    were all waited for) and peak MB (the largest resident set of any one of them)."""
    wrapper = cwd / "timed_wrapper.py"
    wrapper.write_text(WRAPPER)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(wrapper), *args], cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    result = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {"code": done.returncode}
    if done.returncode or result["code"]:
        error = Path(str(wrapper) + ".err")
        print(error.read_text()[-3000:] if error.exists() else done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(args[1:])}")
    result["wall_s"] = wall
    return result


def prepare(root: Path, rows: int) -> int:
    """Sample exports of twelve months into ``root/data``, ingested and scored; returns the last month's rows."""
    from feedback_analysis.sample import write_sample_exports

    data = root / "data"
    marker = data / ".bench-report-month.json"
    if marker.exists() and json.loads(marker.read_text()).get("rows") == rows:
        return json.loads(marker.read_text())["month_rows"]
    shutil.rmtree(data, ignore_errors=True)
    (root / "feedback_analysis.yaml").write_text(CONFIG)
    posts = max(50, round(rows / ROWS_PER_POST))
    start = time.perf_counter()
    written = write_sample_exports(root / "raw", end_month=END_MONTH, months=MONTHS, posts_per_month=posts)
    print(f"generated {MONTHS} months x {posts:,} posts in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    timed([cli(), "ingest", "--quiet", "--data-dir", str(data), str(written["dyi"].parent)], root)
    print(f"ingested and scored in {time.perf_counter() - start:.0f} s", flush=True)
    import pandas as pd

    months = pd.read_parquet(data / "processed" / "posts", columns=["month"])["month"].astype(str)
    month_rows = int((months == END_MONTH).sum())
    marker.write_text(json.dumps({"rows": rows, "month_rows": month_rows, "total_rows": len(months)}))
    return month_rows


def reset(data: Path, root: Path, topics: bool) -> None:
    shutil.rmtree(root / "reports", ignore_errors=True)
    if topics:
        shutil.rmtree(data / "processed" / "topics", ignore_errors=True)


def touch_new_month(data: Path) -> None:
    """What ingesting the new month's export does to the files the topic stage looks at: the month's
    partition and the scores file are newer than the earlier months' topics."""
    now = time.time()
    for path in [*(data / "processed" / "posts").glob(f"month={END_MONTH}/*.parquet"),
                 data / "processed" / "scores.parquet"]:
        os.utime(path, (now, now))


def report_run(root: Path, label: str) -> dict:
    load = os.getloadavg()[0]
    result = timed([cli(), "report", "--quiet", "--month", END_MONTH, "--data-dir", str(root / "data")], root)
    html = root / "reports" / END_MONTH / f"rapport-{END_MONTH}.html"
    if not html.exists():
        raise SystemExit(f"{label}: no report written")
    result["load"] = load
    print(f"{label:38} {result['wall_s']:7.1f} s wall {result['cpu_s']:7.1f} s CPU {result['peak_mb']:7.0f} MB peak"
          f"   (load {load:.1f})", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_REPORT_MONTH_ROWS", 95_000)),
                        help="rows in the reported month (default 95000, or $BENCH_REPORT_MONTH_ROWS)")
    parser.add_argument("--keep", type=Path, help="data folder to keep and reuse (default: a temporary one)")
    parser.add_argument("--only", choices=["a", "b"], help="run one case only")
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp).resolve()
        root.mkdir(parents=True, exist_ok=True)
        month_rows = prepare(root, args.rows)
        data = root / "data"
        print(f"{END_MONTH}: {month_rows:,} rows in the reported month, {MONTHS} months in the store "
              f"({os.cpu_count()} cores)", flush=True)
        if args.only != "a":
            reset(data, root, topics=True)
            script = root / "prepare_topics.py"
            script.write_text(PREPARE)
            start = time.perf_counter()
            subprocess.run([sys.executable, str(script), str(root / "feedback_analysis.yaml"), str(data),
                            previous_month(END_MONTH)], check=True, capture_output=True)
            print(f"(topics of the {MONTHS - 1} earlier months modelled in {time.perf_counter() - start:.0f} s)",
                  flush=True)
            touch_new_month(data)
            results["b"] = report_run(root, "(b) earlier months modelled (<= 60 s)")
        if args.only != "b":
            reset(data, root, topics=True)
            results["a"] = report_run(root, "(a) from nothing (<= 120 s)")
    cases = {"b": "earlier months modelled (target 60 s)", "a": "from nothing, 12 months of topics (target 120 s)"}
    publish("report-month", [f"`report --month`, {month_rows:,} rows in the month", "wall time", "CPU", "peak MB"],
            [[cases[case], f"{r['wall_s']:.1f} s", f"{r['cpu_s']:.1f} s", f"{r['peak_mb']:,.0f}"] for case, r in results.items()],
            load=min(r["load"] for r in results.values()), note="A generated store of 12 months; whole processes.",
            write=args.rows == 95_000 and args.only is None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
