"""The vocabulary rules are written in: variables, actions, scans and graph triggers, with labels and types.

Code registers what a rule may name (as venmo/business-rules does), so rules stay data and a UI can list
every choice with its label and parameter types (:func:`describe`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crn.crm import fields as custom
from crn.graph.models.catalog import RECORDS
from crn.graph.queries import automation as q


@dataclass(frozen=True)
class Variable:
    """A value a condition can test, found in the evaluation context at a dotted ``name``."""

    name: str
    label: str
    type: str = "string"


@dataclass(frozen=True)
class Param:
    """A parameter of an action, scan or graph trigger."""

    name: str
    label: str
    type: str = "string"
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionType:
    """An action a rule can take; ``handler(params, context, key, services) -> dict`` performs it."""

    name: str
    label: str
    params: tuple[Param, ...]
    handler: Callable[..., dict[str, Any]] | None = None


@dataclass(frozen=True)
class Scan:
    """A time-based graph query ("N days after X with no Y"); each row is one subject to act on."""

    name: str
    label: str
    query: str
    params: tuple[Param, ...]
    columns: tuple[Variable, ...]


@dataclass(frozen=True)
class GraphTrigger:
    """A graph check run for a matching event inside its transaction; each row returned fires the rule."""

    name: str
    label: str
    query: str
    event_kinds: tuple[str, ...]
    event_labels: tuple[str, ...]
    params: tuple[Param, ...] = ()
    columns: tuple[Variable, ...] = ()
    bind: Callable[[Any], dict[str, Any]] = field(default=lambda event: {"uid": event.uid})
    accepts: Callable[[Any], bool] = field(default=lambda event: True)


ACTIONS: dict[str, ActionType] = {}
SCANS: dict[str, Scan] = {}
GRAPH_TRIGGERS: dict[str, GraphTrigger] = {}
VARIABLES: dict[str, Variable] = {}


def register_variable(variable: Variable) -> None:
    """Make ``variable`` available to conditions."""
    VARIABLES[variable.name] = variable


def register_action(action: ActionType) -> None:
    """Make ``action`` available to rules (replaces one of the same name)."""
    ACTIONS[action.name] = action


def register_scan(scan: Scan) -> None:
    """Make a time-based scan available to schedule triggers; its columns become ``row.*`` variables."""
    SCANS[scan.name] = scan
    for column in scan.columns:
        register_variable(Variable(f"row.{column.name}", column.label, column.type))


def register_graph_trigger(trigger: GraphTrigger) -> None:
    """Make a graph trigger available; its columns become ``row.*`` variables."""
    GRAPH_TRIGGERS[trigger.name] = trigger
    for column in trigger.columns:
        register_variable(Variable(f"row.{column.name}", column.label, column.type))


def variables() -> dict[str, Variable]:
    """Every variable a condition may name: the registered ones and those of the custom fields defined now."""
    extra = _field_variables([(d.record_type, (d.spec(),)) for d in custom.definitions()])
    return {**VARIABLES, **{v.name: Variable(v.name, v.label + " (custom)", v.type) for v in extra}}


def describe() -> dict[str, list[dict[str, Any]]]:
    """Everything a rule may name, as plain data for a UI or the CLI."""

    def params(ps: tuple[Param, ...]) -> list[dict[str, Any]]:
        return [{"name": p.name, "label": p.label, "type": p.type, "required": p.required,
                 "default": p.default, "choices": list(p.choices)} for p in ps]

    return {
        "variables": [{"name": v.name, "label": v.label, "type": v.type} for v in sorted(variables().values(),
                                                                                    key=lambda v: v.name)],
        "actions": [{"name": a.name, "label": a.label, "params": params(a.params)} for a in ACTIONS.values()],
        "scans": [{"name": s.name, "label": s.label, "params": params(s.params)} for s in SCANS.values()],
        "graph_triggers": [{"name": g.name, "label": g.label, "events": [f"{k}:{lbl}" for k in g.event_kinds
                                                                         for lbl in g.event_labels],
                            "params": params(g.params)} for g in GRAPH_TRIGGERS.values()],
        "operators": [{"name": name, "label": label} for name, label in OPERATOR_LABELS.items()],
    }


OPERATOR_LABELS = {
    "equal_to": "equals", "not_equal_to": "does not equal", "greater_than": "is greater than",
    "greater_than_or_equal_to": "is at least", "less_than": "is less than",
    "less_than_or_equal_to": "is at most", "contains": "contains", "not_contains": "does not contain",
    "is_in": "is one of", "not_in": "is none of", "starts_with": "starts with", "is_set": "is set",
    "is_not_set": "is not set", "changed": "changed (in this event)", "older_than_days": "is more than N days ago",
    "within_days": "is within the last N days",
}


# --- variables derived from the models: record.* (the subject as it is), before.* / after.* (the change) ---

# field kind (crn.graph.models.catalog) -> the type a condition compares it as
_KIND_TYPES = {"str": "string", "int": "number", "float": "number", "money": "number", "bool": "boolean",
               "datetime": "datetime", "date": "date", "strs": "list", "json": "json"}


def _field_variables(records: list[tuple[str, tuple]]) -> list[Variable]:
    """record.* / before.* / after.* for every field of the given record types (by the property holding it)."""
    seen: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    for label, specs in records:
        for f in specs:
            seen.setdefault(f.prop, []).append(label)
            fields[f.prop] = f
    out = []
    for prop, labels in seen.items():
        f, on = fields[prop], "/".join(labels)
        typ, caption = _KIND_TYPES.get(f.kind, "string"), f.caption[0]
        out += [Variable(f"record.{prop}", f"{on} {caption}", typ),
                Variable(f"before.{prop}", f"{caption} before the change", typ),
                Variable(f"after.{prop}", f"{caption} after the change", typ)]
    return out


def _register_model_variables() -> None:
    for variable in _field_variables([(label, r.fields) for label, r in RECORDS.items()]):
        register_variable(variable)
    for name, label, typ in (
        ("record.label", "Record type (Company, Person, ...)", "string"),
        ("record.owner_uid", "Owner's uid", "string"),
        ("record.owner_email", "Owner's email", "string"),
        ("record.owner_name", "Owner's name", "string"),
        ("event.kind", "Event kind (created, updated, ...)", "string"),
        ("event.label", "Event record or relationship type", "string"),
        ("event.uid", "Event record uid", "string"),
        ("event.other_uid", "Other end of a relationship event", "string"),
        ("event.changed", "Fields changed by the event", "list"),
        ("event.actor", "Who made the change", "string"),
        ("event.at", "When the event happened", "datetime"),
        ("now", "The scheduler's current time", "datetime"),
    ):
        register_variable(Variable(name, label, typ))


_register_model_variables()

# --- scans ------------------------------------------------------------------------------------------

_OWNER_COLUMNS = (
    Variable("owner_uid", "Owner's uid"), Variable("owner_email", "Owner's email"),
    Variable("owner_name", "Owner's name"),
)
_WINDOW = Param("window_days", "Only subjects that crossed the line within this many days", "integer",
                required=False, default=7)

for _scan in (
    Scan("no_order", "No order for N days (win-back)", q.SCAN_NO_ORDER,
         (Param("days", "Days without an order", "integer", default=90), _WINDOW),
         (Variable("name", "Customer name"), Variable("email", "Customer email"), Variable("phone", "Phone"),
          Variable("last_order_at", "Last order", "datetime"),
          Variable("days_since_order", "Days since the last order", "number"))),
    Scan("registered_no_order", "Registered N days ago and no order", q.SCAN_REGISTERED_NO_ORDER,
         (Param("days", "Days since registration", "integer", default=3), _WINDOW),
         (Variable("name", "Customer name"), Variable("email", "Customer email"), Variable("phone", "Phone"),
          Variable("registered_at", "Registered at", "datetime"))),
    Scan("cross_sell", "Bought product A N days ago and not B", q.SCAN_CROSS_SELL,
         (Param("product_a", "SKU bought"), Param("product_b", "SKU to recommend"),
          Param("days", "Days after the purchase", "integer", default=15), _WINDOW),
         (Variable("name", "Customer name"), Variable("email", "Customer email"),
          Variable("bought_name", "Product bought"), Variable("recommend_name", "Product recommended"),
          Variable("recommend_sku", "SKU recommended"), Variable("order_number", "Order number"))),
    Scan("deal_follow_up", "Open deal with no interaction for N days", q.SCAN_DEAL_FOLLOW_UP,
         (Param("days", "Quiet days", "integer", default=14),),
         (Variable("deal_name", "Deal"), Variable("stage", "Stage"),
          Variable("quiet_since", "Last touch", "datetime"), *_OWNER_COLUMNS)),
    Scan("no_interaction", "Company with no interaction for N days", q.SCAN_NO_INTERACTION,
         (Param("days", "Quiet days", "integer", default=90),
          Param("lifecycle", "Only companies in this lifecycle", "string", required=False, default=None)),
         (Variable("name", "Company"), Variable("last_touch", "Last touch", "datetime"), *_OWNER_COLUMNS)),
    Scan("sla_due", "Ticket SLA due within N hours", q.SCAN_SLA_DUE,
         (Param("hours", "Hours before the SLA", "integer", default=4),),
         (Variable("subject", "Ticket subject"), Variable("priority", "Priority"),
          Variable("sla_due_at", "SLA due", "datetime"), Variable("company_name", "Company"), *_OWNER_COLUMNS)),
    Scan("sla_breached", "Ticket SLA breached", q.SCAN_SLA_BREACHED, (),
         (Variable("subject", "Ticket subject"), Variable("priority", "Priority"),
          Variable("sla_due_at", "SLA due", "datetime"), Variable("company_name", "Company"), *_OWNER_COLUMNS)),
    Scan("relationship_decay", "Relationship strength to a decision maker fell below X",
         q.SCAN_RELATIONSHIP_DECAY,
         (Param("threshold", "Strength below", "number", default=0.3),
          Param("roles", "Committee roles", "string_list", required=False,
                default=["decision_maker", "economic_buyer"]),
          Param("half_life_days", "Strength half-life (days)", "number", required=False, default=90.0)),
         (Variable("person_name", "Decision maker"), Variable("role", "Role"), Variable("deal_name", "Deal"),
          Variable("strength", "Strength now", "number"), *_OWNER_COLUMNS)),
):
    register_scan(_scan)

# --- graph triggers ---------------------------------------------------------------------------------

register_graph_trigger(GraphTrigger(
    "champion_left", "A champion on an open deal left the company", q.CHAMPION_LEFT,
    event_kinds=("unlinked", "linked"), event_labels=("WORKS_AT",),
    columns=(Variable("person_name", "Champion"), Variable("person_email", "Champion's email"),
             Variable("deal_name", "Deal"), Variable("deal_amount", "Deal amount", "number"),
             Variable("company_name", "Company"), *_OWNER_COLUMNS),
    bind=lambda event: {"uid": event.uid, "company_uid": event.other_uid, "today": event.at.date().isoformat()},
    # an employment ends by deleting the link or by closing it (a link update setting ``until``)
    accepts=lambda event: event.kind == "unlinked" or event.after.get("until") is not None,
))
register_graph_trigger(GraphTrigger(
    "subsidiary_deal_opened", "A subsidiary of a customer group opened a deal", q.SUBSIDIARY_DEAL_OPENED,
    event_kinds=("created", "linked"), event_labels=("Deal", "FOR"),
    columns=(Variable("deal_name", "Deal"), Variable("deal_amount", "Deal amount", "number"),
             Variable("company_name", "Subsidiary"), Variable("group_name", "Customer group"),
             Variable("group_uid", "Customer group uid"), *_OWNER_COLUMNS),
))
