"""What a data protection officer asks for: the retention period (:func:`purge`) and the right to
erasure (:func:`forget`), everywhere the suite keeps rows.

Both remove rows from the store, the scores, the thread summaries, the topic assignments and the
examples in the topic registry, the analysts' label files and the quarantine files, and delete the
executed report notebooks that showed them. ``forget`` marks the monthly reports of the affected
months for rebuild (``report --pending`` rebuilds them without the rows: their input fingerprint
changed and their notebook is gone). Each run appends one line to ``<data-dir>/audit.log``: when,
what, how many rows; never a name, an id or a text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from feedback_analysis import clean, privacy, store
from feedback_analysis.config import Settings
from feedback_analysis.files import write_csv_safe
from feedback_analysis.store import labels as label_store
from feedback_analysis.store import tables
from feedback_analysis.store import topics as registry_file
from feedback_analysis.store.files import read_json, write_csv_atomic, write_json_atomic, write_parquet_atomic
from feedback_analysis.store.layout import DataFolder

# Where each kind of removed row is counted, in the order the summary shows them.
TABLES = ("posts", "scores", "threads", "topic_assignments", "topic_examples", "labels", "quarantine_rows",
          "quarantine_files", "notebooks", "report_pages")
_QUARANTINE_TIME = re.compile(r"^(\d{8}T\d{6}Z)")


@dataclass
class RemovalReport:
    """What :func:`forget` or :func:`purge` removed: rows per table, months whose reports must be
    rebuilt (``forget``) or whose row-level data is gone (``purge``)."""

    operation: str
    criterion: str
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    months: list[str] = field(default_factory=list)
    reports_marked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.removed.values())

    def audit_line(self, now: pd.Timestamp) -> str:
        counts = " ".join(f"{name}={count}" for name, count in self.removed.items())
        marked = ",".join(self.reports_marked) or "-"
        return f"{now.strftime('%Y-%m-%dT%H:%M:%SZ')} {self.operation} by={self.criterion} {counts} reports_to_rebuild={marked}"


# --- the public operations ------------------------------------------------------------------------

def forget(settings: Settings, post_ids: Iterable[str] = (), urls: Iterable[str] = (),
           authors: Iterable[str] = ()) -> RemovalReport:
    """Remove posts named by id or URL, and every row of the authors named as in the export
    (matched through the salted pseudonym, so the name itself is never stored or logged)."""
    post_ids, urls, authors = [str(p).strip() for p in post_ids], [str(u).strip() for u in urls], list(authors)
    criterion = "+".join(name for name, given in (("post_id", post_ids), ("url", urls), ("author", authors)) if given)
    if not criterion:
        raise ValueError("forget needs a post id, a URL or an author name")
    author_ids: set[str] = set()
    if authors and settings.salt_path.exists():
        salt = privacy.load_or_create_salt(settings.salt_path)
        author_ids = {a for a in (privacy.pseudonymise(str(name), salt) for name in authors) if a}
        aliases = read_aliases(settings)  # a name whose rows carry the pseudonym of a platform id
        author_ids |= set(aliases.loc[aliases["author_alias"].isin(list(author_ids)), "author_id"])
    wanted_ids = {i for i in post_ids if i} | {_id_in_url(u) for u in urls if _id_in_url(u)}
    scrubbed_urls = {privacy.scrub_url(u) for u in urls if u}

    def select(posts: pd.DataFrame) -> pd.Series:
        chosen = posts["author_id"].isin(list(author_ids)) if author_ids else pd.Series(False, index=posts.index)
        if wanted_ids:
            bare = posts["post_id"].astype(str).str.split(":", n=1).str[-1]
            tail = bare.str.rsplit("_", n=1).str[-1]
            chosen |= posts["post_id"].isin(list(wanted_ids)) | bare.isin(list(wanted_ids)) | tail.isin(list(wanted_ids))
        if scrubbed_urls:
            chosen |= posts["url"].isin(list(scrubbed_urls))
        return chosen

    needles = [_normalise(n) for n in (*authors, *post_ids, *urls) if str(n).strip()]
    return _remove(settings, "forget", criterion, select, quarantine_rows=lambda raw: _mentions_any(raw, needles),
                   mark_reports=True)


def forget_author(settings: Settings, name: str) -> RemovalReport:
    """Every row of the author called ``name`` in the export, everywhere (see :func:`forget`)."""
    return forget(settings, authors=[name])


def purge(settings: Settings, retention_months: int | None = None, now: pd.Timestamp | None = None) -> RemovalReport:
    """Remove everything older than the retention period (``privacy.retention_months``, default 24):
    rows of earlier months from the store, scores, threads, topics and labels, quarantine files written
    before the cut-off, and the executed notebooks and HTML pages of those months' reports (which
    quote posts). Reports keep only their aggregate figures (``figures.json``). A retention of 0
    keeps everything."""
    months = settings.privacy.retention_months if retention_months is None else retention_months
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if months <= 0:
        return RemovalReport("purge", "retention=off")
    cutoff = cutoff_month(settings.timezone, months, now)
    report = _remove(settings, "purge", f"older_than_{cutoff}", lambda posts: posts["month"].astype(str) < cutoff,
                     quarantine_before=pd.Timestamp(f"{cutoff}-01", tz=settings.timezone).tz_convert("UTC"),
                     notebook_months=lambda month: month < cutoff, now=now)
    return report


def cutoff_month(timezone: str, months: int, now: pd.Timestamp) -> str:
    """The first month kept (YYYY-MM): ``months`` months before the month of ``now``."""
    return (now.tz_convert(timezone).tz_localize(None).to_period("M") - months).strftime("%Y-%m")


# --- one removal, everywhere -------------------------------------------------------------------------

def _remove(settings: Settings, operation: str, criterion: str, select: Callable[[pd.DataFrame], pd.Series], *,
            quarantine_rows: Callable[[str], bool] | None = None, quarantine_before: pd.Timestamp | None = None,
            notebook_months: Callable[[str], bool] | None = None, mark_reports: bool = False,
            now: pd.Timestamp | None = None) -> RemovalReport:
    report = RemovalReport(operation, criterion)
    with store.store_lock(settings.data_dir):
        posts = store.read_posts(settings.posts_dir)
        chosen = select(posts) if not posts.empty else pd.Series(False, index=posts.index)
        removed_ids = set(posts.loc[chosen, "post_id"])
        report.months = sorted(posts.loc[chosen, "month"].astype(str).unique())
        if removed_ids:
            remaining = posts[~chosen]
            remaining = clean.mark_duplicates(remaining, settings.ingest.duplicate_min_chars)
            store.write_posts(remaining, settings.posts_dir)
            report.removed["posts"] = len(removed_ids)
            report.removed["scores"] = _drop_ids_in_parquet(settings.scores_path, removed_ids)
            report.removed["threads"] = _rebuild_threads(settings, remaining, removed_ids)
            _drop_aliases(settings, remaining)
        report.removed["topic_assignments"] = _drop_assignments(settings, removed_ids, notebook_months)
        report.removed["topic_examples"] = _drop_registry_examples(settings, removed_ids)
        report.removed["labels"] = _drop_label_rows(settings, removed_ids)
        rows, files = _clean_quarantine(settings, quarantine_rows, quarantine_before)
        report.removed["quarantine_rows"], report.removed["quarantine_files"] = rows, files
        months = (lambda month: month in report.months) if mark_reports else notebook_months
        report.removed["notebooks"], marked = _drop_notebooks(settings, months, mark=mark_reports)
        report.reports_marked = marked
        if not mark_reports and notebook_months is not None:
            report.removed["report_pages"] = _drop_report_pages(settings, notebook_months)
        write_audit_line(settings, report.audit_line(now or pd.Timestamp.now(tz="UTC")))
    return report


def aliases_path(settings: Settings) -> Path:
    """Where the pseudonyms of platform ids are kept, for `forget --author`."""
    return DataFolder.of(settings).aliases


def read_aliases(settings: Settings) -> pd.DataFrame:
    """Pairs ``author_alias, author_id``: the pseudonym of a display name and the pseudonym of the
    platform id its rows carry (scraper and Graph API exports give both)."""
    path = aliases_path(settings)
    if not path.exists():
        return pd.DataFrame({"author_alias": pd.Series(dtype="object"), "author_id": pd.Series(dtype="object")})
    return pd.read_parquet(path)


def record_aliases(settings: Settings, pairs: pd.DataFrame) -> None:
    """Add the batch's ``author_alias, author_id`` pairs (both salted pseudonyms) to the alias table."""
    from feedback_analysis.store.schemas import AliasesSchema, validate

    pairs = pairs.dropna().drop_duplicates()
    if pairs.empty:
        return
    merged = pd.concat([read_aliases(settings), pairs], ignore_index=True).drop_duplicates().astype("object")
    write_parquet_atomic(validate(AliasesSchema, merged), aliases_path(settings))


