"""GraphQL inputs of people: the fields person and user mutations set, list filters and sorts."""

from __future__ import annotations

import datetime as dt

import strawberry

from crn.schema.base import JSON
from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Person fields; `name` is required on create; `email` is the unique primary address.")
class PersonInput:
    name: str | None = UNSET
    email: str | None = UNSET
    emails: list[str] | None = UNSET
    phones: list[str] | None = UNSET
    title: str | None = UNSET
    department: str | None = UNSET
    seniority: str | None = UNSET
    birthday: dt.date | None = UNSET
    gender: str | None = UNSET
    city: str | None = UNSET
    country: str | None = UNSET
    consent_marketing: bool | None = UNSET
    consent_at: dt.datetime | None = UNSET
    lifecycle: str | None = UNSET
    preferences: JSON | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="User fields an admin may change (users are created with `crn users create`).")
class UserInput:
    name: str | None = UNSET
    role: str | None = UNSET
    title: str | None = UNSET
    team: str | None = UNSET
    territory: str | None = UNSET
    active: bool | None = UNSET


# ---- list filters and sorts ----------------------------------------------------------------------------

@strawberry.input(description="Person list filters.")
class PersonFilter:
    country: list[str] | None = None
    seniority: list[str] | None = None
    lifecycle: list[str] | None = None
    name_contains: str | None = None
    tag: str | None = None
    company: strawberry.ID | None = strawberry.field(default=None, description="Current employer id.")
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


PersonSortField = sort_enum("PersonSortField", "Person")


@strawberry.input
class PersonSort:
    field: PersonSortField = PersonSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="User list filters.")
class UserFilter:
    role: list[str] | None = None
    team: list[str] | None = None


UserSortField = sort_enum("UserSortField", "User")


@strawberry.input
class UserSort:
    field: UserSortField = UserSortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC
