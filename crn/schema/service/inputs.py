"""GraphQL inputs of service: the fields a ticket mutation sets, ticket list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Ticket fields; `subject` is required on create.")
class TicketInput:
    subject: str | None = UNSET
    status: str | None = UNSET
    priority: str | None = UNSET
    channel: str | None = UNSET
    opened_at: dt.datetime | None = UNSET
    first_response_at: dt.datetime | None = UNSET
    resolved_at: dt.datetime | None = UNSET
    sla_due_at: dt.datetime | None = UNSET
    csat: int | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


# ---- list filters and sorts ----------------------------------------------------------------------------

@strawberry.input(description="Ticket list filters.")
class TicketFilter:
    status: list[str] | None = None
    priority: list[str] | None = None
    company: strawberry.ID | None = None
    assignee: strawberry.ID | None = None
    opened_after: dt.datetime | None = None
    opened_before: dt.datetime | None = None
    sla_breached: bool | None = None


TicketSortField = sort_enum("TicketSortField", "Ticket")


@strawberry.input
class TicketSort:
    field: TicketSortField = TicketSortField.OPENED_AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
