"""Readers, one per export format, each returning raw rows (:data:`feedback_analysis.schema.RAW_COLUMNS`).

:func:`discover_inputs` turns the paths a user gives (files, folders, ZIP archives) into input files;
:func:`read_export` detects the format of one file and yields its raw rows in chunks.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from feedback_analysis.ingest.common import IngestError, InputFile, load_json
from feedback_analysis.ingest.dyi import dyi_places, is_dyi_shape, read_dyi, stream_dyi
from feedback_analysis.ingest.graph import NotGraph, graph_layout, is_graph_shape, read_graph, stream_graph
from feedback_analysis.ingest.scraper import JSONL_SUFFIXES, is_scraper_shape, read_scraper
from feedback_analysis.ingest.tabular import TABULAR_SUFFIXES, ColumnMapping, load_mapping, read_csv, read_xlsx

FORMATS = ("auto", "dyi", "graph", "scraper", "csv", "xlsx")
JSON_SUFFIXES = (".json", *JSONL_SUFFIXES)
DATA_SUFFIXES = JSON_SUFFIXES + TABULAR_SUFFIXES
UNKNOWN_JSON = "unknown JSON format (not a Facebook DYI, Graph API or facebook-scraper file)"
HTML_ERROR = "this is the HTML variant of a Facebook download; export it again as JSON (Download your information > Format: JSON)"

__all__ = [
    "FORMATS", "IngestError", "NotAnExport", "InputFile", "ColumnMapping", "discover_inputs", "load_mapping", "read_export",
]


class NotAnExport(IngestError):
    """A file inside a folder or archive that holds no posts or comments (DYI archives have many)."""


@dataclass(frozen=True)
class Discovered:
    file: InputFile
    in_collection: bool  # found inside a folder or archive rather than named by the user
    error: IngestError | None = None  # an archive in a folder that cannot be opened: its own error


def _looks_like_html_export(names: list[str]) -> bool:
    lowered = [n.lower() for n in names]
    has_html = any(n.endswith((".html", ".htm")) for n in lowered)
    has_data = any(n.endswith(DATA_SUFFIXES) for n in lowered)
    return has_html and not has_data


def discover_inputs(path: Path) -> Iterator[Discovered]:
    """Input files under ``path``: the file itself, every data file in a folder, every member of a ZIP."""
    path = Path(path)
    if not path.exists():
        raise IngestError(str(path), "no such file or folder")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if _looks_like_html_export([p.name for p in files]):
            raise IngestError(str(path), HTML_ERROR)
        for file in files:
            if file.suffix.lower() == ".zip":
                try:
                    found = list(discover_inputs(file))
                except IngestError as exc:  # one broken archive never hides the folder's other files
                    found = [Discovered(InputFile.from_path(file), True, exc)]
                yield from found
            elif file.suffix.lower() in DATA_SUFFIXES:
                yield Discovered(InputFile.from_path(file), True)
        return
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
        except (zipfile.BadZipFile, OSError) as exc:
            raise IngestError(str(path), f"not a readable ZIP archive ({exc})") from exc
        if _looks_like_html_export([m.filename for m in members]):
            raise IngestError(str(path), HTML_ERROR)
        for info in sorted(members, key=lambda m: m.filename):
            if Path(info.filename).suffix.lower() in DATA_SUFFIXES and not Path(info.filename).name.startswith("."):
                yield Discovered(InputFile.from_zip_member(path, info), True)
        return
    if path.suffix.lower() in (".html", ".htm"):
        raise IngestError(str(path), HTML_ERROR)
    yield Discovered(InputFile.from_path(path), False)


def sibling_mapping(source: InputFile) -> ColumnMapping | None:
    """The mapping saved beside a CSV/XLSX as ``<name>.columns.yaml``, if there is one."""
    if "!" in source.name:
        return None
    candidate = Path(source.name).with_suffix(".columns.yaml")
    return load_mapping(candidate) if candidate.is_file() else None


def _json_format(data: object) -> str | None:
    if is_dyi_shape(data):
        return "dyi"
    if is_scraper_shape(data):
        return "scraper"
    if is_graph_shape(data):
        return "graph"
    return None


def read_export(
    source: InputFile,
    fmt: str = "auto",
    mapping: ColumnMapping | None = None,
    group: str | None = None,
    chunk_rows: int = 50_000,
    with_raw: bool = True,
) -> Iterator[pd.DataFrame]:
    """Yield raw-row chunks of one input file (at most ``chunk_rows`` rows each), detecting its
    format unless ``fmt`` names it. ``with_raw=False`` lets readers skip the ``raw`` column."""
    for frame in _read_frames(source, fmt, mapping, group, chunk_rows, with_raw):
        for start in range(0, len(frame), chunk_rows):
            yield frame.iloc[start:start + chunk_rows]


def _read_frames(
    source: InputFile, fmt: str, mapping: ColumnMapping | None, group: str | None, chunk_rows: int, with_raw: bool
) -> Iterator[pd.DataFrame]:
    if fmt not in FORMATS:
        raise IngestError(source.name, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    suffix = source.suffix
    if mapping is None and suffix in TABULAR_SUFFIXES:
        mapping = sibling_mapping(source)
    if fmt == "xlsx" or (fmt == "auto" and suffix in (".xlsx", ".xlsm")):
        yield from read_xlsx(source, mapping, group, chunk_rows)
        return
    if fmt == "csv" or (fmt == "auto" and suffix in (".csv", ".tsv", ".txt")):
        yield from read_csv(source, mapping, group, chunk_rows, with_raw)
        return
    if fmt == "scraper" and suffix in JSONL_SUFFIXES or fmt == "auto" and suffix in JSONL_SUFFIXES:
        yield from read_scraper(source, group)
        return
    if suffix not in (".json", *JSONL_SUFFIXES) and fmt == "auto":
        raise IngestError(source.name, f"unknown file type {suffix or '(none)'}; expected JSON, JSON lines, CSV or XLSX")
    if fmt in ("auto", "dyi"):  # DYI files can be large: stream them when their start shows the layout
        places = dyi_places(source)
        if places is not None:
            yield from stream_dyi(source, places, group, chunk_rows)
            return
    if fmt in ("auto", "graph"):  # so can Graph API pages and objects by id
        layout = graph_layout(source)
        if layout is not None:
            try:
                yield from stream_graph(source, layout, group, chunk_rows)
            except NotGraph as exc:
                if fmt == "graph":
                    raise
                raise NotAnExport(source.name, UNKNOWN_JSON) from exc
            return
    data = load_json(source)
    detected = fmt if fmt != "auto" else _json_format(data)
    if detected is None:
        if data in ([], {}):
            return
        raise NotAnExport(source.name, UNKNOWN_JSON)
    if detected == "dyi":
        yield read_dyi(source, group, data)
    elif detected == "graph":
        yield read_graph(source, group, data)
    elif detected == "scraper":
        yield from read_scraper(source, group, data)
    else:
        raise IngestError(source.name, f"format {detected} is for CSV/XLSX files, not JSON")
