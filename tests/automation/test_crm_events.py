"""Automation driven by the shared validated operations (crn.crm.records / links), as the API drives it."""

from __future__ import annotations

from crn.automation import outbox, store, tasks
from crn.automation.templates import template_rule
from crn.automation.worker import Worker
from crn.crm import links, records
from crn.graph import db


def _create(label: str, **values) -> str:
    result = records.create_record(label, values, actor="tester")
    assert result.ok, result.errors
    return result.record["uid"]


def test_a_stage_change_fires_a_stage_rule_once(automation, webhook_server):
    recorder, url = webhook_server
    store.save_rule({"id": "to-proposal", "name": "Deal reached proposal",
                     "trigger": {"kind": "stage_changed", "to_stage": "proposal"},
                     "conditions": {"all": [{"name": "record.amount", "operator": "greater_than", "value": 1000}]},
                     "actions": [{"type": "call_webhook", "params": {"url": url}}]})
    big = _create("Deal", name="Big", amount=50000.0)
    small = _create("Deal", name="Small", amount=10.0)
    for uid in (big, small):
        assert records.update_record("Deal", uid, {"stage": "proposal"}, actor="tester").ok
    assert records.update_record("Deal", big, {"amount": 60000.0}, actor="tester").ok
    worker = Worker(clock=automation)
    worker.run_once()
    worker.run_once()
    assert [r["json"]["record"]["uid"] for r in recorder.requests] == [big]
    assert recorder.requests[0]["json"]["event"]["after"] == {"stage": "proposal"}


def test_new_leads_created_through_crm_are_assigned_round_robin(automation):
    for uid, email in (("ua", "ann@crn.test"), ("ub", "bob@crn.test")):
        db.write("CREATE (:User {uid: $uid, name: $uid, email: $email, active: true})", uid=uid, email=email)
    store.save_rule(template_rule("lead_assignment"))
    leads = [_create("Person", name=f"Lead {i}") for i in range(4)]  # lifecycle defaults to lead
    Worker(clock=automation, concurrency=1).run_once()
    owners = db.read("MATCH (u:User)-[:OWNS]->(p:Person) RETURN u.uid AS u, count(p) AS n ORDER BY u")
    assert owners == [{"u": "ua", "n": 2}, {"u": "ub", "n": 2}]
    assert {r["outcome"] for r in outbox.rule_runs("lead-assignment")} == {"success"} and len(leads) == 4


def test_closing_a_champions_employment_through_crm_alerts_the_owner(automation):
    company = _create("Company", name="Acme")
    champion = _create("Person", name="Carla")
    deal = _create("Deal", name="Acme platform")
    db.write("CREATE (:User {uid: 'u1', name: 'Olly', email: 'olly@crn.test'})")
    for kind, a, b, props in (("employment", champion, company, {"since": "2020-01-01"}),
                              ("deal_company", deal, company, {}), ("committee", champion, deal, {"role": "champion"}),
                              ("deal_owner", "u1", deal, {})):
        assert links.link(kind, a, b, props, actor="tester").ok
    store.save_rule(template_rule("champion_left"))
    assert links.link("employment", champion, company, {"until": "2026-01-31"}, actor="tester").ok
    Worker(clock=automation).run_once()
    [task] = tasks.tasks_for_user("olly@crn.test")
    assert task["title"] == "Champion Carla left Acme"


def test_a_deleted_record_fires_with_its_last_values(automation, webhook_server):
    recorder, url = webhook_server
    store.save_rule({"id": "gone", "name": "Tell the ERP a customer record was deleted",
                     "trigger": {"kind": "deleted", "label": "Company"},
                     "conditions": {"all": [{"name": "record.tier", "operator": "equal_to", "value": "key"}]},
                     "actions": [{"type": "call_webhook", "params": {"url": url}}]})
    key = _create("Company", name="Key Co", tier="key")
    other = _create("Company", name="Other Co", tier="standard")
    for uid in (key, other):
        assert records.delete_record("Company", uid, actor="tester").ok
    Worker(clock=automation).run_once()
    assert [(r["json"]["event"]["kind"], r["json"]["record"]["name"]) for r in recorder.requests] == [
        ("deleted", "Key Co")]


def test_a_rule_on_a_custom_field_fires_and_its_template_renders_the_value(automation):
    """Custom fields in conditions and templates: a task made only for SMB deals, titled with the segment."""
    from crn.crm import fields

    db.write("CREATE (:User {uid: 'ua', name: 'Ann', email: 'ann@crn.test', active: true, role: 'admin'})")
    fields.define("Deal", "segment", "choice", {"caption_en": "Segment", "options": [{"value": "SMB"},
                                                                                     {"value": "Enterprise"}]}, "ua")
    store.save_rule({"id": "smb-deal", "name": "SMB deal follow-up", "trigger": {"kind": "created", "label": "Deal"},
                     "conditions": {"all": [{"name": "record.cf_segment", "operator": "equal_to", "value": "SMB"}]},
                     "actions": [{"type": "create_task", "params": {
                         "title": "Qualify {{record.name}} ({{record.cf_segment}})", "assignee": "ann@crn.test"}}]})
    _create("Deal", name="Corner shop", segment="SMB")
    _create("Deal", name="Megacorp", segment="Enterprise")
    Worker(clock=automation).run_once()
    titles = [r["title"] for r in db.read("MATCH (t:Task) RETURN t.title AS title")]
    assert titles == ["Qualify Corner shop (SMB)"]
