"""Exports: any entity list to CSV/XLSX/JSON with filters, and the whole graph to JSON Lines and back."""

from __future__ import annotations

import json
import base64
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import neo4j.time

from crn import audit
from crn.crm import personal, records
from crn.graph import db
from crn.graph.queries import ingest as q
from crn.graph.queries.audit import LABELS as AUDIT_LABELS
from crn.graph.secrets import SECRET_PROPERTIES, strip
from crn.ingest.formats import write_table

ENTITY_LABELS = {"companies": "Company", "people": "Person", "contacts": "Person", "deals": "Deal",
                 "tickets": "Ticket", "interactions": "Interaction", "orders": "Order", "products": "Product",
                 "users": "User"}
SECRET_PROPS = SECRET_PROPERTIES  # never exported, never a filter
PAGE = 5000
GRAPH_FORMAT = "crn-graph/1"  # the meta line of a graph export


class ExportError(ValueError):
    """Unknown kind, format or filter field."""


HEADERS = ("names", "en", "zh")  # column headers: field names, English or Chinese captions (all import back)


def entity_columns(label: str) -> list[str]:
    """The field names of ``label`` (model and custom) in a stable order: id and name-like fields first."""
    names = [f.name for f in records.spec(label).fields]
    first = [n for n in ("uid", "name", "subject", "number", "email", "domain") if n in names]
    return [n for n in first + [n for n in names if n not in first] if n not in SECRET_PROPS]


def _field_props(label: str) -> dict[str, str]:
    """Field name -> the node property holding it."""
    return {f.name: f.prop for f in records.spec(label).fields}


def check_filters(label: str, filters: dict[str, str] | None) -> dict[str, str]:
    """The filters by node property, after checking each names a field of ``label``."""
    filters = filters or {}
    allowed = set(entity_columns(label)) | {"ext_key"}
    if personal.hidden():  # enforce (issue 13): no filtering on personal fields the viewer may not see
        allowed -= personal.PERSONAL.get(label, frozenset())
    unknown = set(filters) - allowed
    if unknown:
        raise ExportError(f"cannot filter {label} on {', '.join(sorted(unknown))}; fields: {', '.join(sorted(allowed))}")
    props = _field_props(label)
    return {props.get(k, k): v for k, v in filters.items()}


