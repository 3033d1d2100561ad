"""Every built-in template end to end: create the data, move the clock, see the email/task/webhook, and
see that running again sends nothing twice. Customers of the marketing templates gave e-mail consent
(consent_email: without it a marketing rule mails nobody, tests/automation/test_consent.py)."""

from __future__ import annotations

from datetime import timedelta

from crn.automation import outbox, store, tasks
from crn.automation.templates import template_rule
from crn.automation.worker import Worker
from crn.crm.events import Event
from crn.graph import db
from tests.automation.conftest import publish


def _install(name: str, overrides: dict | None = None) -> None:
    rule, errors = store.save_rule(template_rule(name, overrides))
    assert errors == [] and rule is not None


def _run_twice(clock) -> Worker:
    worker = Worker(clock=clock)
    worker.run_once()
    worker.run_once()
    return worker


def test_follow_up_reminder_creates_one_task_for_the_owner(automation):
    now = automation.now()
    db.write("""
        CREATE (u:User {uid: 'u1', name: 'Sam', email: 'sam@crn.test'})-[:OWNS]->
               (d:Deal {uid: 'd1', name: 'Acme renewal', status: 'open', stage: 'proposal', created_at: $t0})
        CREATE (:Interaction {uid: 'i1', kind: 'call', at: $t0})-[:ABOUT]->(d)
        CREATE (:Deal {uid: 'd2', name: 'Fresh', status: 'open', created_at: $t0 + duration({days: 10})})
    """, t0=now)
    _install("follow_up_reminder")
    automation.advance(days=13)
    _run_twice(automation)
    assert tasks.tasks_for_user("sam@crn.test") == []
    automation.advance(days=2)
    _run_twice(automation)
    automation.advance(minutes=10)
    _run_twice(automation)
    found = tasks.tasks_for_user("sam@crn.test")
    assert [t["title"] for t in found] == ["Follow up on Acme renewal"]
    assert found[0]["subject_uid"] == "d1"


def test_lead_assignment_round_robin_and_notice_email(automation, smtp_server):
    db.write("""
        CREATE (:User {uid: 'ua', name: 'Ann', email: 'ann@crn.test', active: true})
        CREATE (:User {uid: 'ub', name: 'Bob', email: 'bob@crn.test', active: true})
    """)
    _install("lead_assignment")
    _install("lead_assigned_notice")
    for uid in ("p1", "p2"):
        publish("CREATE (:Person {uid: $uid, name: $uid, lifecycle: 'lead'})", {"uid": uid},
                [Event("created", "Person", uid, after={"lifecycle": "lead"})])
    publish("CREATE (:Person {uid: 'p3', name: 'p3', lifecycle: 'customer'})", {},
            [Event("created", "Person", "p3", after={"lifecycle": "customer"})])
    _run_twice(automation)
    owners = {r["p"]: r["u"] for r in db.read("MATCH (u:User)-[:OWNS]->(p:Person) RETURN p.uid AS p, u.uid AS u")}
    assert set(owners) == {"p1", "p2"} and set(owners.values()) == {"ua", "ub"}
    assert len(smtp_server.to("ann@crn.test")) == 1 and len(smtp_server.to("bob@crn.test")) == 1
    _run_twice(automation)
    assert len(smtp_server.messages) == 2


def test_sla_escalation_emails_the_assignee_once(automation, smtp_server):
    db.write("""
        CREATE (u:User {uid: 'u1', name: 'Sue', email: 'sue@crn.test'})-[:ASSIGNED]->
               (t:Ticket {uid: 't1', subject: 'Printer on fire', status: 'open', priority: 'high',
                          sla_due_at: $due})-[:FOR]->(:Company {uid: 'c1', name: 'Acme'})
        CREATE (:Ticket {uid: 't2', subject: 'Solved', status: 'resolved', sla_due_at: $due})
    """, due=automation.now() + timedelta(hours=10))
    _install("sla_escalation")
    _run_twice(automation)
    assert smtp_server.messages == []
    automation.advance(hours=7)
    _run_twice(automation)
    automation.advance(hours=1)
    _run_twice(automation)
    [mail] = smtp_server.to("sue@crn.test")
    assert mail["Subject"] == "SLA due soon: Printer on fire"
    assert "Acme" in mail.get_content()


