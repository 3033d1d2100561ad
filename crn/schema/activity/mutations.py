"""Mutations of activity: interactionCreate/Update/Delete/Upsert and interactionLog (an activity with its
participants and what it is about, in one step).

Each field reads its input, calls one validated operation of ``crn.crm`` (through ``crn.schema.common``) as the
acting user, and returns its own ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and
field). Viewers are refused by the ``CanWrite`` permission class before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.crm import activity
from crn.schema.activity.inputs import InteractionInput, InteractionLogInput
from crn.schema.activity.types import Interaction
from crn.schema.base import UserError, decode_id
from crn.schema.common import (
    build, create_record, delete_record, update_record, upsert_record, user_errors, values as common_values,
)
from crn.schema.permissions import CanWrite
from crn.schema.workers import run_db


# ---- results of interactionCreate, interactionUpdate, interactionDelete, interactionUpsert -----------------

@strawberry.type(description="Creating a interaction succeeded.")
class InteractionCreateSuccess:
    interaction: Interaction


@strawberry.type(description="Creating a interaction failed; nothing changed.")
class InteractionCreateError:
    errors: list[UserError]


InteractionCreateResult = Annotated[Union[InteractionCreateSuccess, InteractionCreateError],
                                    strawberry.union("InteractionCreateResult")]


@strawberry.type(description="Updating a interaction succeeded.")
class InteractionUpdateSuccess:
    interaction: Interaction


@strawberry.type(description="Updating a interaction failed; nothing changed.")
class InteractionUpdateError:
    errors: list[UserError]


InteractionUpdateResult = Annotated[Union[InteractionUpdateSuccess, InteractionUpdateError],
                                    strawberry.union("InteractionUpdateResult")]


@strawberry.type(description="Deleting a interaction succeeded.")
class InteractionDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a interaction failed; nothing changed.")
class InteractionDeleteError:
    errors: list[UserError]


InteractionDeleteResult = Annotated[Union[InteractionDeleteSuccess, InteractionDeleteError],
                                    strawberry.union("InteractionDeleteResult")]


@strawberry.type(description="Upserting a interaction succeeded.")
class InteractionUpsertSuccess:
    interaction: Interaction


@strawberry.type(description="Upserting a interaction failed; nothing changed.")
class InteractionUpsertError:
    errors: list[UserError]


InteractionUpsertResult = Annotated[Union[InteractionUpsertSuccess, InteractionUpsertError],
                                    strawberry.union("InteractionUpsertResult")]


# ---- results of interactionLog ---------------------------------------------------------------------------

@strawberry.type(description="Logging the activity succeeded.")
class InteractionLogSuccess:
    interaction: Interaction


@strawberry.type(description="Logging the activity failed; nothing was saved.")
class InteractionLogError:
    errors: list[UserError]


InteractionLogResult = Annotated[Union[InteractionLogSuccess, InteractionLogError],
                                 strawberry.union("InteractionLogResult")]


@strawberry.type
class ActivityMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a interaction.")
    async def interaction_create(self, info: Info, input: InteractionInput) -> InteractionCreateResult:
        result = await create_record(info, "Interaction", input)
        if not result.ok:
            return InteractionCreateError(errors=user_errors(result.errors))
        return InteractionCreateSuccess(interaction=build(Interaction, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a interaction.")
    async def interaction_update(self, info: Info, id: strawberry.ID, input: InteractionInput
                                 ) -> InteractionUpdateResult:
        result = await update_record(info, "Interaction", id, input)
        if not result.ok:
            return InteractionUpdateError(errors=user_errors(result.errors))
        return InteractionUpdateSuccess(interaction=build(Interaction, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a interaction; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def interaction_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> InteractionDeleteResult:
        result = await delete_record(info, "Interaction", id, force)
        if not result.ok:
            return InteractionDeleteError(errors=user_errors(result.errors))
        return InteractionDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the interaction with this external id ('source:id'), or create it.")
    async def interaction_upsert(self, info: Info, external_id: str, input: InteractionInput
                                 ) -> InteractionUpsertResult:
        result = await upsert_record(info, "Interaction", external_id, input)
        if not result.ok:
            return InteractionUpsertError(errors=user_errors(result.errors))
        return InteractionUpsertSuccess(interaction=build(Interaction, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Log an interaction with its participants "
                         "and what it is about, in one transaction.")
    async def interaction_log(self, info: Info, input: InteractionLogInput) -> InteractionLogResult:
        participants = [decode_id(p, ("Person", "User"))[1] for p in input.participants]
        about = [decode_id(a, ("Deal", "Ticket", "Company"))[1] for a in input.about]
        values = {k: v for k, v in common_values(input, "Interaction").items() if k not in ("participants", "about")}
        result = await run_db(activity.log_interaction, values, participants, about, info.context.actor)
        if not result.ok:
            return InteractionLogError(errors=[UserError(code=e.code, message=e.message, field=e.field)
                                               for e in result.errors])
        return InteractionLogSuccess(interaction=build(Interaction, result.record))
