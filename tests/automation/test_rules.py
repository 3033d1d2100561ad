"""Rules as data: validation with field-level errors, JSON/YAML, versioned storage."""

from __future__ import annotations

import crn.automation  # noqa: F401 - registers actions
from crn.automation import store
from crn.automation.rules import validate_rule

YAML_RULE = """
id: key-account-upgrade
name: Tell the account team when a company becomes a key account
trigger: {kind: updated, label: Company, fields: [tier]}
conditions:
  all:
    - {name: after.tier, operator: equal_to, value: key}
    - any:
        - {name: record.employees, operator: greater_than, value: 500}
        - {name: record.country, operator: is_in, value: [DE, FR]}
actions:
  - type: create_task
    params: {title: "Plan a QBR with {{record.name}}", assignee: "{{record.owner_email}}", due_in_days: 7}
"""


def test_a_yaml_rule_validates_into_typed_objects():
    rule, errors = validate_rule(YAML_RULE)
    assert errors == []
    assert rule.trigger.fields == ["tier"]
    assert rule.conditions.all[1].any[1].value == ["DE", "FR"]


def test_every_problem_is_reported_with_its_field():
    _, errors = validate_rule({
        "id": "Bad Id", "name": "x",
        "trigger": {"kind": "schedule", "cron": "every day", "scan": "no_order", "params": {"dayz": 3}},
        "actions": [{"type": "send_email", "params": {"to": "a@b"}}],
    })
    assert {(e.code, e.field) for e in errors} == {("string_pattern_mismatch", "id")}
    _, errors = validate_rule({
        "id": "bad", "name": "x",
        "trigger": {"kind": "schedule", "cron": "every day", "scan": "no_order", "params": {"dayz": 3}},
        "conditions": {"any": [{"name": "record.nope", "operator": "equal_to", "value": 1},
                               {"name": "record.tier", "operator": "resembles", "value": 1}]},
        "actions": [{"type": "send_email", "params": {"to": "a@b"}}, {"type": "launch_rocket"}],
    })
    assert {(e.code, e.field) for e in errors} == {
        ("invalid_cron", "trigger.cron"), ("unknown_param", "trigger.params.dayz"),
        ("unknown_variable", "conditions.any.0.name"), ("unknown_operator", "conditions.any.1.operator"),
        ("required", "actions.0.params.subject"), ("unknown_action", "actions.1.type"),
    }


def test_a_condition_group_needs_exactly_one_of_all_or_any():
    _, errors = validate_rule({"id": "g1", "name": "x", "trigger": {"kind": "manual"}, "conditions": {},
                               "actions": [{"type": "set_tier", "params": {"tier": "key"}}]})
    assert [e.field for e in errors] == ["conditions"]
    _, errors = validate_rule({"id": "g1", "name": "x", "trigger": {"kind": "manual"},
                               "actions": [{"type": "set_tier", "params": {"tier": "platinum"}}]})
    assert [(e.code, e.field) for e in errors] == [("type", "actions.0.params.tier")]


def test_rules_are_stored_with_versions(automation):
    from crn.graph import db

    db.write("CREATE (:User {uid: 'u1', name: 'One', email: 'u1@crn.test', role: 'manager'}), "
             "(:User {uid: 'u2', name: 'Two', email: 'u2@crn.test', role: 'admin'})")  # authors must exist
    rule, errors = store.save_rule(YAML_RULE, actor="u1")
    assert errors == [] and rule.version == 1
    again, _ = store.save_rule(YAML_RULE, actor="u1")
    assert again.version == 1  # unchanged definition: no new version
    changed = YAML_RULE.replace("due_in_days: 7", "due_in_days: 3")
    assert store.save_rule(changed, actor="u2")[0].version == 2
    versions = store.rule_versions("key-account-upgrade")
    assert [(v["version"], v["created_by"]) for v in versions] == [(1, "u1"), (2, "u2")]
    assert versions[0]["definition"]["actions"][0]["params"]["due_in_days"] == 7
    assert store.get_rule("key-account-upgrade").actions[0].params["due_in_days"] == 3


def test_invalid_rules_store_nothing(automation):
    rule, errors = store.save_rule({"id": "x1", "name": "x", "trigger": {"kind": "created"}, "actions": []})
    assert rule is None and errors[0].field == "actions"
    assert store.list_rules() == []


def test_inactive_and_deleted_rules_do_not_fire(automation):
    store.save_rule(YAML_RULE)
    assert [r.id for r in store.active_rules(0)] == ["key-account-upgrade"]
    store.set_active("key-account-upgrade", False)
    assert store.active_rules(0) == []
    assert [r.active for r in store.list_rules()] == [False]
    store.set_active("key-account-upgrade", True)
    assert store.delete_rule("key-account-upgrade")
    assert store.list_rules() == [] and store.active_rules(0) == []
    assert len(store.rule_versions("key-account-upgrade")) == 1  # history stays


def test_webhook_urls_cut_to_their_origin_for_non_admins():
    from crn.automation.rules import webhook_origin, without_webhook_secrets

    assert webhook_origin("https://u:p@hooks.example.com:8443/a/b?t=1#f") == "https://hooks.example.com:8443/…"
    assert webhook_origin("https://[2001:db8::1]/x") == "https://[2001:db8::1]/…"
    assert webhook_origin("{{record.url}}") == "…" and webhook_origin("https://[bad/x") == "…"
    definition = {"id": "r", "actions": [{"type": "call_webhook", "params": {"url": "https://h.io/secret"}},
                                         {"type": "send_email", "params": {"to": "https://h.io/secret"}}]}
    shown = without_webhook_secrets(definition)
    assert shown["actions"][0]["params"]["url"] == "https://h.io/…"
    assert shown["actions"][1] == definition["actions"][1]  # other actions as they are
    assert definition["actions"][0]["params"]["url"] == "https://h.io/secret"  # the rule itself unchanged
