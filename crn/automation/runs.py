"""Running a rule on demand: a dry run (what would have fired, acting on nothing) and a manual run."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from croniter import croniter

from crn import logs
from crn.automation import outbox, scheduler
from crn.automation import vocabulary as vocab
from crn.automation.clock import Clock, get_clock
from crn.automation.rules import Rule
from crn.config import Settings
from crn.crm.events import Event
from crn.graph import db
from crn.graph.queries import automation as q

DRY_RUN_LIMIT = 1000
DRY_RUN_MAX_DAYS = 60  # how far back a dry run replays (the request cost budget prices 300 per day)


def since_days_problem(since_days: float) -> str | None:
    """Why ``since_days`` cannot be a dry run's window (None when it can)."""
    if not 0 < since_days <= DRY_RUN_MAX_DAYS:
        return f"sinceDays must be more than 0 and at most {DRY_RUN_MAX_DAYS} (days back to replay)"
    return None


def _events_since(rule: Rule, since: datetime) -> tuple[list[Event], str | None]:
    """Events an event rule would have seen since ``since``, rebuilt from the records' stamps."""
    trigger = rule.trigger
    if trigger.kind == "stage_changed":
        events = []
        for row in db.read(q.STAGE_CHANGES_SINCE, since=since, limit=DRY_RUN_LIMIT):
            history = row["history"]
            history = json.loads(history) if isinstance(history, str) else (history or [])
            previous = None
            for step in history:
                at = datetime.fromisoformat(str(step.get("at")).replace("Z", "+00:00")) if step.get("at") else None
                if at and at >= since:
                    events.append(Event("stage_changed", "Deal", row["uid"], before={"stage": previous},
                                        after={"stage": step.get("stage")}, at=at))
                previous = step.get("stage")
        return events, None
    labels = [trigger.label] if trigger.label else []
    if trigger.graph:
        labels = [lbl for lbl in vocab.GRAPH_TRIGGERS[trigger.graph].event_labels if lbl in q.SUBJECT_LABELS]
    labels = [lbl for lbl in labels if lbl in q.RECENT_RECORDS]
    kind = "created" if trigger.graph else trigger.kind
    if kind not in ("created", "updated") or not labels:
        return [], (f"a dry run cannot rebuild past '{trigger.kind}' events"
                    + (f" on {trigger.label}" if trigger.label else "") + "; it shows created/updated records, "
                    "deal stage changes and scheduled rules")
    events = []
    for label in labels:
        for row in db.read(q.RECENT_RECORDS[label], since=since, limit=DRY_RUN_LIMIT):
            props = row["props"]
            created = props.get("created_at")
            created = created.to_native() if hasattr(created, "to_native") else created
            if kind == "created" and created is not None and created >= since:
                events.append(Event("created", label, row["uid"], after=props))
            elif kind == "updated":
                events.append(Event("updated", label, row["uid"], changed=tuple(trigger.fields), after=props))
    return events, None


DRY_RUN_CONSENT_LIMIT = 100  # items of a dry run whose consent is checked (a few reads each)


def _consent_skip(rule: Rule, item: dict[str, Any]) -> str | None:
    """Privacy: why this item's send would be skipped (no consent, suppressed ...), None when it would go out."""
    from crn.automation import actions

    context = json.loads(item["context"])
    return actions.consent_skip(item["action"], json.loads(item["params"]), context, rule.purpose)


def dry_run(rule: Rule, settings: Settings, since_days: float = 7, clock: Clock | None = None) -> dict[str, Any]:
    """What ``rule`` would have fired over the last ``since_days`` (scheduled rules: what it fires now).

    Returns ``{"fired": [{key, action, subject_uid, already_done, consent_skip}], "note": str | None}``; nothing
    is written. ``consent_skip`` (privacy) says why a send would be skipped (first DRY_RUN_CONSENT_LIMIT items).
    """
    now = (clock or get_clock()).now()
    note = None
    if rule.is_scheduled:
        if rule.trigger.scan:
            items = scheduler.plan_rule(rule, now, now, settings.automation_max_attempts)
        else:
            items, fire = [], croniter(rule.trigger.cron, now - timedelta(days=since_days)).get_next(datetime)
            while fire <= now and len(items) < DRY_RUN_LIMIT:
                items += scheduler.plan_rule(rule, now, fire, settings.automation_max_attempts)
                fire = croniter(rule.trigger.cron, fire).get_next(datetime)
    else:
        events, note = _events_since(rule, now - timedelta(days=since_days))
        attempts = settings.automation_max_attempts
        items = db.read_tx(lambda tx: outbox.match_events(tx, events, [rule], attempts)) if events else []
    existing = {r["key"] for r in db.read(q.EXISTING_KEYS, keys=[i["key"] for i in items])} if items else set()
    items = items[:DRY_RUN_LIMIT]
    uids = list({i["subject_uid"] for i in items if i["subject_uid"]})
    names = {r["uid"]: r for r in db.read(q.SUBJECT_NAMES, uids=uids)} if uids else {}
    # enforce (issue 13): what would fire on records the viewer cannot read is not shown
    items = [i for i in items if not i["subject_uid"] or i["subject_uid"] in names]
    fired = [{"key": i["key"], "action": i["action"], "subject_uid": i["subject_uid"],
              "subject_label": names.get(i["subject_uid"], {}).get("label"),
              "subject_name": names.get(i["subject_uid"], {}).get("name"),
              "already_done": i["key"] in existing,
              "consent_skip": _consent_skip(rule, i) if n < DRY_RUN_CONSENT_LIMIT else None}
             for n, i in enumerate(items)]
    return {"fired": fired, "note": note}


def run_now(rule: Rule, settings: Settings, uids: list[str] | None = None, actor: str | None = None,
            clock: Clock | None = None) -> int:
    """Fire a rule now: a scheduled rule runs its scan/cron once; another rule gets a manual event per uid."""
    if not rule.active:
        raise ValueError(f"rule {rule.id!r} is disabled, and a disabled rule delivers nothing; switch it on first "
                         "(its dry run shows what it would do)")
    now = (clock or get_clock()).now()
    if rule.is_scheduled:
        return outbox.enqueue(scheduler.plan_rule(rule, now, now, settings.automation_max_attempts))
    if not uids:
        raise ValueError("give the uid of at least one record to run this rule on")
    labels = {r["uid"]: r["label"] for r in db.read(q.LABEL_OF, uids=uids)}
    missing = [u for u in uids if u not in labels]
    if missing:
        raise ValueError(f"no record with uid {', '.join(missing)}")
    events = [Event("manual", labels[u], u, actor=actor, at=now) for u in uids]
    manual = rule.model_copy(update={"trigger": rule.trigger.model_copy(update={"kind": "manual", "fields": [],
                                                                                "label": None, "graph": None})})

    def work(tx):
        items = outbox.match_events(tx, events, [manual], settings.automation_max_attempts)
        if items:
            tx.run(q.ENQUEUE, items=items, request_id=logs.request_id()).consume()  # ops: request id to the worker
        return len(items)

    return db.write_tx(work)
