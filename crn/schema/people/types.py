"""GraphQL types of people: Person, User (our staff), employment, reporting lines and who knows whom.

Types of other domains are referenced with ``strawberry.lazy`` and reached at call time through their modules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from crn.crm import views
from crn.schema.accounts import types as accounts
from crn.schema.activity import types as activity
from crn.schema.base import JSON, Connection, Node
from crn.schema.model import node_fields
from crn.schema.common import build, current, first_of, page, rel, rows, then
from crn.schema.context import loaders
from crn.schema.network import types as network
from crn.schema.sales import types as sales
from crn.schema.service import types as service


@strawberry.type(description="Someone outside our organisation: a contact at a company or an individual customer.")
@node_fields("Person")
class Person(Node):

    @strawberry.field(description="Employers over time (current first), with title and dates.")
    def employments(self, info: Info) -> list[Employment]:
        return then(rows(info, "person_employments", self.uid), lambda found: [
            Employment.of(i, company=build(accounts.Company, i.node), person=self) for i in found])

    @strawberry.field(description="The current employer (most recent open employment).")
    def company(self, info: Info) -> Annotated["Company", strawberry.lazy("crn.schema.accounts.types")] | None:
        return then(rows(info, "person_employments", self.uid),
                    lambda found: first_of(accounts.Company, [i for i in found if current(i)]))

    @strawberry.field(description="The current solid-line manager.")
    def manager(self, info: Info) -> Person | None:
        return then(rows(info, "person_managers", self.uid), lambda found: first_of(
            Person, [i for i in found if rel(i, "kind", "solid") != "dotted" and current(i)]))

    @strawberry.field(description="Current dotted-line (matrix) managers.")
    def dotted_line(self, info: Info) -> list[Person]:
        return then(rows(info, "person_managers", self.uid), lambda found: [
            build(Person, i.node) for i in found if rel(i, "kind") == "dotted" and current(i)])

    @strawberry.field(description="People reporting to this person on a current solid line.")
    def direct_reports(self, info: Info) -> list[Person]:
        return then(rows(info, "person_reports", self.uid), lambda found: [
            build(Person, i.node) for i in found if rel(i, "kind", "solid") != "dotted" and current(i)])

    @strawberry.field(description="Manager, their manager, ... up to the top (solid lines).")
    def reporting_chain(self, info: Info) -> list[Person]:
        return then(loaders(info).value("reporting_chain", self.uid), lambda chain: [build(Person, n) for n in chain])

    @strawberry.field(description="Deals this person sits on, with their committee role.")
    def deals(self, info: Info) -> list[Annotated["CommitteeMember", strawberry.lazy("crn.schema.sales.types")]]:
        return then(rows(info, "person_deals", self.uid), lambda found: [
            sales.CommitteeMember.of(i, person=self, deal=build(sales.Deal, i.node)) for i in found])

    @strawberry.field(description="Tickets raised by this person, newest first.")
    def tickets(self, info: Info, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None
                ) -> Connection[Annotated["Ticket", strawberry.lazy("crn.schema.service.types")]]:
        return page(info, "person_tickets", self.uid, lambda i: build(service.Ticket, i.node),
                    first, after, last, before)

    @strawberry.field(description="Interactions involving this person, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None
                     ) -> Connection[Annotated["Interaction", strawberry.lazy("crn.schema.activity.types")]]:
        return page(info, "person_interactions", self.uid, lambda i: build(activity.Interaction, i.node),
                    first, after, last, before)

    @strawberry.field(description="Which of our users know this person, strongest first.")
    def known_by(self, info: Info) -> list[KnownBy]:
        return then(rows(info, "person_known_by", self.uid),
                    lambda found: [KnownBy.of(i, user=build(User, i.node)) for i in found])

    @strawberry.field(description="Other people this person knows (KNOWS, either direction).")
    def knows(self, info: Info) -> list[Acquaintance]:
        return then(rows(info, "person_knows", self.uid),
                    lambda found: [Acquaintance.of(i, person=build(Person, i.node)) for i in found])

    @strawberry.field(description="Board seats held.")
    def board_seats(self, info: Info) -> list[Annotated["BoardSeat", strawberry.lazy("crn.schema.accounts.types")]]:
        return then(rows(info, "person_boards", self.uid), lambda found: [
            accounts.BoardSeat.of(i, company=build(accounts.Company, i.node)) for i in found])

    @strawberry.field(description="Personal shareholdings.")
    def shareholdings(self, info: Info
                      ) -> list[Annotated["Shareholding", strawberry.lazy("crn.schema.accounts.types")]]:
        return then(rows(info, "person_shareholdings", self.uid), lambda found: [
            accounts.Shareholding.of(i, company=build(accounts.Company, i.node)) for i in found])

    @strawberry.field(description="Orders placed by this person, newest first.")
    def orders(self, info: Info) -> list[Annotated["Order", strawberry.lazy("crn.schema.sales.types")]]:
        return then(rows(info, "person_orders", self.uid), lambda found: [build(sales.Order, i.node) for i in found])

    @strawberry.field(description="The person's neighbourhood for the network canvas.")
    async def network(self, info: Info, depth: int = 1, limit: int = 500
                      ) -> Annotated["Network", strawberry.lazy("crn.schema.network.types")] | None:
        return await network.network_of(self.uid, depth, limit)


@strawberry.type(description="One of our own staff.")
@node_fields("User")
class User(Node):

    @strawberry.field(description="Accounts this user is on, with their role.")
    def accounts(self, info: Info
                 ) -> list[Annotated["AccountAssignment", strawberry.lazy("crn.schema.accounts.types")]]:
        return then(rows(info, "user_account_team", self.uid), lambda found: [
            accounts.AccountAssignment(role=rel(i, "role"), company=build(accounts.Company, i.node)) for i in found])

    @strawberry.field(description="Deals this user owns.")
    def deals(self, info: Info) -> list[Annotated["Deal", strawberry.lazy("crn.schema.sales.types")]]:
        return then(rows(info, "user_deals", self.uid), lambda found: [build(sales.Deal, i.node) for i in found])

    @strawberry.field(description="People this user knows, strongest first.")
    def knows(self, info: Info) -> list[Acquaintance]:
        return then(rows(info, "user_knows", self.uid),
                    lambda found: [Acquaintance.of(i, person=build(Person, i.node)) for i in found])

    @strawberry.field(description="Tickets assigned to this user.")
    def tickets(self, info: Info) -> list[Annotated["Ticket", strawberry.lazy("crn.schema.service.types")]]:
        return then(rows(info, "user_tickets", self.uid),
                    lambda found: [build(service.Ticket, i.node) for i in found])


# ---- relationship (edge) types -----------------------------------------------------------------------

@strawberry.type(description="A stint of a person at a company (WORKS_AT).")
class Employment:
    company: Annotated["Company", strawberry.lazy("crn.schema.accounts.types")]
    person: Person
    title: str | None = None
    department: str | None = None
    since: date | None = None
    until: date | None = None
    current: bool = True

    @classmethod
    def of(cls, item: views.Related, company: accounts.Company, person: Person) -> Employment:
        r = item.rel or {}
        return cls(company=company, person=person, title=r.get("title"), department=r.get("department"),
                   since=r.get("since"), until=r.get("until"), current=current(item))


@strawberry.type(description="One of our users who knows a person, with the strength of the tie.")
class KnownBy:
    user: User
    strength: float | None = None
    since: date | None = None
    origin: str | None = None
    strength_parts: JSON | None = None

    @classmethod
    def of(cls, item: views.Related, user: User) -> KnownBy:
        r = item.rel or {}
        return cls(user=user, strength=r.get("strength"), since=r.get("since"), origin=r.get("origin"),
                   strength_parts=r.get("strength_parts"))


@strawberry.type(description="A person someone knows, with the strength of the tie.")
class Acquaintance:
    person: Person
    strength: float | None = None
    since: date | None = None
    origin: str | None = None

    @classmethod
    def of(cls, item: views.Related, person: Person) -> Acquaintance:
        r = item.rel or {}
        return cls(person=person, strength=r.get("strength"), since=r.get("since"), origin=r.get("origin"))
