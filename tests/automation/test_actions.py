"""Actions delivered by the worker: SMS, field and tier updates, owners, segments, tasks; chained events."""

from __future__ import annotations

from crn.automation import outbox, store, tasks
from crn.automation.sms import FileSmsProvider
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.crm.events import Event
from crn.graph import db
from tests.automation.conftest import publish


def _rule(rule_id: str, trigger: dict, actions: list[dict], conditions: dict | None = None) -> None:
    data = {"id": rule_id, "name": rule_id, "trigger": trigger, "actions": actions}
    if conditions:
        data["conditions"] = conditions
    _, errors = store.save_rule(data)
    assert errors == []


def _new_company(uid: str, **props) -> None:
    publish("CREATE (c:Company {uid: $uid}) SET c += $props", {"uid": uid, "props": {"name": uid, **props}},
            [Event("created", "Company", uid, after={"name": uid, **props})])


def test_sms_goes_through_the_file_provider_once(automation):
    _rule("welcome-sms", {"kind": "created", "label": "Person"},
          [{"type": "send_sms", "params": {"to": "{{record.phones.0}}", "text": "Welcome {{record.name}}"}}])
    publish("CREATE (:Person {uid: 'p1', name: 'Ada', phones: ['+4915112345', '+4930000'], consent_sms: true})", {},
            [Event("created", "Person", "p1")])
    publish("CREATE (:Person {uid: 'p2', name: 'Bea'})", {}, [Event("created", "Person", "p2")])
    worker = Worker(clock=automation)
    assert worker.run_once()["success"] == 1
    worker.run_once()
    sent = FileSmsProvider(get_settings().sms_file).sent()
    assert [(m["to"], m["text"]) for m in sent] == [("+4915112345", "Welcome Ada")]
    dead = [r for r in outbox.rule_runs("welcome-sms") if r["outcome"] == "dead"]
    assert [r["subject_uid"] for r in dead] == ["p2"] and dead[0]["error"].startswith("no phone number")


def test_update_and_tier_actions_change_data_and_publish_events_that_chain(automation):
    _rule("big-is-key", {"kind": "created", "label": "Company"},
          [{"type": "set_tier", "params": {"tier": "key"}}],
          {"all": [{"name": "record.employees", "operator": "greater_than_or_equal_to", "value": 1000}]})
    _rule("key-segment", {"kind": "updated", "label": "Company", "fields": ["tier"]},
          [{"type": "add_to_segment", "params": {"segment": "Key accounts {{record.country}}"}},
           {"type": "update_field", "params": {"field": "lifecycle", "value": "customer"}}],
          {"all": [{"name": "after.tier", "operator": "equal_to", "value": "key"}]})
    _new_company("big", employees=5000, country="DE")
    _new_company("small", employees=10, country="DE")
    worker = Worker(clock=automation)
    worker.run_once()
    worker.run_once()
    rows = db.read("""MATCH (c:Company) OPTIONAL MATCH (c)-[:IN_SEGMENT]->(s:Segment)
                      RETURN c.uid AS uid, c.tier AS tier, c.lifecycle AS lifecycle, s.name AS segment,
                             c.updated_by AS by ORDER BY uid""")
    assert rows == [
        {"uid": "big", "tier": "key", "lifecycle": "customer", "segment": "Key accounts DE",
         "by": "automation:key-segment"},
        {"uid": "small", "tier": None, "lifecycle": None, "segment": None, "by": None},
    ]


