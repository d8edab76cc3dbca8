"""Quality and speed of the sentiment scorer against the plain Pattern baseline, on two halves.

Run from the repository root:  .venv/bin/python benchmarks/bench_sentiment.py [--errors tune]

Every labelled set is split deterministically into a tuning half and a reporting half: the SemEval
restaurant sentences by review id (no review is in both halves), the political tweets by a stable hash
of their text, and the hand-written Flemish cases come as two files (``benchmarks/cases/
sentiment_tune.csv`` / ``sentiment_report.csv``). Rules are tuned on the tuning half only; the figures
recorded for the report (``benchmarks/quality.py``) are those of the reporting half.

Reads the development sets from ``../shared/eval/dev`` (beside the repository); a missing file is
skipped with a message. Prints, for the rule scorer and for PatternBaseline, per half:

* restaurant sentences (SemEval-2016 Dutch, three classes: positive / negative / neutral);
* SERVICE#GENERAL-only sentences (positive / negative; a neutral prediction counts as wrong);
* political tweets (three classes);
* the hand-written Flemish social-media cases (three classes);
* throughput of ``score_sentiment`` on 30,000 short texts (the dev sentences repeated, so mostly
  repeats, which the scorer scores once), and on the same texts each made distinct; one core.

``--errors tune`` lists the misclassified texts of the tuning half (never of the reporting half).
``--variants`` also prints the reporting-half macro-F1 of learned variants (logistic regression over the
scorer's features, trained on tuning halves); printed only, never recorded.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import record  # noqa: E402

from feedback_analysis.sentiment import (  # noqa: E402
    FEATURE_NAMES,
    LexiconSentiment,
    PatternBaseline,
    evaluate,
    load_semeval_sentences,
    load_tweets,
    score_sentiment,
)

# ``shared/`` beside the repository; from a worktree (``<root>/wt/<name>``) it lies a few folders further up.
SHARED = next(
    (folder / "shared" for folder in Path(__file__).resolve().parents[1:] if (folder / "shared" / "eval").is_dir()),
    Path(__file__).resolve().parents[2] / "shared",
)
DEV = SHARED / "eval" / "dev"
RESTAURANTS = DEV / "semeval2016_restaurants_nl_train.xml"
TWEETS = DEV / "political_tweets_nl_polarity_train.csv"
CASES = Path(__file__).resolve().parent / "cases"
THROUGHPUT_ROWS = 30_000
HALVES = ("tune", "report")
# The ``method.data`` key (resources/report_text.yaml) of each set's reporting half.
DATA_KEYS = {
    "restaurant_sentences": "restaurant_sentences_report",
    "service_sentences": "service_sentences_report",
    "political_tweets": "political_tweets_report",
    "flemish_social_cases": "flemish_social_report",
}


def half_of(key: str) -> str:
    """The half a key (review id, tweet text) belongs to: a stable hash, so the split never moves."""
    return HALVES[hashlib.sha1(key.encode("utf-8")).digest()[0] % 2]


def service_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences whose opinions are all SERVICE#GENERAL and whose label is positive or negative."""
    only_service = sentences["categories"].map(lambda cats: bool(cats) and set(cats) == {"SERVICE#GENERAL"})
    return sentences[only_service & sentences["label"].isin(["positive", "negative"])]


def load_sets() -> dict[str, pd.DataFrame]:
    """Every labelled set (columns text, label, half), keyed by its ``method.data`` name."""
    sets = {}
    if RESTAURANTS.is_file():
        sentences = load_semeval_sentences(RESTAURANTS)
        sentences["half"] = sentences["review_id"].map(half_of)
        sets["restaurant_sentences"] = sentences
        sets["service_sentences"] = service_sentences(sentences)
    else:
        print(f"skipped restaurant sets: {RESTAURANTS} not found")
    if TWEETS.is_file():
        tweets = load_tweets(TWEETS)
        tweets["half"] = tweets["text"].map(half_of)
        sets["political_tweets"] = tweets
    else:
        print(f"skipped tweets: {TWEETS} not found")
    cases = [pd.read_csv(CASES / f"sentiment_{half}.csv").assign(half=half) for half in HALVES]
    sets["flemish_social_cases"] = pd.concat(cases, ignore_index=True)
    return sets


def print_row(model_name: str, metrics: dict) -> None:
    print(f"  {model_name:<18} macro-F1 {metrics['macro_f1']:.3f}   "
          f"accuracy {metrics['accuracy']:.3f}   n {metrics['n']}")


def measure(frame: pd.DataFrame, model) -> tuple[dict, pd.Series]:
    predicted = model.transform(frame["text"].reset_index(drop=True))["sentiment"]
    return evaluate(frame["label"], predicted), predicted


