"""Root query fields of accounts: a company's 360° view and the company list."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.schema.accounts.inputs import CompanyFilter, CompanySort
from crn.schema.accounts.types import Company
from crn.schema.base import Connection
from crn.schema.common import list_nodes, view
from crn.schema.permissions import IsAuthenticated


@strawberry.type
class AccountsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="A company (360° view), or null.")
    async def company(self, info: Info, id: strawberry.ID) -> Company | None:
        return await view(info, id, "Company", Company)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Companies, filtered and sorted.")
    async def companies(self, filter: CompanyFilter | None = None, sort: CompanySort | None = None,
                        first: int | None = None, after: str | None = None, last: int | None = None,
                        before: str | None = None) -> Connection[Company]:
        return await list_nodes("Company", Company, filter, sort, CompanySort(), first, after, last, before)
