"""Root query fields of activity: the interaction list."""

from __future__ import annotations

import strawberry

from crn.schema.activity.inputs import InteractionFilter, InteractionSort
from crn.schema.activity.types import Interaction
from crn.schema.base import Connection
from crn.schema.common import list_nodes
from crn.schema.permissions import IsAuthenticated


@strawberry.type
class ActivityQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Interactions, filtered and sorted.")
    async def interactions(self, filter: InteractionFilter | None = None, sort: InteractionSort | None = None,
                           first: int | None = None, after: str | None = None, last: int | None = None,
                           before: str | None = None) -> Connection[Interaction]:
        return await list_nodes("Interaction", Interaction, filter, sort, InteractionSort(), first, after, last,
                                before)
