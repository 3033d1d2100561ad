"""Shared GraphQL building blocks: the Node interface, global IDs, connections, UserError, client errors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

T = TypeVar("T")
NODE_TYPES = ("Company", "Person", "User", "Deal", "Ticket", "Interaction", "Product", "Order")
DEFAULT_PAGE_SIZE = 20

__all__ = ["JSON", "ClientError", "Connection", "Edge", "Node", "PageInfo", "UserError", "Window",
           "check_cursor", "decode_id", "encode_id", "page_window"]


class ClientError(GraphQLError):
    """A refusal the client caused and can fix (bad id, page too large...); shown, never masked."""

    def __init__(self, message: str, code: str = "bad_request") -> None:
        super().__init__(message, extensions={"code": code})


def encode_id(type_name: str, uid: str) -> str:
    """Relay global id: base64("<Type>:<uid>").

    >>> encode_id("Company", "abc")
    'Q29tcGFueTphYmM='
    """
    return base64.b64encode(f"{type_name}:{uid}".encode()).decode()


def decode_id(global_id: str, expected: str | tuple[str, ...] | None = None) -> tuple[str, str]:
    """(type, uid) of a global id; ClientError when it is malformed or of another type.

    >>> decode_id("Q29tcGFueTphYmM=")
    ('Company', 'abc')
    """
    try:
        type_name, uid = base64.b64decode(global_id.encode(), validate=True).decode().split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ClientError(f"{global_id!r} is not a crn id", "invalid_id") from None
    if type_name not in NODE_TYPES or not uid:
        raise ClientError(f"{global_id!r} is not a crn id", "invalid_id")
    if expected is not None:
        allowed = (expected,) if isinstance(expected, str) else expected
        if type_name not in allowed:
            raise ClientError(f"{global_id!r} is a {type_name} id; expected {' or '.join(allowed)}", "invalid_id")
    return type_name, uid


@strawberry.interface(description="An object with a global ID (base64 of '<Type>:<uid>').")
class Node:
    # A plain attribute (set when the object is built), not a resolver: it is read for every object of
    # every page, and graphql-core's default attribute resolver is several times cheaper than a method.
    id: strawberry.ID = strawberry.field(default=strawberry.ID(""), description="Global ID.")
    uid: str = strawberry.field(default="", description="The record's uid (32 hex characters).")

    def __post_init__(self) -> None:
        if not self.id and self.uid:
            self.id = strawberry.ID(encode_id(type(self).__name__, self.uid))


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T
    properties: JSON | None = strawberry.field(default=None, description="The relationship's properties, if any.")


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of the edges, for convenience.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


@strawberry.type(description="An expected failure: a machine code, a message and the input field at fault.")
class UserError:
    code: str
    message: str
    field: str | None = None


MAX_OFFSET = 2**31 - 1  # far beyond any list crn serves; bounds what a forged cursor can ask Neo4j to SKIP


def _cursor(offset: int, scope: str = "") -> str:
    """An opaque cursor: base64("cursor:<scope>:<offset>"); the scope names the list it belongs to."""
    return base64.b64encode(f"cursor:{scope}:{offset}".encode()).decode()


def _offset(cursor: str, arg: str, scope: str | None = "") -> int:
    """The offset a cursor points at; ``invalid_cursor`` for garbage, negative offsets or another list's cursor
    (``scope=None`` accepts any list's cursor: a check of the form only)."""
    try:
        kind, _, rest = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        found_scope, _, value = rest.rpartition(":")  # scopes may hold colons (list:Company)
        if kind != "cursor" or not value.isdigit():
            raise ValueError
        offset = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ClientError(f"`{arg}` is not a cursor from this API: pass a `cursor`, `startCursor` or "
                          "`endCursor` this connection returned", "invalid_cursor") from None
    if scope is not None and found_scope != scope:
        raise ClientError(f"`{arg}` is a cursor of another list ({found_scope or 'unnamed'}), not of this "
                          f"connection ({scope or 'unnamed'}): page with the cursors this connection returned",
                          "invalid_cursor")
    if offset > MAX_OFFSET:
        raise ClientError(f"`{arg}` points past any list crn serves", "invalid_cursor")
    return offset


@dataclass(frozen=True)
class Window:
    """What to fetch for a page: skip/limit in the list's order, or from its end when ``reverse``.

    ``scope`` names the list (e.g. ``list:Company`` or a relation) and is written into every cursor, so
    a cursor of one connection is refused by another.
    """

    skip: int
    limit: int
    reverse: bool = False
    scope: str = ""

    def connection(self, total: int, items: list, make_edge) -> Connection:
        """Build the connection from the fetched rows (``make_edge(row, cursor) -> Edge``)."""
        if self.reverse:
            items = list(reversed(items))
            start = max(0, total - self.skip - len(items))
        else:
            start = self.skip
        edges = [make_edge(row, _cursor(start + i, self.scope)) for i, row in enumerate(items)]
        end = start + len(items)
        return Connection(
            edges=edges, total_count=total,
            page_info=PageInfo(has_next_page=end < total, has_previous_page=start > 0,
                               start_cursor=edges[0].cursor if edges else None,
                               end_cursor=edges[-1].cursor if edges else None),
        )


def check_cursor(cursor: str, arg: str) -> None:
    """ClientError ``invalid_cursor`` unless ``cursor`` has the form of a crn cursor (any list's)."""
    _offset(cursor, arg, None)


def page_window(first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None, scope: str = "", max_size: int | None = None) -> Window:
    """Translate Relay arguments into a Window of at most ``max_size`` rows, for every combination.

    ``max_size`` defaults to the serving app's ``max_page_size`` (CRN_MAX_PAGE_SIZE, from the settings
    ``create_app`` built and the request's Context carries; see ``crn.schema.context.request_settings``).

    No ``first``/``last`` means a page of DEFAULT_PAGE_SIZE (after ``after``, or ending at ``before``);
    ``before`` alone is such a page too, never "everything before the cursor". Negative sizes are
    ``invalid_page_size``; sizes above the maximum ``page_size_exceeded``; cursors that are not this
    connection's ``invalid_cursor``.

    >>> page_window(first=10, after=_cursor(4), max_size=100)
    Window(skip=5, limit=10, reverse=False, scope='')
    >>> page_window(last=3, max_size=100)
    Window(skip=0, limit=3, reverse=True, scope='')
    >>> page_window(before=_cursor(850), max_size=100)
    Window(skip=830, limit=20, reverse=False, scope='')
    """
    if max_size is None:
        from crn.schema.context import request_settings  # not at the top: context depends on this module

        max_size = request_settings().max_page_size
    default = min(DEFAULT_PAGE_SIZE, max_size)
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise ClientError(f"`{name}` must not be negative (got {value}); ask for 0 to "
                              f"{max_size} records", "invalid_page_size")
        if value is not None and value > max_size:
            raise ClientError(f"Requesting {value} records on the connection exceeds the `{name}` limit of "
                              f"{max_size} records.", "page_size_exceeded")
    if first is not None and last is not None:
        raise ClientError("Pass either `first` or `last`, not both.", "invalid_pagination")
    start = _offset(after, "after", scope) + 1 if after else 0
    if before is not None:
        end = _offset(before, "before", scope)
        if first is not None:
            limit = min(max(0, end - start), first)
        else:  # `last`, or neither: the page that ends just before the cursor
            start = max(start, end - (default if last is None else last))
            limit = max(0, end - start)
        return Window(start, min(limit, max_size), scope=scope)
    if last is not None:
        if after:
            raise ClientError("`last` with `after` needs `before` too (or page forward with `first`).",
                              "invalid_pagination")
        return Window(0, last, reverse=True, scope=scope)
    return Window(start, default if first is None else first, scope=scope)
