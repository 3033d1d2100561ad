"""What every domain package of the schema shares: building a type from a row, relations, pages, lists and writes.

Node types read their relations through ``rows``/``page`` (prefetched by the 360° look-ahead, else batched
by the request's DataLoaders, so a list of 100 contacts asking for their manager is one query, not 100);
root lists go through ``list_nodes``; the create/update/delete/upsert mutations of every record type call
``create_record`` ... ``upsert_record`` and turn the domain's ``Result`` into their own Success | Error types.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from crn.crm import fields, personal, records, views
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError
from crn.schema import lookahead, model
from crn.schema.base import ClientError, Connection, Edge, UserError, decode_id, page_window
from crn.schema.context import loaders
from crn.schema.workers import run_db

N = TypeVar("N")
R = TypeVar("R")
UNSET: Any = strawberry.UNSET


# ---- building types from rows ------------------------------------------------------------------------

@functools.cache
def _init_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, required) of the constructor fields of a GraphQL type (computed once per type)."""
    return tuple((f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
                 for f in dataclasses.fields(cls) if f.init and f.name != "id")


def build(cls: type[N], row: dict[str, Any] | None) -> N | None:
    """An instance of a GraphQL type from a property dict (unknown keys ignored, missing ones None)."""
    if row is None:
        return None
    label = getattr(cls, "__crn_label__", None)
    if label is not None and personal.PERSONAL.get(label):
        row = personal.hide(label, row)  # enforce (issue 13): personal fields only for who may see them
    values = {}
    for name, needed in _init_fields(cls):
        if name in row:
            values[name] = row[name]
        elif name == "custom_values":  # the row itself: customFields reads its cf_* properties when asked
            values[name] = row
        elif needed:
            values[name] = None
    return cls(**values)


def first_of(cls: type[N], rows: list[views.Related]) -> N | None:
    """The first related node as ``cls``, or None."""
    return build(cls, rows[0].node) if rows else None


def rel(item: views.Related, key: str, default: Any = None) -> Any:
    """A property of the relationship that led to a related node."""
    return (item.rel or {}).get(key, default)


def current(item: views.Related) -> bool:
    """True while the relationship has no end date, or ends after today."""
    until = rel(item, "until")
    return until is None or until > date.today()


def jsonable(values: dict | None) -> dict | None:
    """Properties as JSON (dates and times as ISO strings)."""
    if values is None:
        return None
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


# ---- relations of a node -----------------------------------------------------------------------------

def then(value: Any, fn: Callable[[Any], R]) -> R | Awaitable[R]:
    """fn(value) now when the value is at hand (prefetched), else an awaitable of it.

    Resolvers return plain values whenever they can: graphql-core completes a plain value far more
    cheaply than an awaitable, and the 360° look-ahead leaves almost everything prefetched.
    """
    if inspect.isawaitable(value):
        async def later() -> R:
            return fn(await value)
        return later()
    return fn(value)


def rows(info: Info, relation: str, uid: str) -> Any:
    """All rows of a relation: prefetched, or an awaitable from the request's DataLoader."""
    return loaders(info).related_rows(relation, uid)


def page(info: Info, relation: str, uid: str, make, first, after, last, before, **filters) -> Any:
    """A Relay page of a relation (``make(row) -> node``), each edge with the relationship's properties."""
    window = page_window(first, after, last, before, scope=relation)
    found = loaders(info).page_rows(relation, uid, window.skip, window.limit, window.reverse, **filters)
    return then(found, lambda found: window.connection(
        found.total, found.items,
        lambda item, cursor: Edge(cursor=cursor, node=make(item), properties=jsonable(item.rel))))


# ---- root lookups and lists --------------------------------------------------------------------------

@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def sort_enum(name: str, label: str) -> type[Enum]:
    """The sort keys of a record type's lists (``crn.crm.views.LIST_SORTS``) as a GraphQL enum."""
    return strawberry.enum(Enum(name, {k.upper(): k for k in views.LIST_SORTS[label]}),
                           description=f"Sort keys for {label} lists.")


_ID_FILTERS = {"owner": "User", "company": "Company", "assignee": "User"}


def filter_params(flt: Any) -> dict[str, Any]:
    """Filter input -> query parameters (global ids to uids, enums to values); ``custom`` conditions are
    read by :func:`custom_conditions`."""
    out: dict[str, Any] = {}
    if flt is None:
        return out
    for key, value in vars(flt).items():
        if value is None or key == "custom":
            continue
        if key in _ID_FILTERS:
            value = decode_id(value, _ID_FILTERS[key])[1]
        elif isinstance(value, list):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        out[key] = value
    return out


async def list_page(label: str, flt: Any, sort: Any, default_sort: Any, first, after, last, before,
                    scope: str | None = None) -> tuple[Any, views.Page]:
    """The window and the filtered, sorted page of ``label`` records a list's arguments ask for (custom field
    conditions checked by the domain; a wrong one is a ClientError naming it)."""
    sort = sort or default_sort
    window = page_window(first, after, last, before, scope=scope or f"list:{label}")
    descending = (sort.direction == SortDirection.DESC) != window.reverse
    conditions = [(c.name, c.op, c.value) for c in getattr(flt, "custom", None) or []]
    try:
        custom = await run_db(fields.check_filters, label, conditions) if conditions else []
    except OperationError as exc:
        raise ClientError("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from exc
    found = await run_db(views.list_nodes, label, filter_params(flt), sort.field.value, descending,
                         window.skip, window.limit, tuple(custom))
    return window, found


async def list_nodes(label: str, cls: type, flt: Any, sort: Any, default_sort: Any,
                     first, after, last, before) -> Connection:
    """A filtered, sorted Relay page of ``label`` records."""
    window, found = await list_page(label, flt, sort, default_sort, first, after, last, before)
    return window.connection(found.total, found.items, lambda row, cursor: Edge(cursor=cursor, node=build(cls, row)))


async def one(info: Info, id: strawberry.ID, label: str, cls: type[N]) -> N | None:
    """One record by global id, through the request's node loader."""
    _, uid = decode_id(id, label)
    return build(cls, await loaders(info).node(label).load(uid))


async def view(info: Info, id: strawberry.ID, label: str, cls: type[N]) -> N | None:
    """A 360° entry point: the node and its requested relations in one query (see crn.schema.lookahead)."""
    _, uid = decode_id(id, label)
    return build(cls, await lookahead.fetch(info, label, uid, loaders(info)))


# ---- writes ------------------------------------------------------------------------------------------

def camel(name: str | None) -> str | None:
    """snake_case -> camelCase (input field names as GraphQL shows them)."""
    if not name:
        return name
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def user_errors(errors: list[FieldError]) -> list[UserError]:
    """The domain's field errors as GraphQL UserErrors (fields in camelCase)."""
    return [UserError(code=e.code, message=e.message, field=camel(e.field)) for e in errors]


def values(data: Any, label: str | None = None) -> dict[str, Any]:
    """The fields an input sets (absent ones are left out: unchanged; null ones clear the property), with the
    custom field values of its ``custom`` object by name."""
    out = {k: v for k, v in vars(data).items() if v is not UNSET and k != "custom"}
    if label is not None:
        out.update(model.custom_input(label, getattr(data, "custom", UNSET)))
    return out


async def create_record(info: Info, label: str, input: Any) -> Result:
    """Create a ``label`` record from an input, as the acting user."""
    return await run_db(records.create_record, label, values(input, label), info.context.actor)


async def update_record(info: Info, label: str, id: strawberry.ID, input: Any) -> Result:
    """Change the fields an input sets on the ``label`` record with this global id."""
    _, uid = decode_id(id, label)
    return await run_db(records.update_record, label, uid, values(input, label), info.context.actor)


async def delete_record(info: Info, label: str, id: strawberry.ID, force: bool) -> Result:
    """Delete the ``label`` record with this global id (``force`` detaches its history)."""
    _, uid = decode_id(id, label)
    return await run_db(records.delete_record, label, uid, info.context.actor, force)


async def upsert_record(info: Info, label: str, external_id: str, input: Any) -> Result:
    """Update the ``label`` record with this external id ('source:id'), or create it."""
    return await run_db(records.upsert_record, label, external_id, values(input, label), info.context.actor)
