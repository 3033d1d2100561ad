"""Validated task status changes (complete, reopen, snooze, assign) and the signed-in user's open tasks.

Each change runs in one write transaction, stamps ``updated_at``/``updated_by`` and publishes an
``updated`` event for the Task, like every other record change, so history and automation see it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError, parse_datetime
from crn.crm.views import props
from crn.graph import db
from crn.graph.models import new_uid
from crn.graph.queries import tasks as q


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _change(uid: str, actor: str | None, make_changes) -> Result:
    """Load the task, compute its changes with ``make_changes(before, tx)``, write and publish them."""

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.GET_TASK, uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no task with id {uid}", "id"))
        before = {**props(row["task"]), "assignee_uid": row["assignee_uid"]}
        changes = make_changes(before, tx)
        stored = {k: v for k, v in changes.items() if k != "assignee_uid"}
        node = tx.run(q.UPDATE_TASK, uid=uid, props={**stored, "updated_at": _now(), "updated_by": actor}
                      ).single()["task"]
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if changed:
            events.publish(tx, [events.Event("updated", "Task", uid, actor=actor, changed=tuple(sorted(changed)),
                                             before={k: before.get(k) for k in changed}, after=changed)])
        return {**node, "assignee_uid": changes.get("assignee_uid", before["assignee_uid"])}

    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def create_task(values: dict[str, Any], actor: str | None, key: str | None = None,
                rule_id: str | None = None) -> Result:
    """Create an open task: ``title`` (required), ``body``, ``due_at``, ``assignee`` (a user uid or e-mail; the
    actor when absent) and ``subject_uid`` (the related record); publishes ``created``.

    A rule's action passes its idempotency ``key`` (and ``rule_id``): run again with the same key it returns the
    task made the first time and publishes nothing.
    """
    title = (values.get("title") or "").strip()
    errors = [] if title else [FieldError("required", "title is required", "title")]
    try:
        due_at = parse_datetime(values.get("due_at"), "due_at")
    except OperationError as exc:
        errors += exc.errors
        due_at = None
    assignee = values.get("assignee") or actor
    if not assignee:
        errors.append(FieldError("required", "assignee is required", "assignee"))
    if errors:
        return Result(errors=errors)
    uid, now = new_uid(), _now()

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.CREATE_TASK, **db.with_access(q.CREATE_TASK, dict(  # enforce (issue 13): readable subject
            key=key or uid, uid=uid, title=title, body=values.get("body"), due_at=due_at, now=now, actor=actor,
            assignee=assignee, subject_uid=values.get("subject_uid"), rule_id=rule_id))).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no user with id or e-mail {assignee}", "assignee"))
        if values.get("subject_uid") and not row["subject_found"]:
            raise OperationError(FieldError("not_found", f"no record with id {values['subject_uid']}", "subject"))
        task = props(row["task"])
        if row["created"]:
            events.publish(tx, [events.Event("created", "Task", uid, actor=actor, changed=tuple(sorted(task)),
                                             after=task)])
        return {**row["task"], "assignee_uid": row["assignee_uid"]}

    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def complete_task(uid: str, actor: str | None) -> Result:
    """Mark a task done (and end any snooze)."""
    return _change(uid, actor, lambda before, tx: {"status": "done", "completed_at": _now(), "snoozed_until": None})


def reopen_task(uid: str, actor: str | None) -> Result:
    """Put a done task back to open."""
    return _change(uid, actor, lambda before, tx: {"status": "open", "completed_at": None})


def snooze_task(uid: str, until: Any, actor: str | None) -> Result:
    """Hide an open task from "my tasks" until ``until`` (a datetime or ISO string in the future)."""
    try:
        when = until if isinstance(until, datetime) else parse_datetime(until, "until")
    except OperationError as exc:
        return Result(errors=exc.errors)
    if when is None:
        return Result(errors=[FieldError("required", "until is required", "until")])
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if when <= _now():
        return Result(errors=[FieldError("invalid_value", "a snooze must end in the future", "until")])

    def changes(before: dict[str, Any], tx: ManagedTransaction) -> dict[str, Any]:
        if before.get("status") != "open":
            raise OperationError(FieldError("not_open", "only an open task can be snoozed", "id"))
        return {"snoozed_until": when}

    return _change(uid, actor, changes)


def assign_task(uid: str, user_uid: str, actor: str | None) -> Result:
    """Give a task to another user (replaces the current assignee)."""

    def changes(before: dict[str, Any], tx: ManagedTransaction) -> dict[str, Any]:
        if tx.run(q.USER_EXISTS, uid=user_uid).single() is None:
            raise OperationError(FieldError("not_found", f"no user with id {user_uid}", "assignee"))
        tx.run(q.ASSIGN_TASK, uid=uid, user=user_uid).consume()
        return {"assignee_uid": user_uid}

    return _change(uid, actor, changes)


def my_open_tasks(user_uid: str, skip: int, limit: int, now: datetime | None = None
                  ) -> tuple[int, list[dict[str, Any]]]:
    """(total, page) of a user's open, not-snoozed tasks: overdue first, then soonest due."""
    now = now or _now()
    total = db.read(q.COUNT_MY_OPEN_TASKS, user=user_uid, now=now)[0]["total"]
    rows = db.read(q.MY_OPEN_TASKS, user=user_uid, now=now, skip=skip, limit=limit) if limit else []
    return total, [props(r) for r in rows]
