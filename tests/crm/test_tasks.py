"""crn.crm.tasks: create by hand, complete, reopen, snooze, assign; events; my open tasks ordering."""

from datetime import datetime, timedelta, timezone

import pytest

from crn.crm import events, records, tasks
from crn.graph import db


@pytest.fixture
def captured():
    seen = []
    events.subscribe("test-capture", lambda tx, evs: seen.extend(evs))
    yield seen
    events.unsubscribe("test-capture")


@pytest.fixture
def users(clean_db):
    db.write("CREATE (:User {uid: 'ua', name: 'Ann'}), (:User {uid: 'ub', name: 'Bo'})")
    return "ua", "ub"


def now() -> datetime:
    return datetime.now(timezone.utc)


def test_create_task_assigns_and_links_the_related_record(users, captured):
    company = records.create_record("Company", {"name": "Acme"}, "ua").record
    result = tasks.create_task({"title": " Call back ", "due_at": now() + timedelta(days=1),
                                "subject_uid": company["uid"]}, "ua")
    assert result.ok and result.record["title"] == "Call back" and result.record["status"] == "open"
    assert result.record["assignee_uid"] == "ua"
    row = db.read_one("MATCH (t:Task {uid: $uid})-[:ABOUT]->(c:Company) MATCH (t)-[:ASSIGNED_TO]->(u:User) "
                      "RETURN c.uid AS c, u.uid AS u", uid=result.record["uid"])
    assert row == {"c": company["uid"], "u": "ua"}
    assert ("created", "Task") in [(e.kind, e.label) for e in captured]


@pytest.mark.parametrize("values,field", [({"title": ""}, "title"), ({"title": "T", "assignee": "nobody"}, "assignee"),
                                          ({"title": "T", "subject_uid": "missing"}, "subject"),
                                          ({"title": "T", "due_at": "tomorrow"}, "due_at")])
def test_create_task_refuses_bad_input_and_leaves_nothing(users, values, field):
    result = tasks.create_task(values, "ua")
    assert not result.ok and result.errors[0].field == field
    assert db.read_one("MATCH (t:Task) RETURN count(t) AS n")["n"] == 0


def test_complete_reopen_publish_updates(users, captured):
    uid = tasks.create_task({"title": "T"}, "ua").record["uid"]
    done = tasks.complete_task(uid, "ua")
    assert done.ok and done.record["status"] == "done" and done.record["completed_at"] is not None
    assert done.record["updated_by"] == "ua"
    reopened = tasks.reopen_task(uid, "ub")
    assert reopened.ok and reopened.record["status"] == "open" and reopened.record.get("completed_at") is None
    updates = [e for e in captured if e.kind == "updated" and e.label == "Task"]
    assert [e.after["status"] for e in updates] == ["done", "open"]
    assert updates[0].before["status"] == "open"
    assert tasks.complete_task("missing", "ua").errors[0].code == "not_found"


def test_snooze_hides_until_it_ends_and_validates(users):
    uid = tasks.create_task({"title": "T"}, "ua").record["uid"]
    assert tasks.snooze_task(uid, now() - timedelta(hours=1), "ua").errors[0].field == "until"
    assert tasks.snooze_task(uid, "soon", "ua").errors[0].code == "invalid_datetime"
    until = now() + timedelta(days=1)
    assert tasks.snooze_task(uid, until.isoformat(), "ua").ok
    assert tasks.my_open_tasks("ua", 0, 10) == (0, [])
    total, rows = tasks.my_open_tasks("ua", 0, 10, now=until + timedelta(seconds=1))
    assert total == 1 and rows[0]["uid"] == uid
    tasks.complete_task(uid, "ua")
    assert tasks.snooze_task(uid, until, "ua").errors[0].code == "not_open"


def test_assign_moves_the_task_to_the_other_users_list(users):
    uid = tasks.create_task({"title": "T"}, "ua").record["uid"]
    assert tasks.assign_task(uid, "nobody", "ua").errors[0].field == "assignee"
    result = tasks.assign_task(uid, "ub", "ua")
    assert result.ok and result.record["assignee_uid"] == "ub"
    assert tasks.my_open_tasks("ua", 0, 10)[0] == 0
    assert [r["uid"] for r in tasks.my_open_tasks("ub", 0, 10)[1]] == [uid]


def test_my_open_tasks_overdue_first_then_by_due_date(users):
    t = now()
    later = tasks.create_task({"title": "later", "due_at": t + timedelta(days=5)}, "ua").record["uid"]
    undated = tasks.create_task({"title": "undated"}, "ua").record["uid"]
    soon = tasks.create_task({"title": "soon", "due_at": t + timedelta(days=1)}, "ua").record["uid"]
    old = tasks.create_task({"title": "old", "due_at": t - timedelta(days=3)}, "ua").record["uid"]
    late = tasks.create_task({"title": "late", "due_at": t - timedelta(hours=1)}, "ua").record["uid"]
    done = tasks.create_task({"title": "done", "due_at": t - timedelta(days=9)}, "ua").record["uid"]
    tasks.complete_task(done, "ua")
    tasks.create_task({"title": "other's", "due_at": t - timedelta(days=9)}, "ub")
    total, rows = tasks.my_open_tasks("ua", 0, 10)
    assert total == 5 and [r["uid"] for r in rows] == [old, late, soon, later, undated]
    assert [r["overdue"] for r in rows] == [True, True, False, False, False]
    assert [r["uid"] for r in tasks.my_open_tasks("ua", 2, 2)[1]] == [soon, later]
