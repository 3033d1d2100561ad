"""GraphQL inputs of accounts: the fields a company mutation sets, company list filters and sorts."""

from __future__ import annotations

from datetime import datetime

import strawberry

from crn.schema.model import filter_type, input_type
from crn.schema.common import UNSET, SortDirection, sort_enum


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

CompanyInput = input_type("Company", "CompanyInput", "Company fields; `name` is required on create.")


# ---- list filters and sorts ----------------------------------------------------------------------------

CompanyFilter = filter_type("Company", "CompanyFilter", "Company list filters (all given ones must match).")


CompanySortField = sort_enum("CompanySortField", "Company")


@strawberry.input
class CompanySort:
    field: CompanySortField = CompanySortField.NAME  # type: ignore[attr-defined,valid-type]
    direction: SortDirection = SortDirection.ASC
