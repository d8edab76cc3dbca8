"""Synthetic exports of an invented Flemish municipality's Facebook group, for the demo, tests and benchmarks.

Nothing here is real: people, streets, phone numbers, e-mail addresses and IBANs are invented.
Everything is deterministic for a seed: the same arguments give byte-identical files.

- ``world``: the municipality's constants, the phrase bank, time and text helpers, the row types.
- ``voice`` and ``conversation``: how people write, and how a thread unfolds under a post.
- ``simulation``: :func:`generate_sample_posts` builds the ground truth, one row per post, comment or
  reply, with the labels later stages are measured against (service, sentiment, abuse, language,
  compliment, topic).
- ``writers``: :func:`write_sample_exports` spreads that ground truth over three export formats (a DYI
  archive folder, facebook-scraper JSON lines, and a hand-made Windows-1252 CSV with its column mapping).
- ``benchmark``: :func:`write_benchmark_csv` and :func:`write_benchmark_dyi_json` stream large files for
  ingest benchmarks.

The phrase bank (Flemish tussentaal, with French and English) is ``resources/sample_phrases.yaml``.
"""

from feedback_analysis.sample.benchmark import write_benchmark_csv, write_benchmark_dyi_json
from feedback_analysis.sample.simulation import generate_sample_posts
from feedback_analysis.sample.world import (
    ABUSE_LEVELS,
    BENCHMARK_CSV_COLUMNS,
    CLOSURE_TOPIC,
    CSV_BAD_DATE,
    CSV_COLUMN_MAPPING,
    CSV_COLUMNS,
    KINDS,
    LANGUAGES,
    OFFICER_NAME,
    REACTIONS,
    SAMPLE_COLUMNS,
    SENTIMENTS,
    SERVICES,
    TIMEZONE,
)
from feedback_analysis.sample.writers import write_sample_exports

__all__ = [
    "ABUSE_LEVELS", "BENCHMARK_CSV_COLUMNS", "CLOSURE_TOPIC", "CSV_BAD_DATE", "CSV_COLUMN_MAPPING", "CSV_COLUMNS",
    "KINDS", "LANGUAGES", "OFFICER_NAME", "REACTIONS", "SAMPLE_COLUMNS", "SENTIMENTS", "SERVICES", "TIMEZONE",
    "generate_sample_posts", "write_benchmark_csv", "write_benchmark_dyi_json", "write_sample_exports",
]
