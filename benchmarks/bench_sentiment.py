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
``--register`` prints both halves' macro-F1 with a news-register damping that the scorer does NOT use (it
won on the tuning halves and lost on the reporting half of the tweets); printed only, kept so it can be rerun.
``--confusion`` prints, per set and half, the 3x3 confusion matrix (counts only; texts only with ``--errors tune``).
``--thresholds`` chooses the neutral band (one for all texts, or one for short texts and one for long) on the
tuning halves jointly, every set weighted equally, and prints both halves' macro-F1 with it; printed only.
``--shaped`` prints both halves' macro-F1 with sarcasm by shape switched on (``rules.SHAPED_SARCASM``, off: with
the wishes and the news damping it cost the tweets' reporting half more than 0.005); printed only.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
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
    constructions,
    evaluate,
    load_semeval_sentences,
    load_tweets,
    score_sentiment,
)
from feedback_analysis.sentiment.scan import ClauseScan  # noqa: E402

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


def word_grams(model: LexiconSentiment, texts) -> list[str]:
    """Each text as its lowercased tokens and adjacent token pairs, one space-joined document per text."""
    documents = []
    for text in texts:
        tokens = [low.replace(" ", "_") for kind, low, _ in model.lexicon.tokenize(text) if kind != "number"]
        documents.append(" ".join(tokens + [f"{a}__{b}" for a, b in zip(tokens, tokens[1:])]))
    return documents


class GramVariant:
    """Scorer features plus word uni- and bigrams seen at least twice, into one logistic regression.

    ``gram_weight`` scales the n-gram columns (a smaller weight is a stronger penalty on them than on the
    scorer's features); ``keep_rules_below`` keeps the rules' label unless the model is at least that sure;
    ``no_flip`` keeps it too where the model would turn positive into negative or back (it may only move a
    text to or from neutral).
    """

    def __init__(self, model: LexiconSentiment, c: float, gram_weight: float, keep_rules_below: float = 0.0,
                 no_flip: bool = False):
        self.model, self.c, self.gram_weight = model, c, gram_weight
        self.keep_rules_below, self.no_flip = keep_rules_below, no_flip

    def _matrix(self, texts, fit: bool = False):
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import StandardScaler

        dense = scorer_features(self.model, texts)
        documents = word_grams(self.model, texts)
        if fit:
            self.scaler_ = StandardScaler().fit(dense)
            self.grams_ = CountVectorizer(token_pattern=r"\S+", min_df=2, binary=True).fit(documents)
        grams = self.grams_.transform(documents) * self.gram_weight
        return sparse.hstack([sparse.csr_matrix(self.scaler_.transform(dense)), grams]).tocsr()

    def fit(self, texts, labels) -> GramVariant:
        from sklearn.linear_model import LogisticRegression

        self.classifier_ = LogisticRegression(C=self.c, max_iter=3000, class_weight="balanced")
        self.classifier_.fit(self._matrix(list(texts), fit=True), list(labels))
        return self

    def predict(self, texts) -> list[str]:
        texts = list(texts)
        probabilities = self.classifier_.predict_proba(self._matrix(texts))
        learned = self.classifier_.classes_[probabilities.argmax(axis=1)]
        rules = [self.model.label_for(self.model.analyse(text)["score"]) for text in texts]
        polar = {"positive", "negative"}
        return [rule if sure < self.keep_rules_below or (self.no_flip and {guess, rule} == polar) else guess
                for guess, sure, rule in zip(learned, probabilities.max(axis=1), rules)]


