"""GraphQL types of service: Ticket, with its SLA state.

Types of other domains are referenced with ``strawberry.lazy`` and reached at call time through their modules.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

import strawberry
from strawberry.types import Info

from crn.schema.accounts import types as accounts
from crn.schema.base import Node
from crn.schema.model import node_fields
from crn.schema.common import build, first_of, rows, then
from crn.schema.people import types as people


@strawberry.type(description="A service request, with SLA state.")
@node_fields("Ticket")
class Ticket(Node):

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
    def company(self, info: Info) -> Annotated["Company", strawberry.lazy("crn.schema.accounts.types")] | None:
        return then(rows(info, "ticket_company", self.uid), lambda found: first_of(accounts.Company, found))

    @strawberry.field(description="Who raised it.")
    def raised_by(self, info: Info) -> Annotated["Person", strawberry.lazy("crn.schema.people.types")] | None:
        return then(rows(info, "ticket_raised_by", self.uid), lambda found: first_of(people.Person, found))

    @strawberry.field(description="Users assigned.")
    def assignees(self, info: Info) -> list[Annotated["User", strawberry.lazy("crn.schema.people.types")]]:
        return then(rows(info, "ticket_assignees", self.uid), lambda found: [build(people.User, i.node) for i in found])
