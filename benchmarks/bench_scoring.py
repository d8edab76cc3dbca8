"""The `score` command as a whole process, and the scorer's quality on the synthetic sample.

Prints: wall time and rows/s of `feedback-analysis score` on a 30,000-row CSV (target >= 5,000 rows/s,
process start and model loading included), and sentiment / service / abuse / compliment figures
against the sample generator's ground truth (synthetic: a sanity check, not a quality claim; the
dev-set figures are in bench_sentiment.py, bench_services.py and bench_abuse.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from sklearn.metrics import f1_score

from feedback_analysis.sample import generate_sample_posts

ROWS = 30_000


def main() -> None:
    truth = generate_sample_posts(end_month="2026-10", months=6, posts_per_month=1500, seed=7)
    texts = truth.sample(n=ROWS, replace=len(truth) < ROWS, random_state=0).reset_index(drop=True)
    with tempfile.TemporaryDirectory() as tmp:
        source, output = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        texts[["post_id", "text"]].to_csv(source, index=False)
        script = Path(sys.executable).with_name("feedback-analysis")
        start = time.perf_counter()
        subprocess.run([str(script), "score", str(source), "-o", str(output)], check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        scored = pd.read_csv(output, dtype={"post_id": str}, keep_default_na=False)
    print(f"score command, whole process: {len(scored):,} rows in {elapsed:.2f} s = {len(scored) / elapsed:,.0f} rows/s")

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


if __name__ == "__main__":
    main()
