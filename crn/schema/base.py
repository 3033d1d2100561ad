"""Shared GraphQL building blocks: the Node interface, global IDs, connections, UserError, client errors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.scalars import JSON

from crn.config import get_settings

T = TypeVar("T")
NODE_TYPES = ("Company", "Person", "User", "Deal", "Ticket", "Interaction", "Product", "Order")
DEFAULT_PAGE_SIZE = 20

__all__ = ["JSON", "ClientError", "Connection", "Edge", "Node", "PageInfo", "UserError", "Window",
           "decode_id", "encode_id", "page_window"]


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


def _cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:{offset}".encode()).decode()


def _offset(cursor: str, arg: str) -> int:
    try:
        kind, value = base64.b64decode(cursor.encode(), validate=True).decode().split(":", 1)
        if kind != "cursor":
            raise ValueError
        return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ClientError(f"`{arg}` is not a cursor from this API", "invalid_cursor") from None


@dataclass(frozen=True)
class Window:
    """What to fetch for a page: skip/limit in the list's order, or from its end when ``reverse``."""

    skip: int
    limit: int
    reverse: bool = False

    def connection(self, total: int, items: list, make_edge) -> Connection:
        """Build the connection from the fetched rows (``make_edge(row, cursor) -> Edge``)."""
        if self.reverse:
            items = list(reversed(items))
            start = max(0, total - self.skip - len(items))
        else:
            start = self.skip
        edges = [make_edge(row, _cursor(start + i)) for i, row in enumerate(items)]
        end = start + len(items)
        return Connection(
            edges=edges, total_count=total,
            page_info=PageInfo(has_next_page=end < total, has_previous_page=start > 0,
                               start_cursor=edges[0].cursor if edges else None,
                               end_cursor=edges[-1].cursor if edges else None),
        )


def page_window(first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None) -> Window:
    """Translate Relay arguments into a Window; ClientError for sizes above the maximum or conflicts.

    >>> page_window(first=10, after=_cursor(4))
    Window(skip=5, limit=10, reverse=False)
    >>> page_window(last=3)
    Window(skip=0, limit=3, reverse=True)
    """
    max_size = get_settings().max_page_size
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise ClientError(f"`{name}` must not be negative", "invalid_page_size")
        if value is not None and value > max_size:
            raise ClientError(f"Requesting {value} records on the connection exceeds the `{name}` limit of "
                              f"{max_size} records.", "page_size_exceeded")
    if first is not None and last is not None:
        raise ClientError("Pass either `first` or `last`, not both.", "invalid_pagination")
    start = _offset(after, "after") + 1 if after else 0
    if before is not None:
        end = _offset(before, "before")
        if last is not None:
            start = max(start, end - last)
        limit = max(0, end - start)
        if first is not None:
            limit = min(limit, first)
        return Window(start, limit)
    if last is not None:
        if after:
            raise ClientError("`last` with `after` needs `before` too (or page forward with `first`).",
                              "invalid_pagination")
        return Window(0, last, reverse=True)
    return Window(start, DEFAULT_PAGE_SIZE if first is None else first)
