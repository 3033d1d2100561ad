"""Rules kept in Neo4j as versioned :Rule nodes (each save adds a :RuleVersion), with a short-lived cache."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from neo4j import ManagedTransaction

from crn import audit
from crn.automation import authority
from crn.automation.clock import get_clock
from crn.automation.rules import FieldError, Rule, parse_rule, validate_rule
from crn.graph import access, db
from crn.graph.queries import automation as q

_cache_lock = threading.Lock()
_cache: tuple[float, list[Rule]] | None = None


def save_rule(data: Any, actor: str | None = None) -> tuple[Rule | None, list[FieldError]]:
    """Validate and store a rule (a new version when its definition changed); errors change nothing.

    ``actor`` becomes the rule's author, whose authority the rule runs with (crn.automation.authority):
    a user's uid, or None/"cli" for the operator (code, the CLI), who acts as an admin.
    """
    rule, errors = validate_rule(data)
    if errors or rule is None:
        return None, errors
    errors = authority.check_rule(rule, actor)
    if errors:
        return None, errors
    current = get_rule(rule.id)
    if (current is not None and current.definition_json() == rule.definition_json()
            and authority.author_of(rule.id) == actor):
        return current, []  # saved by someone else, the same definition becomes a version they answer for
    changes = tuple((name, before, after) for name, before, after in (
        ("name", current.name if current else None, rule.name),
        ("active", current.active if current else None, rule.active),
        ("definition", current.definition_json() if current else None, rule.definition_json())) if before != after)
    saved = audit.Draft("rule_create" if current is None else "rule_update", label="Rule", uid=rule.id, actor=actor,
                        changes=changes)  # audit: in the transaction that saves the version
    row = audit.write(q.SAVE_RULE, saved, id=rule.id, name=rule.name, active=rule.active,
                      definition=rule.definition_json(), trigger_kind=rule.trigger.kind, now=get_clock().now(),
                      actor=actor, purpose=rule.purpose)[0]
    invalidate_cache()
    return rule.model_copy(update={"version": row["version"]}), []


def _from_row(row: dict[str, Any]) -> Rule:
    rule = parse_rule(json.loads(row["definition"]))
    return rule.model_copy(update={"version": row["version"], "active": row["active"]})


def get_rule(rule_id: str) -> Rule | None:
    """The current version of a rule, or None."""
    row = db.read_one(q.GET_RULE, id=rule_id)
    return _from_row(row) if row else None


def list_rules(active_only: bool = False) -> list[Rule]:
    """Every (or every active) rule, current versions, ordered by id."""
    return [_from_row(row) for row in db.read(q.LIST_RULES, active_only=active_only)]


def visible(rule_ids: list[str]) -> list[str]:
    """enforce (issue 13): those of ``rule_ids`` the bound viewer may see: a rule and its runs are visible to
    its author and to admins (and crn's own jobs)."""
    viewer = access.current()
    if viewer.all or not rule_ids:
        return list(rule_ids)
    authors = {r["id"]: r["author"] for r in db.read(q.RULE_AUTHORS, ids=list(rule_ids))}
    return [i for i in rule_ids if viewer.user is not None and authors.get(i) == viewer.user]


def visible_rules_with_last_runs(active_only: bool = False, rule_id: str | None = None
                                 ) -> tuple[list[Rule], dict[str, dict[str, Any]]]:
    """:func:`rules_with_last_runs`, of the rules the viewer may see (:func:`visible`)."""
    rules, last = rules_with_last_runs(active_only, rule_id)
    shown = set(visible([r.id for r in rules]))
    return [r for r in rules if r.id in shown], {k: v for k, v in last.items() if k in shown}


def visible_rule_runs(rule_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Recorded deliveries of the rules the viewer may see (of one rule or all), newest first."""
    from crn.automation import outbox

    if access.current().all:
        return outbox.rule_runs(rule_id, limit)
    ids = visible([rule_id] if rule_id else [r["id"] for r in db.read(q.LIST_RULE_IDS)])
    return db.read(q.RULE_RUNS_OF, rule_ids=ids, limit=limit) if ids else []


def rules_with_last_runs(active_only: bool = False, rule_id: str | None = None
                         ) -> tuple[list[Rule], dict[str, dict[str, Any]]]:
    """Every (or every active, or the one ``rule_id``) rule with the newest run of each, by rule id."""
    from crn.automation import outbox

    if rule_id is not None:
        found = get_rule(rule_id)
        rules = [found] if found else []
    else:
        rules = list_rules(active_only)
    return rules, outbox.last_runs([r.id for r in rules])


def rule_versions(rule_id: str) -> list[dict[str, Any]]:
    """The stored versions of a rule, oldest first: version, definition (dict), created_at, created_by."""
    return [{**row, "definition": json.loads(row["definition"])} for row in db.read(q.RULE_VERSIONS, id=rule_id)]


def _retire(statement: str, rule_id: str, actor: str | None, reason: str, action: str, **params: Any) -> bool:
    """Run ``statement`` on the rule and cancel its queued deliveries in the same transaction."""
    now = get_clock().now()

    def work(tx: ManagedTransaction) -> bool:
        if tx.run(statement, id=rule_id, now=now, actor=actor, **params).single() is None:
            return False
        tx.run(q.CANCEL_PENDING, id=rule_id, now=now, reason=reason).consume()
        audit.record(tx, action, label="Rule", uid=rule_id, actor=actor,  # audit: with the change it records
                     changes=(("active", True, False),) if action == "rule_disable" else ())
        return True

    found = db.write_tx(work)
    invalidate_cache()
    return found


def _by(actor: str | None) -> str:
    return f" by {actor}" if actor else ""


def set_active(rule_id: str, active: bool, actor: str | None = None) -> bool:
    """Switch a rule on or off; False when there is no such rule.

    Switching off cancels its queued deliveries (switching on again does not bring them back); a delivery
    already claimed by a worker is cancelled when the worker checks the rule just before acting.
    """
    if active:
        found = bool(audit.write(q.SET_RULE_ACTIVE, audit.Draft("rule_enable", label="Rule", uid=rule_id, actor=actor,
                                                               changes=(("active", False, True),)),
                                 id=rule_id, active=True, now=get_clock().now(), actor=actor))
        invalidate_cache()
        return found
    return _retire(q.SET_RULE_ACTIVE, rule_id, actor, f"cancelled: rule {rule_id!r} was disabled{_by(actor)} "
                   "before this delivery; nothing was sent", "rule_disable", active=False)


def switch_rule(rule_id: str, active: bool, actor: str | None) -> tuple[bool, list[FieldError]]:
    """``set_active`` on behalf of ``actor``: switching a rule on needs the authority to save it as it stands.

    A rule runs with its author's authority, so without this a manager could switch back on an admin's
    webhook rule that the admin had switched off. Returns (found, errors); nothing changes on errors.
    """
    if active and actor is not None:
        rule = get_rule(rule_id)
        if rule is None:
            return False, []
        errors = authority.check_rule(rule, actor)
        if errors:
            return True, errors
    return set_active(rule_id, active, actor), []


def delete_rule(rule_id: str, actor: str | None = None) -> bool:
    """Retire a rule (its versions and run history stay) and cancel its queued deliveries; False when there
    is no such rule."""
    return _retire(q.DELETE_RULE, rule_id, actor, f"cancelled: rule {rule_id!r} was deleted{_by(actor)} before "
                   "this delivery; nothing was sent", "rule_delete")


def active_rules(ttl: float) -> list[Rule]:
    """Active rules, cached for ``ttl`` seconds (CRN_AUTOMATION_RULES_TTL: the listener runs on every write)."""
    global _cache
    with _cache_lock:
        if _cache is not None and _cache[0] > time.monotonic():
            return _cache[1]
    rules = list_rules(active_only=True)
    with _cache_lock:
        _cache = (time.monotonic() + ttl, rules)
    return rules


def invalidate_cache() -> None:
    """Forget cached rules (after a change in this process)."""
    global _cache
    with _cache_lock:
        _cache = None
