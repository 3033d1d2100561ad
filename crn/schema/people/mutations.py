"""Mutations of people: personCreate, personUpdate, personDelete, personUpsert and userUpdate (admins only).

Each field reads its input, calls one validated operation of ``crn.crm`` (through ``crn.schema.common``) as the
acting user, and returns its own ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and
field). Viewers are refused by the ``CanWrite`` permission class before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.schema.base import UserError
from crn.schema.common import build, create_record, delete_record, update_record, upsert_record, user_errors
from crn.schema.people.inputs import PersonInput, UserInput
from crn.schema.people.types import Person, User
from crn.schema.permissions import CanWrite, IsAdmin


# ---- results of personCreate, personUpdate, personDelete, personUpsert -------------------------------------

@strawberry.type(description="Creating a person succeeded.")
class PersonCreateSuccess:
    person: Person


@strawberry.type(description="Creating a person failed; nothing changed.")
class PersonCreateError:
    errors: list[UserError]


PersonCreateResult = Annotated[Union[PersonCreateSuccess, PersonCreateError],
                               strawberry.union("PersonCreateResult")]


@strawberry.type(description="Updating a person succeeded.")
class PersonUpdateSuccess:
    person: Person


@strawberry.type(description="Updating a person failed; nothing changed.")
class PersonUpdateError:
    errors: list[UserError]


PersonUpdateResult = Annotated[Union[PersonUpdateSuccess, PersonUpdateError],
                               strawberry.union("PersonUpdateResult")]


@strawberry.type(description="Deleting a person succeeded.")
class PersonDeleteSuccess:
    deleted_id: strawberry.ID


@strawberry.type(description="Deleting a person failed; nothing changed.")
class PersonDeleteError:
    errors: list[UserError]


PersonDeleteResult = Annotated[Union[PersonDeleteSuccess, PersonDeleteError],
                               strawberry.union("PersonDeleteResult")]


@strawberry.type(description="Upserting a person succeeded.")
class PersonUpsertSuccess:
    person: Person


@strawberry.type(description="Upserting a person failed; nothing changed.")
class PersonUpsertError:
    errors: list[UserError]


PersonUpsertResult = Annotated[Union[PersonUpsertSuccess, PersonUpsertError],
                               strawberry.union("PersonUpsertResult")]


# ---- results of userUpdate ---------------------------------------------------------------------------------

@strawberry.type(description="Updating a user succeeded.")
class UserUpdateSuccess:
    user: User


@strawberry.type(description="Updating a user failed; nothing changed.")
class UserUpdateError:
    errors: list[UserError]


UserUpdateResult = Annotated[Union[UserUpdateSuccess, UserUpdateError],
                             strawberry.union("UserUpdateResult")]



@strawberry.type
class PeopleMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a person.")
    async def person_create(self, info: Info, input: PersonInput) -> PersonCreateResult:
        result = await create_record(info, "Person", input)
        if not result.ok:
            return PersonCreateError(errors=user_errors(result.errors))
        return PersonCreateSuccess(person=build(Person, result.record))

    @strawberry.mutation(permission_classes=[CanWrite], description="Change some fields of a person.")
    async def person_update(self, info: Info, id: strawberry.ID, input: PersonInput) -> PersonUpdateResult:
        result = await update_record(info, "Person", id, input)
        if not result.ok:
            return PersonUpdateError(errors=user_errors(result.errors))
        return PersonUpdateSuccess(person=build(Person, result.record))

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Delete a person; refused while it has history unless `force` "
                                     "(which detaches it).")
    async def person_delete(self, info: Info, id: strawberry.ID, force: bool = False) -> PersonDeleteResult:
        result = await delete_record(info, "Person", id, force)
        if not result.ok:
            return PersonDeleteError(errors=user_errors(result.errors))
        return PersonDeleteSuccess(deleted_id=id)

    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Update the person with this external id ('source:id'), or create it.")
    async def person_upsert(self, info: Info, external_id: str, input: PersonInput) -> PersonUpsertResult:
        result = await upsert_record(info, "Person", external_id, input)
        if not result.ok:
            return PersonUpsertError(errors=user_errors(result.errors))
        return PersonUpsertSuccess(person=build(Person, result.record))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Change some fields of a user.")
    async def user_update(self, info: Info, id: strawberry.ID, input: UserInput) -> UserUpdateResult:
        result = await update_record(info, "User", id, input)
        if not result.ok:
            return UserUpdateError(errors=user_errors(result.errors))
        return UserUpdateSuccess(user=build(User, result.record))
