"""The record model as plain data, read from the neomodel classes: the one list of fields crn has.

Validation and defaults (``crn.crm.records``), constraints and indexes (``crn.graph.migrations``), list
filters and sorts (``crn.graph.queries.views``), GraphQL types, inputs, filters and sort enums
(``crn.schema``), import columns and their header aliases (``crn.ingest.kinds``), export columns
(``crn.ingest.exporter``), the automation vocabulary and the browser's forms all read :data:`RECORDS`
(built-in types) or, where custom fields matter, ``crn.crm.fields.record(label)``, which adds the
fields admins defined at run time to the same shape. Adding a property to a model class is the whole
of adding a built-in field.

>>> RECORDS["Company"].field("tier").choices[:2]
('strategic', 'key')
>>> RECORDS["Deal"].field("status").writable
False
>>> [f.name for f in RECORDS["Company"].fields][:3]
['name', 'legal_name', 'domain']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from neomodel import (
    ArrayProperty, BooleanProperty, FloatProperty, IntegerProperty, JSONProperty, StructuredNode, StructuredRel,
)
from neomodel.properties import Property

from crn.graph.models import ALL_MODELS, Record
from crn.graph.models.fields import Options
from crn.graph.models.properties import DateProperty, DateTimeProperty

# what a field holds; the GraphQL scalar, import parser and form control follow from it
KINDS = ("str", "int", "float", "money", "bool", "date", "datetime", "strs", "json")
FILTERS = ("in", "contains", "range", "has")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record type, as every part of crn sees it.

    ``prop`` is the node property holding the value (the field's name for built-in fields,
    ``cf_<name>`` for custom ones, so a later built-in field can never collide with a custom one).
    """

    name: str
    kind: str
    caption: tuple[str, str]
    required: bool = False
    default: Any = None
    options: Options | None = None
    unique: bool = False
    indexed: bool = False
    filter: str | None = None
    sort: bool = False
    pii: bool = False
    form: bool = True
    writable: bool = True
    aliases: tuple[str, ...] = ()
    synonyms: dict[str, str] = field(default_factory=dict)
    parser: str | None = None
    custom: bool = False
    prop: str = ""
    default_now: bool = False  # a new record gets the time of its creation
    graphql_enum: str | None = None  # a choice field the API types as this enum (else its values are strings)


    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values (empty when any value goes)."""
        return self.options.names if self.options else ()


@dataclass(frozen=True)
class RecordSpec:
    """A record type: its label, caption and fields (its own first, then the ones every record has)."""

    label: str
    caption: tuple[str, str]
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        """The field called ``name``, or None."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def writable(self) -> tuple[FieldSpec, ...]:
        """Fields the API, importers and automation may set."""
        return tuple(f for f in self.fields if f.writable)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the fields a new record must have."""
        return tuple(f.name for f in self.fields if f.required and f.writable)

    @property
    def defaults(self) -> dict[str, Any]:
        """Values a new record gets for the fields it was not given."""
        return {f.name: f.default for f in self.fields if f.default is not None}

    def with_fields(self, extra: tuple[FieldSpec, ...]) -> RecordSpec:
        """This record type with ``extra`` fields (custom ones) after its own."""
        return replace(self, fields=self.fields + extra)


def _kind(prop: Property) -> str:
    if isinstance(prop, ArrayProperty):
        return "strs"
    if isinstance(prop, JSONProperty):
        return "json"
    if isinstance(prop, BooleanProperty):
        return "bool"
    if isinstance(prop, IntegerProperty):
        return "int"
    if isinstance(prop, FloatProperty):
        return "float"
    if isinstance(prop, DateTimeProperty):
        return "datetime"
    if isinstance(prop, DateProperty):
        return "date"
    return "str"


def _default(prop: Property) -> Any:
    """The declared default as a value (None for list defaults, "now" and generated ids: see ``default_now``)."""
    if not prop.has_default or callable(prop.default):
        return None
    return prop.default


def describe(name: str, prop: Property) -> FieldSpec:
    """The FieldSpec of one neomodel property, from the keywords documented in crn.graph.models.fields."""
    kind = _kind(prop)
    return FieldSpec(
        name=name, kind=kind, caption=getattr(prop, "caption", None) or (name, name), required=prop.required,
        default=_default(prop), options=getattr(prop, "options", None), unique=bool(prop.unique_index),
        indexed=bool(prop.index or prop.unique_index), filter=getattr(prop, "filter", None),
        sort=getattr(prop, "sort", False), pii=getattr(prop, "pii", False), form=getattr(prop, "form", True),
        writable=getattr(prop, "writable", True), aliases=tuple(getattr(prop, "aliases", ())),
        synonyms=dict(getattr(prop, "synonyms", {})), parser=getattr(prop, "parser", None), prop=name,
        default_now=kind == "datetime" and prop.has_default and callable(prop.default),
        graphql_enum=getattr(prop, "graphql_enum", None))


def record_spec(model: type[StructuredNode]) -> RecordSpec:
    """The RecordSpec of a model class; secret properties (password hashes) are not fields at all."""
    base = set(Record.defined_properties(aliases=False, rels=False))
    props = model.defined_properties(aliases=False, rels=False)
    ordered = [n for n in props if n not in base] + [n for n in props if n in base]
    fields = tuple(describe(n, props[n]) for n in ordered if not getattr(props[n], "secret", False))
    return RecordSpec(model.__name__, getattr(model, "__caption__", (model.__name__, model.__name__)), fields)


def relationship_fields(model: type[StructuredRel]) -> tuple[FieldSpec, ...]:
    """The properties of a relationship class (``since``, ``share``, ``role`` ...) as fields; crn's own
    stamps (``updated_at``/``updated_by``) are not among them."""
    return tuple(describe(n, p) for n, p in model.defined_properties(aliases=False, rels=False).items())


RECORDS: dict[str, RecordSpec] = {m.__name__: record_spec(m) for m in ALL_MODELS}

__all__ = ["FILTERS", "KINDS", "RECORDS", "FieldSpec", "RecordSpec", "describe", "record_spec", "relationship_fields"]
