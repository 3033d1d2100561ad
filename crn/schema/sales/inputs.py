"""GraphQL inputs of selling: the fields deal, product and order mutations set, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.model import filter_type, input_type
from crn.schema.common import UNSET, SortDirection, sort_enum
from crn.schema.sales.types import DealStage, DealStatus


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

DealInput = input_type("Deal", "DealInput", "Deal fields; `name` is required on create; changing `stage` records history.")


ProductInput = input_type("Product", "ProductInput", "Product fields; `name` is required on create.")


OrderInput = input_type("Order", "OrderInput", "Order fields; `placedAt` is required on create.")


# ---- list filters and sorts ----------------------------------------------------------------------------

DealFilter = filter_type("Deal", "DealFilter", "Deal list filters.")


DealSortField = sort_enum("DealSortField", "Deal")


@strawberry.input
class DealSort:
    field: DealSortField = DealSortField.EXPECTED_CLOSE  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC


ProductFilter = filter_type("Product", "ProductFilter", "Product list filters.")


ProductSortField = sort_enum("ProductSortField", "Product")


@strawberry.input
class ProductSort:
    field: ProductSortField = ProductSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC


OrderFilter = filter_type("Order", "OrderFilter", "Order list filters.")


OrderSortField = sort_enum("OrderSortField", "Order")


@strawberry.input
class OrderSort:
    field: OrderSortField = OrderSortField.PLACED_AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
