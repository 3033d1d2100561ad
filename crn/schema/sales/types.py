"""GraphQL types of selling: Deal (stages, status, buying committee), Product and Order.

Types of other domains are referenced with ``strawberry.lazy`` and reached at call time through their modules.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from crn.crm import views
from crn.schema.accounts import types as accounts
from crn.schema.activity import types as activity
from crn.schema.base import JSON, Connection, Node
from crn.schema.model import enum_of, node_fields
from crn.schema.common import build, first_of, page, rel, rows, then
from crn.schema.people import types as people

# ---- enums ------------------------------------------------------------------------------------------

DealStatus = enum_of("Deal", "status", "Whether a deal is still open, won or lost.")
DealStage = enum_of("Deal", "stage", "Pipeline stages of a deal.")


# ---- node types ---------------------------------------------------------------------------------------

@strawberry.type(description="An opportunity with a company.")
@node_fields("Deal")
class Deal(Node):

    @strawberry.field(description="The company the deal is for.")
    def company(self, info: Info) -> Annotated["Company", strawberry.lazy("crn.schema.accounts.types")] | None:
        return then(rows(info, "deal_company", self.uid), lambda found: first_of(accounts.Company, found))

    @strawberry.field(description="The buying committee: declared roles first.")
    def committee(self, info: Info) -> list[CommitteeMember]:
        return then(rows(info, "deal_committee", self.uid), lambda found: [
            CommitteeMember.of(i, person=build(people.Person, i.node), deal=self) for i in found])

    @strawberry.field(description="Users owning the deal.")
    def owners(self, info: Info) -> list[Annotated["User", strawberry.lazy("crn.schema.people.types")]]:
        return then(rows(info, "deal_owners", self.uid), lambda found: [build(people.User, i.node) for i in found])

    @strawberry.field(description="Interactions about the deal, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None
                     ) -> Connection[Annotated["Interaction", strawberry.lazy("crn.schema.activity.types")]]:
        return page(info, "deal_interactions", self.uid, lambda i: build(activity.Interaction, i.node),
                    first, after, last, before)


@strawberry.type(description="Something we sell.")
@node_fields("Product")
class Product(Node):

    @strawberry.field(description="Orders containing it, newest first.")
    def orders(self, info: Info) -> list[Order]:
        return then(rows(info, "product_orders", self.uid), lambda found: [build(Order, i.node) for i in found])


@strawberry.type(description="A purchase by a person or a company.")
@node_fields("Order")
class Order(Node):

    @strawberry.field(description="Lines: product, quantity and unit price.")
    def items(self, info: Info) -> list[OrderItem]:
        return then(rows(info, "order_items", self.uid), lambda found: [
            OrderItem(qty=rel(i, "qty"), price=rel(i, "price"), product=build(Product, i.node)) for i in found])

    @strawberry.field(description="The person who placed it.")
    def person(self, info: Info) -> Annotated["Person", strawberry.lazy("crn.schema.people.types")] | None:
        return then(rows(info, "order_person", self.uid), lambda found: first_of(people.Person, found))

    @strawberry.field(description="The company that placed it.")
    def company(self, info: Info) -> Annotated["Company", strawberry.lazy("crn.schema.accounts.types")] | None:
        return then(rows(info, "order_company", self.uid), lambda found: first_of(accounts.Company, found))


# ---- relationship (edge) types -----------------------------------------------------------------------

@strawberry.type(description="A seat on a buying committee (ON_COMMITTEE): declared by a user or inferred.")
class CommitteeMember:
    person: Annotated["Person", strawberry.lazy("crn.schema.people.types")]
    deal: Deal
    role: str | None = None
    declared: bool | None = None
    confidence: float | None = None

    @classmethod
    def of(cls, item: views.Related, person: people.Person, deal: Deal) -> CommitteeMember:
        r = item.rel or {}
        return cls(person=person, deal=deal, role=r.get("role"), declared=r.get("declared"),
                   confidence=r.get("confidence"))


@strawberry.type(description="An order line.")
class OrderItem:
    qty: int | None
    price: float | None
    product: Product