def measure_throughput(texts: list[str]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims
    posts = pd.DataFrame({"text": (texts * (THROUGHPUT_ROWS // len(texts) + 1))[:THROUGHPUT_ROWS]})
    model = LexiconSentiment()  # a fresh model: its word cache starts empty, as in a real run
    start = time.perf_counter()
    scored = score_sentiment(posts, model=model)
    elapsed = time.perf_counter() - start
    print(f"throughput: {len(scored) / elapsed:,.0f} texts/s ({len(scored):,} rows in {elapsed:.2f} s, one core;"
          f" {len(set(texts)):,} distinct texts, each scored once)")
    # Every text distinct: what the scorer costs without repeats.
    distinct = pd.DataFrame({"text": [f"{text} ({k})" for k, text in enumerate(posts["text"])]})
    model = LexiconSentiment()
    start = time.perf_counter()
    score_sentiment(distinct, model=model)
    elapsed = time.perf_counter() - start
    print(f"throughput, all distinct: {len(distinct) / elapsed:,.0f} texts/s ({elapsed:.2f} s, one core)")


def scorer_features(model: LexiconSentiment, texts) -> np.ndarray:
    """The rule scorer's own features per text, plus question mark, length and score strength."""
    rows = []
    for text in texts:
        parts = model.analyse(text)
        rows.append([float(parts[name]) for name in FEATURE_NAMES]
                    + [parts["raw"], float("?" in text), math.log1p(len(text.split())), abs(parts["score"])])
    return np.asarray(rows)


def make_classifier(c: float):
    """Standardised features into a class-balanced logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))


def compare_variants(sets: dict[str, pd.DataFrame], model: LexiconSentiment) -> None:
    """Reporting-half macro-F1 of learned variants next to the rules (printed, never recorded).

    A logistic regression over the scorer's features, C chosen by 5-fold cross-validation on the
    tuning half, trained (a) on the tuning halves of every set, (b) on the team's tuning cases only,
    the one source we may ship coefficients from. Neither is shipped: see the README.
    """
    from sklearn.model_selection import cross_val_score

    polar = {name: frame for name, frame in sets.items() if name != "service_sentences"}
    training = {
        "lr over features, all tuning halves": pd.concat([f[f["half"] == "tune"] for f in polar.values()]),
        "lr over features, team cases only": polar["flemish_social_cases"].query("half == 'tune'"),
    }
    reporting = {name: frame[frame["half"] == "report"].reset_index(drop=True) for name, frame in sets.items()}
    features = {name: scorer_features(model, frame["text"]) for name, frame in reporting.items()}
    print("variants, reporting halves (macro-F1):")
    rules = {name: evaluate(frame["label"], [model.label_for(s) for s in features[name][:, FEATURE_NAMES.index("score")]])["macro_f1"]
             for name, frame in reporting.items()}
    print(f"  {'rules':<46}" + "  ".join(f"{name} {value:.3f}" for name, value in rules.items()))
    for variant, train in training.items():
        train_features = scorer_features(model, train["text"])
        best_c = max((0.1, 0.3, 1.0, 3.0, 10.0), key=lambda c: cross_val_score(
            make_classifier(c), train_features, train["label"], cv=5, scoring="f1_macro").mean())
        classifier = make_classifier(best_c).fit(train_features, train["label"])
        scores = {name: evaluate(frame["label"], classifier.predict(features[name]))["macro_f1"]
                  for name, frame in reporting.items()}
        print(f"  {variant + f' (C={best_c})':<46}" + "  ".join(f"{name} {value:.3f}" for name, value in scores.items()))
    sizes = {variant: len(train) for variant, train in training.items()}
    print(f"  trained on {sizes}; reported on {({name: len(frame) for name, frame in reporting.items()})}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["tune"], help="list the tuning half's misclassified texts")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite resources/quality.json")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    parser.add_argument("--variants", action="store_true", help="also compare learned variants (not recorded)")
    args = parser.parse_args(argv)
    models = {"LexiconSentiment": LexiconSentiment(), "PatternBaseline": PatternBaseline()}
    sets = load_sets()
    recorded = []
    for name, frame in sets.items():
        for half in HALVES:
            part = frame[frame["half"] == half].reset_index(drop=True)
            print(f"{name}, {half} half")
            results = {}
            for model_name, model in models.items():
                results[model_name] = measure(part, model)
                print_row(model_name, results[model_name][0])
            if half == "report":
                metrics, baseline = results["LexiconSentiment"][0], results["PatternBaseline"][0]
                recorded.append({"metric": "macro_f1", "value": metrics["macro_f1"], "n": metrics["n"],
                                 "data": DATA_KEYS[name], "half": "report", "baseline": baseline["macro_f1"],
                                 "baseline_name": "pattern"})
            elif args.errors:
                predicted = results["LexiconSentiment"][1]
                for text, truth, guess in zip(part["text"], part["label"], predicted):
                    if truth != guess:
                        print(f"    [{truth[:3]}->{guess[:3]}] {text[:160]!r}")
    if args.variants:
        compare_variants(sets, models["LexiconSentiment"])
    if not args.no_record:
        record("sentiment", recorded)
    if not args.no_speed and "restaurant_sentences" in sets:
        measure_throughput(sets["restaurant_sentences"]["text"].tolist())
    return 0


if __name__ == "__main__":
    sys.exit(main())