def _drop_aliases(settings: Settings, remaining: pd.DataFrame) -> None:
    """Aliases of authors who have no rows left go too (after forget or purge)."""
    aliases = read_aliases(settings)
    kept = aliases[aliases["author_id"].isin(remaining["author_id"].dropna().unique())]
    if len(kept) < len(aliases):
        write_parquet_atomic(kept, aliases_path(settings))


def write_audit_line(settings: Settings, line: str) -> None:
    """Append one line to ``<data-dir>/audit.log`` (created on first use, readable by the owner only)."""
    path = settings.audit_log
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line.replace("\n", " ") + "\n")
    if new:
        path.chmod(0o600)


def _drop_ids_in_parquet(path: Path, ids: set[str]) -> int:
    if not path.exists() or not ids:
        return 0
    table = pd.read_parquet(path)
    gone = table["post_id"].isin(list(ids))
    if gone.any():
        write_parquet_atomic(table[~gone], path)
    return int(gone.sum())


def _rebuild_threads(settings: Settings, remaining: pd.DataFrame, removed_ids: set[str]) -> int:
    """Thread summaries recomputed without the removed rows (their replies no longer count)."""
    path = settings.threads_path
    if not path.exists():
        return 0
    from feedback_analysis.threads import summarise_threads

    before = tables.read_threads(settings, columns=["post_id"])
    scores = tables.read_scores(settings, columns=["post_id", "sentiment"])
    columns = ["post_id", "thread_id", "kind", "author_id", "text", "is_duplicate"]
    threads = summarise_threads(remaining[columns].merge(scores, on="post_id", how="left"))
    tables.write_threads(settings, threads)
    return int(before["post_id"].isin(list(removed_ids)).sum())


