"""Root query fields of service: a ticket and the ticket list."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.schema.base import Connection
from crn.schema.common import list_nodes, one
from crn.schema.permissions import IsAuthenticated
from crn.schema.service.inputs import TicketFilter, TicketSort
from crn.schema.service.types import Ticket


@strawberry.type
class ServiceQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="A ticket, or null.")
    async def ticket(self, info: Info, id: strawberry.ID) -> Ticket | None:
        return await one(info, id, "Ticket", Ticket)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Tickets, filtered and sorted.")
    async def tickets(self, filter: TicketFilter | None = None, sort: TicketSort | None = None,
                      first: int | None = None, after: str | None = None, last: int | None = None,
                      before: str | None = None) -> Connection[Ticket]:
        return await list_nodes("Ticket", Ticket, filter, sort, TicketSort(), first, after, last, before)
