"""Mutations of selling: create, update, delete and upsert of deals, products and orders.

Each field reads its input, calls one validated operation of ``crn.crm`` (through ``crn.schema.common``) as the
acting user, and returns its own ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and
field). Viewers are refused by the ``CanWrite`` permission class before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.schema.base import UserError
from crn.schema.common import build, create_record, delete_record, update_record, upsert_record, user_errors
from crn.schema.permissions import CanWrite
from crn.schema.sales.inputs import DealInput, OrderInput, ProductInput
from crn.schema.sales.types import Deal, Order, Product


# ---- results of dealCreate, dealUpdate, dealDelete, dealUpsert ---------------------------------------------

@strawberry.type(description="Creating a deal succeeded.")
class DealCreateSuccess:
    deal: Deal


@strawberry.type(description="Creating a deal failed; nothing changed.")
class DealCreateError:
    errors: list[UserError]


DealCreateResult = Annotated[Union[DealCreateSuccess, DealCreateError],
                             strawberry.union("DealCreateResult")]


@strawberry.type(description="Updating a deal succeeded.")
class DealUpdateSuccess:
    deal: Deal


@strawberry.type(description="Updating a deal failed; nothing changed.")
class DealUpdateError:
    errors: list[UserError]


DealUpdateResult = Annotated[Union[DealUpdateSuccess, DealUpdateError],
                             strawberry.union("DealUpdateResult")]


@strawberry.type(description="Deleting a deal succeeded.")
class DealDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a deal failed; nothing changed.")
class DealDeleteError:
    errors: list[UserError]


DealDeleteResult = Annotated[Union[DealDeleteSuccess, DealDeleteError],
                             strawberry.union("DealDeleteResult")]


@strawberry.type(description="Upserting a deal succeeded.")
class DealUpsertSuccess:
    deal: Deal


@strawberry.type(description="Upserting a deal failed; nothing changed.")
class DealUpsertError:
    errors: list[UserError]


DealUpsertResult = Annotated[Union[DealUpsertSuccess, DealUpsertError],
                             strawberry.union("DealUpsertResult")]


# ---- results of productCreate, productUpdate, productDelete, productUpsert ---------------------------------

@strawberry.type(description="Creating a product succeeded.")
class ProductCreateSuccess:
    product: Product


@strawberry.type(description="Creating a product failed; nothing changed.")
class ProductCreateError:
    errors: list[UserError]


ProductCreateResult = Annotated[Union[ProductCreateSuccess, ProductCreateError],
                                strawberry.union("ProductCreateResult")]


@strawberry.type(description="Updating a product succeeded.")
class ProductUpdateSuccess:
    product: Product


@strawberry.type(description="Updating a product failed; nothing changed.")
class ProductUpdateError:
    errors: list[UserError]


ProductUpdateResult = Annotated[Union[ProductUpdateSuccess, ProductUpdateError],
                                strawberry.union("ProductUpdateResult")]


@strawberry.type(description="Deleting a product succeeded.")
class ProductDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a product failed; nothing changed.")
class ProductDeleteError:
    errors: list[UserError]


ProductDeleteResult = Annotated[Union[ProductDeleteSuccess, ProductDeleteError],
                                strawberry.union("ProductDeleteResult")]


@strawberry.type(description="Upserting a product succeeded.")
class ProductUpsertSuccess:
    product: Product


@strawberry.type(description="Upserting a product failed; nothing changed.")
class ProductUpsertError:
    errors: list[UserError]


ProductUpsertResult = Annotated[Union[ProductUpsertSuccess, ProductUpsertError],
                                strawberry.union("ProductUpsertResult")]


# ---- results of orderCreate, orderUpdate, orderDelete, orderUpsert -----------------------------------------

@strawberry.type(description="Creating a order succeeded.")
class OrderCreateSuccess:
    order: Order


@strawberry.type(description="Creating a order failed; nothing changed.")
class OrderCreateError:
    errors: list[UserError]


OrderCreateResult = Annotated[Union[OrderCreateSuccess, OrderCreateError],
                              strawberry.union("OrderCreateResult")]


@strawberry.type(description="Updating a order succeeded.")
class OrderUpdateSuccess:
    order: Order


@strawberry.type(description="Updating a order failed; nothing changed.")
class OrderUpdateError:
    errors: list[UserError]


OrderUpdateResult = Annotated[Union[OrderUpdateSuccess, OrderUpdateError],
                              strawberry.union("OrderUpdateResult")]


@strawberry.type(description="Deleting a order succeeded.")
class OrderDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a order failed; nothing changed.")
class OrderDeleteError:
    errors: list[UserError]


OrderDeleteResult = Annotated[Union[OrderDeleteSuccess, OrderDeleteError],
                              strawberry.union("OrderDeleteResult")]


@strawberry.type(description="Upserting a order succeeded.")
class OrderUpsertSuccess:
    order: Order


@strawberry.type(description="Upserting a order failed; nothing changed.")
class OrderUpsertError:
    errors: list[UserError]


OrderUpsertResult = Annotated[Union[OrderUpsertSuccess, OrderUpsertError],
                              strawberry.union("OrderUpsertResult")]



@strawberry.type
class SalesMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a deal.")
    async def deal_create(self, info: Info, input: DealInput) -> DealCreateResult:
        result = await create_record(info, "Deal", input)
        if not result.ok:
            return DealCreateError(errors=user_errors(result.errors))
        return DealCreateSuccess(deal=build(Deal, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a deal.")
    async def deal_update(self, info: Info, id: strawberry.ID, input: DealInput) -> DealUpdateResult:
        result = await update_record(info, "Deal", id, input)
        if not result.ok:
            return DealUpdateError(errors=user_errors(result.errors))
        return DealUpdateSuccess(deal=build(Deal, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a deal; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def deal_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> DealDeleteResult:
        result = await delete_record(info, "Deal", id, force)
        if not result.ok:
            return DealDeleteError(errors=user_errors(result.errors))
        return DealDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the deal with this external id ('source:id'), or create it.")
    async def deal_upsert(self, info: Info, external_id: str, input: DealInput) -> DealUpsertResult:
        result = await upsert_record(info, "Deal", external_id, input)
        if not result.ok:
            return DealUpsertError(errors=user_errors(result.errors))
        return DealUpsertSuccess(deal=build(Deal, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Create a product.")
    async def product_create(self, info: Info, input: ProductInput) -> ProductCreateResult:
        result = await create_record(info, "Product", input)
        if not result.ok:
            return ProductCreateError(errors=user_errors(result.errors))
        return ProductCreateSuccess(product=build(Product, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a product.")
    async def product_update(self, info: Info, id: strawberry.ID, input: ProductInput) -> ProductUpdateResult:
        result = await update_record(info, "Product", id, input)
        if not result.ok:
            return ProductUpdateError(errors=user_errors(result.errors))
        return ProductUpdateSuccess(product=build(Product, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a product; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def product_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> ProductDeleteResult:
        result = await delete_record(info, "Product", id, force)
        if not result.ok:
            return ProductDeleteError(errors=user_errors(result.errors))
        return ProductDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the product with this external id ('source:id'), or create it.")
    async def product_upsert(self, info: Info, external_id: str, input: ProductInput) -> ProductUpsertResult:
        result = await upsert_record(info, "Product", external_id, input)
        if not result.ok:
            return ProductUpsertError(errors=user_errors(result.errors))
        return ProductUpsertSuccess(product=build(Product, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Create a order.")
    async def order_create(self, info: Info, input: OrderInput) -> OrderCreateResult:
        result = await create_record(info, "Order", input)
        if not result.ok:
            return OrderCreateError(errors=user_errors(result.errors))
        return OrderCreateSuccess(order=build(Order, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a order.")
    async def order_update(self, info: Info, id: strawberry.ID, input: OrderInput) -> OrderUpdateResult:
        result = await update_record(info, "Order", id, input)
        if not result.ok:
            return OrderUpdateError(errors=user_errors(result.errors))
        return OrderUpdateSuccess(order=build(Order, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a order; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def order_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> OrderDeleteResult:
        result = await delete_record(info, "Order", id, force)
        if not result.ok:
            return OrderDeleteError(errors=user_errors(result.errors))
        return OrderDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the order with this external id ('source:id'), or create it.")
    async def order_upsert(self, info: Info, external_id: str, input: OrderInput) -> OrderUpsertResult:
        result = await upsert_record(info, "Order", external_id, input)
        if not result.ok:
            return OrderUpsertError(errors=user_errors(result.errors))
        return OrderUpsertSuccess(order=build(Order, result.record))
