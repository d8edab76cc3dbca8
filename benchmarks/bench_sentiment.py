"""Quality and speed of the sentiment scorer against the plain Pattern baseline, in one run.

Run from the repository root:  .venv/bin/python benchmarks/bench_sentiment.py

Reads the labelled development sets from ``../shared/eval/dev`` (beside the repository); a set whose
file is missing is skipped with a message. Prints, for the rule scorer and for PatternBaseline:

* restaurant sentences (SemEval-2016 Dutch, three classes: positive / negative / neutral);
* SERVICE#GENERAL-only sentences (positive / negative; a neutral prediction counts as wrong);
* the same SERVICE#GENERAL sentences and whole restaurant reviews (a stand-in for long reviews),
  positive/negative by the sign of the score (score >= 0 is positive);
* political tweets (three classes);
* throughput of ``score_sentiment`` on 30,000 short texts (the dev sentences repeated), one core.
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from feedback_analysis.sentiment import (
    LexiconSentiment,
    PatternBaseline,
    evaluate,
    load_semeval_sentences,
    load_tweets,
    score_sentiment,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "dev"
RESTAURANTS = DEV / "semeval2016_restaurants_nl_train.xml"
TWEETS = DEV / "political_tweets_nl_polarity_train.csv"
THROUGHPUT_ROWS = 30_000


def service_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences whose opinions are all SERVICE#GENERAL and whose label is positive or negative."""
    only_service = sentences["categories"].map(lambda cats: bool(cats) and set(cats) == {"SERVICE#GENERAL"})
    return sentences[only_service & sentences["label"].isin(["positive", "negative"])]


def print_row(model_name: str, metrics: dict) -> None:
    print(
        f"  {model_name:<18} macro-F1 {metrics['macro_f1']:.3f}   "
        f"accuracy {metrics['accuracy']:.3f}   n {metrics['n']}"
    )


def compare(name: str, frame: pd.DataFrame, models: dict) -> None:
    print(f"{name}")
    for model_name, model in models.items():
        predicted = model.transform(frame["text"].reset_index(drop=True))["sentiment"]
        print_row(model_name, evaluate(frame["label"], predicted))


def whole_reviews(path: Path) -> pd.DataFrame:
    """Each review's sentences joined, labelled by its majority of positive vs negative opinions (ties left out)."""
    rows = []
    for review in ET.parse(path).getroot().iter("Review"):
        polarities = [opinion.get("polarity") for opinion in review.iter("Opinion")]
        positive, negative = polarities.count("positive"), polarities.count("negative")
        if positive != negative:
            text = " ".join(sentence.findtext("text") or "" for sentence in review.iter("sentence"))
            rows.append({"text": text, "label": "positive" if positive > negative else "negative"})
    return pd.DataFrame(rows)


def compare_by_sign(name: str, frame: pd.DataFrame, models: dict) -> None:
    print(f"{name}")
    for model_name, model in models.items():
        scores = model.transform(frame["text"].reset_index(drop=True))["sentiment_score"]
        predicted = ["positive" if score >= 0 else "negative" for score in scores]
        print_row(model_name, evaluate(frame["label"], predicted))


def measure_throughput(texts: list[str]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims
    posts = pd.DataFrame({"text": (texts * (THROUGHPUT_ROWS // len(texts) + 1))[:THROUGHPUT_ROWS]})
    model = LexiconSentiment()  # a fresh model: its word cache starts empty, as in a real run
    start = time.perf_counter()
    scored = score_sentiment(posts, model=model)
    elapsed = time.perf_counter() - start
    print(f"throughput: {len(scored) / elapsed:,.0f} texts/s ({len(scored):,} rows in {elapsed:.2f} s, one core)")


def main() -> int:
    models = {"LexiconSentiment": LexiconSentiment(), "PatternBaseline": PatternBaseline()}
    short_texts: list[str] = []
    if RESTAURANTS.is_file():
        sentences = load_semeval_sentences(RESTAURANTS)
        compare("restaurant sentences, three classes", sentences, models)
        service = service_sentences(sentences)
        compare("SERVICE#GENERAL sentences, positive/negative", service, models)
        compare_by_sign("SERVICE#GENERAL sentences, positive/negative by sign", service, models)
        compare_by_sign("whole restaurant reviews, positive/negative by sign", whole_reviews(RESTAURANTS), models)
        short_texts = sentences["text"].tolist()
    else:
        print(f"skipped restaurant sets: {RESTAURANTS} not found")
    if TWEETS.is_file():
        tweets = load_tweets(TWEETS)
        compare("political tweets, three classes", tweets, models)
        short_texts = short_texts or tweets["text"].tolist()
    else:
        print(f"skipped tweets: {TWEETS} not found")
    if short_texts:
        measure_throughput(short_texts)
    else:
        print("skipped throughput: no dev texts found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
