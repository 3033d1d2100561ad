"""GraphQL inputs of activity: the fields interaction mutations set, an activity to log, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.model import filter_type, input_type
from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

InteractionInput = input_type("Interaction", "InteractionInput", "Interaction fields; `kind` and `at` are required on create.")


InteractionLogInput = input_type(
    "Interaction", "InteractionLogInput", "An activity to log: the interaction's fields (`kind` required; `at` "
    "defaults to now, `direction` to outbound), who took part and what it is about.",
    exclude=("tags", "external_ids"),
    extra={"participants": (list[strawberry.ID], strawberry.field(description="People and users who took part.")),
           "about": (list[strawberry.ID], strawberry.field(default_factory=list,
                                                           description="Deals, tickets or companies it concerns."))})


# ---- list filters and sorts ----------------------------------------------------------------------------

InteractionFilter = filter_type("Interaction", "InteractionFilter", "Interaction list filters.")


InteractionSortField = sort_enum("InteractionSortField", "Interaction")


@strawberry.input
class InteractionSort:
    field: InteractionSortField = InteractionSortField.AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
