"""CSV and XLSX exports through a column mapping (user YAML or a built-in preset such as CrowdTangle).

Handles UTF-8 with or without BOM and Windows-1252, comma / semicolon / tab separators, header rows
above the table (comment-export tools write a title block first), Excel date cells and day-first dates.
CSV is read in chunks, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from feedback_analysis.ingest.common import IngestError, InputFile
from feedback_analysis.packaged import load_yaml
from feedback_analysis.schema import COUNT_COLUMNS, RAW_COLUMNS

# Canonical names a mapping may use; `group` maps to the store's `group_name`.
CANONICAL_KEYS = ("post_id", "parent_id", "thread_id", "author", "created_at", "text", "group", "url", "kind", *COUNT_COLUMNS)
OPTION_KEYS = {"dayfirst", "id_prefix", "sheet"}
HEADER_SEARCH_ROWS = 30
# Python's csv module refuses fields over 128 KiB by default; a long post in the first rows is legal.
FIELD_LIMIT = 1 << 30
TABULAR_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class ColumnMapping:
    """Canonical name -> column name in the file, plus the source label and reader options."""

    columns: dict[str, str]
    source: str | None = None
    requires: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    origin: str = "mapping"

    def required_columns(self) -> tuple[str, ...]:
        return self.requires or tuple(self.columns.values())


def load_mapping(path: Path) -> ColumnMapping:
    """Read a column-mapping YAML (``text: message`` ...); unknown keys raise IngestError."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise IngestError(str(path), "column mapping file not found") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise IngestError(str(path), f"cannot read column mapping: {exc.__class__.__name__}") from exc
    if not isinstance(data, dict) or not data:
        raise IngestError(str(path), "column mapping must be a YAML mapping such as 'text: message'")
    options = data.pop("options", None) or {}
    if not isinstance(options, dict):
        raise IngestError(str(path), f"'options' must be a mapping such as 'dayfirst: true', got {type(options).__name__}")
    bad_values = sorted(str(key) for key, value in data.items() if not isinstance(value, (str, int, float)) or isinstance(value, bool))
    if bad_values:
        raise IngestError(str(path), f"column names must be plain text; not for {', '.join(bad_values)}")
    unknown = sorted(set(data) - set(CANONICAL_KEYS))
    if unknown:
        raise IngestError(str(path), f"unknown canonical name(s) {', '.join(unknown)}; use {', '.join(CANONICAL_KEYS)}")
    bad_options = sorted(set(options) - OPTION_KEYS)
    if bad_options:
        raise IngestError(str(path), f"unknown option(s) {', '.join(bad_options)}; use {', '.join(sorted(OPTION_KEYS))}")
    if "text" not in data or "created_at" not in data:
        raise IngestError(str(path), "column mapping needs at least 'text' and 'created_at'")
    return ColumnMapping({key: str(value) for key, value in data.items()}, options=options, origin=str(path))


def load_presets() -> list[ColumnMapping]:
    """The built-in column mappings of known export tools (``resources/column_presets.yaml``)."""
    presets = []
    for name, spec in load_yaml("column_presets.yaml").items():
        presets.append(ColumnMapping(dict(spec["columns"]), spec.get("source"), tuple(spec.get("requires", ())), origin=f"preset {name}"))
    return presets


# --- reading the table -------------------------------------------------------------------------

