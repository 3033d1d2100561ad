"""Root query fields of people: me, a person's 360° view, a user, and the person and user lists."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.schema.base import Connection
from crn.schema.common import build, list_nodes, one, view
from crn.schema.context import loaders
from crn.schema.people.inputs import PersonFilter, PersonSort, UserFilter, UserSort
from crn.schema.people.types import Person, User
from crn.schema.permissions import IsAuthenticated


@strawberry.type
class PeopleQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The current user.")
    async def me(self, info: Info) -> User | None:
        user = info.context.user
        return build(User, await loaders(info).node("User").load(user.uid)) if user else None

    @strawberry.field(permission_classes=[IsAuthenticated], description="A person (360° view), or null.")
    async def person(self, info: Info, id: strawberry.ID) -> Person | None:
        return await view(info, id, "Person", Person)

    @strawberry.field(permission_classes=[IsAuthenticated], description="A user, or null.")
    async def user(self, info: Info, id: strawberry.ID) -> User | None:
        return await one(info, id, "User", User)

    @strawberry.field(permission_classes=[IsAuthenticated], description="People, filtered and sorted.")
    async def people(self, filter: PersonFilter | None = None, sort: PersonSort | None = None,
                     first: int | None = None, after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Person]:
        return await list_nodes("Person", Person, filter, sort, PersonSort(), first, after, last, before)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Users, filtered and sorted.")
    async def users(self, filter: UserFilter | None = None, sort: UserSort | None = None,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[User]:
        return await list_nodes("User", User, filter, sort, UserSort(), first, after, last, before)
