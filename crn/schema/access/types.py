"""GraphQL types of the access model: teams, territories, sharing rules, defaults, explanations."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Union

import strawberry

from crn.crm import access
from crn.crm.records import Result
from crn.graph.access import DEFAULTS, PROTECTED
from crn.schema.base import UserError, encode_id

ProtectedType = strawberry.enum(Enum("ProtectedType", {label.upper(): label for label in PROTECTED}),
                                description="The record types whose records carry access keys.")
ShareLevel = strawberry.enum(Enum("ShareLevel", {level.upper(): level for level in access.LEVELS}),
                             description="What a share grants: read, or read and write.")
DefaultLevel = strawberry.enum(Enum("DefaultLevel", {level.upper(): level for level in DEFAULTS}),
                               description="An organisation-wide default: private (owner and the paths that "
                                           "widen it), read (everyone reads), read_write (everyone changes).")


@strawberry.type(description="A user in a team or territory.")
class AccessMember:
    id: strawberry.ID
    uid: str
    name: str
    email: str | None = None
    role: str | None = None


def member(m: access.Member) -> AccessMember:
    return AccessMember(id=strawberry.ID(encode_id("User", m.uid)), uid=m.uid, name=m.name, email=m.email,
                        role=m.role)


@strawberry.type(description="A team; `parent` is the team above it (none at the top).")
class Team:
    uid: str
    name: str
    parent: str | None
    members: list[AccessMember]


@strawberry.type(description="A territory: the companies matching every non-empty criterion are assigned to it "
                             "(its members read and change them).")
class Territory:
    uid: str
    name: str
    countries: list[str]
    industries: list[str]
    tiers: list[str]
    members: list[AccessMember]


@strawberry.type(description="Records of a type shared with a team (and the teams below it): those owned by a "
                             "team's members (kind owner) or those whose field holds one of the values (criteria).")
class SharingRule:
    uid: str
    name: str
    record_type: str
    kind: str
    team: str
    team_name: str | None
    level: str
    owner_team: str | None
    owner_team_name: str | None
    field: str | None
    values: list[str]


@strawberry.type(description="The organisation-wide default of a record type.")
class OrgDefault:
    record_type: str
    level: str


@strawberry.type(description="A user's personal-data permission: as set (null: the role's default) and in effect.")
class UserAccess:
    user: Annotated["User", strawberry.lazy("crn.schema.people.types")]
    personal_data: bool | None
    personal_data_effective: bool


@strawberry.type(description="One path that grants access (kind: admin, default, owner, manager_chain, team, "
                             "account_team, territory, sharing_rule, assignee, participant, inherited).")
class AccessReason:
    kind: str
    text: str
    write: bool


@strawberry.type(description="Whether a user can read and change a record, and why.")
class AccessExplanation:
    user_id: strawberry.ID
    user_name: str | None
    record_type: str
    record_uid: str
    record_name: str | None
    found: bool
    can_read: bool
    can_write: bool
    reasons: list[AccessReason]
    notes: list[str]


@strawberry.type(description="A record's owner and what the signed-in user may do with it.")
class RecordAccess:
    owner: AccessMember | None
    can_read: bool
    can_write: bool


@strawberry.type(description="The access change was made; `uid` names what changed.")
class AccessChanged:
    uid: str


@strawberry.type(description="Nothing was changed; `errors` say why and at which field.")
class AccessError:
    errors: list[UserError]


AccessResult = Annotated[Union[AccessChanged, AccessError], strawberry.union("AccessResult")]


def result(outcome: Result, key: str = "uid") -> AccessChanged | AccessError:
    """The union for a domain Result."""
    if outcome.ok:
        return AccessChanged(uid=str((outcome.record or {}).get(key) or ""))
    return AccessError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in outcome.errors])


def error(code: str, message: str, field: str | None = None) -> AccessError:
    return AccessError(errors=[UserError(code=code, message=message, field=field)])


def team(t: access.Team) -> Team:
    return Team(uid=t.uid, name=t.name, parent=t.parent, members=[member(m) for m in t.members])


def territory(t: access.Territory) -> Territory:
    return Territory(uid=t.uid, name=t.name, countries=list(t.countries), industries=list(t.industries),
                     tiers=list(t.tiers), members=[member(m) for m in t.members])


def sharing_rule(r: access.SharingRule) -> SharingRule:
    return SharingRule(uid=r.uid, name=r.name, record_type=r.label, kind=r.kind, team=r.team, team_name=r.team_name,
                       level=r.level, owner_team=r.source_team, owner_team_name=r.source_team_name, field=r.field,
                       values=list(r.values))


def user_access(u: access.UserAccess) -> UserAccess:
    from crn.schema.common import build
    from crn.schema.people import types as people

    return UserAccess(user=build(people.User, u.user), personal_data=u.personal_data,
                      personal_data_effective=u.effective)


def explanation(e: access.Explanation, reveal: bool) -> AccessExplanation:
    """``reveal``: the record's name may be shown (the asker can read it, or is an admin)."""
    return AccessExplanation(user_id=strawberry.ID(encode_id("User", e.user)), user_name=e.user_name,
                             record_type=e.label, record_uid=e.uid, record_name=e.record_name if reveal else None,
                             found=e.found and reveal, can_read=e.can_read, can_write=e.can_write,
                             reasons=[AccessReason(kind=r.kind, text=r.text, write=r.write) for r in e.reasons]
                             if reveal else [], notes=list(e.notes) if reveal else [])
