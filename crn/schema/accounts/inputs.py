"""GraphQL inputs of accounts: the fields a company mutation sets, company list filters and sorts."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Company fields; `name` is required on create.")
class CompanyInput:
    name: str | None = UNSET
    legal_name: str | None = UNSET
    domain: str | None = UNSET
    industry: str | None = UNSET
    country: str | None = UNSET
    city: str | None = UNSET
    employees: int | None = UNSET
    annual_revenue: float | None = UNSET
    currency: str | None = UNSET
    tier: str | None = UNSET
    lifecycle: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


# ---- list filters and sorts ----------------------------------------------------------------------------

@strawberry.input(description="Company list filters (all given ones must match).")
class CompanyFilter:
    industry: list[str] | None = None
    country: list[str] | None = None
    tier: list[str] | None = None
    lifecycle: list[str] | None = None
    name_contains: str | None = None
    tag: str | None = None
    customer: bool | None = None
    owner: strawberry.ID | None = strawberry.field(default=None, description="A user id on the account team.")
    created_after: datetime | None = None
    created_before: datetime | None = None


CompanySortField = sort_enum("CompanySortField", "Company")


@strawberry.input
class CompanySort:
    field: CompanySortField = CompanySortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC
