"""GraphQL shapes generated from the record model: a node type's scalar fields, create/update inputs, list
filters and sort keys, and the custom fields of a record (typed values, read without a server restart).

The hand-written types in crn/schema/<domain>/types.py keep what the model cannot say (relationships,
roll-ups, intelligence); everything that is one field of a record comes from ``crn.graph.models`` through
the functions here, so adding a property to a model class adds it to the API.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Optional

import strawberry

from crn.crm import fields as custom, personal
from crn.graph.models.catalog import RECORDS, FieldSpec
from crn.graph.queries.views import RELATION_LIST_FILTERS, field_filters, range_names
from crn.schema.base import JSON

UNSET: Any = strawberry.UNSET

_SCALARS: dict[str, Any] = {"str": str, "int": int, "float": float, "money": float, "bool": bool, "date": dt.date,
                            "datetime": dt.datetime, "strs": list[str], "json": JSON}


_ENUMS: dict[str, type[Enum]] = {}
_ENUM_DESCRIPTIONS: dict[str, str] = {}


def _enum(f: FieldSpec) -> type[Enum] | None:
    """The GraphQL enum a choice field declares with ``graphql_enum`` (else its values travel as strings)."""
    name = f.graphql_enum
    if not name or not f.options:
        return None
    if name not in _ENUMS:
        _ENUMS[name] = strawberry.enum(Enum(name, {v.upper(): v for v in f.choices}),
                                       description=_ENUM_DESCRIPTIONS.get(name, f"{f.caption[0]} values."))
    return _ENUMS[name]


def enum_of(label: str, field: str, description: str) -> type[Enum]:
    """The GraphQL enum of a choice field declared with ``graphql_enum`` (one enum per name, shared by the
    type, its filters and its inputs)."""
    f = RECORDS[label].field(field)
    if f is None or not f.graphql_enum:
        raise ValueError(f"{label}.{field} declares no graphql_enum")
    _ENUM_DESCRIPTIONS.setdefault(f.graphql_enum, description)
    return _enum(f)


def scalar(f: FieldSpec) -> Any:
    """The Python (strawberry) type of a field's value."""
    return _SCALARS[f.kind]


def _required(f: FieldSpec) -> bool:
    # a personal field may be hidden from the viewer (issue 13, crn.crm.personal): never non-null in the API
    return f.name == "uid" or (f.required and not (f.pii and f.name not in personal.IDENTIFYING))


def node_fields(label: str):
    """Class decorator (under ``@strawberry.type``): the record type's model fields become the type's first
    fields, non-null when the model requires them, described by their English caption. Fields the class
    declares itself (with a resolver or another type) win."""

    def apply(cls: type) -> type:
        own = dict(cls.__dict__.get("__annotations__", {}))
        annotations: dict[str, Any] = {}
        for f in RECORDS[label].fields:
            if f.name in own:
                continue
            typ = scalar(f)
            annotations[f.name] = typ if _required(f) else Optional[typ]
        required = {n: t for n, t in annotations.items() if not _is_optional(t)}
        optional = {n: t for n, t in annotations.items() if _is_optional(t)}
        cls.__annotations__ = {**required, **own, **optional}
        cls.__crn_label__ = label  # enforce (issue 13): build() hides this record type's personal fields
        for f in RECORDS[label].fields:
            if f.name in optional:
                setattr(cls, f.name, strawberry.field(default=None, description=f.caption[0]))
            elif f.name in required:
                setattr(cls, f.name, strawberry.field(description=f.caption[0]))
        if label in custom.CUSTOMIZABLE:
            cls.__annotations__["custom_values"] = strawberry.Private[Optional[dict]]
            cls.custom_values = None

            def custom_fields(self, names: Optional[list[str]] = None) -> list[CustomFieldValue]:
                return custom_values(label, self.custom_values, names)

            cls.custom_fields = strawberry.field(
                resolver=custom_fields, description="Values of the custom fields admins defined for this record "
                "type (all of them, or those named), typed by kind.")
        return cls

    return apply


def _is_optional(typ: Any) -> bool:
    return getattr(typ, "__args__", None) is not None and type(None) in typ.__args__


def input_type(label: str, name: str, description: str, exclude: tuple[str, ...] = (),
               extra: dict[str, tuple[Any, Any]] | None = None) -> type:
    """The create/update input of a record type: every writable field (absent = unchanged, null = cleared)
    and ``custom``, an object of custom field values by name. ``extra`` adds fields that are not the record's
    own (name -> (type, strawberry.field)), first."""
    fields = [f for f in RECORDS[label].writable if f.name not in exclude]
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for key, (typ, declared) in (extra or {}).items():
        namespace["__annotations__"][key] = typ
        namespace[key] = declared
    for f in fields:
        namespace["__annotations__"][f.name] = Optional[scalar(f)]
        namespace[f.name] = strawberry.field(default=UNSET, description=f.caption[0])
    if label in custom.CUSTOMIZABLE:
        namespace["__annotations__"]["custom"] = Optional[JSON]
        namespace["custom"] = strawberry.field(default=UNSET, description="Custom field values by name, e.g. "
                                               '{"region": "north"} (see customFieldDefinitions).')
    return strawberry.input(type(name, (), namespace), description=description)


