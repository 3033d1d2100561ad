"""Dry runs (what would fire, acting on nothing) and manual runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crn.automation import outbox, runs, store
from crn.automation.rules import parse_rule
from crn.automation.templates import template_rule
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.graph import db


def test_dry_run_of_a_scan_rule_lists_what_would_fire_and_writes_nothing(automation, smtp_server):
    t0 = automation.now()
    db.write("""
        CREATE (p:Person {uid: 'p1', name: 'Ada', email: 'ada@example.com'})
        CREATE (:Order {uid: 'o1', number: 'A-1', placed_at: $old})-[:PLACED_BY]->(p)
        CREATE (q:Person {uid: 'p2', name: 'Bea'})
        CREATE (:Order {uid: 'o2', number: 'B-1', placed_at: $old})-[:PLACED_BY]->(q)
    """, old=t0 - timedelta(days=92))
    rule = parse_rule(template_rule("win_back"))
    result = runs.dry_run(rule, get_settings())
    assert [(f["action"], f["subject_uid"], f["already_done"]) for f in result["fired"]] == [
        ("send_email", "p1", False)]  # Bea has no email: the condition filters her out
    assert outbox.outbox_items() == [] and smtp_server.messages == []
    store.save_rule(template_rule("win_back"))
    Worker(clock=automation).run_once()
    assert [f["already_done"] for f in runs.dry_run(store.get_rule("win-back"), get_settings())["fired"]] == [True]


def test_dry_run_of_an_event_rule_replays_recent_records(automation):
    db.write("""
        CREATE (:Company {uid: 'new-big', name: 'Big', employees: 5000, created_at: $now, updated_at: $now})
        CREATE (:Company {uid: 'new-small', name: 'Small', employees: 5, created_at: $now, updated_at: $now})
        CREATE (:Company {uid: 'old-big', name: 'Old', employees: 5000, created_at: $old, updated_at: $old})
    """, now=automation.now() - timedelta(days=1), old=automation.now() - timedelta(days=30))
    rule = parse_rule({"id": "big", "name": "big", "trigger": {"kind": "created", "label": "Company"},
                       "conditions": {"all": [{"name": "record.employees", "operator": "greater_than", "value": 100}]},
                       "actions": [{"type": "set_tier", "params": {"tier": "key"}}]})
    result = runs.dry_run(rule, get_settings(), since_days=7)
    assert [f["subject_uid"] for f in result["fired"]] == ["new-big"]
    assert db.read("MATCH (c:Company {tier: 'key'}) RETURN c") == []
    linked = parse_rule({"id": "lk", "name": "l", "trigger": {"kind": "linked", "label": "KNOWS"},
                         "actions": [{"type": "set_tier", "params": {"tier": "key"}}]})
    assert "cannot rebuild" in runs.dry_run(linked, get_settings())["note"]


def test_manual_run_enqueues_for_the_given_records(automation):
    db.write("CREATE (:Company {uid: 'c1', name: 'Acme'})")
    rule, _ = store.save_rule({"id": "vip", "name": "Make VIP", "trigger": {"kind": "manual"},
                               "actions": [{"type": "set_tier", "params": {"tier": "strategic"}}]})
    assert runs.run_now(rule, get_settings(), uids=["c1"], actor="u1") == 1
    with pytest.raises(ValueError, match="no record with uid nope"):
        runs.run_now(rule, get_settings(), uids=["nope"])
    Worker(clock=automation).run_once()
    assert db.read_one("MATCH (c:Company {uid: 'c1'}) RETURN c.tier AS t")["t"] == "strategic"