def compare_variants(sets: dict[str, pd.DataFrame], model: LexiconSentiment) -> None:
    """Macro-F1 of learned variants next to the rules, per set and half (printed, never recorded).

    A logistic regression over the scorer's features, C chosen by 5-fold cross-validation on the
    training set, trained (a) on the tuning halves of every set, (b) on the team's tuning cases only,
    the one source we may ship coefficients from; and (c) the team-trained model over the scorer's
    features plus word uni- and bigrams, alone and as a corrector that overrides the rules only when
    it is sure. None is shipped: none beat the rules on the development sets' tuning halves (README).
    Every model sees the tuning halves only; the reporting halves are never used in training.
    """
    from sklearn.model_selection import cross_val_score

    polar = {name: frame for name, frame in sets.items() if name != "service_sentences"}
    team = polar["flemish_social_cases"].query("half == 'tune'")
    training = {
        "lr over features, all tuning halves": pd.concat([f[f["half"] == "tune"] for f in polar.values()]),
        "lr over features, team cases only": team,
    }
    parts = {(name, half): frame[frame["half"] == half].reset_index(drop=True)
             for name, frame in sets.items() for half in HALVES}
    features = {key: scorer_features(model, frame["text"]) for key, frame in parts.items()}
    print("variants, macro-F1 per set and half (the team's tuning half is the training set of the team variants):")
    print(f"  {'':<52}" + "  ".join(f"{name[:10]}/{half[0]}" for name, half in parts))

    def show(variant: str, predictions: dict) -> None:
        print(f"  {variant:<52}" + "  ".join(
            f"{evaluate(frame['label'], predictions[key])['macro_f1']:>12.3f}" for key, frame in parts.items()))

    show("rules", {key: [model.label_for(s) for s in features[key][:, FEATURE_NAMES.index("score")]] for key in parts})
    for variant, train in training.items():
        train_features = scorer_features(model, train["text"])
        best_c = max((0.1, 0.3, 1.0, 3.0, 10.0), key=lambda c: cross_val_score(
            make_classifier(c), train_features, train["label"], cv=5, scoring="f1_macro").mean())
        classifier = make_classifier(best_c).fit(train_features, train["label"])
        show(f"{variant} (C={best_c})", {key: classifier.predict(features[key]) for key in parts})
    # (weight, sureness, no flip): the last two rows were the best of a grid on the tuning halves
    # (weights 0, 0.3, 1; sureness 0 to 0.7), no flip at sureness 0.5.
    for gram_weight, keep_rules_below, no_flip in ((0.3, 0.0, False), (1.0, 0.0, False), (0.3, 0.7, False),
                                                    (0.3, 0.5, True), (1.0, 0.5, True)):
        gram_model = GramVariant(model, 0.3, gram_weight, keep_rules_below, no_flip).fit(team["text"], team["label"])
        show(f"team: features + word n-grams x{gram_weight}" + (f", sure>={keep_rules_below}" if keep_rules_below else "")
             + (", no flip" if no_flip else ""), {key: gram_model.predict(frame["text"]) for key, frame in parts.items()})
    print(f"  trained on {({variant: len(train) for variant, train in training.items()})}; "
          f"halves {({f'{name}/{half}': len(frame) for (name, half), frame in parts.items()})}")


# The news-register experiment (--register). A text that reports rather than judges: a shared headline
# ("... via @krant", a link) or a sentence with a reporting verb or attribution ("zegt", "volgens X"),
# or words between double quotes (someone else's words). Its opinion words are damped unless the
# writer's own judgement is there: first person, "!" or an emoji in that sentence (the text, for a link).
SHARED_TAIL = re.compile(r"\bvia\s+@\w+|https?://|www\.|pic\.twitter", re.IGNORECASE)
REPORTING = frozenset("zegt zeggen zei zeiden meldt melden meldde aldus stelt verklaart schrijft vertelt "
                      "waarschuwt reageert volgens kondigt aangekondigd".split())
FIRST_PERSON = frozenset("ik k kga mij me mijn mn wij we ons onze".split())
DOUBLE_QUOTES = frozenset('"“”„«»')
# Tried on the tuning halves: reporting sentence 0-1, quoted words 0.3-1, shared headline 0.3-1 (flat
# between 0.3 and 0.5); whole-text damping and a figures cue (two digits) did no better on the reporting half.
REGISTER_DAMPING = {"reporting": 0.5, "quoted": 0.3, "shared": 0.3}


