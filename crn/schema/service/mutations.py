"""Mutations of service: ticketCreate, ticketUpdate, ticketDelete, ticketUpsert.

Each field reads its input, calls one validated operation of ``crn.crm`` (through ``crn.schema.common``) as the
acting user, and returns its own ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and
field). Viewers are refused by the ``CanWrite`` permission class before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.schema.base import UserError
from crn.schema.common import build, create_record, delete_record, update_record, upsert_record, user_errors
from crn.schema.permissions import CanWrite
from crn.schema.service.inputs import TicketInput
from crn.schema.service.types import Ticket


# ---- results of ticketCreate, ticketUpdate, ticketDelete, ticketUpsert -------------------------------------

@strawberry.type(description="Creating a ticket succeeded.")
class TicketCreateSuccess:
    ticket: Ticket


@strawberry.type(description="Creating a ticket failed; nothing changed.")
class TicketCreateError:
    errors: list[UserError]


TicketCreateResult = Annotated[Union[TicketCreateSuccess, TicketCreateError],
                               strawberry.union("TicketCreateResult")]


@strawberry.type(description="Updating a ticket succeeded.")
class TicketUpdateSuccess:
    ticket: Ticket


@strawberry.type(description="Updating a ticket failed; nothing changed.")
class TicketUpdateError:
    errors: list[UserError]


TicketUpdateResult = Annotated[Union[TicketUpdateSuccess, TicketUpdateError],
                               strawberry.union("TicketUpdateResult")]


@strawberry.type(description="Deleting a ticket succeeded.")
class TicketDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a ticket failed; nothing changed.")
class TicketDeleteError:
    errors: list[UserError]


TicketDeleteResult = Annotated[Union[TicketDeleteSuccess, TicketDeleteError],
                               strawberry.union("TicketDeleteResult")]


@strawberry.type(description="Upserting a ticket succeeded.")
class TicketUpsertSuccess:
    ticket: Ticket


@strawberry.type(description="Upserting a ticket failed; nothing changed.")
class TicketUpsertError:
    errors: list[UserError]


TicketUpsertResult = Annotated[Union[TicketUpsertSuccess, TicketUpsertError],
                               strawberry.union("TicketUpsertResult")]



@strawberry.type
class ServiceMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a ticket.")
    async def ticket_create(self, info: Info, input: TicketInput) -> TicketCreateResult:
        result = await create_record(info, "Ticket", input)
        if not result.ok:
            return TicketCreateError(errors=user_errors(result.errors))
        return TicketCreateSuccess(ticket=build(Ticket, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a ticket.")
    async def ticket_update(self, info: Info, id: strawberry.ID, input: TicketInput) -> TicketUpdateResult:
        result = await update_record(info, "Ticket", id, input)
        if not result.ok:
            return TicketUpdateError(errors=user_errors(result.errors))
        return TicketUpdateSuccess(ticket=build(Ticket, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a ticket; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def ticket_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> TicketDeleteResult:
        result = await delete_record(info, "Ticket", id, force)
        if not result.ok:
            return TicketDeleteError(errors=user_errors(result.errors))
        return TicketDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the ticket with this external id ('source:id'), or create it.")
    async def ticket_upsert(self, info: Info, external_id: str, input: TicketInput) -> TicketUpsertResult:
        result = await upsert_record(info, "Ticket", external_id, input)
        if not result.ok:
            return TicketUpsertError(errors=user_errors(result.errors))
        return TicketUpsertSuccess(ticket=build(Ticket, result.record))
