"""Data changes made by actions (update a field or tier, assign an owner, add to a segment).

Interim home: these run small validated writes that publish domain events, until the shared validated
operations in crn/crm/ offer the same (then each function here becomes a one-line call to them).
"""

from __future__ import annotations

import uuid
from typing import Any

from neo4j import ManagedTransaction

from crn.automation.clock import get_clock
from crn.crm import events
from crn.graph import db
from crn.graph.models import ALL_MODELS
from crn.graph.models.company import LIFECYCLES, TIERS
from crn.graph.queries import automation as q

_MODELS = {m.__name__: m for m in ALL_MODELS}
_READ_ONLY = {"uid", "created_at", "updated_at", "updated_by", "external_ids", "password_hash"}
ASSIGN_STRATEGIES = ("round_robin", "territory", "load")
# Closed vocabularies the models keep as constants rather than neomodel choices.
_EXTRA_CHOICES = {("Company", "tier"): TIERS, ("Company", "lifecycle"): LIFECYCLES}
_PY_TYPES = {"StringProperty": (str,), "IntegerProperty": (int,), "FloatProperty": (int, float),
             "BooleanProperty": (bool,)}


class ChangeRejected(ValueError):
    """An expected failure (unknown field, bad value, no candidate); ``field`` names what was wrong."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.field = code, field


def check_field(label: str, field: str, value: Any) -> None:
    """Raise :class:`ChangeRejected` unless ``field`` is a writable property of ``label`` accepting ``value``."""
    model = _MODELS.get(label)
    props = model.defined_properties(aliases=False, rels=False) if model else {}
    if field in _READ_ONLY or field not in props:
        raise ChangeRejected("unknown_field", f"{label} has no writable field {field!r}", field)
    choices = getattr(props[field], "choices", None) or _EXTRA_CHOICES.get((label, field))
    if choices and value not in choices:
        raise ChangeRejected("invalid_choice", f"{field} must be one of {', '.join(choices)}", field)
    expected = _PY_TYPES.get(type(props[field]).__name__)
    if expected and value is not None and (not isinstance(value, expected) or
                                           (isinstance(value, bool) and bool not in expected)):
        raise ChangeRejected("invalid_type", f"{field} must be a {expected[-1].__name__}", field)


def update_record(uid: str, label: str, values: dict[str, Any], actor: str) -> dict[str, Any]:
    """Set fields on a record, publishing an ``updated`` event with before/after values."""
    for field, value in values.items():
        check_field(label, field, value)

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        rows = tx.run(q.UPDATE_RECORD, uid=uid, props=values, now=get_clock().now(), actor=actor).data()
        if not rows:
            raise ChangeRejected("not_found", f"no record {uid}", "uid")
        before = dict(rows[0]["before"])
        changed = tuple(k for k, v in values.items() if before.get(k) != v)
        if changed:
            events.publish(tx, [events.Event("updated", rows[0]["label"], uid, actor=actor, changed=changed,
                                             before={k: before.get(k) for k in changed},
                                             after={k: values[k] for k in changed})])
        return {"uid": uid, "changed": list(changed)}

    return db.write_tx(work)


def assign_owner(uid: str, strategy: str, actor: str, team: str | None = None,
                 only_if_unowned: bool = True) -> dict[str, Any]:
    """Make a user the owner (OWNS) of a record, picked by round robin, territory or load."""
    if strategy not in ASSIGN_STRATEGIES:
        raise ChangeRejected("invalid_choice", f"strategy must be one of {', '.join(ASSIGN_STRATEGIES)}",
                             "strategy")
    pick = {"round_robin": q.PICK_OWNER_ROUND_ROBIN, "territory": q.PICK_OWNER_TERRITORY,
            "load": q.PICK_OWNER_LOAD}[strategy]

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        tx.run(q.ASSIGN_LOCK).consume()
        if only_if_unowned:
            existing = tx.run(q.CURRENT_OWNER, uid=uid).single()
            if existing:
                return {"uid": uid, "owner_uid": existing["uid"], "assigned": False}
        chosen = tx.run(pick, uid=uid, team=team).single()
        if chosen is None:
            raise ChangeRejected("no_candidate", f"no active user fits the {strategy} strategy", "strategy")
        row = tx.run(q.SET_OWNER, owner=chosen["uid"], uid=uid, now=get_clock().now(), actor=actor).single()
        if row is None:
            raise ChangeRejected("not_found", f"no record {uid}", "uid")
        events.publish(tx, [events.Event("linked", "OWNS", chosen["uid"], actor=actor, other_uid=uid)])
        return {"uid": uid, "owner_uid": chosen["uid"], "owner_email": row["email"], "assigned": True}

    return db.write_tx(work)


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