def iter_entities(label: str, filters: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """Every ``label`` node matching the equality ``filters`` (property = text), page by page."""
    filters = check_filters(label, filters)
    renamed = {p: n for n, p in _field_props(label).items() if p != n}  # custom fields: cf_region -> region
    after = ""
    while True:
        rows = db.read(q.export_page(label), after=after, filters=filters, limit=PAGE)
        for row in rows:  # enforce (issue 13): records the viewer may read, personal fields as they may see them
            yield {renamed.get(k, k): v for k, v in personal.hide(label, strip(row["props"])).items()}
        if len(rows) < PAGE:
            return
        after = rows[-1]["props"]["uid"]


def export_entities(kind: str, path: Path | str, fmt: str, filters: dict[str, str] | None = None,
                    headers: str = "names") -> int:
    """Write the ``kind`` list (companies, people, deals, ...) to ``path``; returns the row count.

    ``headers`` names the columns by field name (default) or by caption in English (``en``) or Chinese
    (``zh``); the importer recognises all three.
    """
    if kind not in ENTITY_LABELS:
        raise ExportError(f"unknown kind {kind!r}; choose one of {', '.join(ENTITY_LABELS)}")
    if fmt not in ("csv", "xlsx", "json"):
        raise ExportError(f"unknown format {fmt!r}; choose csv, xlsx or json")
    if headers not in HEADERS:
        raise ExportError(f"unknown headers {headers!r}; choose {', '.join(HEADERS)}")
    label = ENTITY_LABELS[kind]
    check_filters(label, filters)  # before the file is created
    columns = entity_columns(label)
    if headers == "names":
        count = write_table(path, columns, iter_entities(label, filters), fmt)
    else:
        spec = records.spec(label)
        titles = {n: spec.field(n).caption[0 if headers == "en" else 1] for n in columns}
        rows = ({titles[n]: row.get(n) for n in columns} for row in iter_entities(label, filters))
        count = write_table(path, [titles[n] for n in columns], rows, fmt)
    audit.record_alone("export", label=label, details={"what": kind, "rows": count, "format": fmt,
                                                       "filters": filters or {}})
    return count


# -- a table a page shows, as a file ---------------------------------------------------------------

TABLE_MAX_ROWS = 2000
TABLE_MAX_COLUMNS = 40
TABLE_MAX_CELL_CHARS = 2000
TABLE_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


def table_file(headers: list[str], rows: list[list[Any]], fmt: str = "xlsx") -> bytes:
    """The bytes of a spreadsheet of ``rows`` under ``headers`` (a table as a page shows it, sorted and
    filtered), written by :func:`write_table` (cells that look like formulas are neutralised).

    At most :data:`TABLE_MAX_ROWS` rows of :data:`TABLE_MAX_COLUMNS` columns, cells of text (at most
    :data:`TABLE_MAX_CELL_CHARS` characters), numbers, booleans or empty; anything else is an
    :class:`ExportError` naming the row and column.
    """
    import tempfile

    if fmt not in TABLE_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose {' or '.join(TABLE_FORMATS)}")
    if not headers or len(headers) > TABLE_MAX_COLUMNS:
        raise ExportError(f"a table has 1 to {TABLE_MAX_COLUMNS} columns, not {len(headers)}")
    if len(set(headers)) != len(headers):
        raise ExportError("two columns have the same header; give each column its own")
    if not isinstance(rows, list):
        raise ExportError("rows must be a list of rows, each a list of cells")
    if len(rows) > TABLE_MAX_ROWS:
        raise ExportError(f"a table export holds at most {TABLE_MAX_ROWS} rows, not {len(rows)}; "
                          "narrow the filters or export with `crn export`")
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(headers):
            raise ExportError(f"row {i} must be a list of {len(headers)} cells, one per header")
        for j, cell in enumerate(row):
            if cell is not None and not isinstance(cell, (str, int, float, bool)):
                raise ExportError(f"row {i}, column {headers[j]!r}: a cell is text, a number, true/false or empty")
            if isinstance(cell, str) and len(cell) > TABLE_MAX_CELL_CHARS:
                raise ExportError(f"row {i}, column {headers[j]!r}: a cell holds at most "
                                  f"{TABLE_MAX_CELL_CHARS} characters")
    with tempfile.TemporaryDirectory(prefix="crn-table-") as folder:
        path = Path(folder) / f"table.{fmt}"
        write_table(path, list(headers), (dict(zip(headers, row)) for row in rows), fmt)
        data = path.read_bytes()
    audit.record_alone("export", details={"what": "table", "rows": len(rows), "columns": list(headers), "format": fmt})
    return data


# -- graph JSON Lines ----------------------------------------------------------------------------

def encode_value(value: Any) -> Any:
    """A JSON value that keeps Neo4j's type: temporal values and bytes become tagged objects."""
    if isinstance(value, neo4j.time.DateTime) or isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, neo4j.time.Date) or isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (neo4j.time.Time, neo4j.time.Duration)):
        return {"$" + type(value).__name__.lower(): str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    return value


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$datetime":
            return neo4j.time.DateTime.from_iso_format(raw) if "[" not in raw else raw
        if tag == "$date":
            return neo4j.time.Date.from_iso_format(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: encode_value(v) for k, v in strip(props).items()}


def export_graph(path: Path | str, progress=None) -> tuple[int, int]:
    """Write every node then every relationship as JSON Lines; returns (nodes, relationships).

    Credentials stay in the database: API tokens, sessions and password hashes are not written (users of
    a restored graph set a password again with ``crn users set-password``). Neither is the schema's version
    record (``:Migration``): a restore migrates the database it loads into. The first line is a ``meta``
    line naming the format and the schema version that wrote the file.
    """
    from crn.graph import migrations

    nodes = rels = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        # ops: the first line says what wrote the file; a restore refuses a file newer than its crn
        fh.write(json.dumps({"type": "meta", "format": GRAPH_FORMAT, "schema_version": migrations.code_version(),
                             "exported_at": datetime.now().astimezone().isoformat(timespec="seconds")}) + "\n")
        after = ""
        while True:
            page = db.read(q.GRAPH_NODES_PAGE, after=after, limit=PAGE)
            for row in page:
                fh.write(json.dumps({"type": "node", "id": row["id"], "labels": sorted(row["labels"]),
                                     "properties": _props(row["props"])}, ensure_ascii=False, sort_keys=True) + "\n")
            nodes += len(page)
            if progress:
                progress(len(page))
            if len(page) < PAGE:
                break
            after = page[-1]["id"]
        after = ""
        while True:
            page = db.read(q.GRAPH_RELS_PAGE, after=after, limit=PAGE)
            for row in page:
                fh.write(json.dumps({"type": "relationship", "id": row["id"], "label": row["type"],
                                     "start": row["start"], "end": row["end"], "properties": _props(row["props"])},
                                    ensure_ascii=False, sort_keys=True) + "\n")
            rels += len(page)
            if progress:
                progress(len(page))
            if len(page) < PAGE:
                break
            after = page[-1]["id"]
    audit.record_alone("export", details={"what": "graph", "nodes": nodes, "relationships": rels})
    return nodes, rels


def graph_is_empty() -> bool:
    """True when the database holds no node."""
    return db.read_one(q.COUNT_NODES)["n"] == 0


def import_graph(path: Path | str, progress=None) -> tuple[int, int]:
    """Load a graph export into an empty database; returns (nodes, relationships) created."""
    from crn.graph import migrations
    from crn.ingest.formats import iter_lines

    for item in iter_lines(path):  # ops: the meta line, when there is one, comes first
        if item.get("type") == "meta" and item.get("schema_version", 0) > migrations.code_version():
            raise ExportError(f"{path} was written by a newer crn (schema version {item['schema_version']}; this "
                              f"crn knows up to {migrations.code_version()}): restore it with that crn or newer")
        break
    if not graph_is_empty():
        raise ExportError("import graph loads into an empty database; this one holds data")

    id_map: dict[str, str] = {}
    nodes = rels = 0
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def flush(key: tuple[str, ...]) -> None:
        nonlocal nodes, rels
        rows = batches.pop(key, [])
        if not rows:
            return
        if key[0] == "node":
            created = db.write(q.graph_create_nodes(list(key[1:])), rows=rows)
            id_map.update({r["old"]: r["new"] for r in created})
            nodes += len(created)
        else:
            db.write(q.graph_create_rels(key[1]), rows=rows)
            rels += len(rows)
        if progress:
            progress(len(rows))

    def add(key: tuple[str, ...], row: dict[str, Any]) -> None:
        batches.setdefault(key, []).append(row)
        if len(batches[key]) >= PAGE:
            flush(key)

    for item in iter_lines(path):  # nodes first: relationships need their new ids
        if item["type"] == "node" and set(item["labels"]) & set(AUDIT_LABELS):  # audit: entries are never imported
            raise ExportError(f"the file holds an audit trail node ({', '.join(item['labels'])}); the audit trail is "
                              "not part of a graph export and cannot be imported")
        if item["type"] == "node":
            add(("node", *item["labels"]), {"id": item["id"],
                                            "props": {k: decode_value(v) for k, v in item["properties"].items()}})
    for key in list(batches):
        flush(key)
    for item in iter_lines(path):
        if item["type"] == "relationship":
            add(("rel", item["label"]), {"start": id_map[item["start"]], "end": id_map[item["end"]],
                                         "props": {k: decode_value(v) for k, v in item["properties"].items()}})
    for key in list(batches):
        flush(key)
    audit.record_alone("import", details={"what": "graph", "nodes": nodes, "relationships": rels})
    return nodes, rels
