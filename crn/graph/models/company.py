"""Companies and the ties between them: corporate families, partners, suppliers, competitors."""

from __future__ import annotations

from neomodel import (
    FloatProperty,
    IntegerProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
)

from crn.graph.models.base import Record
from crn.graph.models.properties import DateProperty

LIFECYCLES = ("prospect", "customer", "partner", "former")
TIERS = ("strategic", "key", "standard", "long_tail")
SUBSIDIARY_KINDS = ("subsidiary", "branch", "division", "joint_venture")


class SubsidiaryOf(StructuredRel):
    """(child)-[:SUBSIDIARY_OF]->(parent): an ownership or structural link; several parents allowed.

    ``share`` is the exact fraction owned (0..1) when known; ``share_min``/``share_max`` carry a
    range when only a band is known (e.g. BODS 25-50%).
    """

    share = FloatProperty()
    share_min = FloatProperty()
    share_max = FloatProperty()
    since = DateProperty()
    until = DateProperty()
    kind = StringProperty(choices={k: k for k in SUBSIDIARY_KINDS}, default="subsidiary")


class CompanyLink(StructuredRel):
    """A commercial tie between companies (partner, supplier, competitor)."""

    since = DateProperty()
    until = DateProperty()


class Company(Record):
    """An organisation: a customer, prospect or partner, or a member of their corporate family."""

    name = StringProperty(required=True, index=True)
    legal_name = StringProperty()
    domain = StringProperty(unique_index=True)
    industry = StringProperty(index=True)
    country = StringProperty(index=True)
    city = StringProperty()
    employees = IntegerProperty()
    annual_revenue = FloatProperty()
    currency = StringProperty()
    tier = StringProperty(index=True)
    lifecycle = StringProperty(index=True, default="prospect")

    parents = RelationshipTo("Company", "SUBSIDIARY_OF", model=SubsidiaryOf)
    subsidiaries = RelationshipFrom("Company", "SUBSIDIARY_OF", model=SubsidiaryOf)
    partners = RelationshipTo("Company", "PARTNER_OF", model=CompanyLink)
    supplies = RelationshipTo("Company", "SUPPLIES", model=CompanyLink)
    competes_with = RelationshipTo("Company", "COMPETES_WITH", model=CompanyLink)
    employees_rel = RelationshipFrom("crn.graph.models.person.Person", "WORKS_AT")
    board_members = RelationshipFrom("crn.graph.models.person.Person", "BOARD_MEMBER_OF")
    account_team = RelationshipFrom("crn.graph.models.person.User", "ACCOUNT_TEAM")
