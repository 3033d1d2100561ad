"""Mutations of accounts: companyCreate, companyUpdate, companyDelete, companyUpsert.

Each field reads its input, calls one validated operation of ``crn.crm`` (through ``crn.schema.common``) as the
acting user, and returns its own ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and
field). Viewers are refused by the ``CanWrite`` permission class before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.schema.accounts.inputs import CompanyInput
from crn.schema.accounts.types import Company
from crn.schema.base import UserError
from crn.schema.common import build, create_record, delete_record, update_record, upsert_record, user_errors
from crn.schema.permissions import CanWrite


# ---- results of companyCreate, companyUpdate, companyDelete, companyUpsert ---------------------------------

@strawberry.type(description="Creating a company succeeded.")
class CompanyCreateSuccess:
    company: Company


@strawberry.type(description="Creating a company failed; nothing changed.")
class CompanyCreateError:
    errors: list[UserError]


CompanyCreateResult = Annotated[Union[CompanyCreateSuccess, CompanyCreateError],
                                strawberry.union("CompanyCreateResult")]


@strawberry.type(description="Updating a company succeeded.")
class CompanyUpdateSuccess:
    company: Company


@strawberry.type(description="Updating a company failed; nothing changed.")
class CompanyUpdateError:
    errors: list[UserError]


CompanyUpdateResult = Annotated[Union[CompanyUpdateSuccess, CompanyUpdateError],
                                strawberry.union("CompanyUpdateResult")]


@strawberry.type(description="Deleting a company succeeded.")
class CompanyDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a company failed; nothing changed.")
class CompanyDeleteError:
    errors: list[UserError]


CompanyDeleteResult = Annotated[Union[CompanyDeleteSuccess, CompanyDeleteError],
                                strawberry.union("CompanyDeleteResult")]


@strawberry.type(description="Upserting a company succeeded.")
class CompanyUpsertSuccess:
    company: Company


@strawberry.type(description="Upserting a company failed; nothing changed.")
class CompanyUpsertError:
    errors: list[UserError]


CompanyUpsertResult = Annotated[Union[CompanyUpsertSuccess, CompanyUpsertError],
                                strawberry.union("CompanyUpsertResult")]



@strawberry.type
class AccountsMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a company.")
    async def company_create(self, info: Info, input: CompanyInput) -> CompanyCreateResult:
        result = await create_record(info, "Company", input)
        if not result.ok:
            return CompanyCreateError(errors=user_errors(result.errors))
        return CompanyCreateSuccess(company=build(Company, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a company.")
    async def company_update(self, info: Info, id: strawberry.ID, input: CompanyInput) -> CompanyUpdateResult:
        result = await update_record(info, "Company", id, input)
        if not result.ok:
            return CompanyUpdateError(errors=user_errors(result.errors))
        return CompanyUpdateSuccess(company=build(Company, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a company; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def company_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> CompanyDeleteResult:
        result = await delete_record(info, "Company", id, force)
        if not result.ok:
            return CompanyDeleteError(errors=user_errors(result.errors))
        return CompanyDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the company with this external id ('source:id'), or create it.")
    async def company_upsert(self, info: Info, external_id: str, input: CompanyInput) -> CompanyUpsertResult:
        result = await upsert_record(info, "Company", external_id, input)
        if not result.ok:
            return CompanyUpsertError(errors=user_errors(result.errors))
        return CompanyUpsertSuccess(company=build(Company, result.record))
