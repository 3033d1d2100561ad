"""GraphQL inputs of people: the fields person and user mutations set, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.base import JSON
from crn.schema.model import filter_type, input_type
from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

PersonInput = input_type("Person", "PersonInput", "Person fields; `name` is required on create; `email` is the unique primary address.")


UserInput = input_type("User", "UserInput", "User fields an admin may change (users are created with `crn users create`).")


# ---- list filters and sorts ----------------------------------------------------------------------------

PersonFilter = filter_type("Person", "PersonFilter", "Person list filters.")


PersonSortField = sort_enum("PersonSortField", "Person")


@strawberry.input
class PersonSort:
    field: PersonSortField = PersonSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC


UserFilter = filter_type("User", "UserFilter", "User list filters.")


UserSortField = sort_enum("UserSortField", "User")


@strawberry.input
class UserSort:
    field: UserSortField = UserSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC
