"""Root query fields of selling: a deal, and the deal, product and order lists (the board is in ``board``)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.schema.base import Connection
from crn.schema.common import list_nodes, one
from crn.schema.permissions import IsAuthenticated
from crn.schema.sales.inputs import DealFilter, DealSort, OrderFilter, OrderSort, ProductFilter, ProductSort
from crn.schema.sales.types import Deal, Order, Product


@strawberry.type
class SalesQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="A deal, or null.")
    async def deal(self, info: Info, id: strawberry.ID) -> Deal | None:
        return await one(info, id, "Deal", Deal)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Deals, filtered and sorted.")
    async def deals(self, filter: DealFilter | None = None, sort: DealSort | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[Deal]:
        return await list_nodes("Deal", Deal, filter, sort, DealSort(), first, after, last, before)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Products, filtered and sorted.")
    async def products(self, filter: ProductFilter | None = None, sort: ProductSort | None = None,
                       first: int | None = None, after: str | None = None, last: int | None = None,
                       before: str | None = None) -> Connection[Product]:
        return await list_nodes("Product", Product, filter, sort, ProductSort(), first, after, last, before)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Orders, filtered and sorted.")
    async def orders(self, filter: OrderFilter | None = None, sort: OrderSort | None = None,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Order]:
        return await list_nodes("Order", Order, filter, sort, OrderSort(), first, after, last, before)
