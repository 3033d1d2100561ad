"""The pure engine: trigger matching, nested conditions, templates (no database)."""

from __future__ import annotations

from datetime import datetime, timezone

import crn.automation  # noqa: F401 - registers actions
from crn.automation import engine
from crn.automation.rules import Group, parse_rule
from crn.crm.events import Event


def _rule(trigger, conditions=None):
    data = {"id": "r1", "name": "r", "trigger": trigger,
            "actions": [{"type": "send_email", "params": {"to": "a@x", "subject": "s"}}]}
    if conditions:
        data["conditions"] = conditions
    return parse_rule(data)


def test_updated_trigger_needs_one_of_its_fields_changed():
    rule = _rule({"kind": "updated", "label": "Company", "fields": ["tier"]})
    assert engine.trigger_matches(rule.trigger, Event("updated", "Company", "u1", changed=("tier",)))
    assert not engine.trigger_matches(rule.trigger, Event("updated", "Company", "u1", changed=("name",)))
    assert not engine.trigger_matches(rule.trigger, Event("updated", "Person", "u1", changed=("tier",)))
    assert not engine.trigger_matches(rule.trigger, Event("created", "Company", "u1"))


def test_stage_changed_trigger_filters_on_target_stage():
    rule = _rule({"kind": "stage_changed", "to_stage": "proposal"})
    assert engine.trigger_matches(rule.trigger, Event("stage_changed", "Deal", "d", after={"stage": "proposal"}))
    assert not engine.trigger_matches(rule.trigger, Event("stage_changed", "Deal", "d", after={"stage": "closed_won"}))
    # the "updated" event published with a stage change does not fire the rule a second time
    assert not engine.trigger_matches(rule.trigger, Event("updated", "Deal", "d", changed=("stage",),
                                                          after={"stage": "proposal"}))


def test_nested_all_any_conditions():
    cond = {"all": [{"name": "record.tier", "operator": "is_in", "value": ["key", "strategic"]},
                    {"any": [{"name": "record.employees", "operator": "greater_than", "value": 1000},
                             {"name": "record.country", "operator": "equal_to", "value": "DE"}]}]}
    group = Group.model_validate(cond)
    assert engine.evaluate(group, {"record": {"tier": "key", "employees": 50, "country": "DE"}})
    assert engine.evaluate(group, {"record": {"tier": "strategic", "employees": 5000, "country": "FR"}})
    assert not engine.evaluate(group, {"record": {"tier": "key", "employees": 50, "country": "FR"}})
    assert not engine.evaluate(group, {"record": {"tier": "standard", "employees": 5000, "country": "DE"}})


def test_date_operators_use_the_context_clock():
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    group = Group.model_validate({"all": [{"name": "record.created_at", "operator": "older_than_days", "value": 3}]})
    assert engine.evaluate(group, {"now": now.isoformat(), "record": {"created_at": "2026-02-20T00:00:00+00:00"}})
    assert not engine.evaluate(group, {"now": now.isoformat(), "record": {"created_at": "2026-02-28T00:00:00Z"}})


def test_render_fills_placeholders_and_never_evaluates_code():
    ctx = {"row": {"name": "Ada", "email": "ada@example.com"}}
    assert engine.render("Hi {{ row.name }} <{{row.email}}>{{row.missing}}", ctx) == "Hi Ada <ada@example.com>"
    assert engine.render("{row.__class__} {{row.__class__}}", ctx) == "{row.__class__} "


def test_event_keys_are_stable_and_distinct():
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    a = Event("updated", "Company", "u1", changed=("tier",), at=at)
    assert engine.event_key(a) == engine.event_key(Event("updated", "Company", "u1", changed=("tier",), at=at))
    assert engine.event_key(a) != engine.event_key(Event("updated", "Company", "u2", changed=("tier",), at=at))