def test_invalid_field_updates_are_dead_lettered_with_the_reason(automation):
    # a protected field is refused when the rule is saved (tests/security/test_automation_authority.py) ...
    _, errors = store.save_rule({"id": "hijack", "name": "x", "trigger": {"kind": "created", "label": "Company"},
                                 "actions": [{"type": "update_field", "params": {"field": "uid", "value": "x"}}]})
    assert [e.code for e in errors] == ["forbidden_field"]
    # ... and bad values of allowed fields when the action runs
    _rule("bad-update", {"kind": "created", "label": "Company"},
          [{"type": "update_field", "params": {"field": "lifecycle", "value": "zombie"}},
           {"type": "update_field", "params": {"field": "employees", "value": "many"}}])
    _new_company("c1")
    Worker(clock=automation).run_once()
    errors = sorted(r["error"] for r in outbox.rule_runs("bad-update"))
    assert [e.split(":")[0] for e in errors] == ["invalid_choice", "invalid_value"]
    assert "lifecycle" in errors[0] and "employees" in errors[1]
    assert db.read_one("MATCH (c:Company {uid: 'c1'}) RETURN c.uid AS uid")["uid"] == "c1"


def test_owner_assignment_by_territory_and_by_load(automation):
    db.write("""
        CREATE (:User {uid: 'de', name: 'Dora', email: 'dora@crn.test', territory: 'DE'})
        CREATE (fr:User {uid: 'fr', name: 'Fred', email: 'fred@crn.test', territory: 'FR'})
        CREATE (busy:User {uid: 'busy', name: 'Busy', email: 'busy@crn.test', territory: 'IT'})
        CREATE (busy)-[:OWNS]->(:Deal {uid: 'x1', name: 'x', status: 'open'})
        CREATE (busy)-[:OWNS]->(:Deal {uid: 'x2', name: 'y', status: 'open'})
        CREATE (fr)-[:OWNS]->(:Deal {uid: 'x3', name: 'z', status: 'open'})
    """)
    _rule("by-territory", {"kind": "created", "label": "Company"},
          [{"type": "assign_owner", "params": {"strategy": "territory"}}])
    _rule("by-load", {"kind": "created", "label": "Deal"},
          [{"type": "assign_owner", "params": {"strategy": "load"}}])
    _new_company("acme-fr", country="FR")
    _new_company("acme-de", country="DE")
    publish("CREATE (:Deal {uid: 'd1', name: 'new', status: 'open'})", {}, [Event("created", "Deal", "d1")])
    Worker(clock=automation).run_once()
    owners = {r["n"]: r["u"] for r in db.read(
        "MATCH (u:User)-[:OWNS|ACCOUNT_TEAM]->(n) WHERE n.uid IN ['acme-fr', 'acme-de', 'd1'] "
        "RETURN n.uid AS n, u.uid AS u")}
    assert owners == {"acme-fr": "fr", "acme-de": "de", "d1": "de"}


def test_a_task_is_created_once_even_if_the_action_runs_twice(automation):
    import json
    from datetime import timedelta

    from crn.automation.actions import Services, create_task

    db.write("CREATE (:User {uid: 'u1', name: 'Sam', email: 'sam@crn.test'})")
    _rule("task", {"kind": "created", "label": "Company"},
          [{"type": "create_task", "params": {"title": "Call {{record.name}}", "assignee": "sam@crn.test",
                                              "due_in_days": 2}}])
    _new_company("Acme")
    worker = Worker(clock=automation)
    [item] = worker.claim()
    assert worker.deliver(item).outcome == "success"
    # a redelivery of the same item (e.g. after a crash before it was marked done) finds the same task
    create_task(json.loads(item["params"]), json.loads(item["context"]), item["key"],
                Services(settings=get_settings(), clock=automation))
    [task] = tasks.tasks_for_user("u1")
    assert task["title"] == "Call Acme" and task["status"] == "open" and task["subject_uid"] == "Acme"
    assert task["due_at"].to_native() == automation.now() + timedelta(days=2)


def test_a_rule_does_not_react_to_its_own_changes(automation):
    _rule("touchy", {"kind": "updated", "label": "Company"},
          [{"type": "update_field", "params": {"field": "industry", "value": "touched {{record.industry}}"}}])
    publish("CREATE (:Company {uid: 'c1', name: 'c1', industry: 'x'})", {},
            [Event("updated", "Company", "c1", changed=("name",))])
    worker = Worker(clock=automation)
    for _ in range(3):
        worker.run_once()
    assert db.read_one("MATCH (c:Company) RETURN c.industry AS i")["i"] == "touched x"
