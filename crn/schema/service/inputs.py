"""GraphQL inputs of service: the fields a ticket mutation sets, ticket list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.model import filter_type, input_type
from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

TicketInput = input_type("Ticket", "TicketInput", "Ticket fields; `subject` is required on create.")


# ---- list filters and sorts ----------------------------------------------------------------------------

TicketFilter = filter_type("Ticket", "TicketFilter", "Ticket list filters.")


TicketSortField = sort_enum("TicketSortField", "Ticket")


@strawberry.input
class TicketSort:
    field: TicketSortField = TicketSortField.OPENED_AT  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.DESC