def _drop_assignments(settings: Settings, ids: set[str], old_month: Callable[[str], bool] | None) -> int:
    folder = DataFolder.of(settings).assignments
    count = 0
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if old_month is not None and old_month(path.stem):
            count += len(pd.read_parquet(path, columns=["post_id"]))
            path.unlink()
            continue
        count += _drop_ids_in_parquet(path, ids)
    return count


def _drop_registry_examples(settings: Settings, ids: set[str]) -> int:
    """Example texts of removed posts in the topic registry (the aggregate sizes and words stay)."""
    data = registry_file.read_registry(settings.topics_dir) if ids else None
    if data is None:
        return 0
    count = 0
    for row in data.get("history", []):
        pairs = list(zip(row.get("examples", []), row.get("example_ids", [])))
        kept = [(text, post_id) for text, post_id in pairs if post_id not in ids]
        count += len(pairs) - len(kept)
        row["examples"], row["example_ids"] = [t for t, _ in kept], [i for _, i in kept]
    if count:
        registry_file.write_registry(settings.topics_dir, data)
    return count


def _drop_label_rows(settings: Settings, ids: set[str]) -> int:
    count = 0
    for path in label_store.label_files(settings.labels_dir) if ids else []:
        labels = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "post_id" not in labels.columns:
            continue
        gone = labels["post_id"].isin(list(ids))
        if gone.any():
            count += int(gone.sum())
            if gone.all():
                path.unlink()
            else:  # as labelling.save_labels writes them: the learning step reads the texts back
                write_csv_atomic(labels[~gone], path)
    return count


