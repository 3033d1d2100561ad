"""The ticket queue: each ticket's SLA state as the queue shows it, and handing a ticket to one user.

The state is computed here, once, for every reader (the queue, the home alerts): ``breached`` when the SLA
due time passed before resolution (or before now, when unresolved); ``due_soon`` when an unresolved
ticket's SLA ends within ``Settings.sla_due_soon_hours``; ``ok`` otherwise; ``none`` without an SLA.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.config import Settings
from crn.crm import events
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError
from crn.crm.views import props
from crn.graph import db
from crn.graph.queries import ticket_queue as q

SLA_STATES = ("breached", "due_soon", "ok", "none")


def sla_state(ticket: dict[str, Any], now: datetime, due_soon_hours: float) -> str:
    """``breached``, ``due_soon``, ``ok`` or ``none`` for a ticket's properties at ``now``.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
    >>> [sla_state({"sla_due_at": datetime(2030, 1, 1, h, tzinfo=timezone.utc)}, now, 4) for h in (11, 15, 17)]
    ['breached', 'due_soon', 'ok']
    >>> sla_state({"sla_due_at": None}, now, 4), sla_state({"sla_due_at": datetime(2030, 1, 1, 11,
    ...     tzinfo=timezone.utc), "resolved_at": datetime(2030, 1, 1, 10, tzinfo=timezone.utc)}, now, 4)
    ('none', 'ok')
    """
    due = ticket.get("sla_due_at")
    if due is None:
        return "none"
    if due.tzinfo is None:
        due = due.replace(tzinfo=timezone.utc)
    resolved = ticket.get("resolved_at")
    if resolved is not None and resolved.tzinfo is None:
        resolved = resolved.replace(tzinfo=timezone.utc)
    if due < (resolved or now):
        return "breached"
    if resolved is None and due - now <= timedelta(hours=due_soon_hours):
        return "due_soon"
    return "ok"


def queue_state(ticket: dict[str, Any], settings: Settings, now: datetime | None = None) -> str:
    """The ticket's SLA state now, with the "due soon" window of ``settings`` (the serving app's)."""
    return sla_state(ticket, now or datetime.now(timezone.utc), settings.sla_due_soon_hours)


def assign_ticket(uid: str, user_uid: str | None, actor: str | None) -> Result:
    """Make ``user_uid`` the ticket's only assignee (None: nobody), in one transaction; publishes
    ``unlinked``/``linked`` ASSIGNED events for what changed, like ``crn.crm.links`` does."""
    now = datetime.now(timezone.utc)

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.GET_TICKET, **db.with_access(q.GET_TICKET, {"uid": uid})).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no ticket with id {uid}", "id"))
        if not row["writable"]:  # enforce (issue 13)
            raise OperationError(FieldError("forbidden", "you may read this ticket but not change it, so you cannot "
                                            "assign it; ask its owner or an admin", "id"))
        if user_uid is not None and tx.run(q.USER_EXISTS, uid=user_uid).single() is None:
            raise OperationError(FieldError("not_found", f"no user with id {user_uid}; pick one of the users",
                                            "assignee"))
        before = list(row["assignees"])
        ticket = tx.run(q.REASSIGN, uid=uid, user=user_uid, now=now, actor=actor).single()["ticket"]
        published = [events.Event("unlinked", "ASSIGNED", old, actor=actor, other_uid=uid)
                     for old in before if old != user_uid]
        if user_uid is not None and user_uid not in before:
            published.append(events.Event("linked", "ASSIGNED", user_uid, actor=actor, other_uid=uid))
        events.publish(tx, published)
        return ticket

    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)
