"""Reading CSV (any delimiter, UTF-8 with/without BOM, GB18030), XLSX, JSON and JSON Lines; writing exports."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

FORMATS = ("csv", "xlsx", "json", "jsonl")
ENCODINGS = ("utf-8-sig", "gb18030")


class FormatError(ValueError):
    """The file cannot be read as a table (unknown format, undecodable bytes, bad JSON)."""


class TableTooLarge(FormatError):
    """The file is past one of the reading caps (XLSX: unpacked size, compression ratio, rows, columns, cells)."""


RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024  # small members (styles, a tiny sheet) may compress very well


@dataclass(frozen=True)
class XlsxLimits:
    """What reading one XLSX workbook may cost; each cap is a setting (see :class:`crn.config.Settings`).

    An XLSX file is a zip archive: a few KB can unpack to gigabytes (a zip bomb), or declare a sheet whose
    extent (A1:XFD1048576, or one cell at XFD1048576) makes a reader walk billions of empty cells. Both are
    refused before a row is read.
    """

    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_rows: int
    max_columns: int
    max_cells: int

    @classmethod
    def from_settings(cls, settings: Any = None) -> "XlsxLimits":
        """The caps from the settings (read from the environment when none are given)."""
        if settings is None:
            from crn.config import get_settings

            settings = get_settings()
        return cls(max_uncompressed_bytes=settings.xlsx_max_uncompressed_bytes,
                   max_compression_ratio=settings.xlsx_max_compression_ratio,
                   max_rows=settings.xlsx_max_rows, max_columns=settings.xlsx_max_columns,
                   max_cells=settings.xlsx_max_cells)


@dataclass
class Table:
    """Rows read from a file: the header names in file order and (row number, {header: value}) pairs.

    Row numbers are the ones a person sees: for CSV/XLSX the header is row 1, so data starts at 2;
    for JSON/JSON Lines they count records (JSON Lines: lines) from 1.
    """

    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def detect_format(path: Path, explicit: str | None = None) -> str:
    """The file's format from ``explicit`` or its suffix (.csv/.tsv/.txt, .xlsx, .json, .jsonl/.ndjson)."""
    if explicit:
        if explicit not in FORMATS:
            raise FormatError(f"unknown format {explicit!r}; choose one of {', '.join(FORMATS)}")
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise FormatError(f"cannot tell the format of {path.name}; use a .csv, .xlsx, .json or .jsonl file")


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not) or, failing that, GB18030; return (text, encoding)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FormatError("the file is neither UTF-8 nor GB18030 text; save it as UTF-8")


def read_table(path: Path | str, fmt: str | None = None, *, xlsx_limits: XlsxLimits | None = None) -> Table:
    """Read a whole file into a :class:`Table`; an XLSX workbook within ``xlsx_limits`` (default: the settings)."""
    path = Path(path)
    fmt = detect_format(path, fmt)
    if fmt == "xlsx":
        return _read_xlsx(path, xlsx_limits or XlsxLimits.from_settings())
    text, encoding = decode(path.read_bytes())
    if fmt == "csv":
        return _read_csv(text, encoding)
    if fmt == "json":
        return _read_json(text, encoding)
    return _read_jsonl(text, encoding)


DELIMITERS = (",", ";", "\t", "|")
SNIFF_ROWS = 20


def detect_delimiter(text: str) -> str:
    r"""The delimiter that splits the first rows into the same number of fields as the header (most fields wins).

    Linear in the sample, unlike ``csv.Sniffer``, whose regular expressions take quadratic time: 64 KB of
    ``a,"b`` lines cost it about 20 s of CPU, which one small upload could ask for again and again.

    >>> detect_delimiter("name;title\nAnn;CEO, founder\n")
    ';'
    >>> detect_delimiter("name\nAnn\n")
    ','
    """
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in itertools.islice(csv.reader(io.StringIO(text[:64 * 1024], newline=""),
                                                           delimiter=delimiter), SNIFF_ROWS) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(text: str, encoding: str) -> Table:
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        try:
            headers = [h.strip() for h in next(reader)]
        except StopIteration:
            return Table([], [], "csv", encoding, delimiter)
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            rows.append((number, dict(zip(headers, values))))
    except csv.Error as exc:  # e.g. a field past csv.field_size_limit() (128 KiB)
        raise FormatError(f"line {reader.line_num}: {exc}; check the quoting, or split the long value") from exc
    return Table(headers, rows, "csv", encoding, delimiter)


