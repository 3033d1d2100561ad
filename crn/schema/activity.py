"""`interactionLog`: log a call, meeting, visit, e-mail or note with its participants and deal in one step."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.crm import activity
from crn.schema.base import UserError, decode_id
from crn.schema.permissions import CanWrite
from crn.schema.types import TYPE_BY_LABEL, build
from crn.schema.workers import run_db

Interaction = TYPE_BY_LABEL["Interaction"]


@strawberry.input(description="An activity to log; `at` defaults to now, `direction` to outbound.")
class InteractionLogInput:
    kind: str
    subject: str | None = None
    summary: str | None = None
    at: dt.datetime | None = None
    direction: str | None = None
    participants: list[strawberry.ID] = strawberry.field(description="People and users who took part.")
    about: list[strawberry.ID] = strawberry.field(default_factory=list,
                                                  description="Deals, tickets or companies it concerns.")


@strawberry.type(description="Logging the activity succeeded.")
class InteractionLogSuccess:
    interaction: Interaction  # type: ignore[valid-type]


@strawberry.type(description="Logging the activity failed; nothing was saved.")
class InteractionLogError:
    errors: list[UserError]


InteractionLogResult = Annotated[Union[InteractionLogSuccess, InteractionLogError],
                                 strawberry.union("InteractionLogResult")]


@strawberry.type
class ActivityMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Log an interaction with its participants "
                         "and what it is about, in one transaction.")
    async def interaction_log(self, info: Info, input: InteractionLogInput) -> InteractionLogResult:
        participants = [decode_id(p, ("Person", "User"))[1] for p in input.participants]
        about = [decode_id(a, ("Deal", "Ticket", "Company"))[1] for a in input.about]
        values = {"kind": input.kind, "subject": input.subject, "summary": input.summary, "at": input.at,
                  "direction": input.direction}
        result = await run_db(activity.log_interaction, values, participants, about, info.context.actor)
        if not result.ok:
            return InteractionLogError(errors=[UserError(code=e.code, message=e.message, field=e.field)
                                               for e in result.errors])
        return InteractionLogSuccess(interaction=build(Interaction, result.record))