def test_sla_breached_alert(automation, smtp_server):
    db.write("""CREATE (:User {uid: 'u1', name: 'Sue', email: 'sue@crn.test'})-[:ASSIGNED]->
                       (:Ticket {uid: 't1', subject: 'Late', status: 'open', sla_due_at: $due})""",
             due=automation.now() + timedelta(hours=1))
    _install("sla_breached")
    _run_twice(automation)
    automation.advance(hours=2)
    _run_twice(automation)
    assert [m["Subject"] for m in smtp_server.to("sue@crn.test")] == ["SLA breached: Late"]


def test_win_back_after_90_days_without_an_order(automation, smtp_server):
    t0 = automation.now()
    db.write("""
        CREATE (p:Person {uid: 'p1', name: 'Ada', email: 'ada@example.com', consent_email: true})
        CREATE (:Order {uid: 'o1', number: 'A-1', placed_at: $t0 - duration({days: 30})})-[:PLACED_BY]->(p)
        CREATE (:Order {uid: 'o2', number: 'A-2', placed_at: $t0})-[:PLACED_BY]->(p)
        CREATE (q:Person {uid: 'p2', name: 'Bea', email: 'bea@example.com', consent_email: true})
        CREATE (:Order {uid: 'o3', number: 'B-1', placed_at: $t0 + duration({days: 60})})-[:PLACED_BY]->(q)
    """, t0=t0)
    _install("win_back")
    automation.advance(days=89)
    _run_twice(automation)
    assert smtp_server.messages == []
    automation.advance(days=2)
    _run_twice(automation)
    automation.advance(days=1)
    _run_twice(automation)
    [mail] = smtp_server.messages
    assert mail["To"] == "ada@example.com" and mail["Subject"] == "We miss you, Ada"
    assert "91 days" in mail.get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # marketing: one-click unsubscribe


def test_cross_sell_recommends_b_fifteen_days_after_a(automation, smtp_server):
    t0 = automation.now()
    db.write("""
        CREATE (a:Product {uid: 'pa', name: 'Espresso machine', sku: 'SKU-A'})
        CREATE (b:Product {uid: 'pb', name: 'Coffee beans', sku: 'SKU-B'})
        CREATE (p:Person {uid: 'p1', name: 'Ada', email: 'ada@example.com', consent_email: true})
        CREATE (o:Order {uid: 'o1', number: 'A-1', placed_at: $t0})-[:PLACED_BY]->(p)
        CREATE (o)-[:CONTAINS]->(a)
        CREATE (q:Person {uid: 'p2', name: 'Bea', email: 'bea@example.com', consent_email: true})
        CREATE (o2:Order {uid: 'o2', number: 'B-1', placed_at: $t0})-[:PLACED_BY]->(q)
        CREATE (o2)-[:CONTAINS]->(a), (o2)-[:CONTAINS]->(b)
    """, t0=t0)
    _install("cross_sell")
    automation.advance(days=14)
    _run_twice(automation)
    assert smtp_server.messages == []
    automation.advance(days=2)
    _run_twice(automation)
    automation.advance(days=1)
    _run_twice(automation)
    [mail] = smtp_server.messages
    assert mail["To"] == "ada@example.com" and mail["Subject"] == "You may like Coffee beans"


def test_registered_three_days_ago_and_no_order_gets_a_coupon(automation, smtp_server):
    t0 = automation.now()
    db.write("""
        CREATE (:Person {uid: 'p1', name: 'Ada', email: 'ada@example.com', consent_email: true, created_at: $t0})
        CREATE (p:Person {uid: 'p2', name: 'Bea', email: 'bea@example.com', consent_email: true, created_at: $t0})
        CREATE (:Order {uid: 'o1', number: 'B-1', placed_at: $t0})-[:PLACED_BY]->(p)
    """, t0=t0)
    _install("registered_no_order_coupon")
    automation.advance(days=2)
    _run_twice(automation)
    assert smtp_server.messages == []
    automation.advance(days=2)
    _run_twice(automation)
    automation.advance(days=1)
    _run_twice(automation)
    assert [m["To"] for m in smtp_server.messages] == ["ada@example.com"]