def check_xlsx_archive(path: Path, limits: XlsxLimits) -> None:
    """Refuse a workbook whose zip members unpack past the caps, before anything is decompressed.

    The sizes are the ones the archive declares; Python's zipfile never inflates a member past its declared
    size (and fails its CRC check if the data disagree), so a lying header cannot get more through.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FormatError(f"{path.name} is not a readable XLSX workbook (not a zip archive: {exc})") from exc
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise TableTooLarge(
            f"{path.name} unpacks to {total} bytes, more than the {limits.max_uncompressed_bytes // (1024 * 1024)} MB "
            "limit for an XLSX workbook (CRN_XLSX_MAX_UNCOMPRESSED_MB); split the workbook or import it as CSV")
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise TableTooLarge(
                    f"{path.name}: {member.filename} is compressed {ratio:.0f} to 1, more than the "
                    f"{limits.max_compression_ratio:g} to 1 limit for an XLSX workbook "
                    "(CRN_XLSX_MAX_COMPRESSION_RATIO); this looks like a zip bomb - save it again from a "
                    "spreadsheet program, or import it as CSV")


def sheet_extent(source: Any) -> tuple[int, int, int]:
    """(last row, last column, cells) that a worksheet's XML really holds, whatever its <dimension> declares.

    Streams the XML (defusedxml when installed, as openpyxl does) without building the cells, numbering rows
    and cells without an ``r`` attribute the way openpyxl does; the work grows with the XML, never with the
    empty cells between two far-apart coordinates.
    """
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    row_tag, cell_tag, data_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c", f"{{{SHEET_MAIN_NS}}}sheetData"
    last_row = last_column = cells = row = column = 0
    sheet_data = None
    for _, element in iterparse(source, events=("start",)):
        tag = element.tag
        if tag == cell_tag:
            coordinate = element.get("r")
            if coordinate:
                try:
                    column = column_index_from_string(coordinate.rstrip("0123456789"))
                except ValueError as exc:
                    raise FormatError(f"{coordinate!r} is not a valid cell reference") from exc
            else:
                column += 1
            if column > last_column:
                last_column = column
            cells += 1
        elif tag == row_tag:
            if sheet_data is not None:
                sheet_data.clear()  # the rows before this one are counted: keep memory flat
            r = element.get("r")
            try:
                row = int(float(r)) if r else row + 1
            except (ValueError, OverflowError) as exc:
                raise FormatError(f"{r!r} is not a valid row number") from exc
            column = 0
            if row > last_row:
                last_row = row
        elif tag == data_tag:
            sheet_data = element
    return last_row, last_column, cells


def _check_extent(name: str, rows: int, columns: int, limits: XlsxLimits) -> None:
    if rows > limits.max_rows:
        raise TableTooLarge(f"{name}: the first sheet reaches {rows} rows, more than the {limits.max_rows} row "
                            "limit (CRN_XLSX_MAX_ROWS); split the sheet or import it as CSV")
    if columns > limits.max_columns:
        raise TableTooLarge(f"{name}: the first sheet reaches {columns} columns, more than the "
                            f"{limits.max_columns} column limit (CRN_XLSX_MAX_COLUMNS); delete the unused "
                            "columns and save again")
    if rows * columns > limits.max_cells:
        raise TableTooLarge(f"{name}: the first sheet reaches {rows} rows x {columns} columns = {rows * columns} "
                            f"cells, more than the {limits.max_cells} cell limit (CRN_XLSX_MAX_CELLS); delete "
                            "unused rows and columns (a stray cell far away counts) or split the sheet")


def _read_xlsx(path: Path, limits: XlsxLimits) -> Table:
    import openpyxl

    check_xlsx_archive(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        # openpyxl pads every row to the width the sheet declares (<dimension ref="A1:XFD1048576">) and every
        # gap between rows with empty rows, so a few KB can cost billions of cells. Measure what the XML
        # really holds, refuse it past the caps, and read exactly that extent, whatever is declared.
        try:
            with sheet._get_source() as source:  # noqa: SLF001 - the sheet's own XML member in the open archive
                rows, columns, _ = sheet_extent(source)
        except SyntaxError as exc:  # xml.etree.ElementTree.ParseError
            raise FormatError(f"{path.name}: the first sheet is not well-formed XML ({exc}); save it again") from exc
        _check_extent(path.name, rows, columns, limits)
        if not rows or not columns:
            return Table([], [], "xlsx")
        it = sheet.iter_rows(min_row=1, max_row=rows, min_col=1, max_col=columns, values_only=True)
        try:
            headers = [str(h).strip() if h is not None else "" for h in next(it)]
        except StopIteration:
            return Table([], [], "xlsx")
        table_rows = []
        for number, values in enumerate(it, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            table_rows.append((number, {h: ("" if v is None else v) for h, v in zip(headers, values) if h}))
    finally:
        book.close()
    return Table(headers, table_rows, "xlsx")


def _read_json(text: str, encoding: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise FormatError("the JSON is nested too deeply to read; send a list of flat objects") from exc
    if isinstance(data, dict):
        for key in ("rows", "records", "data", "items", "results"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise FormatError("JSON must be a list of objects (or an object with a 'rows' list)")
    return _objects_table(list(enumerate(data, start=1)), "json", encoding)


def _read_jsonl(text: str, encoding: str) -> Table:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            items.append((number, {"__error__": f"invalid JSON: {exc.msg}"}))
        except RecursionError:
            items.append((number, {"__error__": "nested too deeply"}))
    return _objects_table(items, "jsonl", encoding)


def _objects_table(items: list[tuple[int, Any]], fmt: str, encoding: str) -> Table:
    headers: dict[str, None] = {}
    rows = []
    for number, obj in items:
        if not isinstance(obj, dict):
            obj = {"__error__": "not a JSON object"}
        for key in obj:
            headers.setdefault(str(key), None)
        rows.append((number, obj))
    return Table([h for h in headers if h != "__error__"], rows, fmt, encoding)


# -- writing -----------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def safe_cell(value: Any) -> Any:
    """A cell value that a spreadsheet will not execute: text starting with = + - @ gets a leading quote."""
    value = _cell(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_table(path: Path | str, headers: list[str], rows: Iterable[dict[str, Any]], fmt: str) -> int:
    """Write rows to CSV (UTF-8 with BOM, so Excel reads Chinese), XLSX or JSON; return the row count."""
    path = Path(path)
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([safe_cell(row.get(h)) for h in headers])
                count += 1
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("export")
        sheet.append(headers)
        for row in rows:
            sheet.append([safe_cell(row.get(h)) for h in headers])
            count += 1
        book.save(path)
    elif fmt in ("json", "jsonl"):
        with path.open("w", encoding="utf-8") as fh:
            if fmt == "json":
                fh.write("[\n")
            for row in rows:
                line = json.dumps({h: _cell(row.get(h)) if not isinstance(row.get(h), list) else row.get(h)
                                   for h in headers}, ensure_ascii=False, default=str)
                if fmt == "json":
                    fh.write((",\n" if count else "") + line)
                else:
                    fh.write(line + "\n")
                count += 1
            if fmt == "json":
                fh.write("\n]\n")
    else:
        raise FormatError(f"cannot write format {fmt!r}; choose csv, xlsx or json")
    return count


def iter_lines(path: Path | str) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a JSON Lines file."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
