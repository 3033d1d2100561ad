"""The scheduler: evaluates time-based rules (cron and scans) under a per-rule lock held in Neo4j."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from croniter import croniter

from crn.automation import engine, outbox, store
from crn.automation import vocabulary as vocab
from crn.automation.clock import Clock
from crn.automation.rules import Rule, with_defaults
from crn.config import Settings
from crn.graph import db
from crn.graph.queries import automation as q

log = logging.getLogger(__name__)


def acquire(name: str, worker: str, now: datetime, lease_seconds: float) -> tuple[bool, Any]:
    """Try to hold the lock ``name``; returns (held, last_run_at). Only one worker holds it until it expires."""
    def work(tx):
        tx.run(q.LOCK_TOUCH, name=name).consume()
        row = tx.run(q.LOCK_ACQUIRE, name=name, worker=worker, now=now,
                     expires_at=now + timedelta(seconds=lease_seconds)).single()
        return (True, row["last_run_at"]) if row else (False, None)

    return db.write_tx(work)


def release(name: str, worker: str, last_run_at: datetime | None) -> None:
    """Let go of a lock, recording when its schedule last ran."""
    db.write(q.LOCK_RELEASE, name=name, worker=worker, last_run_at=last_run_at)


def _native(value: Any) -> datetime | None:
    return value.to_native() if hasattr(value, "to_native") else value


def due_time(rule: Rule, last_run_at: datetime | None, now: datetime, scan_interval_seconds: float
             ) -> datetime | None:
    """The time this run stands for when ``rule`` is due at ``now`` (None when not due); a scan without cron
    runs every ``scan_interval_seconds`` (CRN_AUTOMATION_SCAN_INTERVAL)."""
    if rule.trigger.cron:
        base = last_run_at or (now - timedelta(days=1))
        fire = croniter(rule.trigger.cron, base).get_next(datetime)
        if fire > now:
            return None
        # catch up to the latest fire time not after now (one run, not one per missed tick)
        itr = croniter(rule.trigger.cron, fire)
        while True:
            nxt = itr.get_next(datetime)
            if nxt > now:
                return fire
            fire = nxt
    if last_run_at is None or now - last_run_at >= timedelta(seconds=scan_interval_seconds):
        return now
    return None


def scan_rows(rule: Rule, now: datetime) -> list[dict[str, Any]]:
    """The rows a scheduled rule's scan returns at ``now`` (one per subject)."""
    scan = vocab.SCANS[rule.trigger.scan]
    params = with_defaults(scan.params, rule.trigger.params)
    return db.read(scan.query, now=now, **params)


def plan_rule(rule: Rule, now: datetime, fire_time: datetime, max_attempts: int) -> list[dict[str, Any]]:
    """Outbox items a scheduled rule produces at ``now`` (conditions applied to every scan row), each tried at
    most ``max_attempts`` times."""
    items: list[dict[str, Any]] = []
    if rule.trigger.scan:
        for row in scan_rows(rule, now):
            context = engine.build_context(row=row, now=now, rule=rule)
            if engine.evaluate(rule.conditions, context):
                items += engine.plan_items(rule, row["key"], context, row.get("subject_uid"), now, max_attempts,
                                           None)
    else:
        context = engine.build_context(now=now, rule=rule)
        if engine.evaluate(rule.conditions, context):
            items += engine.plan_items(rule, f"cron:{fire_time.isoformat()}", context, None, now, max_attempts,
                                       None)
    return items


def run_schedules(clock: Clock, worker: str, settings: Settings, rules: list[Rule] | None = None) -> dict[str, int]:
    """Evaluate every due time-based rule once; returns {rule id: items enqueued} for the rules run."""
    ran: dict[str, int] = {}
    rules = rules if rules is not None else store.active_rules(settings.automation_rules_ttl)
    scheduled = [r for r in rules if r.is_scheduled]
    if not scheduled:
        return ran
    # One read says which schedules may be due; only those take their lock (a write) and re-check under it.
    last_runs = {row["name"]: _native(row["last_run_at"])
                 for row in db.read(q.LOCK_LAST_RUNS, names=[f"schedule:{r.id}" for r in scheduled])}
    for rule in scheduled:
        now = clock.now()
        name = f"schedule:{rule.id}"
        if due_time(rule, last_runs.get(name), now, settings.automation_scan_interval_seconds) is None:
            continue
        held, last_run_at = acquire(name, worker, now, settings.automation_lease_seconds)
        if not held:
            continue
        finished_at = None
        try:
            fire_time = due_time(rule, _native(last_run_at), now, settings.automation_scan_interval_seconds)
            if fire_time is None:
                continue
            ran[rule.id] = outbox.enqueue(plan_rule(rule, now, fire_time, settings.automation_max_attempts))
            finished_at = fire_time if rule.trigger.cron else now
        except Exception:  # noqa: BLE001 - one broken rule must not stop the others
            log.exception("scheduled rule %s failed", rule.id)
        finally:
            release(name, worker, finished_at)
    return ran
