"""The outbox: matching events to rules inside the publishing transaction, and reading the outbox back.

:func:`on_events` is subscribed to ``crn.crm.events``; it writes one :OutboxItem per (rule, event or graph
row, action) in the same transaction as the change, keyed for idempotency, so an action exists if and only
if its cause committed, and a repeat of the same cause never enqueues twice.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from neo4j import ManagedTransaction

from crn import logs
from crn.automation import engine, store
from crn.automation import vocabulary as vocab
from crn.automation.clock import get_clock
from crn.automation.rules import Rule, with_defaults
from crn.config import Settings
from crn.graph import db
from crn.graph.queries import automation as q

log = logging.getLogger(__name__)

AUTOMATION_ACTOR_PREFIX = "automation:"


def _summary(event: Any) -> str:
    return json.dumps({"kind": event.kind, "label": event.label, "uid": event.uid, "other_uid": event.other_uid,
                       "changed": list(event.changed), "at": event.at.isoformat(),
                       "chain": list(getattr(event, "chain", ()))})


def match_events(tx: ManagedTransaction, events: list[Any], rules: list[Rule], max_attempts: int
                 ) -> list[dict[str, Any]]:
    """Outbox items for ``events`` under ``rules``, reading the records and graph rows through ``tx``; each item
    may be tried ``max_attempts`` times (CRN_AUTOMATION_MAX_ATTEMPTS)."""
    candidates = []
    for event in events:
        for rule in rules:
            if rule.is_scheduled or event.actor == f"{AUTOMATION_ACTOR_PREFIX}{rule.id}":
                continue  # a rule never reacts to its own changes
            if engine.trigger_matches(rule.trigger, event):
                candidates.append((rule, event))
    if not candidates:
        return []
    # Read the records only when a rule needs a field the event does not carry (saves a query per write).
    uids = sorted({event.uid for rule, event in candidates
                   if not engine.record_fields(rule) <= ({"uid", "label"} | set(event.after))})
    records = {row["uid"]: {**row["props"], "label": row["label"], "owner_uid": row["owner_uid"],
                            "owner_email": row["owner_email"], "owner_name": row["owner_name"]}
               for row in tx.run(q.LOAD_RECORDS, uids=uids).data()} if uids else {}
    now = get_clock().now()
    items: list[dict[str, Any]] = []
    base_contexts: dict[int, dict[str, Any]] = {}  # one context per event, shared by the rules it triggers
    for rule, event in candidates:
        base = base_contexts.get(id(event))
        if base is None:
            record = records.get(event.uid) or {"uid": event.uid, "label": event.label, **event.before, **event.after}
            base = base_contexts[id(event)] = engine.build_context(event=event, record=record, now=now)
        rows: list[dict[str, Any] | None] = [None]
        if rule.trigger.graph:
            graph = vocab.GRAPH_TRIGGERS[rule.trigger.graph]
            params = {**with_defaults(graph.params, rule.trigger.params), **graph.bind(event)}
            rows = tx.run(graph.query, params).data()
        for row in rows:
            context = {**base, "row": engine.jsonable(row)} if row else base
            if not engine.evaluate(rule.conditions, context):
                continue
            context = {**context, "rule": {"id": rule.id, "name": rule.name, "version": rule.version}}
            subject_key = row["key"] if row else engine.event_key(event)
            subject_uid = (row or {}).get("subject_uid") or event.uid
            items += engine.plan_items(rule, subject_key, context, subject_uid, now, max_attempts, _summary(event),
                                       cause=tuple(getattr(event, "chain", ())))
    return items


def _loop_stopped(item: dict[str, Any], max_depth: int) -> str:
    chain = " → ".join(item["chain"])
    return (f"stopped: rule {item['rule_id']!r} would run at depth {item['depth']} of the chain {chain}, past "
            f"CRN_AUTOMATION_MAX_DEPTH={max_depth} (rules triggering each other); nothing was enqueued. Break the "
            "loop with a condition, or raise CRN_AUTOMATION_MAX_DEPTH if the chain is meant to be this long")


def on_events(tx: ManagedTransaction, events: list[Any], settings: Settings) -> None:
    """The listener subscribed to crn.crm.events: enqueue the actions these events trigger, in ``tx``
    (``settings``: those ``crn.automation.install`` was given)."""
    rules = store.active_rules(settings.automation_rules_ttl)
    if not rules:
        return
    items = match_events(tx, events, rules, settings.automation_max_attempts)
    max_depth = settings.automation_max_depth
    stopped = [item for item in items if item["depth"] > max_depth]
    items = [item for item in items if item["depth"] <= max_depth]
    if items:
        tx.run(q.ENQUEUE, items=items, request_id=logs.request_id()).consume()  # ops: the request id reaches the worker
        log.debug("enqueued %d outbox items for %d events", len(items), len(events))
    if stopped:
        now = get_clock().now()
        tx.run(q.RECORD_STOPPED, now=now, runs=[
            {"uid": uuid.uuid4().hex, "rule_id": item["rule_id"], "key": item["key"], "action": item["action"],
             "subject_uid": item["subject_uid"], "event": item["event"], "depth": item["depth"],
             "chain": item["chain"], "error": _loop_stopped(item, max_depth)} for item in stopped]).consume()
        log.warning("automation loop stopped: %d action(s) past depth %d (%s)", len(stopped), max_depth,
                    ", ".join(sorted({" → ".join(i["chain"]) for i in stopped})))


def enqueue(items: list[dict[str, Any]]) -> int:
    """Write outbox items in their own transaction (scheduler, manual runs); repeats of a key are ignored."""
    if not items:
        return 0
    return db.write(q.ENQUEUE, items=items, request_id=logs.request_id())[0]["n"]


def outbox_items(rule_id: str | None = None) -> list[dict[str, Any]]:
    """Outbox items (optionally of one rule): key, action, status, attempts, last_error, due_at."""
    return db.read(q.OUTBOX_ITEMS, rule_id=rule_id)


def outbox_counts() -> dict[str, int]:
    """How many outbox items are in each status."""
    return {row["status"]: row["n"] for row in db.read(q.OUTBOX_COUNTS)}


def backlog() -> dict[str, Any]:
    """ops: due, undelivered items: ``due`` (how many) and ``oldest_seconds`` (how long the oldest waited, or None)."""
    row = db.read(q.OUTBOX_BACKLOG, now=get_clock().now())[0]
    return {"due": row["due"], "oldest_seconds": row["oldest_seconds"]}


def failure_counts() -> dict[str, int]:
    """ops: recorded deliveries that failed, by outcome (retry, dead)."""
    return {row["outcome"]: row["n"] for row in db.read(q.RULE_FAILURES)}


def last_runs(rule_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The newest recorded delivery of each rule (rules that never ran are absent), by rule id."""
    return {row["rule_id"]: row for row in db.read(q.LAST_RUNS, rule_ids=list(rule_ids))} if rule_ids else {}


def rule_runs(rule_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Recorded deliveries, newest first: rule, key, action, outcome, error, attempt, worker, when."""
    return db.read(q.RULE_RUNS, rule_id=rule_id, limit=limit)
