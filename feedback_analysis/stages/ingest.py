"""Ingest: new export files into the store, over the store layer (``store/``; staging in ``store.staging``).

``ingest`` runs in three steps, so that memory follows the largest month rather than the input:

1. survey: every file is read through once (in chunks) to find the names to mask and to find
   files that cannot be read, which then contribute nothing;
2. clean: the files are read again, chunk by chunk, cleaned (in parallel on several cores when
   the batch is large) and staged as Parquet beside the store, keeping only a slim index of ids,
   parents, times and text hashes in memory;
3. merge: threads and duplicates are decided on the slim index of the batch and the store, then
   the store is rewritten month by month and swapped in atomically.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feedback_analysis import clean, erasure, privacy, store
from feedback_analysis.clean.threads import arrow_strings
from feedback_analysis.config import Settings
from feedback_analysis.ingest import (
    InputFile,
    load_mapping,
)
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.schema import POST_COLUMNS
from feedback_analysis.stages.decisions import ancestors, differs, is_in, mark_touched  # step 3
from feedback_analysis.stages.memory import release_memory, system_arrow_memory
from feedback_analysis.stages.survey import (  # step 1
    FileSummary,
    IngestReport,
    _ReadOptions,
    _survey,
    file_error,
    plausible_window,
)
from feedback_analysis.store import staging
from feedback_analysis.store.staging import StagingError

# Below this many rows a worker pool costs more than it saves.
PARALLEL_MIN_ROWS = 30_000
# What is kept in memory of every row while the batch is merged with the store.
INDEX_COLUMNS = ["post_id", "parent_id", "thread_id", "kind", "source", "source_file", "month",
                 "created_at", "content_hash", "text_chars", "ingested_at"]
# Decided at merge time for every row: a stored row whose decision changes gets it in its month's marks file.
STORED_DECISIONS = ["duplicate_of", "is_duplicate"]
# Needed to link threads and count rows by file, not to merge the batch with the store.
UNMERGED_COLUMNS = ["parent_id", "source", "source_file"]
# Also kept for the rows of this batch: the file name as read (the store keeps a scrubbed one).
BATCH_COLUMNS = [*INDEX_COLUMNS, "input_file", "stage_key", "author_id", "author_alias"]



# --- step 2: clean and stage ---------------------------------------------------------------------

@dataclass(frozen=True)
class _CleanContext:
    salt: bytes
    timezone: str
    dayfirst: bool
    ingested_at: pd.Timestamp
    plausible: clean.PlausibleWindow = field(default_factory=clean.PlausibleWindow)
    file_labels: dict[str, str] = field(default_factory=dict)


_worker_state: dict[str, object] = {}


def _init_worker(context: _CleanContext, names: set[str], parent_pid: int | None = None) -> None:
    if parent_pid is not None:
        _die_with_parent(parent_pid)
    pa.set_memory_pool(pa.system_memory_pool())  # see system_arrow_memory
    _worker_state["context"] = context
    _worker_state["masker"] = privacy.NameMasker(names)
    _worker_state["memo"] = clean.TextMemo()


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when the ingest that started it dies, even by ``kill -9`` (which runs no
    clean-up): the kernel sends SIGKILL on Linux, and a watchdog thread covers other systems."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above ran
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _clean_and_stage(chunk: pd.DataFrame, number: int, stage_dir: Path,
                     context: _CleanContext | None = None, masker: privacy.NameMasker | None = None,
                     memo: clean.TextMemo | None = None):
    """Clean one raw chunk, write it to the staging folder by month; return what the merge needs."""
    context = context or _worker_state["context"]  # type: ignore[assignment]
    masker = masker or _worker_state["masker"]  # type: ignore[assignment]
    memo = memo or _worker_state.get("memo")  # type: ignore[assignment]
    result = clean.clean_rows(chunk, context.salt, masker, context.timezone, context.dayfirst,
                              ingested_at=context.ingested_at, plausible=context.plausible,
                              file_labels=context.file_labels, memo=memo)
    posts = result.posts
    posts["stage_key"] = [f"{number}:{i}" for i in range(len(posts))]
    staging.stage_chunk(posts, number, stage_dir)  # StagingError: the disk, not the input; the store is untouched
    index = posts.assign(text_chars=posts["text"].str.len())[BATCH_COLUMNS]
    # Compact for the merge, which holds the index of the whole batch: ids as Arrow strings, the
    # few names of files and sources as categories.
    index = index.astype({"post_id": "str", "input_file": "category", "source_file": "category", "source": "category"})
    return index, result.quarantine, result.skipped


def _clean_all(files: list[InputFile], options: _ReadOptions, context: _CleanContext, names: set[str],
               stage_dir: Path, workers: int) -> Iterator[tuple[str, tuple | BaseException]]:
    """Yield ``(file name, (index, quarantine, skipped))`` for every chunk of every file, cleaned in
    order, or ``(file name, exception)`` when reading or cleaning that file failed."""
    numbers = itertools.count()
    if workers <= 1:
        masker = privacy.NameMasker(names)
        memo = clean.TextMemo()
        for source in files:
            try:
                for chunk in options.chunks(source):
                    yield source.name, _clean_and_stage(chunk, next(numbers), stage_dir, context, masker, memo)
            except StagingError:
                raise
            except Exception as exc:  # noqa: BLE001 - one file's failure never costs the others
                yield source.name, exc
        return
    # spawn, not fork: forking a process that holds Arrow's thread pools can deadlock.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(context, names, os.getpid()))
    with pool:
        pending: list[tuple[str, Future | BaseException]] = []
        for source in files:
            try:
                for chunk in options.chunks(source):
                    pending.append((source.name, pool.submit(_clean_and_stage, chunk, next(numbers), stage_dir)))
                    while len(pending) > workers:  # bounded: at most a few chunks in flight
                        yield _outcome(*pending.pop(0))
            except StagingError:
                raise
            except Exception as exc:  # noqa: BLE001
                pending.append((source.name, exc))
        for item in pending:
            yield _outcome(*item)


def _outcome(name: str, item: Future | BaseException) -> tuple[str, tuple | BaseException]:
    if isinstance(item, BaseException):
        return name, item
    try:
        return name, item.result()
    except StagingError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported as the file's error
        return name, exc


# --- step 3: merge -------------------------------------------------------------------------------

def _store_index(posts_dir: Path) -> pd.DataFrame:
    """The slim index of the store, with text lengths computed in Arrow (no Python strings)."""
    return store.read_index(posts_dir, [c for c in INDEX_COLUMNS if c != "text_chars"] + STORED_DECISIONS)


def _count_by_file(rows: pd.DataFrame, by_file: dict[str, FileSummary], attribute: str, mask=None) -> None:
    selected = rows if mask is None else rows[mask]
    column = "input_file" if "input_file" in selected.columns else "source_file"
    for name, count in Counter(selected[column]).items():
        if name in by_file:
            setattr(by_file[name], attribute, getattr(by_file[name], attribute) + count)


DECIDED = ["thread_id", "kind", "duplicate_of", "is_duplicate", "ingested_at"]


def _month_writes(posts_dir: Path, stage_dir: Path, final: pd.DataFrame, existing: pd.DataFrame) -> Iterator[store.MonthWrite]:
    """What the batch changes in the store, one month at a time.

    A month whose stored rows all stay as they are gets the staged rows appended (its stored rows
    are never read), with the stored rows whose duplicate mark changes named in ``marks`` (kept in
    the month's marks file); a month where a stored row is replaced (an update or a re-read) is
    rewritten: kept store rows plus staged rows. Months the batch does not touch are not named at all. Thread, kind, duplicate and first-ingest fields are
    decided on the whole index (``final``).
    """
    replaced, marks = _months_to_rewrite(final, existing)
    marks_by_month = marks.groupby(marks["month"].astype(str), sort=False).indices if len(marks) else {}
    rewrite = replaced | set(marks_by_month)
    by_month = final.groupby(final["month"].astype(str), sort=True).indices
    for month, positions in by_month.items():
        chosen = final.iloc[positions]
        staged = chosen["stage_key"].notna().to_numpy()
        if month not in rewrite:
            if staged.any():
                new = _staged_month(stage_dir, month, chosen[staged])
                if not new.empty:
                    yield store.MonthWrite(month, store.validate_month(new), append=True, validated=True)
            continue
        if month not in replaced:  # stored rows stay, only some duplicate marks change: the month's marks file
            new = _staged_month(stage_dir, month, chosen[staged]) if staged.any() else clean.empty_posts()
            changed = marks.iloc[marks_by_month[month]][["post_id", "duplicate_of", "is_duplicate"]]
            yield store.MonthWrite(month, store.validate_month(new) if not new.empty else new[list(POST_COLUMNS)],
                                   append=True, validated=True, marks=changed)
            continue
        parts = []
        if not staged.all():
            old = store.read_posts(posts_dir, months=[month])
            old = _with_decisions(old[is_in(old["post_id"], chosen.loc[~staged, "post_id"])], chosen)
            parts.append(old[list(POST_COLUMNS)])
        new = _staged_month(stage_dir, month, chosen[staged])
        if not new.empty:
            parts.append(store.validate_month(new))
        frame = pd.concat([p for p in parts if not p.empty] or [clean.empty_posts()], ignore_index=True)
        yield store.MonthWrite(month, frame, validated=True)
    for month in sorted(rewrite - set(by_month)):  # every row moved to another month (a corrected date)
        yield store.MonthWrite(month, clean.empty_posts(), validated=True)


def _with_decisions(rows: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the fields decided at merge time taken from ``chosen`` (same ids, any order)."""
    ids = pa.array(np.asarray(chosen["post_id"], dtype=object), type=pa.large_string())
    wanted = pa.array(np.asarray(rows["post_id"], dtype=object), type=pa.large_string())
    positions = pc.index_in(wanted, value_set=ids).to_numpy(zero_copy_only=False)
    rows = rows.copy()
    for column in DECIDED:
        rows[column] = chosen[column].iloc[positions].to_numpy() if column != "ingested_at" else \
            chosen[column].iloc[positions].set_axis(rows.index)
    return rows


def _months_to_rewrite(final: pd.DataFrame, existing: pd.DataFrame) -> tuple[set[str], pd.DataFrame]:
    """Months holding a stored row that this batch replaces, and the stored rows of other months
    whose duplicate mark changes (``post_id, month, duplicate_of, is_duplicate``, as decided now)."""
    kept = final[final["stage_key"].isna()]
    if existing.empty or kept.empty:
        return set(existing["month"].astype(str)) if len(existing) else set(), kept.iloc[:0]
    stays = is_in(existing["post_id"], kept["post_id"])
    months = set(existing.loc[~stays, "month"].astype(str))
    before = existing[stays]
    if not pc.equal(arrow_strings(before["post_id"]), arrow_strings(kept["post_id"])).to_numpy(zero_copy_only=False).all():
        before = existing.set_index("post_id").loc[kept["post_id"]].reset_index()  # not in store order: align by id
    changed = np.zeros(len(kept), dtype=bool)
    for column in STORED_DECISIONS:
        changed |= differs(before[column], kept[column])
    marks = kept.loc[changed, ["post_id", "month", *STORED_DECISIONS]]
    return months, marks[~marks["month"].astype(str).isin(months)]


def _staged_month(stage_dir: Path, month: str, chosen: pd.DataFrame) -> pd.DataFrame:
    """The staged rows of ``month`` that the merge chose, with the decided fields filled in."""
    staged = None if chosen.empty else staging.read_staged_month(stage_dir, month)
    if staged is None:
        return clean.empty_posts()
    new = staged.assign(month=month)
    new = new[is_in(new["stage_key"], chosen["stage_key"])].drop(columns=["stage_key", "raw", "input_file", "author_alias"])
    return _with_decisions(new, chosen)[list(POST_COLUMNS)]


def _rejected_rows(stage_dir: Path, keys: set[str]) -> pd.DataFrame:
    """Original values of staged rows that threading rejected, for the quarantine file (read file
    by file, keeping only those rows, so memory follows the rejected rows rather than the batch)."""
    if not keys:
        return clean.empty_quarantine()
    wanted = list(keys)
    parts = []
    for staged in staging.staged_chunks(stage_dir, ["stage_key", "source_file", "input_file", "source_row", "raw"]):
        parts.append(staged[is_in(staged["stage_key"], wanted)])
    return pd.concat(parts, ignore_index=True) if parts else clean.empty_quarantine()


def _collect_cleaned(outcomes: Iterable[tuple[str, tuple | BaseException]], by_file: dict[str, FileSummary],
                     progress: ProgressCallback = no_progress, rows: int | None = None):
    """The cleaned chunks of the files that were read and cleaned in full; a file that failed at any
    point contributes nothing and gets its one-line error (its staged rows are never selected).
    ``progress`` hears of the rows cleaned ("rows", out of ``rows``)."""
    results: list[tuple[str, tuple]] = []
    failed: set[str] = set()
    cleaned = 0
    progress("rows", cleaned, rows)
    for name, outcome in outcomes:
        if isinstance(outcome, BaseException):
            failed.add(name)
            summary = by_file.get(name)
            if summary is not None and not summary.error:
                summary.error = file_error(name, outcome)
                summary.read = 0
            continue
        results.append((name, outcome))
        release_memory()
        cleaned += sum(len(part) for part in outcome[:3])
        progress("rows", cleaned if rows is None else min(cleaned, rows), rows)
    progress("rows", rows if rows is not None else cleaned, rows)
    kept = [outcome for name, outcome in results if name not in failed]
    empty = (clean.empty_posts().assign(text_chars=pd.Series(dtype="int64"), stage_key=None)[BATCH_COLUMNS],
             clean.empty_quarantine(), pd.DataFrame({"source_file": [], "post_id": []}, dtype="object"))
    indexes = [k[0] for k in kept] or [empty[0]]
    quarantined = [k[1] for k in kept] or [empty[1]]
    skipped = [k[2] for k in kept] or [empty[2]]
    return indexes, quarantined, skipped


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    fmt: str = "auto",
    columns: Path | None = None,
    group: str | None = None,
    notify: Callable[[str], None] = lambda message: None,
    progress: ProgressCallback = no_progress,
) -> IngestReport:
    """Read exports into the store. Files that cannot be read are reported, the rest are stored.

    The store is replaced atomically at the end; rows that cannot be used go to
    ``<data-dir>/quarantine/<time>-ingest.csv`` with their original values and a reason.
    ``progress`` (see :mod:`feedback_analysis.progress`) hears of the files read ("files") and of the rows
    cleaned ("rows").
    """
    report = IngestReport()
    options = _ReadOptions(fmt, load_mapping(columns) if columns else None, group, settings.ingest.chunk_rows)
    with system_arrow_memory():
        files, names, labels = _survey(paths, options, report, notify, progress)
    by_file = {f.file: f for f in report.files}

    with store.store_lock(settings.data_dir), system_arrow_memory():
        existing = _store_index(settings.posts_dir)
        release_memory()
        report.rows_before = report.rows_after = len(existing)
        if not files:
            return report
        now = pd.Timestamp.now(tz="UTC")
        context = _CleanContext(privacy.load_or_create_salt(settings.salt_path), settings.timezone,
                                settings.ingest.dayfirst, now, plausible_window(settings), labels)
        rows = sum(by_file[f.name].read for f in files)
        workers = settings.ingest.workers or min(2, os.cpu_count() or 1)
        workers = workers if rows >= PARALLEL_MIN_ROWS else 1
        stage_dir = staging.new_staging_folder(settings.processed_dir)
        try:
            indexes, quarantined, skipped = _collect_cleaned(
                _clean_all(files, options, context, names, stage_dir, workers), by_file, progress, rows)
            new = pd.concat(indexes, ignore_index=True)
            quarantine = pd.concat(quarantined, ignore_index=True)
            skipped_rows = pd.concat(skipped, ignore_index=True)
            del indexes, quarantined, skipped  # one copy of the batch index at a time
            release_memory()
            _count_by_file(skipped_rows, by_file, "skipped")

            # Same id twice in this batch (overlapping files): the last one read wins.
            repeated = new.duplicated("post_id", keep="last")
            _count_by_file(new, by_file, "duplicates", repeated)
            new = new[~repeated]

            # Photo-only posts are not stored, but replies to them still have a known parent.
            photos = pd.DataFrame({"post_id": skipped_rows["post_id"].dropna(), "parent_id": None, "kind": "post"})
            known = [frame[~is_in(frame["post_id"], new["post_id"])]
                     for frame in (existing[["post_id", "parent_id", "kind"]], photos)]
            new, rejected = clean.link_threads(new, ancestors(known, new))
            del known
            release_memory()
            if not rejected.empty:
                originals = _rejected_rows(stage_dir, set(rejected["stage_key"]))
                reasons = rejected.set_index("stage_key")["reason"]
                quarantine = pd.concat([quarantine, originals.assign(reason=originals["stage_key"].map(reasons).to_numpy())
                                        [list(clean.QUARANTINE_COLUMNS)]], ignore_index=True)
            _count_by_file(quarantine, by_file, "quarantined")

            # Merge with the store: a row already there is a duplicate when unchanged, an update otherwise.
            in_store = pd.Series(is_in(new["post_id"], existing["post_id"]), index=new.index)
            same = pd.Series(False, index=new.index)
            if in_store.any():
                previous = existing[is_in(existing["post_id"], new["post_id"])].set_index("post_id")
                old_hash = new.loc[in_store, "post_id"].map(previous["content_hash"])
                same[in_store] = old_hash.to_numpy() == new.loc[in_store, "content_hash"].to_numpy()
                # An unchanged row keeps the time it first entered the store.
                new.loc[same, "ingested_at"] = new.loc[same, "post_id"].map(previous["ingested_at"]).to_numpy()
            _count_by_file(new, by_file, "duplicates", same)
            _count_by_file(new, by_file, "updated", in_store & ~same)
            _count_by_file(new, by_file, "stored", ~in_store)

            aliases = new[["author_alias", "author_id"]].drop_duplicates()
            # Counted and linked: what is left to merge is ids, months, times, hashes and decisions.
            new = new.drop(columns=[*UNMERGED_COLUMNS, "input_file", "author_alias", "author_id"])
            stays = ~is_in(existing["post_id"], new["post_id"])
            kept = existing[stays].drop(columns=[*STORED_DECISIONS, *UNMERGED_COLUMNS]).assign(stage_key=None)
            # Not concatenated with an empty store: that would turn every Arrow-backed text into a Python object.
            final = pd.concat([kept, new], ignore_index=True) if len(kept) else new.reset_index(drop=True)
            del kept
            final = mark_touched(final, existing.loc[stays, STORED_DECISIONS], existing.loc[~stays, "content_hash"],
                                  settings.ingest.duplicate_min_chars)
            release_memory()
            if not new.empty:  # nothing new (every file failed or was quarantined): the store stays as it is
                store.update_months(_month_writes(settings.posts_dir, stage_dir, final, existing), settings.posts_dir)
            report.rows_after = len(final)
            if not new.empty:
                erasure.record_aliases(settings, aliases)
        finally:
            staging.remove_staging_folder(stage_dir)

        if not quarantine.empty:
            report.quarantine_file = settings.quarantine_dir / f"{now.strftime('%Y%m%dT%H%M%SZ')}-ingest.csv"
            store.write_table_atomic(quarantine.drop(columns=["input_file"]), report.quarantine_file)
    return report
