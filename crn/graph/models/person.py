"""People outside our organisation (contacts, individual customers) and our own staff (users)."""

from __future__ import annotations

from neomodel import (
    BooleanProperty,
    FloatProperty,
    JSONProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
    ArrayProperty,
)

from crn.graph.models.base import Record
from crn.graph.models.properties import DateProperty, DateTimeProperty

SENIORITIES = ("c_level", "vp", "director", "manager", "staff", "unknown")
USER_ROLES = ("admin", "manager", "viewer")


class WorksAt(StructuredRel):
    """(Person)-[:WORKS_AT]->(Company): one edge per stint; ``until`` closes it, history is kept."""

    title = StringProperty()
    department = StringProperty()
    since = DateProperty()
    until = DateProperty()


class ReportsTo(StructuredRel):
    """(Person)-[:REPORTS_TO]->(Person): a solid (line) or dotted (matrix) reporting line."""

    since = DateProperty()
    until = DateProperty()
    kind = StringProperty(choices={"solid": "solid", "dotted": "dotted"}, default="solid")


class OwnsShare(StructuredRel):
    """(Person)-[:OWNS_SHARE]->(Company): a personal shareholding."""

    share = FloatProperty()
    since = DateProperty()
    until = DateProperty()


class BoardMemberOf(StructuredRel):
    """(Person)-[:BOARD_MEMBER_OF]->(Company)."""

    since = DateProperty()
    until = DateProperty()
    role = StringProperty()


class Knows(StructuredRel):
    """(Person|User)-[:KNOWS]->(Person): acquaintance with an explained strength in [0, 1].

    ``origin`` says where the tie came from (interactions, import, declared).
    """

    since = DateProperty()
    origin = StringProperty()  # the issue calls it `source`; neomodel reserves that name
    strength = FloatProperty()
    strength_parts = JSONProperty()
    strength_at = DateTimeProperty()


class AccountTeam(StructuredRel):
    """(User)-[:ACCOUNT_TEAM]->(Company) with the user's role on the account."""

    role = StringProperty(default="account_manager")


class Person(Record):
    """Someone outside our organisation: a contact at a company or an individual (B2C) customer.

    ``email`` is the primary address (unique); ``emails`` holds all known addresses.
    """

    name = StringProperty(required=True, index=True)
    email = StringProperty(unique_index=True)
    emails = ArrayProperty(StringProperty(), default=list)
    phones = ArrayProperty(StringProperty(), default=list)
    title = StringProperty()
    department = StringProperty()
    seniority = StringProperty(choices={s: s for s in SENIORITIES}, default="unknown")
    birthday = DateProperty()
    gender = StringProperty()
    city = StringProperty()
    country = StringProperty()
    preferences = JSONProperty()
    consent_marketing = BooleanProperty(default=False)
    consent_at = DateTimeProperty()
    lifecycle = StringProperty(index=True, default="lead")

    employers = RelationshipTo("crn.graph.models.company.Company", "WORKS_AT", model=WorksAt)
    managers = RelationshipTo("Person", "REPORTS_TO", model=ReportsTo)
    reports = RelationshipFrom("Person", "REPORTS_TO", model=ReportsTo)
    owns_shares = RelationshipTo("crn.graph.models.company.Company", "OWNS_SHARE", model=OwnsShare)
    boards = RelationshipTo("crn.graph.models.company.Company", "BOARD_MEMBER_OF", model=BoardMemberOf)
    knows = RelationshipTo("Person", "KNOWS", model=Knows)


class User(Record):
    """One of our own staff: account manager, sales, support. ``role`` decides what they may do."""

    name = StringProperty(required=True, index=True)
    email = StringProperty(unique_index=True, required=True)
    role = StringProperty(choices={r: r for r in USER_ROLES}, default="viewer")
    title = StringProperty()
    team = StringProperty()
    territory = StringProperty()
    password_hash = StringProperty()
    active = BooleanProperty(default=True)

    account_team = RelationshipTo("crn.graph.models.company.Company", "ACCOUNT_TEAM", model=AccountTeam)
    managers = RelationshipTo("User", "REPORTS_TO")
    knows = RelationshipTo("Person", "KNOWS", model=Knows)
