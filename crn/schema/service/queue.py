"""The ticket queue over GraphQL: `ticketQueue` (tickets with their SLA state) and `ticketAssign`.

The list is the `tickets` list (same filters and sorts); each row adds the SLA state the server computes
(crn.crm.ticket_queue). Status changes are `ticketUpdate(id, input: {status})`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.crm import ticket_queue
from crn.schema.base import Connection, Edge, UserError, decode_id
from crn.schema.common import build, list_page
from crn.schema.permissions import CanWrite, IsAuthenticated
from crn.schema.service.inputs import TicketFilter, TicketSort
from crn.schema.service.types import Ticket
from crn.schema.workers import run_db

SlaState = strawberry.enum(Enum("SlaState", {s.upper(): s for s in ticket_queue.SLA_STATES}),
                           description="breached: past its SLA; due_soon: an open ticket whose SLA ends within "
                                       "CRN_SLA_DUE_SOON_HOURS; ok: within its SLA (or met); none: no SLA.")


@strawberry.type(description="A ticket in the queue, with its SLA state computed by the server.")
class TicketQueueItem:
    ticket: Ticket
    sla_state: SlaState  # type: ignore[valid-type]


@strawberry.type(description="The ticket's assignee changed.")
class TicketAssignSuccess:
    ticket: Ticket


@strawberry.type(description="Nothing changed; `errors` say why.")
class TicketAssignError:
    errors: list[UserError]


TicketAssignResult = Annotated[Union[TicketAssignSuccess, TicketAssignError], strawberry.union("TicketAssignResult")]


@strawberry.type
class TicketQueueQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Tickets (filters and sorts as "
                      "`tickets`), each with its SLA state.")
    async def ticket_queue(self, info: Info, filter: TicketFilter | None = None, sort: TicketSort | None = None,
                           first: int | None = None, after: str | None = None, last: int | None = None,
                           before: str | None = None) -> Connection[TicketQueueItem]:
        window, page = await list_page("Ticket", filter, sort, TicketSort(), first, after, last, before,
                                       scope="ticketQueue")
        now = datetime.now(timezone.utc)
        return window.connection(page.total, page.items, lambda row, cursor: Edge(cursor=cursor, node=TicketQueueItem(
            ticket=build(Ticket, row), sla_state=SlaState(ticket_queue.queue_state(row, info.context.settings, now)))))


@strawberry.type
class TicketQueueMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Make one user the ticket's assignee "
                         "(replacing the others); no `assignee` leaves it unassigned.")
    async def ticket_assign(self, info: Info, id: strawberry.ID, assignee: strawberry.ID | None = None
                            ) -> TicketAssignResult:
        uid = decode_id(id, "Ticket")[1]
        user = decode_id(assignee, "User")[1] if assignee else None
        result = await run_db(ticket_queue.assign_ticket, uid, user, info.context.actor)
        if not result.ok:
            return TicketAssignError(errors=[UserError(code=e.code, message=e.message, field=e.field)
                                             for e in result.errors])
        return TicketAssignSuccess(ticket=build(Ticket, result.record))
