"""GraphQL inputs of selling: the fields deal, product and order mutations set, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.common import UNSET, SortDirection, sort_enum
from crn.schema.sales.types import DealStage, DealStatus


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Deal fields; `name` is required on create; changing `stage` records history.")
class DealInput:
    name: str | None = UNSET
    amount: float | None = UNSET
    currency: str | None = UNSET
    stage: str | None = UNSET
    probability: float | None = UNSET
    expected_close: dt.date | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Product fields; `name` is required on create.")
class ProductInput:
    name: str | None = UNSET
    sku: str | None = UNSET
    category: str | None = UNSET
    price: float | None = UNSET
    currency: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Order fields; `placedAt` is required on create.")
class OrderInput:
    number: str | None = UNSET
    placed_at: dt.datetime | None = UNSET
    total: float | None = UNSET
    currency: str | None = UNSET
    status: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


# ---- list filters and sorts ----------------------------------------------------------------------------

@strawberry.input(description="Deal list filters.")
class DealFilter:
    stage: list[DealStage] | None = None
    status: list[DealStatus] | None = None
    owner: strawberry.ID | None = None
    company: strawberry.ID | None = None
    expected_close_from: dt.date | None = None
    expected_close_to: dt.date | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    name_contains: str | None = None


DealSortField = sort_enum("DealSortField", "Deal")


@strawberry.input
class DealSort:
    field: DealSortField = DealSortField.EXPECTED_CLOSE  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC


@strawberry.input(description="Product list filters.")
class ProductFilter:
    category: list[str] | None = None
    name_contains: str | None = None


ProductSortField = sort_enum("ProductSortField", "Product")


@strawberry.input
class ProductSort:
    field: ProductSortField = ProductSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Order list filters.")
class OrderFilter:
    status: list[str] | None = None
    placed_after: dt.datetime | None = None
    placed_before: dt.datetime | None = None


OrderSortField = sort_enum("OrderSortField", "Order")


@strawberry.input
class OrderSort:
    field: OrderSortField = OrderSortField.PLACED_AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
