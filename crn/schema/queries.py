"""The root Query: node lookups, search, 360° entry points, filtered lists and the network canvas."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from crn.crm import search as search_ops
from crn.crm import views
from crn.schema import lookahead
from crn.schema.base import ClientError, Connection, Edge, Node, decode_id, encode_id, page_window
from crn.schema.context import loaders
from crn.schema.permissions import IsAuthenticated
from crn.schema.types import (
    TYPE_BY_LABEL, Company, Deal, DealStage, DealStatus, Interaction, Network, Order, Person, Product, Ticket,
    User, build, network_of,
)
from crn.schema.workers import run_db

AUTH = [IsAuthenticated]


@strawberry.enum(description="Record types the full-text search covers.")
class SearchType(Enum):
    COMPANY = "Company"
    PERSON = "Person"
    USER = "User"


@strawberry.type(description="One full-text search hit.")
class SearchResult:
    id: strawberry.ID
    uid: str
    type: str
    name: str
    detail: str | None
    score: float


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


def _sort_enum(name: str, label: str) -> type[Enum]:
    return strawberry.enum(Enum(name, {k.upper(): k for k in views.LIST_SORTS[label]}),
                           description=f"Sort keys for {label} lists.")


CompanySortField = _sort_enum("CompanySortField", "Company")
PersonSortField = _sort_enum("PersonSortField", "Person")
UserSortField = _sort_enum("UserSortField", "User")
DealSortField = _sort_enum("DealSortField", "Deal")
TicketSortField = _sort_enum("TicketSortField", "Ticket")
InteractionSortField = _sort_enum("InteractionSortField", "Interaction")
ProductSortField = _sort_enum("ProductSortField", "Product")
OrderSortField = _sort_enum("OrderSortField", "Order")


@strawberry.input
class CompanySort:
    field: CompanySortField = CompanySortField.NAME  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class PersonSort:
    field: PersonSortField = PersonSortField.NAME  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class UserSort:
    field: UserSortField = UserSortField.NAME  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class DealSort:
    field: DealSortField = DealSortField.EXPECTED_CLOSE  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class TicketSort:
    field: TicketSortField = TicketSortField.OPENED_AT  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class InteractionSort:
    field: InteractionSortField = InteractionSortField.AT  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class ProductSort:
    field: ProductSortField = ProductSortField.NAME  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class OrderSort:
    field: OrderSortField = OrderSortField.PLACED_AT  # type: ignore[attr-defined]
    direction: SortDirection = SortDirection.DESC


@strawberry.input(description="Company list filters (all given ones must match).")
class CompanyFilter:
    industry: list[str] | None = None
    country: list[str] | None = None
    tier: list[str] | None = None
    lifecycle: list[str] | None = None
    name_contains: str | None = None
    tag: str | None = None
    customer: bool | None = None
    owner: strawberry.ID | None = strawberry.field(default=None, description="A user id on the account team.")
    created_after: datetime | None = None
    created_before: datetime | None = None


@strawberry.input(description="Person list filters.")
class PersonFilter:
    country: list[str] | None = None
    seniority: list[str] | None = None
    lifecycle: list[str] | None = None
    name_contains: str | None = None
    tag: str | None = None
    company: strawberry.ID | None = strawberry.field(default=None, description="Current employer id.")
    created_after: datetime | None = None
    created_before: datetime | None = None


@strawberry.input(description="User list filters.")
class UserFilter:
    role: list[str] | None = None
    team: list[str] | None = None


@strawberry.input(description="Deal list filters.")
class DealFilter:
    stage: list[DealStage] | None = None
    status: list[DealStatus] | None = None
    owner: strawberry.ID | None = None
    company: strawberry.ID | None = None
    expected_close_from: date | None = None
    expected_close_to: date | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    name_contains: str | None = None


@strawberry.input(description="Ticket list filters.")
class TicketFilter:
    status: list[str] | None = None
    priority: list[str] | None = None
    company: strawberry.ID | None = None
    assignee: strawberry.ID | None = None
    opened_after: datetime | None = None
    opened_before: datetime | None = None
    sla_breached: bool | None = None


@strawberry.input(description="Interaction list filters.")
class InteractionFilter:
    kind: list[str] | None = None
    direction: list[str] | None = None
    at_after: datetime | None = None
    at_before: datetime | None = None


@strawberry.input(description="Product list filters.")
class ProductFilter:
    category: list[str] | None = None
    name_contains: str | None = None


@strawberry.input(description="Order list filters.")
class OrderFilter:
    status: list[str] | None = None
    placed_after: datetime | None = None
    placed_before: datetime | None = None


_ID_FILTERS = {"owner": "User", "company": "Company", "assignee": "User"}


def _filter_params(flt: Any) -> dict[str, Any]:
    """Filter input -> query parameters (global ids to uids, enums to values)."""
    out: dict[str, Any] = {}
    if flt is None:
        return out
    for key, value in vars(flt).items():
        if value is None:
            continue
        if key in _ID_FILTERS:
            value = decode_id(value, _ID_FILTERS[key])[1]
        elif isinstance(value, list):
            value = [v.value if isinstance(v, Enum) else v for v in value]
        out[key] = value
    return out


async def _list(label: str, cls: type, flt: Any, sort: Any, default_sort: Any, first, after, last, before) -> Connection:
    sort = sort or default_sort
    window = page_window(first, after, last, before, scope=f"list:{label}")
    descending = (sort.direction == SortDirection.DESC) != window.reverse
    page = await run_db(views.list_nodes, label, _filter_params(flt), sort.field.value, descending,
                        window.skip, window.limit)
    return window.connection(page.total, page.items, lambda row, cursor: Edge(cursor=cursor, node=build(cls, row)))


async def _one(info: Info, id: strawberry.ID, label: str) -> Any:
    _, uid = decode_id(id, label)
    return build(TYPE_BY_LABEL[label], await loaders(info).node(label).load(uid))


async def _view(info: Info, id: strawberry.ID, label: str) -> Any:
    """A 360° entry point: the node and its requested relations in one query (see crn.schema.lookahead)."""
    _, uid = decode_id(id, label)
    return build(TYPE_BY_LABEL[label], await lookahead.fetch(info, label, uid, loaders(info)))


@strawberry.type
class Query:
    @strawberry.field(permission_classes=AUTH, description="Any object by global ID, or null.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        label, uid = decode_id(id)
        return build(TYPE_BY_LABEL[label], await loaders(info).node(label).load(uid))

    @strawberry.field(permission_classes=AUTH, description="Objects by global IDs (null for unknown ones), in order.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > 100:
            raise ClientError("at most 100 ids per `nodes` call", "too_many_ids")
        decoded = [decode_id(i) for i in ids]
        rows = await asyncio.gather(*(loaders(info).node(label).load(uid) for label, uid in decoded))
        return [build(TYPE_BY_LABEL[label], row) for (label, _), row in zip(decoded, rows)]

    @strawberry.field(permission_classes=AUTH, description="The current user.")
    async def me(self, info: Info) -> User | None:
        user = info.context.user
        return build(User, await loaders(info).node("User").load(user.uid)) if user else None

    @strawberry.field(permission_classes=AUTH, description="Full-text search over names, emails and domains.")
    async def search(self, text: str, types: list[SearchType] | None = None, first: int = 10) -> list[SearchResult]:
        if not 1 <= first <= 100:
            raise ClientError("`first` must be between 1 and 100", "page_size_exceeded")
        wanted = tuple(t.value for t in types) if types else search_ops.SEARCHABLE_TYPES
        try:
            hits = await run_db(search_ops.search, text, wanted, first)
        except search_ops.SearchTextTooLong as exc:
            raise ClientError(f"{exc}.", "search_too_long") from exc
        return [SearchResult(id=strawberry.ID(encode_id(h.type, h.uid)), uid=h.uid, type=h.type, name=h.name,
                             detail=h.detail, score=h.score) for h in hits]

    @strawberry.field(permission_classes=AUTH, description="A company (360° view), or null.")
    async def company(self, info: Info, id: strawberry.ID) -> Company | None:
        return await _view(info, id, "Company")

    @strawberry.field(permission_classes=AUTH, description="A person (360° view), or null.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        return await _view(info, id, "Person")

    @strawberry.field(permission_classes=AUTH, description="A deal, or null.")
    async def deal(self, info: Info, id: strawberry.ID) -> Deal | None:
        return await _one(info, id, "Deal")

    @strawberry.field(permission_classes=AUTH, description="A ticket, or null.")
    async def ticket(self, info: Info, id: strawberry.ID) -> Ticket | None:
        return await _one(info, id, "Ticket")

    @strawberry.field(permission_classes=AUTH, description="A user, or null.")
    async def user(self, info: Info, id: strawberry.ID) -> User | None:
        return await _one(info, id, "User")

    @strawberry.field(permission_classes=AUTH, description="Companies, filtered and sorted.")
    async def companies(self, filter: CompanyFilter | None = None, sort: CompanySort | None = None,
                        first: int | None = None, after: str | None = None, last: int | None = None,
                        before: str | None = None) -> Connection[Company]:
        return await _list("Company", Company, filter, sort, CompanySort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="People, filtered and sorted.")
    async def people(self, filter: PersonFilter | None = None, sort: PersonSort | None = None,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Person]:
        return await _list("Person", Person, filter, sort, PersonSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Users, filtered and sorted.")
    async def users(self, filter: UserFilter | None = None, sort: UserSort | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[User]:
        return await _list("User", User, filter, sort, UserSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Deals, filtered and sorted.")
    async def deals(self, filter: DealFilter | None = None, sort: DealSort | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[Deal]:
        return await _list("Deal", Deal, filter, sort, DealSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Tickets, filtered and sorted.")
    async def tickets(self, filter: TicketFilter | None = None, sort: TicketSort | None = None,
                      first: int | None = None, after: str | None = None, last: int | None = None,
                      before: str | None = None) -> Connection[Ticket]:
        return await _list("Ticket", Ticket, filter, sort, TicketSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Interactions, filtered and sorted.")
    async def interactions(self, filter: InteractionFilter | None = None, sort: InteractionSort | None = None,
                           first: int | None = None, after: str | None = None, last: int | None = None,
                           before: str | None = None) -> Connection[Interaction]:
        return await _list("Interaction", Interaction, filter, sort, InteractionSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Products, filtered and sorted.")
    async def products(self, filter: ProductFilter | None = None, sort: ProductSort | None = None,
                       first: int | None = None, after: str | None = None, last: int | None = None,
                       before: str | None = None) -> Connection[Product]:
        return await _list("Product", Product, filter, sort, ProductSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="Orders, filtered and sorted.")
    async def orders(self, filter: OrderFilter | None = None, sort: OrderSort | None = None,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Order]:
        return await _list("Order", Order, filter, sort, OrderSort(), first, after, last, before)

    @strawberry.field(permission_classes=AUTH, description="The neighbourhood of any node, to expand it on the canvas.")
    async def neighbourhood(self, id: strawberry.ID, depth: int = 1, limit: int = 200) -> Network | None:
        _, uid = decode_id(id)
        return await network_of(uid, depth, limit)
