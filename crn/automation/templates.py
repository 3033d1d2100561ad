"""Built-in rule templates: ready-made rules for the journeys the documents describe, and graph alerts."""

from __future__ import annotations

import copy
from typing import Any

TEMPLATES: dict[str, dict[str, Any]] = {
    "follow_up_reminder": {
        "id": "follow-up-reminder", "name": "Follow-up reminder: open deal quiet for 14 days",
        "trigger": {"kind": "schedule", "scan": "deal_follow_up", "params": {"days": 14}},
        "conditions": {"all": [{"name": "row.owner_email", "operator": "is_set"}]},
        "actions": [{"type": "create_task", "params": {
            "title": "Follow up on {{row.deal_name}}", "assignee": "{{row.owner_email}}", "due_in_days": 1,
            "body": "No interaction since {{row.quiet_since}} (stage {{row.stage}})."}}],
    },
    "lead_assignment": {
        "id": "lead-assignment", "name": "Assign new leads round robin",
        "trigger": {"kind": "created", "label": "Person"},
        "conditions": {"all": [{"name": "record.lifecycle", "operator": "equal_to", "value": "lead"}]},
        "actions": [{"type": "assign_owner", "params": {"strategy": "round_robin"}}],
    },
    "lead_assigned_notice": {
        "id": "lead-assigned-notice", "name": "Tell a user about a lead assigned to them",
        "trigger": {"kind": "linked", "label": "OWNS"},
        "actions": [{"type": "send_email", "params": {
            "to": "{{record.email}}", "subject": "New lead assigned to you",
            "body": "A new lead ({{event.other_uid}}) is yours."}}],
    },
    "sla_escalation": {
        "id": "sla-escalation", "name": "Escalate tickets whose SLA is due within 4 hours",
        "trigger": {"kind": "schedule", "scan": "sla_due", "params": {"hours": 4}},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.owner_email}}", "subject": "SLA due soon: {{row.subject}}",
            "body": "Ticket '{{row.subject}}' ({{row.company_name}}, {{row.priority}}) is due at {{row.sla_due_at}}."}}],
    },
    "sla_breached": {
        "id": "sla-breached", "name": "Alert when a ticket's SLA is breached",
        "trigger": {"kind": "schedule", "scan": "sla_breached"},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.owner_email}}", "subject": "SLA breached: {{row.subject}}",
            "body": "Ticket '{{row.subject}}' was due at {{row.sla_due_at}}."}}],
    },
    "win_back": {
        "id": "win-back", "name": "Win-back email after 90 days without an order",
        "trigger": {"kind": "schedule", "scan": "no_order", "params": {"days": 90}},
        "conditions": {"all": [{"name": "row.email", "operator": "is_set"}]},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.email}}", "subject": "We miss you, {{row.name}}",
            "body": "It has been {{row.days_since_order}} days since your last order. Here is 10% off."}}],
    },
    "cross_sell": {
        "id": "cross-sell", "name": "Recommend product B 15 days after buying product A",
        "trigger": {"kind": "schedule", "scan": "cross_sell",
                    "params": {"product_a": "SKU-A", "product_b": "SKU-B", "days": 15}},
        "conditions": {"all": [{"name": "row.email", "operator": "is_set"}]},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.email}}", "subject": "You may like {{row.recommend_name}}",
            "body": "Customers who bought {{row.bought_name}} also use {{row.recommend_name}}."}}],
    },
    "registered_no_order_coupon": {
        "id": "registered-no-order-coupon", "name": "Coupon 3 days after registering without an order",
        "trigger": {"kind": "schedule", "scan": "registered_no_order", "params": {"days": 3}},
        "conditions": {"all": [{"name": "row.email", "operator": "is_set"}]},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.email}}", "subject": "A welcome coupon for you, {{row.name}}",
            "body": "Use WELCOME10 on your first order."}}],
    },
    "champion_left": {
        "id": "champion-left", "name": "Alert the deal owner when a champion leaves the company",
        "trigger": {"kind": "unlinked", "graph": "champion_left"},
        "actions": [
            {"type": "create_task", "params": {
                "title": "Champion {{row.person_name}} left {{row.company_name}}", "assignee": "{{row.owner_email}}",
                "body": "Find a new champion for {{row.deal_name}}.", "due_in_days": 2}},
            {"type": "send_email", "params": {
                "to": "{{row.owner_email}}", "subject": "Champion left: {{row.deal_name}}",
                "body": "{{row.person_name}} no longer works at {{row.company_name}}."}},
        ],
    },
    "relationship_decay": {
        "id": "relationship-decay", "name": "Alert when the relationship to a decision maker decays below 0.3",
        "trigger": {"kind": "schedule", "scan": "relationship_decay", "params": {"threshold": 0.3}},
        "actions": [{"type": "create_task", "params": {
            "title": "Reconnect with {{row.person_name}} ({{row.role}}, {{row.deal_name}})",
            "assignee": "{{row.owner_email}}", "body": "Relationship strength is down to {{row.strength}}.",
            "due_in_days": 3}}],
    },
    "subsidiary_deal_opened": {
        "id": "subsidiary-deal-opened", "name": "Tell the group's account manager a subsidiary opened a deal",
        "trigger": {"kind": "created", "graph": "subsidiary_deal_opened"},
        "actions": [{"type": "send_email", "params": {
            "to": "{{row.owner_email}}", "subject": "{{row.company_name}} ({{row.group_name}} group) opened a deal",
            "body": "Deal {{row.deal_name}}: consider a group-level offer."}}],
    },
}


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(override, list):
        return [_merge(base[i], override[i]) if i < len(override) else base[i] for i in range(len(base))] + \
            override[len(base):]
    return override


def template_rule(name: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rule definition of template ``name`` with ``overrides`` deep-merged (e.g. trigger params)."""
    if name not in TEMPLATES:
        raise KeyError(f"unknown template {name!r}; known: {', '.join(sorted(TEMPLATES))}")
    return _merge(copy.deepcopy(TEMPLATES[name]), overrides or {})