def register_score(model: LexiconSentiment, text: str) -> str:
    """The scorer's label with the news-register damping applied to its opinion hits."""
    if not isinstance(text, str) or not text.strip():
        return "neutral"
    tokens = model.lexicon.tokenize(text)
    scan = ClauseScan(model.lexicon, tokens).run()
    for mark in (constructions.mark_lost_good, constructions.mark_irony, constructions.mark_scare_quotes,
                 constructions.mark_rhetorical, constructions.damp_news, constructions.mark_wishes):
        mark(scan)
    sentence_of, quoted, sentences = [], set(), [[]]
    inside = False
    for position, (kind, low, raw) in enumerate(tokens):
        sentence_of.append(len(sentences) - 1)
        sentences[-1].append((kind, low))
        if raw and all(char in DOUBLE_QUOTES for char in raw):
            inside = not inside
        elif inside:
            quoted.add(position)
        if kind == "punct" and any(char in low for char in ".!?"):
            sentences.append([])
    own, reports = [], []
    for sentence in sentences:
        words = {low for kind, low in sentence if kind == "word"}
        own.append(bool(words & FIRST_PERSON) or any(kind == "emoticon" or (kind == "punct" and "!" in low)
                                                      for kind, low in sentence))
        reports.append(bool(words & REPORTING) and not ("volgens" in words and words & {"mij", "ons", "me"}))
    shared = bool(SHARED_TAIL.search(text)) and not any(own) and not scan.emoji_sum
    for _, _, _, hits in scan.clauses:
        for hit in hits:
            sentence = sentence_of[min(hit[2], len(tokens) - 1)]
            if hit[2] in quoted:
                hit[0] *= REGISTER_DAMPING["quoted"]
            if reports[sentence] and not own[sentence]:
                hit[0] *= REGISTER_DAMPING["reporting"]
            if shared:
                hit[0] *= REGISTER_DAMPING["shared"]
    return model.label_for(constructions.aggregate(scan.clauses, False)["score"])


def compare_register(sets: dict[str, pd.DataFrame], model: LexiconSentiment) -> None:
    """Macro-F1 per set and half, rules against rules with the register damping (printed, never recorded)."""
    print("news-register damping (not used by the scorer), macro-F1 rules -> damped, texts changed:")
    for name, frame in sets.items():
        for half in HALVES:
            part = frame[frame["half"] == half]
            rules_labels = model.transform(part["text"].reset_index(drop=True))["sentiment"].tolist()
            damped = [register_score(model, text) for text in part["text"]]
            before = evaluate(part["label"], rules_labels)["macro_f1"]
            after = evaluate(part["label"], damped)["macro_f1"]
            changed = sum(a != b for a, b in zip(rules_labels, damped))
            print(f"  {name:<22} {half:<6} {before:.3f} -> {after:.3f}   changed {changed} of {len(part)}")
    tweets = sets.get("political_tweets")
    if tweets is not None:  # how many of the tuning half's neutral -> negative errors the cues can reach
        tune = tweets[tweets["half"] == "tune"]
        predicted = model.transform(tune["text"].reset_index(drop=True))["sentiment"].tolist()
        errors = [text for text, gold, guess in zip(tune["text"], tune["label"], predicted)
                  if gold == "neutral" and guess == "negative"]
        reachable = sum(register_score(model, text) != "negative" for text in errors)
        print(f"  tweets, tuning half: {reachable} of {len(errors)} neutral->negative errors turned by the damping")


def compare_shaped(sets: dict[str, pd.DataFrame]) -> None:
    """Macro-F1 per set and half with sarcasm by shape (``rules.SHAPED_SARCASM``) off and on; printed only."""
    from feedback_analysis.sentiment import rules

    print("sarcasm by shape (off in the scorer), macro-F1 off -> on, texts changed:")
    labels = {}
    for shaped in (False, True):
        rules.SHAPED_SARCASM, model = shaped, LexiconSentiment()
        labels[shaped] = {(name, half): model.transform(frame[frame["half"] == half]["text"].reset_index(drop=True))
                          ["sentiment"].tolist() for name, frame in sets.items() for half in HALVES}
    rules.SHAPED_SARCASM = False
    for name, frame in sets.items():
        for half in HALVES:
            gold = frame[frame["half"] == half]["label"]
            off, on = labels[False][name, half], labels[True][name, half]
            print(f"  {name:<22} {half:<6} {evaluate(gold, off)['macro_f1']:.4f} -> {evaluate(gold, on)['macro_f1']:.4f}"
                  f"   changed {sum(a != b for a, b in zip(off, on))} of {len(gold)}")


