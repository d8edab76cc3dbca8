"""The `score` command as a whole process, and the scorer's quality on the synthetic sample.

Prints:

* wall time and rows/s of `feedback-analysis score` on 100,000 short posts (sample texts, target
  >= 10,000 rows/s) and on 100,000 long reviews (5 to 12 sample texts joined into one review of a few
  hundred characters, most of them unique; target >= 3,000 rows/s), process start, model loading,
  reading and writing the CSV included;
* sentiment / service / abuse / compliment figures against the sample generator's ground truth
  (synthetic: a sanity check, not a quality claim; the dev-set figures are in bench_sentiment.py,
  bench_services.py and bench_abuse.py).

Run from the repository root:  .venv/bin/python benchmarks/bench_scoring.py [--rows N] [--only short|long]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from feedback_analysis.sample import generate_sample_posts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import fmt_int, publish  # noqa: E402

ROWS = 100_000


def long_reviews(texts: list[str], rows: int, seed: int = 0) -> list[str]:
    """``rows`` long texts, each 5 to 12 sample texts joined: a product-review-like length."""
    rng = np.random.default_rng(seed)
    pool = np.array(texts, dtype=object)
    sizes = rng.integers(5, 13, size=rows)
    return [" ".join(pool[rng.integers(0, len(pool), size=size)]) for size in sizes]


def time_score(frame: pd.DataFrame, label: str, table: list[list[str]]) -> pd.DataFrame:
    """Run `feedback-analysis score` on ``frame`` in a fresh process; print rows/s, add a row to ``table``;
    return the output."""
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        frame.to_csv(source, index=False)
        script = Path(sys.executable).with_name("feedback-analysis")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([str(script), "score", str(source), "-o", str(output)], check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        scored = pd.read_csv(output, dtype={"post_id": str}, keep_default_na=False)
    chars = frame["text"].str.len().mean()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"score command, whole process, {label} (mean {chars:,.0f} characters): {len(scored):,} rows in "
          f"{elapsed:.2f} s = {len(scored) / elapsed:,.0f} rows/s; CPU {cpu:.1f} s (its workers included), "
          f"peak {after.ru_maxrss / 1024:,.0f} MB (largest process so far); load average {os.getloadavg()[0]:.1f}")
    table.append([f"`score`, {len(scored):,} {label} (mean {chars:,.0f} characters)", f"{elapsed:.1f} s",
                  f"{fmt_int(len(scored) / elapsed)} rows/s", f"{cpu:.1f} s", f"{after.ru_maxrss / 1024:,.0f}"])
    return scored


def sample_quality(scored: pd.DataFrame, texts: pd.DataFrame) -> None:
    scored = scored.join(texts[["service", "sentiment", "abuse", "is_compliment", "kind", "lang"]].add_prefix("true_"))
    posts = scored[(scored["true_kind"] == "post") & (scored["true_lang"] == "nl")]
    print(f"on synthetic top-level Dutch posts (n={len(posts):,}):")
    print(f"  sentiment macro-F1 {f1_score(posts['true_sentiment'], posts['sentiment'], average='macro'):.3f}")
    with_service = posts[posts["true_service"] != ""]
    recalls = with_service.groupby("true_service").apply(lambda g: (g["service"] == g.name).mean(), include_groups=False)
    print(f"  service mean recall per service {recalls.mean():.3f} (lowest {recalls.idxmin()} {recalls.min():.2f})")
    abusive = scored[scored["true_abuse"] != "none"]
    benign = scored[scored["true_abuse"] == "none"]
    print(f"  abuse: flagged {(abusive['abuse'] != 'none').mean():.3f} of {len(abusive)} abusive rows, "
          f"{(benign['abuse'] != 'none').mean():.4f} of benign rows")
    compliments = scored[scored["true_is_compliment"]]
    print(f"  compliments found {compliments['compliment'].mean():.3f} of {len(compliments)}; "
          f"false compliments {scored.loc[~scored['true_is_compliment'], 'compliment'].mean():.4f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--only", choices=("short", "long"))
    args = parser.parse_args(argv)
    load, table = os.getloadavg()[0], []
    truth = generate_sample_posts(end_month="2026-10", months=6, posts_per_month=1500, seed=7)
    texts = truth.sample(n=args.rows, replace=len(truth) < args.rows, random_state=0).reset_index(drop=True)
    if args.only != "long":
        scored = time_score(texts[["post_id", "text"]], "short posts", table)
        sample_quality(scored, texts)
    if args.only != "short":
        reviews = pd.DataFrame({"post_id": [f"r{i}" for i in range(args.rows)],
                                "text": long_reviews(truth["text"].tolist(), args.rows)})
        time_score(reviews, "long reviews", table)
    publish("scoring", ["work", "wall time", "rate", "CPU (workers included)", "peak MB"], table, load=load,
            note="Whole processes, CSV in and out. Targets: 10,000 rows/s on short posts, 3,000 on long reviews.",
            write=args.rows == ROWS and args.only is None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
