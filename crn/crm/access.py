"""The access model: teams, owners, account teams, territories, sharing rules, organisation-wide defaults and
the personal-data permission, and the materialised keys (``acl_r``/``acl_w``) every protected record carries.

Salesforce's vocabulary (docs/access.md): organisation-wide defaults (:func:`set_default`), the role hierarchy
(the manager chain and the team hierarchy), account teams (``ACCOUNT_TEAM {access}``), territories
(:func:`create_territory`), sharing rules (:func:`create_sharing_rule`) and the share table (the keys).

Who holds which keys is computed per viewer by :func:`crn.auth.access.for_user`; which keys a record carries
is computed here (:func:`refresh` in the write transaction of every change, :func:`rebuild` for everything):

- Company: its owner (read, write), the owner's teams (read), account-team members (their access), the
  territories it falls in (read, write), the teams sharing rules give it to (their level).
- Deal, Ticket, Interaction, Order: the keys of the company (or buyer, deal, ticket, person) they belong to,
  plus their own owner's and rules'; a ticket's assignees (read, write), an interaction's staff (read).
- Person: the keys of the companies they work at now, plus their own owner's and rules'.

Every permission change publishes an ``access_changed`` event (label Team, Territory, SharingRule,
OrgDefault, User or the record's) in its transaction, so the audit trail records it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError
from crn.graph import db
from crn.graph.access import DEFAULTS, PROTECTED
from crn.graph.models import new_uid
from crn.graph.queries import sharing as q

log = logging.getLogger(__name__)

LEVELS = ("read", "read_write")             # what a share grants
ACCOUNT_TEAM_ACCESS = LEVELS                # what an account-team membership grants
RULE_KINDS = ("owner", "criteria")
MAX_NAME = 120
MAX_VALUES = 200
BATCH = 2000                                 # records recomputed per transaction by rebuild()
LISTENER_NAME = "access"

# Relationship types whose presence changes a record's keys, and which end's keys ("start" or "end").
REL_ENDS: dict[str, str] = {
    "OWNS": "end", "ACCOUNT_TEAM": "end", "ASSIGNED": "end",
    "WORKS_AT": "start", "FOR": "start", "ABOUT": "start", "INVOLVED": "start", "PLACED_BY": "start",
}
# Records whose keys copy those of a record of the key's label (rebuild() recomputes them after it).
DEPENDENT_LABELS: dict[str, tuple[str, ...]] = {
    "Company": ("Person", "Deal", "Ticket", "Interaction", "Order"),
    "Person": ("Interaction", "Order"),
    "Deal": ("Interaction",),
    "Ticket": ("Interaction",),
}

_forgetters: list[Callable[[], None]] = []


def on_change(forget: Callable[[], None]) -> None:
    """Call ``forget()`` after every access change in this process (crn.auth.access clears its cache)."""
    if forget not in _forgetters:
        _forgetters.append(forget)


def _changed() -> None:
    for forget in list(_forgetters):
        forget()


# -- shapes --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Member:
    """A user in a team or territory."""

    uid: str
    name: str
    email: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Team:
    """A team, its parent team (None at the top) and its direct members."""

    uid: str
    name: str
    parent: str | None = None
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Territory:
    """A territory: the companies matching every non-empty criterion, and the users working it."""

    uid: str
    name: str
    countries: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class SharingRule:
    """Records of ``label`` owned by members of ``source_team`` (kind owner), or whose ``field`` holds one of
    ``values`` (kind criteria), shared with ``team`` and the teams below it at ``level``."""

    uid: str
    name: str
    label: str
    kind: str
    team: str
    level: str
    source_team: str | None = None
    field: str | None = None
    values: tuple[str, ...] = ()
    team_name: str | None = None
    source_team_name: str | None = None


@dataclass(frozen=True)
class UserAccess:
    """A user's personal-data permission: ``personal_data`` as set (None: the role's default) and in effect;
    ``user`` is the user's properties (the credentials left out)."""

    uid: str
    user: dict[str, Any]
    personal_data: bool | None
    effective: bool


def personal_data_allowed(role: str | None, flag: bool | None) -> bool:
    """The personal-data permission in effect: admins always; otherwise the flag, or the role's default
    (managers yes, viewers no)."""
    if role == "admin":
        return True
    return flag if flag is not None else role == "manager"


# -- helpers -------------------------------------------------------------------------------------------------

