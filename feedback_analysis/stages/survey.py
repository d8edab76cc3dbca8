"""Ingest, step 1: what each file yields (``FileSummary``, ``IngestReport``), the survey that reads every
file once to find the names to mask and the files that cannot be read, and the one-line error a file gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from feedback_analysis import clean
from feedback_analysis.config import Settings
from feedback_analysis.ingest import (
    ColumnMapping,
    IngestError,
    InputFile,
    NotAnExport,
    discover_inputs,
    read_export,
)
from feedback_analysis.progress import ProgressCallback, no_progress
from feedback_analysis.stages.memory import release_memory


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
    """What `ingest` did, file by file, and the store's size before and after."""

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


@dataclass(frozen=True)
class _ReadOptions:
    fmt: str
    mapping: ColumnMapping | None
    group: str | None
    chunk_rows: int

    def chunks(self, source: InputFile, with_raw: bool = True) -> Iterator[pd.DataFrame]:
        return read_export(source, self.fmt, self.mapping, self.group, self.chunk_rows, with_raw)


# --- step 1: survey ----------------------------------------------------------------------------

def _problem(exc: BaseException) -> str:
    """A one-line description of why a file could not be read, for ``<file>: <problem>``."""
    if isinstance(exc, IngestError):
        return exc.problem
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (over the recursion limit)"
    if isinstance(exc, MemoryError):
        return "too large to read in memory"
    first_line = (str(exc).splitlines() or [""])[0][:200]
    return f"could not be read or cleaned ({exc.__class__.__name__}{': ' + first_line if first_line else ''})"


def file_error(name: str, exc: BaseException) -> str:
    """``<file>: <problem>`` on one line, whatever went wrong while reading or cleaning the file."""
    if isinstance(exc, IngestError) and exc.name == name:
        return str(exc).replace("\n", " ")
    return f"{name}: {_problem(exc)}".replace("\n", " ")


def _survey(paths: Iterable[Path], options: _ReadOptions, report: IngestReport,
            notify: Callable[[str], None], progress: ProgressCallback = no_progress,
            ) -> tuple[list[InputFile], set[str], dict[str, str]]:
    """Readable files and the names seen in them; unreadable files are reported, not used.

    A path that holds nothing readable at all (an empty folder, a folder of other files) is an error.
    ``progress`` hears of the files read ("files").
    """
    readable: list[InputFile] = []
    names: set[str] = set()
    labels: dict[str, str] = {}
    found: list[tuple[Path, list | Exception]] = []
    for path in paths:  # listed first, so that the progress bar knows how many files there are
        try:
            found.append((path, list(discover_inputs(Path(path)))))
        except Exception as exc:  # noqa: BLE001 - any failure is this path's one-line error
            found.append((path, exc))
    total = sum(len(items) for _, items in found if isinstance(items, list))
    done = 0
    progress("files", done, total)
    for path, discovered in found:
        before = len(readable)
        errors_before = len(report.errors)
        if isinstance(discovered, Exception):
            report.files.append(FileSummary(str(path), error=file_error(str(path), discovered)))
            continue
        for item in discovered:
            done += 1
            progress("files", done, total)
            summary = FileSummary(item.file.name)
            report.files.append(summary)
            if item.error is not None:
                summary.error = str(item.error)
                continue
            file_names: set[str] = set()
            try:
                for chunk in options.chunks(item.file, with_raw=False):
                    summary.read += len(chunk)
                    file_names |= clean.names_in(chunk)
                    del chunk
                    release_memory()  # else the freed chunks stay with the process: the peak would follow the file
            except NotAnExport as exc:
                summary.read = 0
                if item.in_collection:
                    summary.ignored = True  # DYI archives hold many files without posts
                else:
                    summary.error = str(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - one file's failure never costs the others
                summary.read = 0
                summary.error = file_error(item.file.name, exc)
                continue
            readable.append(item.file)
            labels[item.file.name] = relative_label(Path(path), item.file.name)
            names |= file_names
            notify(f"read {summary.read} rows from {item.file.name}")
        if len(readable) == before and len(report.errors) == errors_before:
            report.files.append(FileSummary(str(path), error=f"{path}: no readable export found (expected Facebook "
                                            "DYI or Graph API JSON, facebook-scraper JSON lines, CSV or XLSX)"))
    return readable, names, labels


def relative_label(root: Path, name: str) -> str:
    """``name`` as the store keeps it: relative to the folder the user gave (``sub/x.json``), or the
    file's own name when a file was given, so no home folder or account path is ever stored."""
    archive, bang, member = name.partition("!")
    path = Path(archive)
    try:
        relative = path.relative_to(root).as_posix() if root.is_dir() else path.name
    except ValueError:
        relative = path.name
    return f"{relative}!{member}" if bang else relative


def plausible_window(settings: Settings) -> clean.PlausibleWindow:
    """The creation times accepted at ingest, from ``ingest.plausible_from`` and ``ingest.max_days_ahead``."""
    earliest = pd.Timestamp(str(settings.ingest.plausible_from), tz="UTC")
    latest = pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=settings.ingest.max_days_ahead)
    return clean.PlausibleWindow(earliest, latest)
