"""Reading CSV (any delimiter, UTF-8 with/without BOM, GB18030), XLSX, JSON and JSON Lines; writing exports."""

from __future__ import annotations

import csv
import io
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


def read_table(path: Path | str, fmt: str | None = None) -> Table:
    """Read a whole file into a :class:`Table`."""
    path = Path(path)
    fmt = detect_format(path, fmt)
    if fmt == "xlsx":
        return _read_xlsx(path)
    text, encoding = decode(path.read_bytes())
    if fmt == "csv":
        return _read_csv(text, encoding)
    if fmt == "json":
        return _read_json(text, encoding)
    return _read_jsonl(text, encoding)


def _read_csv(text: str, encoding: str) -> Table:
    sample = text[:64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        return Table([], [], "csv", encoding, delimiter)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, dict(zip(headers, values))))
    return Table(headers, rows, "csv", encoding, delimiter)


def _read_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise FormatError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(it)]
    except StopIteration:
        return Table([], [], "xlsx")
    rows = []
    for number, values in enumerate(it, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((number, {h: ("" if v is None else v) for h, v in zip(headers, values) if h}))
    book.close()
    return Table(headers, rows, "xlsx")


def _read_json(text: str, encoding: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"invalid JSON: {exc}") from exc
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
