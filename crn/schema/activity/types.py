"""GraphQL types of activity: Interaction (call, e-mail, meeting, chat, note, visit) and its participants.

Types of other domains are referenced with ``strawberry.lazy`` and reached at call time through their modules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from crn.schema.accounts import types as accounts
from crn.schema.base import Node
from crn.schema.model import node_fields
from crn.schema.common import build, rel, rows, then
from crn.schema.people import types as people
from crn.schema.sales import types as sales
from crn.schema.service import types as service


@strawberry.type(description="One touch point (call, email, meeting, chat, note, visit).")
@node_fields("Interaction")
class Interaction(Node):

    @strawberry.field(description="People and users involved, with their role.")
    def participants(self, info: Info) -> list[Participant]:
        return then(rows(info, "interaction_participants", self.uid), lambda found: [
            Participant(role=rel(i, "role"), person=build(people.Person, i.node) if i.label == "Person" else None,
                        user=build(people.User, i.node) if i.label == "User" else None) for i in found])

    @strawberry.field(description="Deals it is about.")
    def deals(self, info: Info) -> list[Annotated["Deal", strawberry.lazy("crn.schema.sales.types")]]:
        return then(rows(info, "interaction_deals", self.uid), lambda found: [build(sales.Deal, i.node) for i in found])

    @strawberry.field(description="Tickets it is about.")
    def tickets(self, info: Info) -> list[Annotated["Ticket", strawberry.lazy("crn.schema.service.types")]]:
        return then(rows(info, "interaction_tickets", self.uid),
                    lambda found: [build(service.Ticket, i.node) for i in found])

    @strawberry.field(description="Companies it is about.")
    def companies(self, info: Info) -> list[Annotated["Company", strawberry.lazy("crn.schema.accounts.types")]]:
        return then(rows(info, "interaction_companies", self.uid),
                    lambda found: [build(accounts.Company, i.node) for i in found])


# ---- relationship (edge) types -----------------------------------------------------------------------

@strawberry.type(description="Someone involved in an interaction: a person or one of our users.")
class Participant:
    role: str | None
    person: Annotated["Person", strawberry.lazy("crn.schema.people.types")] | None
    user: Annotated["User", strawberry.lazy("crn.schema.people.types")] | None