def _quarantine_time(path: Path) -> pd.Timestamp:
    match = _QUARANTINE_TIME.match(path.name)
    if match:
        return pd.Timestamp(pd.to_datetime(match.group(1), format="%Y%m%dT%H%M%SZ"), tz="UTC")
    return pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC")


def _clean_quarantine(settings: Settings, matches: Callable[[str], bool] | None,
                      before: pd.Timestamp | None) -> tuple[int, int]:
    rows = files = 0
    folder = settings.quarantine_dir
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        if before is not None and _quarantine_time(path) < before:
            rows += len(pd.read_csv(path, dtype=str, keep_default_na=False))
            files += 1
            path.unlink()
            continue
        if matches is None:
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        gone = table.astype(str).apply(lambda row: matches(" ".join(row)), axis=1) if len(table) else pd.Series(dtype=bool)
        if gone.any():
            rows += int(gone.sum())
            if gone.all():
                path.unlink()
                files += 1
            else:
                write_csv_safe(table[~gone], path)
    return rows, files


def _drop_notebooks(settings: Settings, months: Callable[[str], bool] | None, mark: bool) -> tuple[int, list[str]]:
    """Delete executed notebooks of the chosen months (and failed runs kept for analysts); with
    ``mark``, also make the month's report count as out of date, so the next ``report --pending``
    rebuilds it. Returns (notebooks deleted, months marked)."""
    if months is None:
        return 0, []
    reports = Path(settings.reports_dir)
    count, marked = 0, []
    for folder in sorted(p for p in reports.glob("????-??") if p.is_dir() and months(p.name)):
        for notebook in folder.glob("*.ipynb"):
            notebook.unlink()
            count += 1
        if mark:
            for figures in folder.glob("figures*.json"):
                _forget_fingerprint(figures)
            marked.append(folder.name)
    failed = reports / ".failed"
    for notebook in sorted(failed.glob("rapport-*")) if failed.is_dir() else []:
        month = notebook.name[len("rapport-"):len("rapport-") + 7]
        if months(month):
            notebook.unlink()
            count += notebook.suffix == ".ipynb"
    return count, marked


def _drop_report_pages(settings: Settings, months: Callable[[str], bool]) -> int:
    """HTML reports of expired months quote posts: they go, their aggregate ``figures*.json`` stay, and
    the reports index is rewritten without them."""
    reports = Path(settings.reports_dir)
    pages = [page for folder in sorted(reports.glob("????-??")) if folder.is_dir() and months(folder.name)
             for page in folder.glob("rapport-*.html")]
    for page in pages:
        page.unlink()
    if pages and (reports / "index.html").exists():
        from feedback_analysis.report import write_index

        write_index(reports, settings.municipality)
    return len(pages)


def _forget_fingerprint(path: Path) -> None:
    try:
        content = read_json(path)
    except (OSError, ValueError):
        return
    if isinstance(content, dict):
        content["inputs"] = "rows removed: rebuild"
        write_json_atomic(content, path, indent=1, trailing_newline=True)


def _id_in_url(url: str) -> str | None:
    """The post or comment id in a Facebook link (``.../posts/777``, ``?comment_id=12``, ``story_fbid=9``)."""
    for pattern in (r"comment_id=(\d+)", r"story_fbid=(\d+)", r"/(?:posts|videos|photos|permalink)/(\d+)", r"fbid=(\d+)"):
        found = re.search(pattern, url)
        if found:
            return found.group(1)
    return None


def _normalise(value: str) -> str:
    return " ".join(str(value).casefold().split())


def _mentions_any(text: str, needles: list[str]) -> bool:
    """Whether ``text`` holds one of the needles as a whole word (an id '777' is not part of '17770')."""
    haystack = _normalise(text)
    return any(needle and re.search(rf"(?<![\w]){re.escape(needle)}(?![\w])", haystack) for needle in needles)