def print_confusion(frame: pd.DataFrame, predicted: pd.Series) -> None:
    """Counts of gold (rows) against predicted (columns) labels."""
    labels = ("positive", "negative", "neutral")
    pairs = pd.Series(list(zip(frame["label"], predicted))).value_counts()
    print(f"    confusion, gold \\ predicted  {'  '.join(f'{label[:3]:>5}' for label in labels)}")
    for gold in labels:
        print(f"    {gold:<28}" + "  ".join(f"{pairs.get((gold, guess), 0):>5}" for guess in labels))


# Short texts (tokens) for the length-aware band; the candidates tried on the tuning halves.
SHORT_TOKENS = (8, 12, 20)
BANDS = tuple(round(0.1 + 0.025 * k, 3) for k in range(13))


def compare_thresholds(sets: dict[str, pd.DataFrame], model: LexiconSentiment) -> None:
    """The neutral band chosen on the tuning halves jointly (mean macro-F1 over the sets), one for every text
    or one for short and one for long texts, with both halves' macro-F1 (printed, never recorded)."""
    scored = {}
    for name, frame in sets.items():
        for half in HALVES:
            part = frame[frame["half"] == half]
            scores = np.array([model.analyse(text)["score"] for text in part["text"]])
            lengths = np.array([len(model.tokenize(text)) if isinstance(text, str) else 0 for text in part["text"]])
            scored[name, half] = (part["label"].tolist(), scores, lengths)

    def macro(half: str, band: float, short_band: float, short: int) -> dict[str, float]:
        result = {}
        for (name, part_half), (gold, scores, lengths) in scored.items():
            if part_half == half:
                bands = np.where(lengths <= short, short_band, band)
                guess = np.where(scores >= bands, "positive", np.where(scores <= -bands, "negative", "neutral"))
                result[name] = evaluate(gold, guess)["macro_f1"]
        return result

    candidates = {"current": (model.neutral_band, model.neutral_band, 0)}
    candidates["one band"] = max(((band, band, 0) for band in BANDS),
                                 key=lambda c: np.mean(list(macro("tune", *c).values())))
    candidates["short/long bands"] = max(((band, short_band, short) for band in BANDS for short_band in BANDS
                                          for short in SHORT_TOKENS),
                                         key=lambda c: np.mean(list(macro("tune", *c).values())))
    print("neutral band chosen on the tuning halves jointly (sets weighted equally), macro-F1 tune / report:")
    for variant, (band, short_band, short) in candidates.items():
        tune, report = macro("tune", band, short_band, short), macro("report", band, short_band, short)
        print(f"  {variant:<17} band {band:.3f}" + (f", <= {short} tokens {short_band:.3f}" if short else "")
              + "".join(f"   {name[:10]} {tune[name]:.3f}/{report[name]:.3f}" for name in tune))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["tune"], help="list the tuning half's misclassified texts")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite resources/quality.json")
    parser.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    parser.add_argument("--variants", action="store_true", help="also compare learned variants (not recorded)")
    parser.add_argument("--register", action="store_true", help="also compare the news-register damping (not recorded)")
    parser.add_argument("--shaped", action="store_true", help="also compare sarcasm by shape (not recorded)")
    parser.add_argument("--confusion", action="store_true", help="print each half's confusion matrix (counts)")
    parser.add_argument("--thresholds", action="store_true", help="also choose the neutral band on the tuning halves")
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
            if args.confusion:
                print_confusion(part, results["LexiconSentiment"][1])
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
    if args.register:
        compare_register(sets, models["LexiconSentiment"])
    if args.shaped:
        compare_shaped(sets)
    if args.thresholds:
        compare_thresholds(sets, models["LexiconSentiment"])
    if not args.no_record:
        record("sentiment", recorded)
    if not args.no_speed and "restaurant_sentences" in sets:
        measure_throughput(sets["restaurant_sentences"]["text"].tolist())
    return 0


if __name__ == "__main__":
    sys.exit(main())