def _name(value: str | None, what: str) -> str:
    name = (value or "").strip()
    if not name:
        raise OperationError(FieldError("required", f"a {what} needs a name", "name"))
    if len(name) > MAX_NAME:
        raise OperationError(FieldError("too_long", f"a {what} name has at most {MAX_NAME} characters", "name"))
    return name


def _label(label: str, field_name: str = "label") -> str:
    if label not in PROTECTED:
        raise OperationError(FieldError("invalid_label", f"{label!r} is not a protected record type; use one of "
                                        f"{', '.join(PROTECTED)}", field_name))
    return label


def _level(level: str, allowed: tuple[str, ...], field_name: str = "level") -> str:
    if level not in allowed:
        raise OperationError(FieldError("invalid_level", f"{level!r} is not an access level; use one of "
                                        f"{', '.join(allowed)}", field_name))
    return level


def _run(work: Callable[[ManagedTransaction], Any]) -> Result:
    try:
        record = events.write_tx(work)
    except OperationError as exc:
        return Result(errors=exc.errors)
    _changed()
    return Result(record=record)


def _event(tx: ManagedTransaction, label: str, uid: str, actor: str | None, changed: Iterable[str],
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    events.publish(tx, [events.Event("access_changed", label, uid, actor=actor, changed=tuple(changed),
                                     before=before or {}, after=after or {})])


def _team(tx: ManagedTransaction, uid: str | None, field_name: str) -> dict[str, Any]:
    row = tx.run(q.TEAM, uid=uid).single() if uid else None
    if row is None:
        raise OperationError(FieldError("not_found", f"no team with id {uid}", field_name))
    return row.data()


def _user(tx: ManagedTransaction, uid: str | None, field_name: str = "userId") -> dict[str, Any]:
    row = tx.run(q.USER, uid=uid).single() if uid else None
    if row is None:
        raise OperationError(FieldError("not_found", f"no user with id {uid}", field_name))
    return row.data()


# -- teams ---------------------------------------------------------------------------------------------------

def list_teams() -> list[Team]:
    """Every team with its parent and direct members, by name."""
    return [Team(r["uid"], r["name"], r["parent"], tuple(Member(**m) for m in r["members"] if m["uid"]))
            for r in db.read(q.TEAMS)]


def create_team(name: str, parent: str | None = None, actor: str | None = None) -> Result:
    """Create a team (under ``parent``, a team uid, when given); ``record`` is ``{uid, name, parent}``."""
    def work(tx: ManagedTransaction) -> dict[str, Any]:
        team_name = _name(name, "team")
        if tx.run(q.TEAM_NAME_TAKEN, name=team_name, uid="").single():
            raise OperationError(FieldError("duplicate_name", f"a team named {team_name!r} exists already", "name"))
        if parent:
            _team(tx, parent, "parent")
        uid = new_uid()
        tx.run(q.CREATE_TEAM, uid=uid, name=team_name, parent=parent, actor=actor).consume()
        after = {"name": team_name, "parent": parent}
        _event(tx, "Team", uid, actor, ("created",), after=after)
        return {"uid": uid, **after}

    return _run(work)


_KEEP = object()


def update_team(uid: str, name: str | None = None, parent: Any = _KEEP, actor: str | None = None) -> Result:
    """Rename a team and/or move it under another (``parent=None``: to the top). Refuses a loop."""
    moved: list[bool] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        moved.clear()
        before = _team(tx, uid, "id")
        after = dict(before)
        if name is not None:
            team_name = _name(name, "team")
            if tx.run(q.TEAM_NAME_TAKEN, name=team_name, uid=uid).single():
                raise OperationError(FieldError("duplicate_name", f"a team named {team_name!r} exists already",
                                                "name"))
            tx.run(q.RENAME_TEAM, uid=uid, name=team_name, actor=actor).consume()
            after["name"] = team_name
        if parent is not _KEEP and parent != before["parent"]:
            if parent:
                _team(tx, parent, "parent")
                if tx.run(q.TEAM_WOULD_CYCLE, uid=uid, parent=parent).single()["cycle"]:
                    raise OperationError(FieldError("cycle", "a team cannot be below itself, even indirectly",
                                                    "parent"))
            tx.run(q.SET_TEAM_PARENT, uid=uid, parent=parent, actor=actor).consume()
            after["parent"] = parent
            moved.append(True)
        changed = [k for k in ("name", "parent") if after[k] != before[k]]
        if changed:
            _event(tx, "Team", uid, actor, changed, before={k: before[k] for k in changed},
                   after={k: after[k] for k in changed})
        return after

    result = _run(work)
    if result.ok and moved:
        _recompute_rules()  # who a rule reaches (and whose records it covers) follows the hierarchy
    return result


def delete_team(uid: str, actor: str | None = None) -> Result:
    """Delete a team that has no teams below it and no sharing rule naming it (``in_use`` otherwise)."""
    owners: list[str] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        before = _team(tx, uid, "id")
        use = tx.run(q.TEAM_IN_USE, uid=uid).single()
        if use["children"] or use["rules"]:
            what = ", ".join(f"{n} {k}" for k, n in (("teams below it", use["children"]),
                                                    ("sharing rules", use["rules"])) if n)
            raise OperationError(FieldError("in_use", f"this team still has {what}: move or delete them first",
                                            "id"))
        owners[:] = tx.run(q.TEAM_MEMBERS, uid=uid).single()["users"]
        tx.run(q.DELETE_TEAM, uid=uid).consume()
        _event(tx, "Team", uid, actor, ("deleted",), before=before)
        return before

    result = _run(work)
    if result.ok:
        for user in owners:
            _recompute_owned(user)
    return result


def teams_from_users(actor: str | None = None) -> dict[str, int]:
    """Turn the users' ``team`` text property (what crn had before Team nodes) into teams with those users as
    members; a team of that name that exists already gets the members. Returns counts of teams created and
    members added. Safe to run again (adds nothing the second time)."""
    existing = {team.name.lower(): team for team in list_teams()}
    created = added = 0
    for row in db.read(q.USER_TEAM_NAMES):
        team = existing.get(row["name"].lower())
        if team is None:
            result = create_team(row["name"], actor=actor)
            if not result.ok:
                continue
            team, created = Team(result.record["uid"], row["name"]), created + 1
        members = {m.uid for m in team.members}
        for user in row["users"]:
            if user not in members and add_member(team.uid, user, actor).ok:
                added += 1
    return {"teams": created, "members": added}


def add_member(team_uid: str, user_uid: str, actor: str | None = None) -> Result:
    """Put a user in a team (or a territory: its uid); their records become readable to the team."""
    return _membership(team_uid, user_uid, True, actor)


def remove_member(team_uid: str, user_uid: str, actor: str | None = None) -> Result:
    """Take a user out of a team (or territory)."""
    return _membership(team_uid, user_uid, False, actor)


def _membership(group: str, user: str, add: bool, actor: str | None) -> Result:
    kind: list[str] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        kind.clear()
        row = tx.run(q.TEAM, uid=group).single()
        label = "Team" if row else "Territory"
        if row is None and tx.run(q.TERRITORY, uid=group).single() is None:
            raise OperationError(FieldError("not_found", f"no team or territory with id {group}", "teamId"))
        _user(tx, user)
        if add:
            tx.run(q.ADD_MEMBER, group=group, user=user, actor=actor).consume()
        elif not tx.run(q.REMOVE_MEMBER, group=group, user=user).single()["removed"]:
            raise OperationError(FieldError("not_found", "that user is not a member", "userId"))
        kind.append(label)
        _event(tx, label, group, actor, ("members",), after={"added" if add else "removed": user})
        return {"uid": group, "user": user, "label": label}

    result = _run(work)
    if result.ok and kind == ["Team"]:
        _recompute_owned(user)  # the owner's teams read their records; owner-based rules test the owner's teams
    return result


# -- territories ---------------------------------------------------------------------------------------------

def _criteria(values: Iterable[str] | None, what: str, upper: bool = False) -> list[str]:
    out = []
    for value in values or ():
        value = str(value).strip()
        if value:
            out.append(value.upper() if upper else value)
    if len(out) > MAX_VALUES:
        raise OperationError(FieldError("too_many", f"at most {MAX_VALUES} {what}", what))
    return list(dict.fromkeys(out))


def list_territories() -> list[Territory]:
    """Every territory with its criteria and members, by name."""
    return [Territory(r["uid"], r["name"], tuple(r["countries"]), tuple(r["industries"]), tuple(r["tiers"]),
                      tuple(Member(**m) for m in r["members"] if m["uid"])) for r in db.read(q.TERRITORIES)]


def create_territory(name: str, countries: Iterable[str] = (), industries: Iterable[str] = (),
                     tiers: Iterable[str] = (), actor: str | None = None) -> Result:
    """Create a territory; the companies matching every criterion given (country codes, industries, tiers) are
    assigned to it (readable and writable by its members). At least one criterion is needed."""
    return _save_territory(None, name, countries, industries, tiers, actor)


def update_territory(uid: str, name: str, countries: Iterable[str] = (), industries: Iterable[str] = (),
                     tiers: Iterable[str] = (), actor: str | None = None) -> Result:
    """Change a territory's name and criteria (the companies it covers are recomputed)."""
    return _save_territory(uid, name, countries, industries, tiers, actor)


def _save_territory(uid: str | None, name: str, countries: Iterable[str], industries: Iterable[str],
                    tiers: Iterable[str], actor: str | None) -> Result:
    from crn.graph.models.company import TIERS

    touched: list[dict[str, Any]] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        touched.clear()
        territory_name = _name(name, "territory")
        after = {"name": territory_name, "countries": _criteria(countries, "countries", upper=True),
                 "industries": _criteria(industries, "industries"), "tiers": _criteria(tiers, "tiers")}
        bad = [t for t in after["tiers"] if t not in TIERS]
        if bad:
            raise OperationError(FieldError("invalid_choice", f"{', '.join(bad)}: tiers are {', '.join(TIERS)}",
                                            "tiers"))
        if not (after["countries"] or after["industries"] or after["tiers"]):
            raise OperationError(FieldError("required", "a territory needs at least one country, industry or tier",
                                            "countries"))
        before = None
        if uid is not None:
            row = tx.run(q.TERRITORY, uid=uid).single()
            if row is None:
                raise OperationError(FieldError("not_found", f"no territory with id {uid}", "id"))
            before = {k: row[k] for k in ("name", "countries", "industries", "tiers")}
            touched.append(before)
        if tx.run(q.TERRITORY_NAME_TAKEN, name=territory_name, uid=uid or "").single():
            raise OperationError(FieldError("duplicate_name", f"a territory named {territory_name!r} exists already",
                                            "name"))
        key = uid or new_uid()
        tx.run(q.SAVE_TERRITORY, uid=key, actor=actor, **after).consume()
        touched.append(after)
        _event(tx, "Territory", key, actor, ("created",) if before is None else tuple(
            k for k in after if after[k] != before[k]), before=before, after=after)
        return {"uid": key, **after}

    result = _run(work)
    if result.ok:
        _recompute_companies(touched)
    return result


def delete_territory(uid: str, actor: str | None = None) -> Result:
    """Delete a territory (its companies lose its key)."""
    touched: list[dict[str, Any]] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        touched.clear()
        row = tx.run(q.TERRITORY, uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no territory with id {uid}", "id"))
        before = row.data()
        touched.append(before)
        tx.run(q.DELETE_TERRITORY, uid=uid).consume()
        _event(tx, "Territory", uid, actor, ("deleted",), before=before)
        return before

    result = _run(work)
    if result.ok:
        _recompute_companies(touched)
    return result


# -- sharing rules -------------------------------------------------------------------------------------------

def list_sharing_rules() -> list[SharingRule]:
    """Every sharing rule, by record type and name."""
    out = []
    for row in db.read(q.SHARING_RULES):
        r = row["rule"]
        out.append(SharingRule(r["uid"], r["name"], r["label"], r["kind"], r["team"], r["level"],
                               r.get("source_team"), r.get("field"), tuple(r.get("values") or ()),
                               row["team_name"], row["source_team_name"]))
    return out


def create_sharing_rule(label: str, name: str, team: str, level: str = "read", owner_team: str | None = None,
                        field: str | None = None, values: Iterable[Any] | None = None,
                        actor: str | None = None) -> Result:
    """Share ``label`` records with ``team`` (and the teams below it) at ``level``: those owned by members of
    ``owner_team`` (or a team below it), or those whose ``field`` (a declared field of the type) holds one of
    ``values``. Exactly one of ``owner_team`` and ``field`` is given."""
    from crn.crm.records import spec

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        _label(label)
        rule_name = _name(name, "sharing rule")
        _level(level, LEVELS)
        _team(tx, team, "team")
        if bool(owner_team) == bool(field):
            raise OperationError(FieldError("invalid_rule", "give either ownerTeam (records owned by a team's members) "
                                            "or field and values (records matching criteria), not both", "field"))
        prop, kept = None, []
        if owner_team:
            _team(tx, owner_team, "ownerTeam")
        else:
            declared = spec(label).field(field)
            if declared is None or declared.kind == "json":
                names = ", ".join(f.name for f in spec(label).fields if f.kind != "json")
                raise OperationError(FieldError("unknown_field", f"{label} has no field {field!r} a rule can test; "
                                                f"use one of {names}", "field"))
            prop = declared.prop or declared.name
            kept = [_rule_value(v) for v in (values or ()) if v is not None and str(v).strip() != ""]
            if not kept:
                raise OperationError(FieldError("required", "a criteria rule needs at least one value", "values"))
            if len(kept) > MAX_VALUES:
                raise OperationError(FieldError("too_many", f"at most {MAX_VALUES} values", "values"))
        uid = new_uid()
        after = {"name": rule_name, "label": label, "kind": "owner" if owner_team else "criteria",
                 "source_team": owner_team or None, "field": field or None, "prop": prop, "values": kept,
                 "team": team, "level": level}
        tx.run(q.CREATE_SHARING_RULE, uid=uid, actor=actor, **after).consume()
        _event(tx, "SharingRule", uid, actor, ("created",), after=after)
        return {"uid": uid, **after}

    result = _run(work)
    if result.ok:
        rebuild(_with_dependents([label]))
    return result


def _rule_value(value: Any) -> str:
    """A criteria value as Cypher's toString() writes the stored value (so they compare equal)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def delete_sharing_rule(uid: str, actor: str | None = None) -> Result:
    """Delete a sharing rule (the records it shared are recomputed)."""
    labels: list[str] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        labels.clear()
        row = tx.run(q.SHARING_RULE, uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no sharing rule with id {uid}", "id"))
        before = {k: v for k, v in row["rule"].items() if k not in ("created_at", "updated_at")}
        tx.run(q.DELETE_SHARING_RULE, uid=uid).consume()
        labels.append(before["label"])
        _event(tx, "SharingRule", uid, actor, ("deleted",), before=before)
        return before

    result = _run(work)
    if result.ok:
        rebuild(_with_dependents(labels))
    return result


# -- organisation-wide defaults, personal data ---------------------------------------------------------------

def defaults() -> dict[str, str]:
    """The organisation-wide default of every protected record type (``private`` unless an admin set one)."""
    stored = {r["label"]: r["level"] for r in db.read(q.ORG_DEFAULTS)}
    return {label: stored.get(label) if stored.get(label) in DEFAULTS else "private" for label in PROTECTED}


def set_default(label: str, level: str, actor: str | None = None) -> Result:
    """Set the organisation-wide default of a protected record type: private, read or read_write."""
    def work(tx: ManagedTransaction) -> dict[str, Any]:
        _label(label)
        _level(level, DEFAULTS)
        before = {r["label"]: r["level"] for r in tx.run(q.ORG_DEFAULTS)}.get(label, "private")
        tx.run(q.SET_ORG_DEFAULT, label=label, level=level, actor=actor).consume()
        if before != level:
            _event(tx, "OrgDefault", label, actor, ("level",), before={"level": before}, after={"level": level})
        return {"label": label, "level": level}

    return _run(work)


def list_user_access() -> list[UserAccess]:
    """Every user with their personal-data permission (as set and in effect)."""
    return [UserAccess(r["user"]["uid"], {k: v for k, v in r["user"].items() if k != "password_hash"},
                       r["personal_data"], personal_data_allowed(r["user"].get("role"), r["personal_data"]))
            for r in db.read(q.USERS)]


def set_personal_data(user_uid: str, allowed: bool | None, actor: str | None = None) -> Result:
    """Grant (True) or withhold (False) a user the personal-data permission; None returns to the role's
    default. Admins always have it."""
    def work(tx: ManagedTransaction) -> dict[str, Any]:
        before = _user(tx, user_uid, "id")
        tx.run(q.SET_PERSONAL_DATA, uid=user_uid, allowed=allowed, actor=actor).consume()
        if before["personal_data"] != allowed:
            _event(tx, "User", user_uid, actor, ("personal_data",), before={"personal_data": before["personal_data"]},
                   after={"personal_data": allowed})
        return {"uid": user_uid, "personal_data": allowed,
                "effective": personal_data_allowed(before["role"], allowed)}

    return _run(work)


# -- owners --------------------------------------------------------------------------------------------------

def owner_of(label: str, uid: str) -> dict[str, Any] | None:
    """``{uid, name}`` of the record's owner, or None (no owner, or no such record)."""
    row = db.read_one(q.owner_of(_label_or_raise(label)), uid=uid)
    return {"uid": row["owner"], "name": row["owner_name"]} if row and row["owner"] else None


def _label_or_raise(label: str) -> str:
    if label not in PROTECTED:
        raise ValueError(f"{label!r} has no owner (protected types: {', '.join(PROTECTED)})")
    return label


def record_access(label: str, uid: str) -> dict[str, Any] | None:
    """``{owner, can_read, can_write}`` of a record for the viewer bound in this context; None when there is no
    such record or the viewer cannot read it."""
    from crn.graph import access

    _label_or_raise(label)
    row = db.read_one(q.record_access(label), uid=uid, access=access.current().param())
    if not row or not row["found"] or not row["can_read"]:
        return None
    return {"owner": owner_of(label, uid), "can_read": True, "can_write": bool(row["can_write"])}


def set_owner(label: str, uid: str, user_uid: str, actor: str | None = None) -> Result:
    """Make ``user_uid`` the only owner of a record. The viewer bound in this context must be able to change
    the record (``not_found`` when they cannot see it, ``forbidden`` when they can only read it)."""
    from crn.graph import access

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        _label(label)
        row = tx.run(q.record_access(label), uid=uid, access=access.current().param()).single()
        if not row["found"] or not row["can_read"]:
            raise OperationError(FieldError("not_found", f"no {label} with id {uid}", "id"))
        if not row["can_write"]:
            raise OperationError(FieldError("forbidden", f"you may read this {label.lower()} but not change it",
                                            "id"))
        _user(tx, user_uid, "ownerId")
        before = tx.run(q.set_owner(label), uid=uid, user=user_uid, actor=actor).single()["before"]
        _event(tx, label, uid, actor, ("owner",), before={"owner": before[0] if before else None},
               after={"owner": user_uid})
        refresh(tx, {label: {uid}})
        return {"uid": uid, "label": label, "owner": user_uid}

    return _run(work)


def find_user(ref: str) -> dict[str, Any] | None:
    """``{uid, name, email, role}`` of the user with this uid or e-mail, or None."""
    return db.read_one(q.USER_BY_REF, ref=(ref or "").strip())


def find_group(ref: str) -> dict[str, Any] | None:
    """``{uid, name, label}`` of the team or territory with this uid or name, or None."""
    return db.read_one(q.GROUP_BY_REF, ref=(ref or "").strip())


# -- materialisation -----------------------------------------------------------------------------------------

def _rules(tx: ManagedTransaction | None = None) -> dict[str, list[dict[str, Any]]]:
    """The sharing rules as materialise() reads them (their teams expanded), by record type."""
    rows = tx.run(q.RULES_EXPANDED).data() if tx is not None else db.read(q.RULES_EXPANDED)
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row["label"]].append(row)
    return out


def refresh(tx: ManagedTransaction, pending: dict[str, set[str]], cascade_all: frozenset[str] = frozenset()) -> int:
    """Recompute the keys of the records ``pending`` ({label: uids}) in ``tx``, then of every record whose keys
    copy theirs (a company's people, deals, tickets, interactions, orders) when theirs changed (or, for uids in
    ``cascade_all``, in any case); returns how many records changed."""
    pending = defaultdict(set, {k: set(v) for k, v in pending.items()})
    rules = _rules(tx)
    changed_total = 0
    for label in q.ORDER:
        uids = sorted(pending.get(label) or ())
        if not uids:
            continue
        changed = [r["uid"] for r in tx.run(q.materialise(label), uids=uids, rules=rules.get(label, []))]
        changed_total += len(changed)
        spread = sorted(set(changed) | (cascade_all & set(uids)))
        if spread and label in DEPENDENT_LABELS:
            for row in tx.run(q.dependents(label), uids=spread):
                pending[row["label"]].update(row["uids"])
    return changed_total


def followers(tx: ManagedTransaction, label: str, uid: str) -> dict[str, set[str]]:
    """The records whose keys copy those of one record (read before it is deleted, recomputed after)."""
    if label not in DEPENDENT_LABELS:
        return {}
    return {row["label"]: set(row["uids"]) for row in tx.run(q.dependents(label), uids=[uid])}


def _with_dependents(labels: Iterable[str]) -> list[str]:
    out = set(labels)
    for label in list(out):
        out.update(DEPENDENT_LABELS.get(label, ()))
    for label in list(out):
        out.update(DEPENDENT_LABELS.get(label, ()))
    return [label for label in q.ORDER if label in out]


def rebuild(labels: Iterable[str] | None = None, progress: Callable[[str, int, int], None] | None = None,
            batch: int = BATCH) -> dict[str, int]:
    """Recompute the keys of every record of ``labels`` (all protected types by default) in batches of
    ``batch`` records per transaction, in dependency order; ``progress(label, done, total)`` after each
    batch. Returns how many records changed per label (0 everywhere when run twice: it is idempotent)."""
    wanted = [label for label in q.ORDER if labels is None or label in set(labels)]
    rules = _rules()
    changed: dict[str, int] = {}
    for label in wanted:
        total = db.read(q.count_label(label))[0]["n"]
        done, after, changed[label] = 0, "", 0
        while True:
            uids = [r["uid"] for r in db.read(q.uids_page(label), after=after, limit=batch)]
            if not uids:
                break
            rows = db.write(q.materialise(label), uids=uids, rules=rules.get(label, []))
            changed[label] += len(rows)
            done, after = done + len(uids), uids[-1]
            if progress:
                progress(label, done, total)
    return changed


def needs_rebuild() -> bool:
    """True when some protected record has no keys yet (an install upgraded from before record-level access)."""
    return any(db.read(q.lacking_acl(label)) for label in q.ORDER)


def _recompute(pending: dict[str, set[str]], batch: int = BATCH) -> None:
    """Recompute ``pending`` records (and their dependents) after an access change, a batch per transaction."""
    for label in q.ORDER:
        uids = sorted(pending.get(label) or ())
        for start in range(0, len(uids), batch):
            chunk = {label: set(uids[start:start + batch])}
            db.write_tx(lambda tx, c=chunk: refresh(tx, c))


def _recompute_owned(user_uid: str) -> None:
    rows = db.read(q.OWNED_BY, user=user_uid, labels=list(PROTECTED))
    _recompute({r["label"]: set(r["uids"]) for r in rows})


def _recompute_companies(criteria: list[dict[str, Any]]) -> None:
    uids: set[str] = set()
    for c in criteria:
        uids.update(r["uid"] for r in db.read(q.COMPANIES_MATCHING, countries=list(c["countries"]),
                                              industries=list(c["industries"]), tiers=list(c["tiers"])))
    _recompute({"Company": uids})


def _recompute_rules() -> None:
    labels = {r.label for r in list_sharing_rules()}
    if labels:
        rebuild(_with_dependents(labels))


# -- keeping keys current: the domain-event listener ---------------------------------------------------------

def on_events(tx: ManagedTransaction, published: list[events.Event]) -> None:
    """Listener (in the write transaction): the creator of a new record owns it; every created, updated or
    (re)linked protected record gets its keys recomputed, with its dependents."""
    pending: dict[str, set[str]] = defaultdict(set)
    claims: dict[str, list[dict[str, str]]] = defaultdict(list)
    cascade: set[str] = set()
    unknown: set[str] = set()
    for event in published:
        if event.kind in ("created", "updated") and event.label in PROTECTED:
            pending[event.label].add(event.uid)
            if event.kind == "created" and event.actor:
                claims[event.label].append({"uid": event.uid, "actor": event.actor})
        elif event.kind == "deleted" and event.label in PROTECTED and (event.after or {}).get("merged_into"):
            cascade.add(event.after["merged_into"])  # a merge moved the loser's dependents to the survivor
        elif event.kind in ("linked", "unlinked") and event.label in REL_ENDS:
            end = event.uid if REL_ENDS[event.label] == "start" else event.other_uid
            if end:
                unknown.add(end)
    if unknown:
        for row in tx.run(q.LABELS_OF, uids=sorted(unknown)):
            pending[row["label"]].add(row["uid"])
    if not pending:
        return
    for label, rows in claims.items():
        tx.run(q.claim_unowned(label), rows=rows).consume()
    refresh(tx, pending, frozenset(cascade))


def _on_committed(published: list[events.Event]) -> None:
    """After a commit: forget cached viewer keys when reporting lines or users' roles changed."""
    if any((e.kind in ("linked", "unlinked") and e.label == "REPORTS_TO")
           or (e.label == "User" and e.kind in ("updated", "deleted", "access_changed")) for e in published):
        _changed()


events.subscribe(LISTENER_NAME, on_events)
events.subscribe_committed(LISTENER_NAME, _on_committed)


# -- explanation ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    """One path that grants (or would grant) access: ``kind`` (admin, default, owner, manager_chain, team,
    account_team, territory, sharing_rule, assignee, participant, inherited), a sentence, and what it grants."""

    kind: str
    text: str
    write: bool = False


@dataclass(frozen=True)
class Explanation:
    """Whether a user can read and change a record, and why (``reasons``; empty when they cannot)."""

    user: str
    user_name: str | None
    label: str
    uid: str
    record_name: str | None
    can_read: bool
    can_write: bool
    reasons: tuple[Reason, ...] = ()
    found: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)


def explain(user_uid: str, label: str, uid: str) -> Explanation | None:
    """Why ``user_uid`` can or cannot see a ``label`` record: every path (admin, organisation-wide default,
    owner, manager chain, team, account team, territory, sharing rule, the company it follows). None when there
    is no such user."""
    from crn.auth.access import access_of

    _label_or_raise(label)
    viewer = access_of(user_uid)
    if viewer is None:
        return None
    names = db.read_one(q.VIEWER_NAMES, uid=user_uid) or {}
    row = db.read_one(q.sources(label), uid=uid, rules=_rules().get(label, []))
    if row is None:
        return Explanation(user_uid, names.get("name"), label, uid, None, False, False, found=False,
                           notes=(f"there is no {label} with id {uid}",))
    held = _held(user_uid, names)
    reasons = _reasons(label, row, held, names)
    keys = set(viewer.keys)
    stored_r, stored_w = set(row["acl_r"]), set(row["acl_w"])
    level = defaults()[label]
    can_read = viewer.all or label in viewer.read_types or bool(keys & stored_r)
    can_write = viewer.all or label in viewer.write_types or bool(keys & stored_w)
    head: list[Reason] = []
    if viewer.all:
        head.append(Reason("admin", "is an admin: admins see and change everything (Salesforce: View All)", True))
    if level != "private":
        head.append(Reason("default", f"the organisation-wide default for {label} is {level}", level == "read_write"))
    notes = []
    if not (can_read or head or reasons):
        notes.append(f"no path grants access: {label} is private by default and the record's keys "
                     f"({', '.join(sorted(stored_r)) or 'none'}) include none the user holds")
    return Explanation(user_uid, names.get("name"), label, uid, row["name"], can_read, can_write,
                       tuple(head + reasons), True, tuple(notes))


def _held(user_uid: str, names: dict[str, Any]) -> dict[str, str]:
    """Key -> why the user holds it."""
    held = {f"u:{user_uid}": "themselves"}
    for sub in names.get("below") or []:
        if sub.get("uid"):
            held[f"u:{sub['uid']}"] = f"{sub['name']}, who reports to them (manager chain)"
    for team in names.get("teams") or []:
        if team.get("uid"):
            how = "a member" if team["name"] == team["via"] else f"a member of {team['via']}, above it"
            held.setdefault(f"g:{team['uid']}", f"team {team['name']} (they are {how})")
    for territory in names.get("territories") or []:
        if territory.get("uid"):
            held[f"t:{territory['uid']}"] = f"territory {territory['name']}"
    return held


def _reasons(label: str, row: dict[str, Any], held: dict[str, str], names: dict[str, Any]) -> list[Reason]:
    """The record's grants whose key the user holds, as sentences."""
    out: list[Reason] = []

    def grant(kind: str, key: str, what: str, write: bool) -> None:
        if key in held:
            who = held[key]
            via = "they are" if who == "themselves" else f"through {who}:"
            out.append(Reason(kind if who == "themselves" or kind != "owner" else "manager_chain",
                              f"{via} {what}", write))

    for owner in row["owner_names"]:
        if owner.get("uid"):
            grant("owner", f"u:{owner['uid']}", f"the owner ({owner['name']}) of this {label.lower()}", True)
    for team in row["owner_team_names"]:
        grant("team", f"g:{team['uid']}", f"in the owner's team {team['name']}", False)
    for member in row["account_team"]:
        grant("account_team", f"u:{member['uid']}", f"on the account team ({member['name']}, "
              f"{'read and write' if member['write'] else 'read only'})", member["write"])
    for territory in row["territories"]:
        grant("territory", f"t:{territory['uid']}", f"the company is in territory {territory['name']}", True)
    for rule in row["rules"]:
        for key in rule["keys"]:
            if key in held:
                out.append(Reason("sharing_rule", f"sharing rule {rule['name']!r} shares it with "
                                  f"{held[key].split(' (')[0]} ({'read and write' if rule['write'] else 'read'})",
                                  rule["write"]))
                break
    for staff in row["staff"]:
        grant("assignee" if staff["write"] else "participant", f"u:{staff['uid']}",
              "assigned to this ticket" if staff["write"] else "taking part in this interaction", staff["write"])
    for parent in row["parents"]:
        mine = [k for k in parent["r"] if k in held]
        if mine:
            write = any(k in held for k in parent["w"])
            out.append(Reason("inherited", f"it follows {parent['label'].lower()} {parent['name']}, which they can "
                              f"{'read and change' if write else 'read'} (through {held[mine[0]]})", write))
    return out
