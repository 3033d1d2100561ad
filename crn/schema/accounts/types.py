"""GraphQL types of accounts: Company, its ownership links, account team, board seats, shareholdings and roll-up.

Types of other domains are referenced with ``strawberry.lazy`` (resolved when the schema is built) and
reached at call time through their modules, so the domains can point at each other without import cycles.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from crn.crm import views
from crn.schema.activity import types as activity
from crn.schema.base import Connection, Node
from crn.schema.model import node_fields
from crn.schema.common import build, page, rel, rows, then
from crn.schema.context import loaders
from crn.schema.network import types as network
from crn.schema.people import types as people
from crn.schema.sales import types as sales
from crn.schema.service import types as service


@strawberry.type(description="An organisation: customer, prospect, partner, or a member of their corporate family.")
@node_fields("Company")
class Company(Node):

    @strawberry.field(description="Direct parents (SUBSIDIARY_OF), with share, kind and dates.")
    def parents(self, info: Info) -> list[CompanyLink]:
        return then(rows(info, "company_parents", self.uid), lambda found: [CompanyLink.of(i) for i in found])

    @strawberry.field(description="Direct subsidiaries, with share, kind and dates.")
    def subsidiaries(self, info: Info) -> list[CompanyLink]:
        return then(rows(info, "company_subsidiaries", self.uid), lambda found: [CompanyLink.of(i) for i in found])

    @strawberry.field(description="Parents up to the ultimate parent, along current majority-owned links.")
    def parent_chain(self, info: Info) -> list[Company]:
        return then(loaders(info).value("parent_chain", self.uid), lambda chain: [build(Company, n) for n in chain])

    @strawberry.field(description="The top of the parent chain (null when the company has no majority parent).")
    def ultimate_parent(self, info: Info) -> Company | None:
        return then(loaders(info).value("parent_chain", self.uid),
                    lambda chain: build(Company, chain[-1]) if chain else None)

    @strawberry.field(description="People working here (WORKS_AT); current ones by default.")
    def contacts(self, info: Info, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None,
                 current: bool | None = True
                 ) -> Connection[Annotated["Person", strawberry.lazy("crn.schema.people.types")]]:
        return page(info, "company_contacts", self.uid, lambda i: build(people.Person, i.node),
                    first, after, last, before, current=current)

    @strawberry.field(description="Deals for this company, newest expected close first.")
    def deals(self, info: Info, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None,
              status: Annotated["DealStatus", strawberry.lazy("crn.schema.sales.types")] | None = None
              ) -> Connection[Annotated["Deal", strawberry.lazy("crn.schema.sales.types")]]:
        return page(info, "company_deals", self.uid, lambda i: build(sales.Deal, i.node),
                    first, after, last, before, status=status.value if status else None)

    @strawberry.field(description="Tickets for this company, newest first; `open` filters open/pending.")
    def tickets(self, info: Info, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None,
                open: bool | None = None
                ) -> Connection[Annotated["Ticket", strawberry.lazy("crn.schema.service.types")]]:
        return page(info, "company_tickets", self.uid, lambda i: build(service.Ticket, i.node),
                    first, after, last, before, open=open)

    @strawberry.field(description="The timeline: interactions about the company or with its people, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None
                     ) -> Connection[Annotated["Interaction", strawberry.lazy("crn.schema.activity.types")]]:
        return page(info, "company_interactions", self.uid, lambda i: build(activity.Interaction, i.node),
                    first, after, last, before)

    @strawberry.field(description="Our users on the account and their roles.")
    def account_team(self, info: Info) -> list[AccountTeamMember]:
        return then(rows(info, "company_account_team", self.uid),
                    lambda found: [AccountTeamMember(role=rel(i, "role"), access=rel(i, "access") or "read_write",
                                                     user=build(people.User, i.node))
                                   for i in found])

    @strawberry.field(description="People on the board (BOARD_MEMBER_OF).")
    def board_members(self, info: Info) -> list[Annotated["Person", strawberry.lazy("crn.schema.people.types")]]:
        return then(rows(info, "company_board_members", self.uid),
                    lambda found: [build(people.Person, i.node) for i in found])

    @strawberry.field(description="Board seats with role and dates.")
    def board_seats(self, info: Info) -> list[BoardSeat]:
        return then(rows(info, "company_board_members", self.uid),
                    lambda found: [BoardSeat.of(i, person=build(people.Person, i.node)) for i in found])

    @strawberry.field(description="People holding shares personally (OWNS_SHARE).")
    def shareholders(self, info: Info) -> list[Shareholding]:
        return then(rows(info, "company_shareholders", self.uid),
                    lambda found: [Shareholding.of(i, person=build(people.Person, i.node)) for i in found])

    @strawberry.field(description="Partners (PARTNER_OF, either direction).")
    def partners(self, info: Info) -> list[Company]:
        return then(rows(info, "company_partners", self.uid), lambda found: [build(Company, i.node) for i in found])

    @strawberry.field(description="Companies that supply this one.")
    def suppliers(self, info: Info) -> list[Company]:
        return then(rows(info, "company_suppliers", self.uid), lambda found: [build(Company, i.node) for i in found])

    @strawberry.field(description="Companies this one supplies.")
    def customers(self, info: Info) -> list[Company]:
        return then(rows(info, "company_customers", self.uid), lambda found: [build(Company, i.node) for i in found])

    @strawberry.field(description="Competitors (COMPETES_WITH).")
    def competitors(self, info: Info) -> list[Company]:
        return then(rows(info, "company_competitors", self.uid),
                    lambda found: [build(Company, i.node) for i in found])

    @strawberry.field(description="Orders placed by the company, newest first.")
    def orders(self, info: Info) -> list[Annotated["Order", strawberry.lazy("crn.schema.sales.types")]]:
        return then(rows(info, "company_orders", self.uid), lambda found: [build(sales.Order, i.node) for i in found])

    @strawberry.field(description="Totals over the company and every company below it.")
    def family_rollup(self, info: Info) -> FamilyRollup | None:
        return then(loaders(info).value("family_rollup", self.uid), lambda row: build(FamilyRollup, row))

    @strawberry.field(description="The company's neighbourhood for the network canvas.")
    async def network(self, info: Info, depth: int = 1, limit: int = 500
                      ) -> Annotated["Network", strawberry.lazy("crn.schema.network.types")] | None:
        return await network.network_of(self.uid, depth, limit)


# ---- relationship (edge) types -----------------------------------------------------------------------

@strawberry.type(description="A SUBSIDIARY_OF link seen from one end: the other company, share, kind and dates.")
class CompanyLink:
    company: Company
    share: float | None = None
    share_min: float | None = None
    share_max: float | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, item: views.Related) -> CompanyLink:
        r = item.rel or {}
        return cls(company=build(Company, item.node), share=r.get("share"), share_min=r.get("share_min"),
                   share_max=r.get("share_max"), kind=r.get("kind"), since=r.get("since"), until=r.get("until"))


@strawberry.type(description="A user on an account team.")
class AccountTeamMember:
    role: str | None
    access: str | None = strawberry.field(default=None, description="What the membership grants on the company and "
                                          "what follows it: read or read_write (access, issue 13).")
    user: Annotated["User", strawberry.lazy("crn.schema.people.types")]


@strawberry.type(description="An account a user is on.")
class AccountAssignment:
    role: str | None
    company: Company


@strawberry.type(description="A board seat (BOARD_MEMBER_OF).")
class BoardSeat:
    person: Annotated["Person", strawberry.lazy("crn.schema.people.types")] | None = None
    company: Company | None = None
    role: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, item: views.Related, person: people.Person | None = None,
           company: Company | None = None) -> BoardSeat:
        r = item.rel or {}
        return cls(person=person, company=company, role=r.get("role"), since=r.get("since"), until=r.get("until"))


@strawberry.type(description="A personal shareholding (OWNS_SHARE).")
class Shareholding:
    person: Annotated["Person", strawberry.lazy("crn.schema.people.types")] | None = None
    company: Company | None = None
    share: float | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, item: views.Related, person: people.Person | None = None,
           company: Company | None = None) -> Shareholding:
        r = item.rel or {}
        return cls(person=person, company=company, share=r.get("share"), since=r.get("since"),
                   until=r.get("until"))


@strawberry.type(description="Totals over a company and every company below it in its family.")
class FamilyRollup:
    companies: int
    open_pipeline: float
    weighted_pipeline: float
    won_revenue_12m: float = strawberry.field(name="wonRevenue12m")
    open_tickets: int
    sla_breaches: int
    contacts: int
    last_interaction_at: datetime | None = None
