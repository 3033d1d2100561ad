"""Column mapping: recognise headers automatically, or take an explicit ``map.yaml``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crn.ingest.kinds import Mapping, fields as kind_fields, normalise_header

HUBSPOT_MARKERS = {"recordid", "createdate", "associatedcompany", "lifecyclestage", "companydomainname",
                   "dealstage", "dealname", "ticketname"}
SALESFORCE_MARKERS = {"accountid", "reportstoid", "stagename", "parentid", "billingcountry", "casenumber",
                      "numberofemployees", "ownerid"}


class MappingError(ValueError):
    """The map file is unreadable or names a field or header that does not exist."""


def load_map_file(path: Path | str) -> dict[str, Any]:
    """Read a mapping file: ``{source: hr, columns: {field: header}}`` or a flat ``{field: header}``."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"cannot read map file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError("the map file must be a YAML mapping of field: header")
    if "columns" in data:
        if not isinstance(data["columns"], dict):
            raise MappingError("'columns' in the map file must map field names to headers")
        return {"columns": {str(k): str(v) for k, v in data["columns"].items()}, "source": data.get("source")}
    return {"columns": {str(k): str(v) for k, v in data.items() if k != "source"}, "source": data.get("source")}


def detect_source(headers: list[str]) -> str | None:
    """'hubspot' or 'salesforce' when the headers look like that system's export, else None."""
    normalised = {normalise_header(h) for h in headers}
    if normalised & HUBSPOT_MARKERS:
        return "hubspot"
    if normalised & SALESFORCE_MARKERS or "id" in {h.strip() for h in headers} and "Name" in headers:
        return "salesforce"
    return None


def chosen_mapping(pairs: dict[str, str | None]) -> dict[str, Any]:
    """An explicit, complete mapping from a person's choices (header -> field, None: not imported).

    Only these pairs are used (no header is recognised on top of them). A field chosen for two headers is a
    :class:`MappingError` naming both.
    """
    columns: dict[str, str] = {}
    for header, name in pairs.items():
        if not name:
            continue
        if name in columns:
            raise MappingError(f"field {name!r} is chosen for two columns ({columns[name]!r} and {header!r}); "
                               "choose it for one of them")
        columns[name] = header
    return {"columns": columns, "exclusive": True}


def detect_mapping(kind: str, headers: list[str], explicit: dict[str, Any] | None = None) -> Mapping:
    """Map each field of ``kind`` to a header: explicit entries first, then recognised header names
    (unless the explicit mapping is ``exclusive``: a person chose every column, see :func:`chosen_mapping`)."""
    fields = kind_fields(kind)
    by_name = {f.name: f for f in fields}
    columns: dict[str, str] = {}
    explicit = explicit or {"columns": {}}
    header_set = set(headers)
    for name, header in explicit.get("columns", {}).items():
        if name not in by_name:
            raise MappingError(f"the map file names field {name!r}, which {kind} does not have; "
                               f"fields: {', '.join(by_name)}")
        if header not in header_set:
            raise MappingError(f"the map file maps {name!r} to column {header!r}, which the file does not have")
        columns[name] = header
    taken = set(columns.values())
    normalised = {h: normalise_header(h) for h in headers}
    for f in fields:
        if f.name in columns or explicit.get("exclusive"):
            continue
        wanted = [normalise_header(a) for a in f.aliases]
        for alias in wanted:  # alias order is preference order
            match = next((h for h in headers if h not in taken and normalised[h] == alias), None)
            if match is not None:
                columns[f.name] = match
                taken.add(match)
                break
    unused = [h for h in headers if h not in taken]
    source = explicit.get("source") or detect_source(headers)
    return Mapping(columns=columns, unused=unused, source=source, headers=list(headers))
