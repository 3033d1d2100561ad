"""Access-model queries: teams, territories, sharing rules, defaults, users' personal-data permission (admins),
the explanation of a user's access to a record, and a record's owner (crn.crm.access)."""

from __future__ import annotations

from typing import Any, Callable

import strawberry
from strawberry.types import Info

from crn.auth.access import for_user
from crn.auth.users import AuthUser
from crn.crm import access
from crn.graph.access import bound
from crn.schema.access import types as t
from crn.schema.base import ClientError, decode_id
from crn.schema.permissions import IsAdmin, IsAuthenticated
from crn.schema.workers import run_db


def as_viewer(user: AuthUser, fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn`` with ``user``'s access bound (in the database worker's thread)."""
    with bound(for_user(user)):
        return fn(*args)


def _explain(user: AuthUser, subject: str, label: str, uid: str) -> t.AccessExplanation | None:
    outcome = access.explain(subject, label, uid)
    if outcome is None:
        return None
    reveal = user.role == "admin" or (subject == user.uid and outcome.can_read)
    return t.explanation(outcome, reveal)


def _record(label: str, uid: str) -> t.RecordAccess | None:
    row = access.record_access(label, uid)
    if row is None:
        return None
    owner = row["owner"]
    return t.RecordAccess(owner=t.member(access.Member(owner["uid"], owner["name"])) if owner else None,
                          can_read=row["can_read"], can_write=row["can_write"])


@strawberry.type
class AccessQuery:
    @strawberry.field(permission_classes=[IsAdmin], description="Every team, with its parent and members.")
    async def access_teams(self) -> list[t.Team]:
        return [t.team(x) for x in await run_db(access.list_teams)]

    @strawberry.field(permission_classes=[IsAdmin], description="Every territory, with its criteria and members.")
    async def access_territories(self) -> list[t.Territory]:
        return [t.territory(x) for x in await run_db(access.list_territories)]

    @strawberry.field(permission_classes=[IsAdmin], description="Every sharing rule.")
    async def sharing_rules(self) -> list[t.SharingRule]:
        return [t.sharing_rule(x) for x in await run_db(access.list_sharing_rules)]

    @strawberry.field(permission_classes=[IsAdmin], description="The organisation-wide default of every protected "
                      "record type (private unless set).")
    async def org_defaults(self) -> list[t.OrgDefault]:
        levels = await run_db(access.defaults)
        return [t.OrgDefault(record_type=label, level=level) for label, level in levels.items()]

    @strawberry.field(permission_classes=[IsAdmin], description="Every user with their personal-data permission.")
    async def access_users(self) -> list[t.UserAccess]:
        return [t.user_access(x) for x in await run_db(access.list_user_access)]

    @strawberry.field(permission_classes=[IsAuthenticated], description="Why a user (default: me; another user: "
                      "admins only) can or cannot see a record: owner, manager chain, team, account team, "
                      "territory, sharing rule, organisation-wide default.")
    async def access_explain(self, info: Info, record_id: strawberry.ID,
                             user_id: strawberry.ID | None = None) -> t.AccessExplanation | None:
        user = info.context.user
        label, uid = decode_id(record_id)
        if label not in access.PROTECTED:
            raise ClientError(f"{label} records are not access-protected (everyone reads them)", "invalid_id")
        subject = decode_id(user_id, "User")[1] if user_id else user.uid
        if subject != user.uid and user.role != "admin":
            raise ClientError("only admins may ask about another user's access", "forbidden")
        return await run_db(_explain, user, subject, label, uid)

    @strawberry.field(permission_classes=[IsAuthenticated], description="A record's owner and whether I may change "
                      "it (null when I cannot see it).")
    async def record_access(self, info: Info, id: strawberry.ID) -> t.RecordAccess | None:
        label, uid = decode_id(id)
        if label not in access.PROTECTED:
            raise ClientError(f"{label} records have no owner", "invalid_id")
        return await run_db(as_viewer, info.context.user, _record, label, uid)
