"""GraphQL inputs of activity: the fields interaction mutations set, an activity to log, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Interaction fields; `kind` and `at` are required on create.")
class InteractionInput:
    kind: str | None = UNSET
    at: dt.datetime | None = UNSET
    direction: str | None = UNSET
    subject: str | None = UNSET
    summary: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


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


# ---- list filters and sorts ----------------------------------------------------------------------------

@strawberry.input(description="Interaction list filters.")
class InteractionFilter:
    kind: list[str] | None = None
    direction: list[str] | None = None
    at_after: dt.datetime | None = None
    at_before: dt.datetime | None = None


InteractionSortField = sort_enum("InteractionSortField", "Interaction")


@strawberry.input
class InteractionSort:
    field: InteractionSortField = InteractionSortField.AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
