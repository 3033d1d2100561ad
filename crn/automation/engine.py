"""The pure rule engine: does a trigger match an event, do the conditions hold, what items to enqueue.

No database here: callers hand in events, record properties and graph rows as plain data.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from crn.automation.rules import Group, Leaf, Rule, Trigger
from crn.graph.secrets import strip

__all__ = ["trigger_matches", "evaluate", "resolve", "render", "event_key", "item_key", "build_context",
           "plan_items", "jsonable"]

_MISSING = object()


def trigger_matches(trigger: Trigger, event: Any) -> bool:
    """True when ``event`` (a crn.crm.events.Event) is one the event ``trigger`` reacts to."""
    if trigger.kind == "schedule":
        return False
    if trigger.graph:
        from crn.automation import vocabulary

        graph = vocabulary.GRAPH_TRIGGERS[trigger.graph]
        return event.kind in graph.event_kinds and event.label in graph.event_labels and graph.accepts(event)
    if trigger.kind == "stage_changed":
        if event.kind != "stage_changed" or event.label != "Deal":
            return False
        if trigger.to_stage and event.after.get("stage") != trigger.to_stage:
            return False
        if trigger.from_stage and event.before.get("stage") != trigger.from_stage:
            return False
        return True
    if event.kind != trigger.kind:
        return False
    if trigger.label and event.label != trigger.label:
        return False
    if trigger.fields and not set(trigger.fields) & set(event.changed):
        return False
    return True


def resolve(name: str, context: dict[str, Any]) -> Any:
    """The value at dotted ``name`` in ``context`` (None when absent)."""
    value: Any = context
    for part in name.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    if hasattr(value, "to_native"):
        return _as_datetime(value.to_native())
    return None


def _compare(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a, b
    da, db_ = _as_datetime(a), _as_datetime(b)
    if da is not None and db_ is not None:
        return da, db_
    return a, b


def _leaf(leaf: Leaf, context: dict[str, Any]) -> bool:
    value, target, op = resolve(leaf.name, context), leaf.value, leaf.operator
    if op == "is_set":
        return value not in (None, "", [])
    if op == "is_not_set":
        return value in (None, "", [])
    if op == "changed":
        field = leaf.name.split(".", 1)[-1]
        return field in (resolve("event.changed", context) or [])
    if op == "equal_to":
        return value == target
    if op == "not_equal_to":
        return value != target
    if op in ("is_in", "not_in"):
        return (value in (target or [])) == (op == "is_in")
    if op in ("contains", "not_contains"):
        found = value is not None and target is not None and (
            target in value if isinstance(value, (list, str)) else False)
        return found == (op == "contains")
    if op == "starts_with":
        return isinstance(value, str) and isinstance(target, str) and value.startswith(target)
    if op in ("older_than_days", "within_days"):
        when, now = _as_datetime(value), _as_datetime(context.get("now"))
        if when is None or now is None:
            return False
        age = now - when
        return age > timedelta(days=float(target)) if op == "older_than_days" else age <= timedelta(days=float(target))
    if value is None or target is None:
        return False
    a, b = _compare(value, target)
    try:
        if op == "greater_than":
            return a > b
        if op == "greater_than_or_equal_to":
            return a >= b
        if op == "less_than":
            return a < b
        if op == "less_than_or_equal_to":
            return a <= b
    except TypeError:
        return False
    raise ValueError(f"unknown operator {op!r}")  # validated away; a bug if reached


def evaluate(group: Group | Leaf | None, context: dict[str, Any]) -> bool:
    """True when the (nested) conditions hold in ``context``; no conditions always hold."""
    if group is None:
        return True
    if isinstance(group, Leaf):
        return _leaf(group, context)
    if group.all is not None:
        return all(evaluate(item, context) for item in group.all)
    return any(evaluate(item, context) for item in group.any or [])


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


def render(template: str, context: dict[str, Any]) -> str:
    """Replace ``{{ dotted.name }}`` placeholders with context values (missing ones become empty)."""
    def sub(match: re.Match[str]) -> str:
        value = resolve(match.group(1), context)
        return "" if value is None else str(value)

    return _PLACEHOLDER.sub(sub, template)


def jsonable(value: Any) -> Any:
    """``value`` with dates/times (Python or Neo4j) turned into ISO strings, recursively."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def event_key(event: Any) -> str:
    """A stable identity of an event (events carry no id): a hash of what happened, to what, when."""
    raw = json.dumps([event.kind, event.label, event.uid, event.other_uid, list(event.changed),
                      event.at.isoformat()], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def item_key(rule_id: str, subject_key: str, action_index: int) -> str:
    """The idempotency key of one action of one rule for one event or scan row."""
    return f"{rule_id}:{subject_key}:{action_index}"


def build_context(event: Any | None = None, record: dict[str, Any] | None = None,
                  row: dict[str, Any] | None = None, now: datetime | None = None,
                  rule: Rule | None = None) -> dict[str, Any]:
    """The variables a rule sees: ``event``, ``before``, ``after``, ``record``, ``row``, ``now``, ``rule``.

    No credential is ever among them (crn.graph.secrets): the context is stored in the outbox and sent
    to webhooks, and templates render from it.
    """
    ctx: dict[str, Any] = {"now": now.isoformat() if now else None}
    if event is not None:
        ev = event.as_dict()
        ev["before"], ev["after"] = strip(ev["before"]), strip(ev["after"])
        ctx["event"] = ev
        ctx["before"] = ev["before"]
        ctx["after"] = ev["after"]
    ctx["record"] = jsonable(strip(record or {}))
    ctx["row"] = jsonable(strip(row or {}))
    if rule is not None:
        ctx["rule"] = {"id": rule.id, "name": rule.name, "version": rule.version}
    return ctx


def plan_items(rule: Rule, subject_key: str, context: dict[str, Any], subject_uid: str | None,
               due_at: datetime, max_attempts: int, event_summary: str | None = None,
               cause: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Outbox items (plain dicts for the ENQUEUE query) for every action of ``rule`` on one subject.

    ``cause`` is the chain of rules whose actions made the triggering change (empty for a person's change or
    a schedule); each item carries ``chain`` = cause + this rule and ``depth`` = its length.
    """
    items = []
    context_json = json.dumps(jsonable(context), sort_keys=True)
    chain = [*cause, rule.id]
    for index, action in enumerate(rule.actions):
        items.append({
            "key": item_key(rule.id, subject_key, index), "rule_id": rule.id, "rule_version": rule.version,
            "action": action.type, "params": json.dumps(action.params, sort_keys=True), "context": context_json,
            "subject_uid": subject_uid, "event": event_summary, "due_at": due_at, "created_at": due_at,
            "max_attempts": max_attempts, "chain": chain, "depth": len(chain),
        })
    return items


def record_fields(rule: Rule) -> set[str]:
    """The ``record.*`` fields a rule reads (conditions, templates; ``*`` = all); cached per rule object."""
    cached = getattr(rule, "_record_fields", None)
    if cached is not None:
        return cached
    names: set[str] = set()

    def walk(group: Group | Leaf | None) -> None:
        if isinstance(group, Leaf):
            if group.name.startswith("record."):
                names.add(group.name.split(".")[1])
        elif group is not None:
            for item in (group.all or []) + (group.any or []):
                walk(item)

    walk(rule.conditions)
    for action in rule.actions:
        if action.type == "call_webhook":
            names.add("*")  # the webhook payload carries the whole record
        for value in action.params.values():
            if isinstance(value, str):
                names.update(m.split(".")[1] for m in _PLACEHOLDER.findall(value)
                             if m.startswith("record.") and "." in m)
    object.__setattr__(rule, "_record_fields", names)
    return names