def test_champion_left_alerts_the_deal_owner_once(automation, smtp_server):
    db.write("""
        CREATE (co:Company {uid: 'c1', name: 'Acme'})
        CREATE (p:Person {uid: 'p1', name: 'Carla Champion'})-[:WORKS_AT {since: date('2020-01-01')}]->(co)
        CREATE (d:Deal {uid: 'd1', name: 'Acme platform', status: 'open'})-[:FOR]->(co)
        CREATE (p)-[:ON_COMMITTEE {role: 'champion'}]->(d)
        CREATE (:User {uid: 'u1', name: 'Olly', email: 'olly@crn.test'})-[:OWNS]->(d)
        CREATE (x:Person {uid: 'p2', name: 'Ivan Influencer'})-[:WORKS_AT]->(co)
        CREATE (x)-[:ON_COMMITTEE {role: 'influencer'}]->(d)
    """)
    _install("champion_left")
    ended = "MATCH (:Person {uid: $p})-[w:WORKS_AT]->(:Company {uid: 'c1'}) SET w.until = date($until)"
    publish(ended, {"p": "p2", "until": "2026-03-01"}, [Event("unlinked", "WORKS_AT", "p2", other_uid="c1")])
    publish(ended, {"p": "p1", "until": "2026-03-01"}, [Event("unlinked", "WORKS_AT", "p1", other_uid="c1")])
    automation.advance(minutes=1)
    publish(ended, {"p": "p1", "until": "2026-03-02"}, [Event("unlinked", "WORKS_AT", "p1", other_uid="c1")])
    _run_twice(automation)
    [task] = tasks.tasks_for_user("olly@crn.test")
    assert task["title"] == "Champion Carla Champion left Acme" and task["subject_uid"] == "d1"
    assert [m["Subject"] for m in smtp_server.to("olly@crn.test")] == ["Champion left: Acme platform"]


def test_relationship_decay_alerts_when_strength_to_a_decision_maker_falls(automation):
    t0 = automation.now()
    db.write("""
        CREATE (u:User {uid: 'u1', name: 'Kim', email: 'kim@crn.test'})
        CREATE (p:Person {uid: 'p1', name: 'Dana Decider'})
        CREATE (u)-[:KNOWS {strength: 0.5, strength_at: $t0}]->(p)
        CREATE (p)-[:ON_COMMITTEE {role: 'decision_maker'}]->(:Deal {uid: 'd1', name: 'Big deal', status: 'open'})
        CREATE (q:Person {uid: 'p2', name: 'Uma User'})
        CREATE (u)-[:KNOWS {strength: 0.1, strength_at: $t0}]->(q)
        CREATE (q)-[:ON_COMMITTEE {role: 'user'}]->(:Deal {uid: 'd2', name: 'Other', status: 'open'})
    """, t0=t0)
    _install("relationship_decay")
    automation.advance(days=30)
    _run_twice(automation)
    assert tasks.tasks_for_user("kim@crn.test") == []
    automation.advance(days=60)  # 90 days = one half-life: 0.5 -> 0.25 < 0.3
    _run_twice(automation)
    automation.advance(days=10)
    _run_twice(automation)
    [task] = tasks.tasks_for_user("kim@crn.test")
    assert task["title"] == "Reconnect with Dana Decider (decision_maker, Big deal)"


def test_subsidiary_of_a_customer_group_opening_a_deal_tells_the_group_account_manager(automation, smtp_server):
    db.write("""
        CREATE (g:Company {uid: 'g', name: 'Globex Group', lifecycle: 'customer'})
        CREATE (:User {uid: 'am', name: 'Alex', email: 'alex@crn.test'})-[:ACCOUNT_TEAM]->(g)
        CREATE (m:Company {uid: 'm', name: 'Globex Holding', lifecycle: 'prospect'})-[:SUBSIDIARY_OF]->(g)
        CREATE (:Company {uid: 's', name: 'Globex Italia', lifecycle: 'prospect'})-[:SUBSIDIARY_OF]->(m)
        CREATE (:Company {uid: 'x', name: 'Lone Ltd', lifecycle: 'prospect'})
    """)
    _install("subsidiary_deal_opened")
    new_deal = """MATCH (c:Company {uid: $c})
                  CREATE (:Deal {uid: $d, name: $name, status: 'open'})-[:FOR]->(c)"""
    publish(new_deal, {"c": "s", "d": "d1", "name": "Italia CRM"},
            [Event("created", "Deal", "d1"), Event("linked", "FOR", "d1", other_uid="s")])
    publish(new_deal, {"c": "x", "d": "d2", "name": "Lone deal"}, [Event("created", "Deal", "d2")])
    _run_twice(automation)
    [mail] = smtp_server.messages
    assert mail["To"] == "alex@crn.test"
    assert mail["Subject"] == "Globex Italia (Globex Group group) opened a deal"
    assert {i["status"] for i in outbox.outbox_items()} == {"done"}
