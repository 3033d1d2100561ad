"""Data changes made by actions (update a field or tier, assign an owner, add to a segment).

Field updates and owner links go through the validated operations in crn/crm/ (records.update_record,
links.link), so validation, history and events apply exactly as for the API. Two changes have no shared
operation yet and stay small here: owning a lead (a Person; crm links only let users own deals) and
segment membership.
"""

from __future__ import annotations

import uuid
from typing import Any

from neo4j import ManagedTransaction

from crn.automation import authority
from crn.automation.clock import get_clock
from crn.crm import events, links, records
from crn.crm.validation import FieldError, OperationError
from crn.graph import db
from crn.graph.queries import automation as q

ASSIGN_STRATEGIES = ("round_robin", "territory", "load")
# How a user becomes the owner of each kind of record (crm link kind, properties).
OWNER_LINKS = {"Deal": ("deal_owner", {}), "Company": ("account_team", {"role": "account_manager"}),
               "Ticket": ("ticket_assignee", {})}


class ChangeRejected(OperationError):
    """An expected failure (unknown field, bad value, no candidate): the domain's own shape, FieldErrors;
    ``code``/``field`` are those of the first."""

    def __init__(self, code: str | list[FieldError], message: str = "", field: str | None = None) -> None:
        super().__init__(code if isinstance(code, list) else FieldError(code, message, field))
        self.code, self.field = self.errors[0].code, self.errors[0].field


def _raise_errors(result: records.Result) -> None:
    if not result.ok:
        raise ChangeRejected(result.errors)


def update_record(uid: str, label: str, values: dict[str, Any], actor: str) -> dict[str, Any]:
    """Set fields on a record through the validated update (publishes ``updated``/``stage_changed``).

    Only fields of :data:`crn.automation.authority.UPDATABLE_FIELDS`: never a user, a role, a stamp or a
    credential, whoever wrote the rule (checked here too, for rules stored before the save-time check).
    """
    if label not in records.FIELDS:  # a link event's subject: its start node, whatever it is
        label = (db.read_one(q.SUBJECT_LABEL, uid=uid) or {}).get("label") or label
    if label in authority.PROTECTED_LABELS:
        raise ChangeRejected("forbidden_subject", f"automation never changes a {label}", "label")
    if label not in authority.UPDATABLE_FIELDS:
        raise ChangeRejected("unknown_type", f"automation cannot update a {label}", "label")
    refused = sorted(set(values) - set(authority.UPDATABLE_FIELDS[label]))
    if refused:
        raise ChangeRejected("forbidden_field", f"automation cannot set {', '.join(refused)} on a {label}; "
                             f"fields it may set: {', '.join(authority.UPDATABLE_FIELDS[label])}", refused[0])
    result = records.update_record(label, uid, values, actor=actor)
    _raise_errors(result)
    return {"uid": uid, "changed": sorted(values)}


def _pick_owner(uid: str, strategy: str, team: str | None, only_if_unowned: bool) -> tuple[str | None, bool]:
    """(user uid, newly picked) under a lock so concurrent assignments rotate fairly."""
    pick = {"round_robin": q.PICK_OWNER_ROUND_ROBIN, "territory": q.PICK_OWNER_TERRITORY,
            "load": q.PICK_OWNER_LOAD}[strategy]

    def work(tx: ManagedTransaction) -> tuple[str | None, bool]:
        seq = tx.run(q.ASSIGN_LOCK).single()["seq"]
        if only_if_unowned:
            existing = tx.run(q.CURRENT_OWNER, uid=uid).single()
            if existing:
                return existing["uid"], False
        chosen = tx.run(pick, uid=uid, team=team).single()
        if chosen is None:
            return None, False
        tx.run(q.STAMP_ASSIGNED, owner=chosen["uid"], seq=seq, now=get_clock().now()).consume()
        return chosen["uid"], True

    return db.write_tx(work)


def assign_owner(uid: str, label: str, strategy: str, actor: str, team: str | None = None,
                 only_if_unowned: bool = True) -> dict[str, Any]:
    """Make a user the owner of a record, picked by round robin, territory or load."""
    if strategy not in ASSIGN_STRATEGIES:
        raise ChangeRejected("invalid_choice", f"strategy must be one of {', '.join(ASSIGN_STRATEGIES)}",
                             "strategy")
    if label not in (*OWNER_LINKS, "Person"):
        raise ChangeRejected("unknown_type", f"automation cannot assign an owner to a {label}", "label")
    owner, picked = _pick_owner(uid, strategy, team, only_if_unowned)
    if owner is None:
        raise ChangeRejected("no_candidate", f"no active user fits the {strategy} strategy", "strategy")
    if not picked:
        return {"uid": uid, "owner_uid": owner, "assigned": False}
    if label in OWNER_LINKS:
        kind, props = OWNER_LINKS[label]
        _raise_errors(links.link(kind, owner, uid, props, actor=actor))
    else:
        def work(tx: ManagedTransaction) -> None:
            if tx.run(q.SET_LEAD_OWNER, owner=owner, uid=uid, now=get_clock().now(), actor=actor).single() is None:
                raise ChangeRejected("not_found", f"no person {uid}", "uid")
            events.publish(tx, [events.Event("linked", "OWNS", owner, actor=actor, other_uid=uid)])

        db.write_tx(work)
    return {"uid": uid, "owner_uid": owner, "assigned": True}


def add_to_segment(uid: str, segment: str, actor: str) -> dict[str, Any]:
    """Put a company or person into a named segment (created on first use)."""
    if not segment.strip():
        raise ChangeRejected("required", "segment name is empty", "segment")

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.ADD_TO_SEGMENT, uid=uid, segment=segment, segment_uid=uuid.uuid4().hex,
                     now=get_clock().now(), actor=actor).single()
        if row is None:
            raise ChangeRejected("not_found", f"no company or person {uid}", "uid")
        events.publish(tx, [events.Event("linked", "IN_SEGMENT", uid, actor=actor, other_uid=row["segment_uid"])])
        return {"uid": uid, "segment": segment}

    return db.write_tx(work)
