"""Deals, their pipeline stage history and their buying committees."""

from __future__ import annotations

from neomodel import (
    BooleanProperty,
    FloatProperty,
    JSONProperty,
    RelationshipFrom,
    RelationshipTo,
    StringProperty,
    StructuredRel,
)

from crn.graph.models.base import Record
from crn.graph.models.properties import DateProperty

STAGES = ("qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost")
STATUSES = ("open", "won", "lost")
COMMITTEE_ROLES = (
    "economic_buyer",
    "decision_maker",
    "champion",
    "influencer",
    "technical_evaluator",
    "user",
    "procurement",
    "blocker",
)


class OnCommittee(StructuredRel):
    """(Person)-[:ON_COMMITTEE]->(Deal): a buying role, declared by a user or inferred with confidence."""

    role = StringProperty(choices={r: r for r in COMMITTEE_ROLES}, required=True)
    declared = BooleanProperty(default=True)
    confidence = FloatProperty(default=1.0)


class Deal(Record):
    """An opportunity with a company. ``stage_history`` is a JSON list of {stage, at, by}."""

    name = StringProperty(required=True, index=True)
    amount = FloatProperty(default=0.0)
    currency = StringProperty(default="USD")
    stage = StringProperty(choices={s: s for s in STAGES}, default="qualification", index=True)
    probability = FloatProperty(default=0.1)
    expected_close = DateProperty(index=True)
    closed_at = DateProperty()
    status = StringProperty(choices={s: s for s in STATUSES}, default="open", index=True)
    stage_history = JSONProperty(default=list)

    company = RelationshipTo("crn.graph.models.company.Company", "FOR")
    committee = RelationshipFrom("crn.graph.models.person.Person", "ON_COMMITTEE", model=OnCommittee)
    owners = RelationshipFrom("crn.graph.models.person.User", "OWNS")
