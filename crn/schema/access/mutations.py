"""Access-model mutations: teams, territories, sharing rules, defaults and the personal-data permission (admins);
a record's owner (whoever may change the record). Every change publishes an ``access_changed`` event."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.crm import access
from crn.schema.access import types as t
from crn.schema.access.queries import as_viewer
from crn.schema.base import ClientError, decode_id
from crn.schema.permissions import CanWrite, IsAdmin
from crn.schema.workers import run_db


@strawberry.input(description="A territory's name and criteria (a company must match every non-empty one).")
class TerritoryInput:
    name: str
    countries: list[str] = strawberry.field(default_factory=list, description="ISO country codes, e.g. CN, US.")
    industries: list[str] = strawberry.field(default_factory=list)
    tiers: list[str] = strawberry.field(default_factory=list, description="strategic, key, standard, long_tail.")


@strawberry.input(description="A sharing rule: give ownerTeam (records owned by its members or those of the teams "
                              "below it), or field and values (records whose field holds one of them).")
class SharingRuleInput:
    record_type: t.ProtectedType  # type: ignore[valid-type]
    name: str
    team: str = strawberry.field(description="The uid of the team shared with (the teams below it too).")
    level: t.ShareLevel  # type: ignore[valid-type]
    owner_team: str | None = None
    field: str | None = strawberry.field(default=None, description="A field of the record type (snake_case).")
    values: list[str] | None = None


def _user(user_id: strawberry.ID) -> str:
    return decode_id(user_id, "User")[1]


@strawberry.type
class AccessMutation:
    # -- teams (admins) --
    @strawberry.mutation(permission_classes=[IsAdmin], description="Create a team (under parent, a team uid).")
    async def team_create(self, info: Info, name: str, parent: str | None = None) -> t.AccessResult:
        return t.result(await run_db(access.create_team, name, parent, info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Rename a team and/or move it under another "
                         "(parent: a team uid; toTop: no parent).")
    async def team_update(self, info: Info, uid: str, name: str | None = None, parent: str | None = None,
                          to_top: bool = False) -> t.AccessResult:
        if to_top and parent:
            return t.error("invalid_value", "give parent or toTop, not both", "parent")
        kwargs = {"parent": None} if to_top else {"parent": parent} if parent else {}
        return t.result(await run_db(lambda: access.update_team(uid, name, actor=info.context.user.uid, **kwargs)))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Delete a team with no teams below it and no "
                         "sharing rule naming it.")
    async def team_delete(self, info: Info, uid: str) -> t.AccessResult:
        return t.result(await run_db(access.delete_team, uid, info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Put a user in a team or territory (its uid).")
    async def access_member_add(self, info: Info, group: str, user_id: strawberry.ID) -> t.AccessResult:
        return t.result(await run_db(access.add_member, group, _user(user_id), info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Take a user out of a team or territory.")
    async def access_member_remove(self, info: Info, group: str, user_id: strawberry.ID) -> t.AccessResult:
        return t.result(await run_db(access.remove_member, group, _user(user_id), info.context.user.uid))

    # -- territories (admins) --
    @strawberry.mutation(permission_classes=[IsAdmin], description="Create a territory.")
    async def territory_create(self, info: Info, input: TerritoryInput) -> t.AccessResult:
        return t.result(await run_db(access.create_territory, input.name, input.countries, input.industries,
                                     input.tiers, info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Change a territory's name and criteria.")
    async def territory_update(self, info: Info, uid: str, input: TerritoryInput) -> t.AccessResult:
        return t.result(await run_db(access.update_territory, uid, input.name, input.countries, input.industries,
                                     input.tiers, info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Delete a territory.")
    async def territory_delete(self, info: Info, uid: str) -> t.AccessResult:
        return t.result(await run_db(access.delete_territory, uid, info.context.user.uid))

    # -- sharing rules, defaults, personal data (admins) --
    @strawberry.mutation(permission_classes=[IsAdmin], description="Create a sharing rule (the records it covers are "
                         "recomputed before it returns).")
    async def sharing_rule_create(self, info: Info, input: SharingRuleInput) -> t.AccessResult:
        return t.result(await run_db(lambda: access.create_sharing_rule(
            input.record_type.value, input.name, input.team, input.level.value, owner_team=input.owner_team,
            field=input.field, values=input.values, actor=info.context.user.uid)))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Delete a sharing rule.")
    async def sharing_rule_delete(self, info: Info, uid: str) -> t.AccessResult:
        return t.result(await run_db(access.delete_sharing_rule, uid, info.context.user.uid))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Set a record type's organisation-wide default.")
    async def org_default_set(self, info: Info, record_type: t.ProtectedType,  # type: ignore[valid-type]
                              level: t.DefaultLevel) -> t.AccessResult:  # type: ignore[valid-type]
        return t.result(await run_db(access.set_default, record_type.value, level.value, info.context.user.uid),
                        key="label")

    @strawberry.mutation(permission_classes=[IsAdmin], description="Grant (true) or withhold (false) a user the "
                         "personal-data permission; null returns to the role's default (managers yes, viewers no).")
    async def personal_data_set(self, info: Info, user_id: strawberry.ID, allowed: bool | None) -> t.AccessResult:
        return t.result(await run_db(access.set_personal_data, _user(user_id), allowed, info.context.user.uid))

    # -- owners (whoever may change the record) --
    @strawberry.mutation(permission_classes=[CanWrite], description="Make a user the owner of a record (you must be "
                         "able to change the record).")
    async def record_owner_set(self, info: Info, id: strawberry.ID, owner_id: strawberry.ID) -> t.AccessResult:
        label, uid = decode_id(id)
        if label not in access.PROTECTED:
            raise ClientError(f"{label} records have no owner", "invalid_id")
        user = info.context.user
        return t.result(await run_db(as_viewer, user, access.set_owner, label, uid, _user(owner_id), user.uid))
