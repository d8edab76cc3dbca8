"""The data folder's layout, named in one place.

```
<data-dir>/
  raw/                               exports as received (never edited)
  processed/posts/month=YYYY-MM/     the store (Hive-partitioned Parquet; ``posts.py``)
  processed/posts/_marks/            YYYY-MM.parquet: changed duplicate marks of a month's stored rows (``marks.py``)
  processed/scores.parquet           one row of scores per stored post (``tables.write_scores``)
  processed/threads.parquet          one row per top-level post with replies (``tables.write_threads``)
  processed/topics/registry.json     stable topic ids across months (``topics.write_registry``)
  processed/topics/assignments/      YYYY-MM.parquet: each post's topic that month (``tables.write_assignments``)
  processed/ingested_exports.json    exports of a fleet's raw folder already ingested (``manifest.write_manifest``)
  labels/                            the analysts' label files, one CSV per save (``labels.write_label_file``)
  quarantine/                        rows an ingest could not store, one CSV per run (``tables.write_quarantine``)
  audit.log                          one line per forget/purge run (``erasure``)
  author_aliases.parquet             pseudonyms of display names -> of platform ids, for forget (``erasure``)
  .pseudonym_salt                    the salt of the author pseudonyms (``privacy``)
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REGISTRY_FILE = "registry.json"
MANIFEST_FILE = "ingested_exports.json"


@dataclass(frozen=True)
class DataFolder:
    """Every path under one data folder. ``DataFolder.of(settings)`` or ``DataFolder(Path("data"))``."""

    root: Path

    @classmethod
    def of(cls, settings_or_path) -> DataFolder:
        """The layout of ``settings.data_dir``, or of a folder given as a path."""
        root = getattr(settings_or_path, "data_dir", settings_or_path)
        return cls(Path(root))

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def posts(self) -> Path:
        return self.processed / "posts"

    @property
    def scores(self) -> Path:
        return self.processed / "scores.parquet"

    @property
    def threads(self) -> Path:
        return self.processed / "threads.parquet"

    @property
    def topics(self) -> Path:
        return self.processed / "topics"

    @property
    def registry(self) -> Path:
        return self.topics / REGISTRY_FILE

    @property
    def assignments(self) -> Path:
        return self.topics / "assignments"

    def assignment(self, month: str) -> Path:
        """The topic assignments of one month."""
        return self.assignments / f"{month}.parquet"

    def month_partition(self, month: str) -> Path:
        """The store's folder of one month."""
        return self.posts / f"month={month}"

    @property
    def manifest(self) -> Path:
        return self.processed / MANIFEST_FILE

    @property
    def labels(self) -> Path:
        return self.root / "labels"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def audit_log(self) -> Path:
        return self.root / "audit.log"

    @property
    def aliases(self) -> Path:
        # Beside the store, not in processed/: the report fingerprint does not depend on it.
        return self.root / "author_aliases.parquet"

    @property
    def salt(self) -> Path:
        return self.root / ".pseudonym_salt"
