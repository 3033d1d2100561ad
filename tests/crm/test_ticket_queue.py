"""crn.crm.ticket_queue: SLA state (breached / due soon / ok / none) and handing a ticket to one user."""

from datetime import datetime, timedelta, timezone

import pytest

from crn.config import get_settings

from crn.crm import events, records, ticket_queue
from crn.graph import db

NOW = datetime(2030, 6, 1, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("ticket,state", [
    ({}, "none"),
    ({"sla_due_at": NOW - timedelta(minutes=1)}, "breached"),
    ({"sla_due_at": NOW + timedelta(hours=3, minutes=59)}, "due_soon"),
    ({"sla_due_at": NOW + timedelta(hours=4)}, "due_soon"),
    ({"sla_due_at": NOW + timedelta(hours=4, minutes=1)}, "ok"),
    ({"sla_due_at": NOW - timedelta(hours=1), "resolved_at": NOW - timedelta(hours=2)}, "ok"),  # met
    ({"sla_due_at": NOW - timedelta(hours=2), "resolved_at": NOW - timedelta(hours=1)}, "breached"),  # late
    ({"sla_due_at": NOW + timedelta(hours=1), "resolved_at": NOW}, "ok"),  # resolved: never "due soon"
    ({"sla_due_at": (NOW + timedelta(hours=1)).replace(tzinfo=None)}, "due_soon"),  # naive = UTC
])
def test_sla_state(ticket, state):
    assert ticket_queue.sla_state(ticket, NOW, 4) == state


def test_the_due_soon_window_comes_from_settings(monkeypatch):
    soon = {"sla_due_at": datetime.now(timezone.utc) + timedelta(hours=20)}
    assert ticket_queue.queue_state(soon, get_settings()) == "ok"
    monkeypatch.setenv("CRN_SLA_DUE_SOON_HOURS", "24")
    assert ticket_queue.queue_state(soon, get_settings()) == "due_soon"


@pytest.fixture
def captured():
    seen = []
    events.subscribe("test-capture", lambda tx, evs: seen.extend(evs))
    yield seen
    events.unsubscribe("test-capture")


def assignees(uid: str) -> list[str]:
    return [r["u"] for r in db.read("MATCH (u:User)-[:ASSIGNED]->(:Ticket {uid: $uid}) RETURN u.uid AS u "
                                    "ORDER BY u", uid=uid)]


def test_assign_replaces_the_assignees_and_publishes_links(clean_db, captured):
    db.write("CREATE (:User {uid: 'ua', name: 'Ann'}), (:User {uid: 'ub', name: 'Bo'}), (:User {uid: 'uc'})")
    ticket = records.create_record("Ticket", {"subject": "Printer on fire"}, "ua").record["uid"]
    db.write("MATCH (t:Ticket {uid: $t}), (a:User {uid: 'ua'}), (c:User {uid: 'uc'}) "
             "CREATE (a)-[:ASSIGNED]->(t), (c)-[:ASSIGNED]->(t)", t=ticket)
    captured.clear()
    result = ticket_queue.assign_ticket(ticket, "ub", "ua")
    assert result.ok and result.record["updated_by"] == "ua"
    assert assignees(ticket) == ["ub"]
    assert sorted((e.kind, e.uid) for e in captured) == [("linked", "ub"), ("unlinked", "ua"), ("unlinked", "uc")]
    captured.clear()
    assert ticket_queue.assign_ticket(ticket, "ub", "ua").ok and assignees(ticket) == ["ub"]
    assert captured == []  # nothing changed
    assert ticket_queue.assign_ticket(ticket, None, "ua").ok and assignees(ticket) == []


def test_assign_refuses_unknown_ticket_or_user_and_changes_nothing(clean_db):
    db.write("CREATE (:User {uid: 'ua'})")
    ticket = records.create_record("Ticket", {"subject": "x"}, "ua").record["uid"]
    db.write("MATCH (t:Ticket {uid: $t}), (a:User {uid: 'ua'}) CREATE (a)-[:ASSIGNED]->(t)", t=ticket)
    bad_user = ticket_queue.assign_ticket(ticket, "ghost", "ua")
    assert [(e.code, e.field) for e in bad_user.errors] == [("not_found", "assignee")]
    assert assignees(ticket) == ["ua"]
    bad_ticket = ticket_queue.assign_ticket("nope", "ua", "ua")
    assert [(e.code, e.field) for e in bad_ticket.errors] == [("not_found", "id")]
