"""An independent check of the scorer on cases written without reading its rules or word lists.

The three files in ``benchmarks/cases/check_*.csv`` were written by someone who never opened the abuse,
sentiment or services rules, in the style of Flemish Facebook groups and citizen reports. They are a check,
not a tuning set: this script prints figures and never writes them to ``quality.json``.

    .venv/bin/python benchmarks/bench_check.py                  # all three areas
    .venv/bin/python benchmarks/bench_check.py abuse --misses 10
    /other/worktree/.venv/bin/python benchmarks/bench_check.py  # the package installed in that venv

Prints abuse recall per hateful category and false-flag rate per control category, threat-as-threat
recall, sentiment 3-class macro-F1 and accuracy, and service balanced accuracy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

CASES = Path(__file__).resolve().parent / "cases"
AREAS = ("abuse", "sentiment", "services")


def load_cases(name: str) -> pd.DataFrame:
    """The case file ``check_<name>.csv`` as strings, empty cells as ''."""
    path = CASES / f"check_{name}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def score_texts(texts: list[str]) -> pd.DataFrame:
    """Score ``texts`` with the default municipal scorer of whichever package this Python imports."""
    from feedback_analysis.scoring import Scorer

    return Scorer.for_municipality().score(pd.DataFrame({"text": texts}))


def report_abuse(misses: int) -> None:
    """Recall per hateful category, false flags per control category, threat-as-threat recall."""
    cases = load_cases("abuse")
    scored = score_texts(cases["text"].tolist())
    cases["pred"] = scored["abuse"].fillna("none").replace("", "none").to_numpy()
    cases["reason"] = scored["abuse_reason"].fillna("").astype(str).to_numpy()
    cases["flagged"] = cases["pred"] != "none"
    hateful = cases[cases["label"] != "none"]
    controls = cases[cases["label"] == "none"]
    print(f"abuse cases: {len(cases)} ({len(hateful)} abusive, {len(controls)} controls)")
    print("recall per abusive category (flagged as offensive or threat):")
    for category, group in hateful.groupby("category"):
        print(f"  {category:<28} {group['flagged'].mean():.2f}  n={len(group)}")
    print(f"  {'ALL abusive':<28} {hateful['flagged'].mean():.2f}  n={len(hateful)}")
    print("false-flag rate per control category:")
    for category, group in controls.groupby("category"):
        print(f"  {category:<28} {group['flagged'].mean():.2f}  n={len(group)}")
    print(f"  {'ALL controls':<28} {controls['flagged'].mean():.2f}  n={len(controls)}")
    threats = cases[cases["label"] == "threat"]
    print(f"threat-as-threat recall: {(threats['pred'] == 'threat').mean():.2f}  n={len(threats)}")
    if "abuse_target" in scored.columns:
        # Only where the flag is right: is the target (person, staff, group) named right too?
        found = cases.assign(pred_target=scored["abuse_target"].fillna("").astype(str).to_numpy())
        found = found[found["flagged"] & (found["label"] != "none")]
        print(f"abuse_target right on flagged abusive cases: {(found['pred_target'] == found['target']).mean():.2f}"
              f"  n={len(found)}")
    if misses:
        print_misses("abuse misses (abusive not flagged)", hateful[~hateful["flagged"]], misses)
        print_misses("abuse false flags", controls[controls["flagged"]], misses, show_reason=True)


def print_misses(title: str, rows: pd.DataFrame, limit: int, show_reason: bool = False) -> None:
    """Up to ``limit`` rows per category (the first ones), so every category shows."""
    print(f"{title}: {len(rows)}")
    for category, group in rows.groupby("category"):
        for _, row in group.head(limit).iterrows():
            extra = f"  [{row['reason']}]" if show_reason else ""
            print(f"  {category}: {row['text']}{extra}")


def report_sentiment(misses: int) -> None:
    """3-class macro-F1 and accuracy, and the confusion counts."""
    cases = load_cases("sentiment")
    scored = score_texts(cases["text"].tolist())
    pred = scored["sentiment"].astype(str).to_numpy()
    gold = cases["label"].to_numpy()
    labels = ["positive", "negative", "neutral"]
    print(f"sentiment cases: {len(cases)} " + ", ".join(f"{lab}={int((gold == lab).sum())}" for lab in labels))
    print(f"sentiment macro-F1: {f1_score(gold, pred, labels=labels, average='macro'):.3f}")
    print(f"sentiment accuracy: {accuracy_score(gold, pred):.3f}")
    print("confusion (gold -> predicted counts):")
    for lab in labels:
        counts = pd.Series(pred[gold == lab]).value_counts().to_dict()
        print(f"  {lab:<9} {counts}")
    if misses:
        wrong = cases.assign(pred=pred)[pred != gold]
        print(f"sentiment misses: {len(wrong)}")
        for _, row in wrong.head(misses * 3).iterrows():
            print(f"  {row['label']} -> {row['pred']}: {row['text']}")


def report_services(misses: int) -> None:
    """Balanced accuracy over the service ids plus 'none' (an empty service counts as 'none')."""
    cases = load_cases("services")
    scored = score_texts(cases["text"].tolist())
    pred = scored["service"].fillna("").astype(str).replace("", "none").to_numpy()
    gold = cases["service"].to_numpy()
    print(f"service cases: {len(cases)} ({int((gold == 'none').sum())} none)")
    print(f"service balanced accuracy: {balanced_accuracy_score(gold, pred):.3f}")
    print(f"service accuracy: {accuracy_score(gold, pred):.3f}")
    print("recall per service:")
    for service in sorted(set(gold)):
        mask = gold == service
        print(f"  {service:<18} {(pred[mask] == service).mean():.2f}  n={int(mask.sum())}")
    if misses:
        wrong = cases.assign(pred=pred)[pred != gold]
        print(f"service misses: {len(wrong)}")
        for _, row in wrong.head(misses * 3).iterrows():
            print(f"  {row['service']} -> {row['pred']}: {row['text']}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areas", nargs="*", help=f"areas to check, any of {', '.join(AREAS)} (default: all)")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses per category")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.areas) - set(AREAS))
    if unknown:
        parser.error(f"unknown area {', '.join(unknown)}; choose from {', '.join(AREAS)}")
    import feedback_analysis

    print(f"package: {Path(feedback_analysis.__file__).parent}")
    reports = {"abuse": report_abuse, "sentiment": report_sentiment, "services": report_services}
    for area in args.areas or AREAS:
        print(f"\n--- {area} ---", flush=True)
        reports[area](args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