# GraphQL types and descriptions of the filters that follow a relationship (crn.graph.queries.views)
RELATION_FILTER_TYPES: dict[str, tuple[Any, str | None]] = {
    "customer": (bool, "Only companies that bought (or not)."),
    "owner": (strawberry.ID, "A user id: on the account team (companies) or owning the deal."),
    "company": (strawberry.ID, "A company id: the current employer (people) or the company of the record."),
    "assignee": (strawberry.ID, "A user id the ticket is assigned to."),
    "sla_breached": (bool, "Tickets past their SLA due time (or not)."),
}
ID_FILTERS = {"owner": "User", "company": "Company", "assignee": "User"}


@strawberry.input(description="A condition on a custom field: `op` is in (value: a list), contains (text), "
                  "min / max (numbers, money, dates: inclusive bounds), has (multiple choice holds value) or equals.")
class CustomFilter:
    name: str
    op: str
    value: JSON


def filter_type(label: str, name: str, description: str) -> type:
    """A list's filter input: the filters the model's fields declare, then the relational ones, then
    ``custom`` conditions on custom fields."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__}
    for f in RECORDS[label].fields:
        for key in field_filters(f):
            typ = _filter_scalar(f, key)
            namespace["__annotations__"][key] = Optional[typ]
            namespace[key] = strawberry.field(default=None, description=_filter_description(f, key))
    for key in RELATION_LIST_FILTERS.get(label, {}):
        typ, text = RELATION_FILTER_TYPES[key]
        namespace["__annotations__"][key] = Optional[typ]
        namespace[key] = strawberry.field(default=None, description=text)
    if label in custom.CUSTOMIZABLE:
        namespace["__annotations__"]["custom"] = Optional[list[CustomFilter]]
        namespace["custom"] = strawberry.field(default=None, description="Conditions on custom fields (all must hold).")
    return strawberry.input(type(name, (), namespace), description=description)


def _filter_scalar(f: FieldSpec, key: str) -> Any:
    if f.filter == "in":
        return list[_enum(f) or scalar(f)]
    if f.filter in ("contains", "has"):
        return str
    return scalar(f)


def _filter_description(f: FieldSpec, key: str) -> str:
    caption = f.caption[0]
    if f.filter == "in":
        return f"{caption}: any of these values."
    if f.filter == "contains":
        return f"{caption} contains this text (any case)."
    if f.filter == "has":
        return f"{caption}: holds this value."
    low, _ = range_names(f)
    return f"{caption} from this value." if key == low else f"{caption} up to this value."


def sort_enum(label: str, name: str) -> type[Enum]:
    """The sort keys of a list: the fields the model declares sortable."""
    return strawberry.enum(Enum(name, {f.name.upper(): f.name for f in RECORDS[label].fields if f.sort}),
                           description=f"Sort keys for {label} lists.")


# ---- custom field values on records -------------------------------------------------------------------

@strawberry.type(description="The value of one custom field on a record, typed by the field's kind "
                 "(exactly one of the value fields is set, or none when the record has no value).")
class CustomFieldValue:
    name: str
    kind: str
    caption_en: str
    caption_zh: str
    text: str | None = None
    number: float | None = None
    date: dt.date | None = None
    boolean: bool | None = None
    choices: list[str] | None = strawberry.field(default=None, description="Multiple choice values.")


_ADMIN_KIND = {("str", False): "text", ("str", True): "choice", ("float", False): "number", ("money", False): "money",
               ("date", False): "date", ("bool", False): "boolean", ("strs", True): "multi_choice"}


def custom_values(label: str, stored: dict[str, Any] | None, names: list[str] | None = None) -> list[CustomFieldValue]:
    """The record's custom field values (every active custom field of its type, in order, or those named)."""
    stored = stored or {}
    out = []
    for f in custom.record(label).fields:
        if not f.custom or (names is not None and f.name not in names):
            continue
        value = stored.get(f.prop)
        if hasattr(value, "to_native"):
            value = value.to_native()
        item = CustomFieldValue(name=f.name, kind=_ADMIN_KIND.get((f.kind, bool(f.options)), f.kind),
                                caption_en=f.caption[0], caption_zh=f.caption[1])
        if value is not None:
            if f.kind == "str":
                item.text = value
            elif f.kind in ("float", "money"):
                item.number = float(value)
            elif f.kind == "date":
                item.date = value
            elif f.kind == "bool":
                item.boolean = bool(value)
            elif f.kind == "strs":
                item.choices = list(value)
        out.append(item)
    return out


def custom_input(label: str, value: Any) -> dict[str, Any]:
    """The ``custom`` object of an input as field values; names that are not custom fields of ``label`` are
    kept as given so the domain layer refuses them with ``unknown_field`` at that name."""
    if value in (None, UNSET):
        return {}
    if not isinstance(value, dict):
        return {"custom": value}  # refused below: "custom" is no field
    known = {f.name for f in custom.record(label).fields if f.custom}
    return {(k if k in known else f"custom.{k}"): v for k, v in value.items()}


__all__ = ["CustomFieldValue", "CustomFilter", "ID_FILTERS", "custom_input", "custom_values", "enum_of", "filter_type",
           "input_type", "node_fields", "scalar", "sort_enum"]
