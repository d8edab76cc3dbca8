"""The only module that reads and writes the data folder: calls the pure stages in order.

``ingest``: input files -> raw rows (readers) -> clean posts (clean) -> threads and duplicates ->
the Parquet store, with a quarantine file for rows that cannot be used and a per-file summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from feedback_analysis import clean, privacy, store
from feedback_analysis.config import Settings
from feedback_analysis.ingest import ColumnMapping, IngestError, NotAnExport, discover_inputs, load_mapping, read_export
from feedback_analysis.schema import POST_COLUMNS


@dataclass
class FileSummary:
    """What happened to one input file."""

    file: str
    read: int = 0
    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0
    error: str | None = None
    ignored: bool = False


@dataclass
class IngestReport:
    files: list[FileSummary] = field(default_factory=list)
    rows_before: int = 0
    rows_after: int = 0
    quarantine_file: Path | None = None

    @property
    def errors(self) -> list[str]:
        return [f.error for f in self.files if f.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def totals(self) -> FileSummary:
        total = FileSummary("total")
        for item in self.files:
            for name in ("read", "stored", "updated", "duplicates", "quarantined", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(item, name))
        return total


def _read_all(paths: Iterable[Path], fmt: str, mapping: ColumnMapping | None, group: str | None, chunk_rows: int,
              report: IngestReport, notify: Callable[[str], None]) -> list[pd.DataFrame]:
    """Raw chunks of every readable file; a file that fails contributes nothing (all or none)."""
    chunks: list[pd.DataFrame] = []
    for path in paths:
        try:
            discovered = list(discover_inputs(Path(path)))
        except IngestError as exc:
            report.files.append(FileSummary(str(path), error=str(exc)))
            continue
        for item in discovered:
            summary = FileSummary(item.file.name)
            try:
                file_chunks = list(read_export(item.file, fmt, mapping, group, chunk_rows))
            except NotAnExport as exc:
                if item.in_collection:
                    summary.ignored = True  # DYI archives hold many files without posts
                else:
                    summary.error = str(exc)
                report.files.append(summary)
                continue
            except IngestError as exc:
                summary.error = str(exc)
                report.files.append(summary)
                continue
            summary.read = sum(len(c) for c in file_chunks)
            report.files.append(summary)
            chunks.extend(file_chunks)
            notify(f"read {summary.read} rows from {item.file.name}")
    return chunks


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    fmt: str = "auto",
    columns: Path | None = None,
    group: str | None = None,
    notify: Callable[[str], None] = lambda message: None,
) -> IngestReport:
    """Read exports into the store. Files that cannot be read are reported, the rest are stored.

    The store is written once, atomically, at the end; rows that cannot be used go to
    ``<data-dir>/quarantine/<time>-ingest.csv`` with their original values and a reason.
    """
    report = IngestReport()
    mapping = load_mapping(columns) if columns else None
    chunks = _read_all(paths, fmt, mapping, group, settings.ingest.chunk_rows, report, notify)
    by_file = {f.file: f for f in report.files}

    with store.store_lock(settings.data_dir):
        existing = store.read_posts(settings.posts_dir)
        report.rows_before = len(existing)
        if not chunks:
            report.rows_after = len(existing)
            return report

        salt = privacy.load_or_create_salt(settings.salt_path)
        names: set[str] = set()
        for chunk in chunks:
            names |= clean.names_in(chunk)
        masker = privacy.NameMasker(names)
        now = pd.Timestamp.now(tz="UTC")

        cleaned, quarantined, skipped = [], [], []
        for chunk in chunks:
            result = clean.clean_rows(chunk, salt, masker, settings.timezone, settings.ingest.dayfirst, ingested_at=now)
            cleaned.append(result.posts)
            quarantined.append(result.quarantine)
            skipped.append(result.skipped)
        new = pd.concat([c for c in cleaned if not c.empty] or [clean.empty_posts()], ignore_index=True)
        quarantine = pd.concat(quarantined, ignore_index=True)
        skipped_rows = pd.concat(skipped, ignore_index=True)
        for name, count in Counter(skipped_rows["source_file"]).items():
            by_file[name].skipped += count

        # Same id twice in this batch (overlapping files): keep the last one read.
        repeated = new.duplicated("post_id", keep="last")
        for name, count in Counter(new.loc[repeated, "source_file"]).items():
            by_file[name].duplicates += count
        new = new[~repeated]

        # Photo-only posts are not stored, but replies to them still have a known parent.
        known = pd.concat([
            existing[["post_id", "parent_id", "kind"]],
            pd.DataFrame({"post_id": skipped_rows["post_id"].dropna(), "parent_id": None, "kind": "post"}),
        ], ignore_index=True)
        known = known[~known["post_id"].isin(new["post_id"])]
        new, rejected = clean.link_threads(new, known)
        if not rejected.empty:
            quarantine = pd.concat([quarantine, rejected[["reason", "source_file", "source_row", "raw"]]], ignore_index=True)

        for name, count in Counter(quarantine["source_file"]).items():
            if name in by_file:
                by_file[name].quarantined += count

        # Merge with the store: a row already there is a duplicate when unchanged, an update otherwise.
        previous = existing.set_index("post_id")
        in_store = new["post_id"].isin(previous.index)
        same = pd.Series(False, index=new.index)
        if in_store.any():
            old_hash = new.loc[in_store, "post_id"].map(previous["content_hash"])
            same[in_store] = old_hash.to_numpy() == new.loc[in_store, "content_hash"].to_numpy()
            # An unchanged row keeps the time it first entered the store.
            new.loc[same, "ingested_at"] = new.loc[same, "post_id"].map(previous["ingested_at"]).to_numpy()
        for name, group_rows in new.groupby("source_file"):
            summary = by_file[name]
            summary.duplicates += int(same[group_rows.index].sum())
            summary.updated += int((in_store & ~same)[group_rows.index].sum())
            summary.stored += int((~in_store)[group_rows.index].sum())

        merged = pd.concat([existing[~existing["post_id"].isin(new["post_id"])], new[list(POST_COLUMNS)]], ignore_index=True)
        merged = clean.mark_duplicates(merged, settings.ingest.duplicate_min_chars)
        store.write_posts(merged, settings.posts_dir)
        report.rows_after = len(merged)

        if not quarantine.empty:
            stamp = now.strftime("%Y%m%dT%H%M%SZ")
            report.quarantine_file = settings.quarantine_dir / f"{stamp}-ingest.csv"
            store.write_table_atomic(quarantine, report.quarantine_file)
    return report
