"""GraphQL object types for every node of the model, with both ends of every relationship.

Resolvers stay thin: they read arguments, call one per-request DataLoader and wrap the rows.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from crn.crm import views
from crn.schema.base import JSON, Connection, Edge, Node, encode_id, page_window
from crn.schema.context import loaders

N = TypeVar("N")
R = TypeVar("R")


@functools.cache
def _init_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, required) of the constructor fields of a GraphQL type (computed once per type)."""
    return tuple((f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
                 for f in dataclasses.fields(cls) if f.init and f.name != "id")


def build(cls: type[N], row: dict[str, Any] | None) -> N | None:
    """An instance of a GraphQL type from a property dict (unknown keys ignored, missing ones None)."""
    if row is None:
        return None
    values = {}
    for name, needed in _init_fields(cls):
        if name in row:
            values[name] = row[name]
        elif needed:
            values[name] = None
    return cls(**values)


def _rel(item: views.Related, key: str, default: Any = None) -> Any:
    return (item.rel or {}).get(key, default)


def _current(item: views.Related) -> bool:
    until = _rel(item, "until")
    return until is None or until > date.today()


def _then(value: Any, fn: Callable[[Any], R]) -> R | Awaitable[R]:
    """fn(value) now when the value is at hand (prefetched), else an awaitable of it.

    Resolvers return plain values whenever they can: graphql-core completes a plain value far more
    cheaply than an awaitable, and the 360° look-ahead leaves almost everything prefetched.
    """
    if inspect.isawaitable(value):
        async def later() -> R:
            return fn(await value)
        return later()
    return fn(value)


def _rows(info: Info, relation: str, uid: str) -> Any:
    """All rows of a relation: prefetched, or an awaitable from the request's DataLoader."""
    return loaders(info).related_rows(relation, uid)


def _page(info: Info, relation: str, uid: str, make, first, after, last, before, **filters) -> Any:
    window = page_window(first, after, last, before, scope=relation)
    page = loaders(info).page_rows(relation, uid, window.skip, window.limit, window.reverse, **filters)
    return _then(page, lambda page: window.connection(
        page.total, page.items,
        lambda item, cursor: Edge(cursor=cursor, node=make(item), properties=_jsonable(item.rel))))


def _first(cls: type[N], rows: list[views.Related]) -> N | None:
    return build(cls, rows[0].node) if rows else None


# ---- enums ------------------------------------------------------------------------------------------

@strawberry.enum(description="Whether a deal is still open, won or lost.")
class DealStatus(Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


@strawberry.enum(description="Pipeline stages of a deal.")
class DealStage(Enum):
    QUALIFICATION = "qualification"
    DISCOVERY = "discovery"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


# ---- node types ---------------------------------------------------------------------------------------

@strawberry.type(description="An organisation: customer, prospect, partner, or a member of their corporate family.")
class Company(Node):
    uid: str
    name: str
    legal_name: str | None = None
    domain: str | None = None
    industry: str | None = None
    country: str | None = None
    city: str | None = None
    employees: int | None = None
    annual_revenue: float | None = None
    currency: str | None = None
    tier: str | None = None
    lifecycle: str | None = None
    tags: list[str] | None = None
    external_ids: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @strawberry.field(description="Direct parents (SUBSIDIARY_OF), with share, kind and dates.")
    def parents(self, info: Info) -> list[CompanyLink]:
        return _then(_rows(info, "company_parents", self.uid), lambda rows: [CompanyLink.of(i) for i in rows])

    @strawberry.field(description="Direct subsidiaries, with share, kind and dates.")
    def subsidiaries(self, info: Info) -> list[CompanyLink]:
        return _then(_rows(info, "company_subsidiaries", self.uid), lambda rows: [CompanyLink.of(i) for i in rows])

    @strawberry.field(description="Parents up to the ultimate parent, along current majority-owned links.")
    def parent_chain(self, info: Info) -> list[Company]:
        return _then(loaders(info).value("parent_chain", self.uid), lambda chain: [build(Company, n) for n in chain])

    @strawberry.field(description="The top of the parent chain (null when the company has no majority parent).")
    def ultimate_parent(self, info: Info) -> Company | None:
        return _then(loaders(info).value("parent_chain", self.uid),
                     lambda chain: build(Company, chain[-1]) if chain else None)

    @strawberry.field(description="People working here (WORKS_AT); current ones by default.")
    def contacts(self, info: Info, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None,
                 current: bool | None = True) -> Connection[Person]:
        return _page(info, "company_contacts", self.uid, lambda i: build(Person, i.node),
                     first, after, last, before, current=current)

    @strawberry.field(description="Deals for this company, newest expected close first.")
    def deals(self, info: Info, first: int | None = None, after: str | None = None,
              last: int | None = None, before: str | None = None,
              status: DealStatus | None = None) -> Connection[Deal]:
        return _page(info, "company_deals", self.uid, lambda i: build(Deal, i.node),
                     first, after, last, before, status=status.value if status else None)

    @strawberry.field(description="Tickets for this company, newest first; `open` filters open/pending.")
    def tickets(self, info: Info, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None,
                open: bool | None = None) -> Connection[Ticket]:
        return _page(info, "company_tickets", self.uid, lambda i: build(Ticket, i.node),
                     first, after, last, before, open=open)

    @strawberry.field(description="The timeline: interactions about the company or with its people, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> Connection[Interaction]:
        return _page(info, "company_interactions", self.uid, lambda i: build(Interaction, i.node),
                     first, after, last, before)

    @strawberry.field(description="Our users on the account and their roles.")
    def account_team(self, info: Info) -> list[AccountTeamMember]:
        return _then(_rows(info, "company_account_team", self.uid),
                     lambda rows: [AccountTeamMember(role=_rel(i, "role"), user=build(User, i.node)) for i in rows])

    @strawberry.field(description="People on the board (BOARD_MEMBER_OF).")
    def board_members(self, info: Info) -> list[Person]:
        return _then(_rows(info, "company_board_members", self.uid), lambda rows: [build(Person, i.node) for i in rows])

    @strawberry.field(description="Board seats with role and dates.")
    def board_seats(self, info: Info) -> list[BoardSeat]:
        return _then(_rows(info, "company_board_members", self.uid),
                     lambda rows: [BoardSeat.of(i, person=build(Person, i.node)) for i in rows])

    @strawberry.field(description="People holding shares personally (OWNS_SHARE).")
    def shareholders(self, info: Info) -> list[Shareholding]:
        return _then(_rows(info, "company_shareholders", self.uid),
                     lambda rows: [Shareholding.of(i, person=build(Person, i.node)) for i in rows])

    @strawberry.field(description="Partners (PARTNER_OF, either direction).")
    def partners(self, info: Info) -> list[Company]:
        return _then(_rows(info, "company_partners", self.uid), lambda rows: [build(Company, i.node) for i in rows])

    @strawberry.field(description="Companies that supply this one.")
    def suppliers(self, info: Info) -> list[Company]:
        return _then(_rows(info, "company_suppliers", self.uid), lambda rows: [build(Company, i.node) for i in rows])

    @strawberry.field(description="Companies this one supplies.")
    def customers(self, info: Info) -> list[Company]:
        return _then(_rows(info, "company_customers", self.uid), lambda rows: [build(Company, i.node) for i in rows])

    @strawberry.field(description="Competitors (COMPETES_WITH).")
    def competitors(self, info: Info) -> list[Company]:
        return _then(_rows(info, "company_competitors", self.uid), lambda rows: [build(Company, i.node) for i in rows])

    @strawberry.field(description="Orders placed by the company, newest first.")
    def orders(self, info: Info) -> list[Order]:
        return _then(_rows(info, "company_orders", self.uid), lambda rows: [build(Order, i.node) for i in rows])

    @strawberry.field(description="Totals over the company and every company below it.")
    def family_rollup(self, info: Info) -> FamilyRollup | None:
        return _then(loaders(info).value("family_rollup", self.uid), lambda row: build(FamilyRollup, row))

    @strawberry.field(description="The company's neighbourhood for the network canvas.")
    async def network(self, info: Info, depth: int = 1, limit: int = 500) -> Network | None:
        return await network_of(self.uid, depth, limit)


@strawberry.type(description="Someone outside our organisation: a contact at a company or an individual customer.")
class Person(Node):
    uid: str
    name: str
    email: str | None = None
    emails: list[str] | None = None
    phones: list[str] | None = None
    title: str | None = None
    department: str | None = None
    seniority: str | None = None
    city: str | None = None
    country: str | None = None
    lifecycle: str | None = None
    birthday: date | None = None
    consent_marketing: bool | None = None
    tags: list[str] | None = None
    external_ids: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @strawberry.field(description="Employers over time (current first), with title and dates.")
    def employments(self, info: Info) -> list[Employment]:
        return _then(_rows(info, "person_employments", self.uid),
                     lambda rows: [Employment.of(i, company=build(Company, i.node), person=self) for i in rows])

    @strawberry.field(description="The current employer (most recent open employment).")
    def company(self, info: Info) -> Company | None:
        return _then(_rows(info, "person_employments", self.uid),
                     lambda rows: _first(Company, [i for i in rows if _current(i)]))

    @strawberry.field(description="The current solid-line manager.")
    def manager(self, info: Info) -> Person | None:
        return _then(_rows(info, "person_managers", self.uid), lambda rows: _first(
            Person, [i for i in rows if _rel(i, "kind", "solid") != "dotted" and _current(i)]))

    @strawberry.field(description="Current dotted-line (matrix) managers.")
    def dotted_line(self, info: Info) -> list[Person]:
        return _then(_rows(info, "person_managers", self.uid), lambda rows: [build(Person, i.node) for i in rows
                if _rel(i, "kind") == "dotted" and _current(i)])

    @strawberry.field(description="People reporting to this person on a current solid line.")
    def direct_reports(self, info: Info) -> list[Person]:
        return _then(_rows(info, "person_reports", self.uid), lambda rows: [build(Person, i.node) for i in rows
                if _rel(i, "kind", "solid") != "dotted" and _current(i)])

    @strawberry.field(description="Manager, their manager, ... up to the top (solid lines).")
    def reporting_chain(self, info: Info) -> list[Person]:
        return _then(loaders(info).value("reporting_chain", self.uid), lambda chain: [build(Person, n) for n in chain])

    @strawberry.field(description="Deals this person sits on, with their committee role.")
    def deals(self, info: Info) -> list[CommitteeMember]:
        return _then(_rows(info, "person_deals", self.uid),
                     lambda rows: [CommitteeMember.of(i, person=self, deal=build(Deal, i.node)) for i in rows])

    @strawberry.field(description="Tickets raised by this person, newest first.")
    def tickets(self, info: Info, first: int | None = None, after: str | None = None,
                last: int | None = None, before: str | None = None) -> Connection[Ticket]:
        return _page(info, "person_tickets", self.uid, lambda i: build(Ticket, i.node),
                     first, after, last, before)

    @strawberry.field(description="Interactions involving this person, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> Connection[Interaction]:
        return _page(info, "person_interactions", self.uid, lambda i: build(Interaction, i.node),
                     first, after, last, before)

    @strawberry.field(description="Which of our users know this person, strongest first.")
    def known_by(self, info: Info) -> list[KnownBy]:
        return _then(_rows(info, "person_known_by", self.uid),
                     lambda rows: [KnownBy.of(i, user=build(User, i.node)) for i in rows])

    @strawberry.field(description="Other people this person knows (KNOWS, either direction).")
    def knows(self, info: Info) -> list[Acquaintance]:
        return _then(_rows(info, "person_knows", self.uid),
                     lambda rows: [Acquaintance.of(i, person=build(Person, i.node)) for i in rows])

    @strawberry.field(description="Board seats held.")
    def board_seats(self, info: Info) -> list[BoardSeat]:
        return _then(_rows(info, "person_boards", self.uid),
                     lambda rows: [BoardSeat.of(i, company=build(Company, i.node)) for i in rows])

    @strawberry.field(description="Personal shareholdings.")
    def shareholdings(self, info: Info) -> list[Shareholding]:
        return _then(_rows(info, "person_shareholdings", self.uid),
                     lambda rows: [Shareholding.of(i, company=build(Company, i.node)) for i in rows])

    @strawberry.field(description="Orders placed by this person, newest first.")
    def orders(self, info: Info) -> list[Order]:
        return _then(_rows(info, "person_orders", self.uid), lambda rows: [build(Order, i.node) for i in rows])

    @strawberry.field(description="The person's neighbourhood for the network canvas.")
    async def network(self, info: Info, depth: int = 1, limit: int = 500) -> Network | None:
        return await network_of(self.uid, depth, limit)


@strawberry.type(description="One of our own staff.")
class User(Node):
    uid: str
    name: str
    email: str
    role: str | None = None
    title: str | None = None
    team: str | None = None
    territory: str | None = None
    active: bool | None = None
    created_at: datetime | None = None

    @strawberry.field(description="Accounts this user is on, with their role.")
    def accounts(self, info: Info) -> list[AccountAssignment]:
        return _then(_rows(info, "user_account_team", self.uid),
                     lambda rows: [AccountAssignment(role=_rel(i, "role"), company=build(Company, i.node))
                                   for i in rows])

    @strawberry.field(description="Deals this user owns.")
    def deals(self, info: Info) -> list[Deal]:
        return _then(_rows(info, "user_deals", self.uid), lambda rows: [build(Deal, i.node) for i in rows])

    @strawberry.field(description="People this user knows, strongest first.")
    def knows(self, info: Info) -> list[Acquaintance]:
        return _then(_rows(info, "user_knows", self.uid),
                     lambda rows: [Acquaintance.of(i, person=build(Person, i.node)) for i in rows])

    @strawberry.field(description="Tickets assigned to this user.")
    def tickets(self, info: Info) -> list[Ticket]:
        return _then(_rows(info, "user_tickets", self.uid), lambda rows: [build(Ticket, i.node) for i in rows])


@strawberry.type(description="An opportunity with a company.")
class Deal(Node):
    uid: str
    name: str
    amount: float | None = None
    currency: str | None = None
    stage: str | None = None
    status: str | None = None
    probability: float | None = None
    expected_close: date | None = None
    closed_at: date | None = None
    stage_history: JSON | None = None
    tags: list[str] | None = None
    external_ids: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @strawberry.field(description="The company the deal is for.")
    def company(self, info: Info) -> Company | None:
        return _then(_rows(info, "deal_company", self.uid), lambda rows: _first(Company, rows))

    @strawberry.field(description="The buying committee: declared roles first.")
    def committee(self, info: Info) -> list[CommitteeMember]:
        return _then(_rows(info, "deal_committee", self.uid),
                     lambda rows: [CommitteeMember.of(i, person=build(Person, i.node), deal=self) for i in rows])

    @strawberry.field(description="Users owning the deal.")
    def owners(self, info: Info) -> list[User]:
        return _then(_rows(info, "deal_owners", self.uid), lambda rows: [build(User, i.node) for i in rows])

    @strawberry.field(description="Interactions about the deal, newest first.")
    def interactions(self, info: Info, first: int | None = None, after: str | None = None,
                     last: int | None = None, before: str | None = None) -> Connection[Interaction]:
        return _page(info, "deal_interactions", self.uid, lambda i: build(Interaction, i.node),
                     first, after, last, before)


@strawberry.type(description="A service request, with SLA state.")
class Ticket(Node):
    uid: str
    subject: str
    status: str | None = None
    priority: str | None = None
    channel: str | None = None
    opened_at: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    sla_due_at: datetime | None = None
    csat: int | None = None
    tags: list[str] | None = None
    external_ids: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @strawberry.field(description="True when the SLA due time passed before resolution (or now, if unresolved).")
    def sla_breached(self) -> bool:
        if self.sla_due_at is None:
            return False
        return self.sla_due_at < (self.resolved_at or datetime.now(timezone.utc))

    @strawberry.field(description="none | met | due | breached.")
    def sla_state(self) -> str:
        if self.sla_due_at is None:
            return "none"
        if self.sla_breached():
            return "breached"
        return "met" if self.resolved_at else "due"

    @strawberry.field(description="The company the ticket is for.")
    def company(self, info: Info) -> Company | None:
        return _then(_rows(info, "ticket_company", self.uid), lambda rows: _first(Company, rows))

    @strawberry.field(description="Who raised it.")
    def raised_by(self, info: Info) -> Person | None:
        return _then(_rows(info, "ticket_raised_by", self.uid), lambda rows: _first(Person, rows))

    @strawberry.field(description="Users assigned.")
    def assignees(self, info: Info) -> list[User]:
        return _then(_rows(info, "ticket_assignees", self.uid), lambda rows: [build(User, i.node) for i in rows])


@strawberry.type(description="One touch point (call, email, meeting, chat, note, visit).")
class Interaction(Node):
    uid: str
    kind: str
    at: datetime
    direction: str | None = None
    subject: str | None = None
    summary: str | None = None
    tags: list[str] | None = None
    external_ids: list[str] | None = None
    created_at: datetime | None = None
    updated_by: str | None = None

    @strawberry.field(description="People and users involved, with their role.")
    def participants(self, info: Info) -> list[Participant]:
        return _then(_rows(info, "interaction_participants", self.uid), lambda rows: [
            Participant(role=_rel(i, "role"), person=build(Person, i.node) if i.label == "Person" else None,
                        user=build(User, i.node) if i.label == "User" else None) for i in rows])

    @strawberry.field(description="Deals it is about.")
    def deals(self, info: Info) -> list[Deal]:
        return _then(_rows(info, "interaction_deals", self.uid), lambda rows: [build(Deal, i.node) for i in rows])

    @strawberry.field(description="Tickets it is about.")
    def tickets(self, info: Info) -> list[Ticket]:
        return _then(_rows(info, "interaction_tickets", self.uid), lambda rows: [build(Ticket, i.node) for i in rows])

    @strawberry.field(description="Companies it is about.")
    def companies(self, info: Info) -> list[Company]:
        return _then(_rows(info, "interaction_companies", self.uid),
                     lambda rows: [build(Company, i.node) for i in rows])


@strawberry.type(description="Something we sell.")
class Product(Node):
    uid: str
    name: str
    sku: str | None = None
    category: str | None = None
    price: float | None = None
    currency: str | None = None

    @strawberry.field(description="Orders containing it, newest first.")
    def orders(self, info: Info) -> list[Order]:
        return _then(_rows(info, "product_orders", self.uid), lambda rows: [build(Order, i.node) for i in rows])


@strawberry.type(description="A purchase by a person or a company.")
class Order(Node):
    uid: str
    number: str | None = None
    placed_at: datetime | None = None
    total: float | None = None
    currency: str | None = None
    status: str | None = None
    created_at: datetime | None = None

    @strawberry.field(description="Lines: product, quantity and unit price.")
    def items(self, info: Info) -> list[OrderItem]:
        return _then(_rows(info, "order_items", self.uid),
                     lambda rows: [OrderItem(qty=_rel(i, "qty"), price=_rel(i, "price"), product=build(Product, i.node))
                                   for i in rows])

    @strawberry.field(description="The person who placed it.")
    def person(self, info: Info) -> Person | None:
        return _then(_rows(info, "order_person", self.uid), lambda rows: _first(Person, rows))

    @strawberry.field(description="The company that placed it.")
    def company(self, info: Info) -> Company | None:
        return _then(_rows(info, "order_company", self.uid), lambda rows: _first(Company, rows))


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
        rel = item.rel or {}
        return cls(company=build(Company, item.node), share=rel.get("share"), share_min=rel.get("share_min"),
                   share_max=rel.get("share_max"), kind=rel.get("kind"), since=rel.get("since"),
                   until=rel.get("until"))


@strawberry.type(description="A stint of a person at a company (WORKS_AT).")
class Employment:
    company: Company
    person: Person
    title: str | None = None
    department: str | None = None
    since: date | None = None
    until: date | None = None
    current: bool = True

    @classmethod
    def of(cls, item: views.Related, company: Company, person: Person) -> Employment:
        rel = item.rel or {}
        return cls(company=company, person=person, title=rel.get("title"), department=rel.get("department"),
                   since=rel.get("since"), until=rel.get("until"), current=_current(item))


@strawberry.type(description="A user on an account team.")
class AccountTeamMember:
    role: str | None
    user: User


@strawberry.type(description="An account a user is on.")
class AccountAssignment:
    role: str | None
    company: Company


@strawberry.type(description="A seat on a buying committee (ON_COMMITTEE): declared by a user or inferred.")
class CommitteeMember:
    person: Person
    deal: Deal
    role: str | None = None
    declared: bool | None = None
    confidence: float | None = None

    @classmethod
    def of(cls, item: views.Related, person: Person, deal: Deal) -> CommitteeMember:
        rel = item.rel or {}
        return cls(person=person, deal=deal, role=rel.get("role"), declared=rel.get("declared"),
                   confidence=rel.get("confidence"))


@strawberry.type(description="One of our users who knows a person, with the strength of the tie.")
class KnownBy:
    user: User
    strength: float | None = None
    since: date | None = None
    origin: str | None = None
    strength_parts: JSON | None = None

    @classmethod
    def of(cls, item: views.Related, user: User) -> KnownBy:
        rel = item.rel or {}
        return cls(user=user, strength=rel.get("strength"), since=rel.get("since"), origin=rel.get("origin"),
                   strength_parts=rel.get("strength_parts"))


@strawberry.type(description="A person someone knows, with the strength of the tie.")
class Acquaintance:
    person: Person
    strength: float | None = None
    since: date | None = None
    origin: str | None = None

    @classmethod
    def of(cls, item: views.Related, person: Person) -> Acquaintance:
        rel = item.rel or {}
        return cls(person=person, strength=rel.get("strength"), since=rel.get("since"), origin=rel.get("origin"))


@strawberry.type(description="A board seat (BOARD_MEMBER_OF).")
class BoardSeat:
    person: Person | None = None
    company: Company | None = None
    role: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, item: views.Related, person: Person | None = None, company: Company | None = None) -> BoardSeat:
        rel = item.rel or {}
        return cls(person=person, company=company, role=rel.get("role"), since=rel.get("since"),
                   until=rel.get("until"))


@strawberry.type(description="A personal shareholding (OWNS_SHARE).")
class Shareholding:
    person: Person | None = None
    company: Company | None = None
    share: float | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def of(cls, item: views.Related, person: Person | None = None, company: Company | None = None) -> Shareholding:
        rel = item.rel or {}
        return cls(person=person, company=company, share=rel.get("share"), since=rel.get("since"),
                   until=rel.get("until"))


@strawberry.type(description="Someone involved in an interaction: a person or one of our users.")
class Participant:
    role: str | None
    person: Person | None
    user: User | None


@strawberry.type(description="An order line.")
class OrderItem:
    qty: int | None
    price: float | None
    product: Product


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


# ---- network canvas ------------------------------------------------------------------------------------

@strawberry.type(description="A node on the network canvas.")
class NetworkNode:
    id: strawberry.ID
    type: str
    label: str
    subtitle: str | None = None
    uid: str | None = None


@strawberry.type(description="A relationship on the network canvas; source/target are node ids.")
class NetworkEdge:
    id: str
    source: strawberry.ID
    target: strawberry.ID
    type: str
    label: str | None = None
    properties: JSON | None = None


@strawberry.type(description="A subgraph for the canvas; `truncated` when the limit cut it.")
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool


_NODE_LABEL = {"Company": ("name", "industry"), "Person": ("name", "title"), "User": ("name", "role"),
               "Deal": ("name", "stage"), "Ticket": ("subject", "status"), "Interaction": ("subject", "kind"),
               "Product": ("name", "category"), "Order": ("number", "status")}
_EDGE_LABEL = {"WORKS_AT": "title", "ON_COMMITTEE": "role", "ACCOUNT_TEAM": "role", "BOARD_MEMBER_OF": "role",
               "REPORTS_TO": "kind", "SUBSIDIARY_OF": "share", "OWNS_SHARE": "share", "KNOWS": "strength"}


async def network_of(uid: str, depth: int, limit: int) -> Network | None:
    """The canvas around a node (depth 1..3, limit 1..1000 nodes)."""
    from crn.schema.base import ClientError
    from crn.schema.workers import run_db

    if not 1 <= depth <= 3:
        raise ClientError("`depth` must be 1, 2 or 3", "invalid_depth")
    if not 1 <= limit <= 1000:
        raise ClientError("`limit` must be between 1 and 1000", "invalid_limit")
    net = await run_db(views.network, uid, depth, limit)
    if net is None:
        return None
    ids: dict[str, str] = {}
    nodes = []
    for label, node in net.nodes:
        gid = encode_id(label, node["uid"])
        ids[node["uid"]] = gid
        name_key, sub_key = _NODE_LABEL.get(label, ("name", None))
        sub = node.get(sub_key) if sub_key else None
        nodes.append(NetworkNode(id=strawberry.ID(gid), uid=node["uid"], type=label,
                                 label=str(node.get(name_key) or node["uid"]),
                                 subtitle=None if sub is None else str(sub)))
    edges = []
    for e in net.edges:
        if e["source"] not in ids or e["target"] not in ids:
            continue
        key = _EDGE_LABEL.get(e["type"])
        value = (e["properties"] or {}).get(key) if key else None
        edges.append(NetworkEdge(id=e["id"], source=strawberry.ID(ids[e["source"]]),
                                 target=strawberry.ID(ids[e["target"]]), type=e["type"],
                                 label=None if value is None else str(value),
                                 properties=_jsonable(e["properties"])))
    return Network(nodes=nodes, edges=edges, truncated=net.truncated)


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


TYPE_BY_LABEL: dict[str, type] = {"Company": Company, "Person": Person, "User": User, "Deal": Deal,
                                  "Ticket": Ticket, "Interaction": Interaction, "Product": Product, "Order": Order}