def detect_encoding(source: InputFile) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else cp1252 (Excel's 'CSV' on Windows)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with source.opener() as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _head_lines(source: InputFile, encoding: str, lines: int = HEADER_SEARCH_ROWS) -> list[str]:
    with source.opener() as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
        return [line for _, line in zip(range(lines), text)]


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
        return max(counts, key=counts.get)


def _find_header(rows: list[list[str]], mappings: list[ColumnMapping]) -> tuple[int, ColumnMapping] | None:
    for index, row in enumerate(rows):
        cells = {str(cell).strip() for cell in row}
        for mapping in mappings:
            if set(mapping.required_columns()) <= cells:
                return index, mapping
    return None


def _no_mapping_error(source: InputFile, rows: list[list[str]], mapping: ColumnMapping | None) -> IngestError:
    header = [str(c).strip() for c in (rows[0] if rows else []) if str(c).strip()]
    if mapping is not None:
        missing = [c for c in mapping.required_columns() if c not in header]
        return IngestError(source.name, f"columns {missing} of {mapping.origin} not found; columns found: {header}")
    return IngestError(
        source.name,
        f"no column mapping fits; columns found: {header}. Pass --columns MAP.yaml naming at least "
        "'text: <column>' and 'created_at: <column>'",
    )


def _mapped_frame(table: pd.DataFrame, mapping: ColumnMapping, source_name: str, source: str, first_row: int,
                  group: str | None, with_raw: bool = True) -> pd.DataFrame:
    """Rename mapped columns to the raw-table columns; keep the original row as JSON for quarantine
    (unless ``with_raw`` is False: a first pass that only looks for names does not need it)."""
    table = table.reset_index(drop=True)
    out = pd.DataFrame(index=table.index)
    for key, column in mapping.columns.items():
        if column not in table.columns:
            continue
        target = "group_name" if key == "group" else key
        out[target] = table[column]
    for column in RAW_COLUMNS:
        if column not in out.columns:
            out[column] = None
    out = out.astype("object")
    out = out.where(out.notna(), None)
    out["source"] = source
    out["source_file"] = source_name
    out["source_row"] = range(first_row, first_row + len(table))
    if group:
        out["group_name"] = group
    prefix = mapping.options.get("id_prefix")
    if prefix:
        for column in ("post_id", "parent_id", "thread_id"):
            out[column] = [None if v in (None, "") else f"{prefix}:{v}" for v in out[column]]
    if with_raw and len(table):
        # split on "\n" only: JSON escapes it inside strings, but not U+0085 or U+2028, which splitlines() splits on
        out["raw"] = table.astype(str).to_json(orient="records", lines=True, force_ascii=False).rstrip("\n").split("\n")
    return out.reindex(columns=list(RAW_COLUMNS))


def read_csv(source: InputFile, mapping: ColumnMapping | None = None, group: str | None = None, chunk_rows: int = 50_000,
             with_raw: bool = True) -> Iterator[pd.DataFrame]:
    """Raw rows from a CSV export, in chunks. Without ``mapping`` the presets are tried."""
    if source.size == 0:
        raise IngestError(source.name, "file is empty")
    encoding = detect_encoding(source)
    head = _head_lines(source, encoding)
    if not "".join(head).strip():
        raise IngestError(source.name, "file is empty")
    delimiter = "\t" if source.suffix == ".tsv" else _sniff_delimiter("".join(head))
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    try:
        rows = list(csv.reader(head, delimiter=delimiter))
    except csv.Error as exc:
        raise IngestError(source.name, f"cannot parse CSV: {exc}") from exc
    candidates = [mapping] if mapping else load_presets()
    found = _find_header(rows, candidates)
    if found is None:
        raise _no_mapping_error(source, rows, mapping)
    header_index, chosen = found
    label = chosen.source or "csv"
    done = 0  # rows already yielded when a malformed row further down stops the fast parser
    with source.opener() as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
        try:
            reader = pd.read_csv(
                text, sep=delimiter, skiprows=header_index, dtype=str, keep_default_na=False,
                chunksize=chunk_rows, engine="c", skipinitialspace=False, on_bad_lines="error",
            )
            first = header_index + 2  # 1-based line number of the first data row
            for chunk in reader:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                yield _mapped_frame(chunk, chosen, source.name, label, first, group, with_raw)
                first += len(chunk)
                done += len(chunk)
            return
        except pd.errors.ParserError as exc:
            if "fields" not in str(exc):
                raise IngestError(source.name, f"cannot parse CSV: {(str(exc).splitlines() or [''])[0]}") from exc
        except (pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as exc:
            raise IngestError(source.name, f"cannot parse CSV: {(str(exc).splitlines() or [''])[0]}") from exc
    # Rows with the wrong number of fields: read again, tolerantly, and quarantine those rows.
    yield from _read_csv_tolerant(source, encoding, delimiter, header_index, chosen, label, group, chunk_rows, with_raw, done)


def _read_csv_tolerant(source: InputFile, encoding: str, delimiter: str, header_index: int, chosen: ColumnMapping,
                       label: str, group: str | None, chunk_rows: int, with_raw: bool, skip: int = 0) -> Iterator[pd.DataFrame]:
    """A CSV with malformed rows (too many fields), read with the slower Python parser: good rows as
    usual, each malformed row as a row with a ``problem`` (it goes to quarantine with its fields).
    The first ``skip`` good rows were yielded already (by the fast parser) and are passed over."""
    bad: list[list[str]] = []
    expected = 0
    with source.opener() as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
        try:
            reader = pd.read_csv(text, sep=delimiter, skiprows=header_index, dtype=str, keep_default_na=False,
                                 engine="python", chunksize=chunk_rows, on_bad_lines=lambda fields: bad.append(fields) or None)
            start = 0
            for table in reader:
                table.columns = [str(c).strip() for c in table.columns]
                expected = len(table.columns)
                passed = min(skip, len(table))
                skip -= passed
                if passed < len(table):
                    yield _mapped_frame(table.iloc[passed:], chosen, source.name, label, header_index + 2 + start + passed,
                                        group, with_raw)
                start += len(table)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, csv.Error) as exc:
            raise IngestError(source.name, f"cannot parse CSV: {(str(exc).splitlines() or [''])[0]}") from exc
    if bad:
        yield pd.DataFrame([{
            **dict.fromkeys(RAW_COLUMNS), "source": label, "source_file": source.name,
            "raw": json.dumps(fields, ensure_ascii=False),
            "problem": f"malformed CSV row: {len(fields)} fields where the header has {expected}",
        } for fields in bad], columns=list(RAW_COLUMNS)).astype("object")


# Cell texts that pandas reads as missing (as ``pd.read_excel`` did before XLSX was read in chunks).
_NA_TEXTS = frozenset({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                       "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})


def _cell_value(cell: Any) -> Any:
    """A worksheet cell as pandas reads it: whole numbers as int, errors and blanks as missing."""
    value = cell.value
    if value is None or cell.data_type == "e":
        return None
    if cell.data_type == "n" and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value in _NA_TEXTS:
        return None
    return value


def _sheet_rows(source: InputFile, sheet: str | int) -> Iterator[list[Any]]:
    """The rows of one worksheet, read in openpyxl's read-only mode (one row in memory at a time)."""
    import openpyxl

    try:
        with source.opener() as handle:
            data = handle if handle.seekable() else io.BytesIO(handle.read())
            workbook = openpyxl.load_workbook(data, read_only=True, data_only=True, keep_links=False)
            try:
                worksheet = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
                rows = worksheet.iter_rows()
                while True:
                    try:
                        row = next(rows)
                    except StopIteration:
                        return
                    yield [_cell_value(cell) for cell in row]
            finally:
                workbook.close()
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        raise IngestError(source.name, f"cannot read XLSX workbook ({exc.__class__.__name__})") from exc


def read_xlsx(source: InputFile, mapping: ColumnMapping | None = None, group: str | None = None,
              chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """Raw rows from an XLSX export, at most ``chunk_rows`` per frame; header rows above the table
    are skipped, empty rows dropped. Excel dates stay datetimes."""
    if source.size == 0:
        raise IngestError(source.name, "file is empty")
    sheet = (mapping.options.get("sheet") if mapping else None) or 0
    rows = _sheet_rows(source, sheet)
    head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows)]
    texts = [["" if c is None else str(c) for c in row] for row in head]
    candidates = [mapping] if mapping else load_presets()
    found = _find_header(texts, candidates)
    if found is None:
        raise _no_mapping_error(source, texts, mapping)
    header_index, chosen = found
    width = max((_used_width(row) for row in head), default=0)
    header = head[header_index] + [None] * max(0, width - len(head[header_index]))
    columns = [str(c).strip() if c is not None else f"column_{i}" for i, c in enumerate(header[:width])]
    label = chosen.source or "xlsx"
    body: list[list[Any]] = []
    numbers: list[int] = []
    yielded = False
    for number, row in enumerate(itertools.chain(head[header_index + 1:], rows), start=header_index + 2):
        if not any(value is not None for value in row):
            continue
        if len(row) > width and any(value is not None for value in row[width:]):
            width = _used_width(row)  # a wider row further down: name its extra columns
            columns += [f"column_{i}" for i in range(len(columns), width)]
        body.append(row[:width] + [None] * (width - len(row)))
        numbers.append(number)
        if len(body) >= chunk_rows:
            yield _xlsx_frame(body, numbers, columns, chosen, source.name, label, group)
            body, numbers, yielded = [], [], True
    if body or not yielded:
        yield _xlsx_frame(body, numbers, columns, chosen, source.name, label, group)


def _used_width(row: list[Any]) -> int:
    """The number of cells up to the last one with a value."""
    for index in range(len(row) - 1, -1, -1):
        if row[index] is not None:
            return index + 1
    return 0


def _xlsx_frame(body: list[list[Any]], numbers: list[int], columns: list[str], chosen: ColumnMapping,
                name: str, label: str, group: str | None) -> pd.DataFrame:
    table = pd.DataFrame([row + [None] * (len(columns) - len(row)) for row in body], columns=columns, dtype=object)
    table = table.where(table.notna(), "")
    frame = _mapped_frame(table, chosen, name, label, numbers[0] if numbers else 0, group)
    frame["source_row"] = numbers  # Excel row numbers: empty rows are skipped, not counted
    return frame


def read_plain_csv(path: Path) -> pd.DataFrame:
    """Any CSV as a table of strings, every row and column kept in order (for ``score``).

    Encoding (UTF-8 with or without BOM, Windows-1252) and separator are detected as for exports.
    """
    source = InputFile.from_path(Path(path))
    if source.size == 0:
        raise IngestError(source.name, "file is empty")
    encoding = detect_encoding(source)
    delimiter = _sniff_delimiter("".join(_head_lines(source, encoding)))
    try:
        with source.opener() as handle:
            return pd.read_csv(io.TextIOWrapper(handle, encoding=encoding, newline=""), sep=delimiter, dtype=str,
                               keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise IngestError(source.name, f"cannot parse CSV: {str(exc).splitlines()[0]}") from exc
