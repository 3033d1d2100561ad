"""Rules as data: JSON/YAML validated into typed objects (trigger, nested all/any conditions, actions)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from urllib.parse import urlsplit
from typing import Any, Literal, Union

import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crn.automation import vocabulary as vocab


class Leaf(BaseModel):
    """One test: the variable ``name``, an ``operator`` and the ``value`` to compare with."""

    model_config = ConfigDict(extra="forbid")
    name: str
    operator: str
    value: Any = None


class Group(BaseModel):
    """``all`` (every condition holds) or ``any`` (at least one holds); groups nest."""

    model_config = ConfigDict(extra="forbid")
    all: list[Union["Group", Leaf]] | None = None
    any: list[Union["Group", Leaf]] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "Group":
        if (self.all is None) == (self.any is None):
            raise ValueError("a condition group needs exactly one of 'all' or 'any'")
        return self


class Trigger(BaseModel):
    """What starts a rule.

    Event triggers: ``kind`` created/updated/deleted (``label`` a node label, ``fields`` for updates),
    linked/unlinked (``label`` a relationship type), stage_changed (``to_stage``/``from_stage``), manual;
    ``graph`` names a graph trigger checked in the event's transaction (e.g. champion_left).
    Time triggers: ``kind`` schedule with a ``cron`` expression and/or a ``scan`` (a graph query run at
    each tick, e.g. no_order) with ``params``.
    """

    model_config = ConfigDict(extra="forbid")
    kind: Literal["created", "updated", "deleted", "linked", "unlinked", "stage_changed", "schedule", "manual"]
    label: str | None = None
    fields: list[str] = Field(default_factory=list)
    from_stage: str | None = None
    to_stage: str | None = None
    graph: str | None = None
    cron: str | None = None
    scan: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class ActionSpec(BaseModel):
    """An action to take: a registered ``type`` and its ``params``."""

    model_config = ConfigDict(extra="forbid")
    type: str
    params: dict[str, Any] = Field(default_factory=dict)


class Rule(BaseModel):
    """A complete rule; ``version`` is assigned by the store on each save."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]{1,63}$")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    active: bool = True
    trigger: Trigger
    conditions: Group | None = None
    actions: list[ActionSpec] = Field(min_length=1)
    # privacy (issue 13 §3): marketing actions reach only people with consent for the channel and not on the
    # suppression list (crn.crm.privacy); transactional ones (order confirmations ...) only admins save.
    purpose: Literal["marketing", "transactional"] = "marketing"
    version: int = 0

    def definition(self) -> dict[str, Any]:
        """The rule as plain data, without the store-assigned version."""
        return self.model_dump(mode="json", exclude={"version"}, exclude_none=True)

    def definition_json(self) -> str:
        """A canonical JSON text of :meth:`definition` (what the store keeps)."""
        return json.dumps(self.definition(), sort_keys=True, separators=(",", ":"))

    @property
    def is_scheduled(self) -> bool:
        """True for time-based rules (evaluated by the scheduler)."""
        return self.trigger.kind == "schedule"


@dataclass(frozen=True)
class FieldError:
    """An expected validation failure: a code, a message and the field (dotted path) it concerns."""

    code: str
    message: str
    field: str | None = None


class RuleInvalid(ValueError):
    """Raised by :func:`parse_rule`; ``errors`` lists every problem found."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors))
        self.errors = errors


def load_text(text: str) -> Any:
    """Parse JSON or YAML text into plain data (YAML is a superset of JSON)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleInvalid([FieldError("syntax", f"not valid JSON/YAML: {exc}")]) from exc


def validate_rule(data: Any) -> tuple[Rule | None, list[FieldError]]:
    """Validate plain data (or JSON/YAML text) into a :class:`Rule`; errors are returned, not raised."""
    if isinstance(data, str):
        try:
            data = load_text(data)
        except RuleInvalid as exc:
            return None, exc.errors
    if not isinstance(data, dict):
        return None, [FieldError("invalid", "a rule is a mapping with id, name, trigger and actions")]
    try:
        rule = Rule.model_validate(data)
    except ValidationError as exc:
        return None, [FieldError(err["type"], err["msg"], ".".join(str(p) for p in err["loc"]) or None)
                      for err in exc.errors()]
    errors = _check_trigger(rule.trigger) + _check_conditions(rule.conditions, "conditions") + _check_actions(rule)
    return (rule, []) if not errors else (None, errors)


def parse_rule(data: Any) -> Rule:
    """Like :func:`validate_rule` but raises :class:`RuleInvalid` listing every problem."""
    rule, errors = validate_rule(data)
    if errors:
        raise RuleInvalid(errors)
    assert rule is not None
    return rule


def _check_params(specs: tuple[vocab.Param, ...], given: dict[str, Any], where: str) -> list[FieldError]:
    errors: list[FieldError] = []
    known = {p.name for p in specs}
    for name in given:
        if name not in known:
            errors.append(FieldError("unknown_param", f"unknown parameter {name!r}; known: {sorted(known)}",
                                     f"{where}.{name}"))
    for spec in specs:
        value = given.get(spec.name)
        if value is None:
            if spec.required and spec.default is None:
                errors.append(FieldError("required", f"{spec.label} is required", f"{where}.{spec.name}"))
            continue
        if not _type_ok(spec, value):
            errors.append(FieldError("type", f"{spec.label} must be a {spec.type}"
                                     + (f" ({', '.join(spec.choices)})" if spec.choices else ""),
                                     f"{where}.{spec.name}"))
    return errors


def _type_ok(spec: vocab.Param, value: Any) -> bool:
    if spec.type in ("string", "template"):
        return isinstance(value, str)
    if spec.type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if spec.type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if spec.type == "boolean":
        return isinstance(value, bool)
    if spec.type == "string_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if spec.type == "choice":
        return value in spec.choices
    return True


def with_defaults(specs: tuple[vocab.Param, ...], given: dict[str, Any]) -> dict[str, Any]:
    """``given`` completed with each parameter's default."""
    out = {spec.name: spec.default for spec in specs}
    out.update({k: v for k, v in given.items() if v is not None})
    return out


def _check_trigger(trigger: Trigger) -> list[FieldError]:
    errors: list[FieldError] = []
    if trigger.kind == "schedule":
        if not trigger.cron and not trigger.scan:
            errors.append(FieldError("required", "a schedule trigger needs a cron expression or a scan",
                                     "trigger.cron"))
        if trigger.cron and not croniter.is_valid(trigger.cron):
            errors.append(FieldError("invalid_cron", f"{trigger.cron!r} is not a cron expression", "trigger.cron"))
        if trigger.scan:
            scan = vocab.SCANS.get(trigger.scan)
            if scan is None:
                errors.append(FieldError("unknown_scan", f"unknown scan {trigger.scan!r}; known: "
                                         f"{sorted(vocab.SCANS)}", "trigger.scan"))
            else:
                errors += _check_params(scan.params, trigger.params, "trigger.params")
        if trigger.graph:
            errors.append(FieldError("invalid", "graph triggers react to events, not schedules", "trigger.graph"))
        return errors
    if trigger.cron or trigger.scan:
        errors.append(FieldError("invalid", "cron and scan belong to schedule triggers", "trigger.kind"))
    if trigger.graph:
        graph = vocab.GRAPH_TRIGGERS.get(trigger.graph)
        if graph is None:
            errors.append(FieldError("unknown_graph_trigger", f"unknown graph trigger {trigger.graph!r}; known: "
                                     f"{sorted(vocab.GRAPH_TRIGGERS)}", "trigger.graph"))
        else:
            if trigger.kind not in graph.event_kinds:
                errors.append(FieldError("invalid", f"{trigger.graph} reacts to {', '.join(graph.event_kinds)} "
                                         "events", "trigger.kind"))
            errors += _check_params(graph.params, trigger.params, "trigger.params")
    if trigger.kind == "stage_changed" and trigger.label not in (None, "Deal"):
        errors.append(FieldError("invalid", "stage_changed applies to deals", "trigger.label"))
    if trigger.fields and trigger.kind != "updated":
        errors.append(FieldError("invalid", "fields apply to 'updated' triggers", "trigger.fields"))
    return errors


def _check_conditions(group: Group | None, where: str) -> list[FieldError]:
    if group is None:
        return []
    errors: list[FieldError] = []
    known = vocab.variables()
    key = "all" if group.all is not None else "any"
    for i, item in enumerate(getattr(group, key) or []):
        path = f"{where}.{key}.{i}"
        if isinstance(item, Group):
            errors += _check_conditions(item, path)
            continue
        if item.name not in known:
            errors.append(FieldError("unknown_variable", f"unknown variable {item.name!r}", f"{path}.name"))
        if item.operator not in vocab.OPERATOR_LABELS:
            errors.append(FieldError("unknown_operator", f"unknown operator {item.operator!r}; known: "
                                     f"{sorted(vocab.OPERATOR_LABELS)}", f"{path}.operator"))
        elif item.operator in ("is_in", "not_in") and not isinstance(item.value, list):
            errors.append(FieldError("type", f"{item.operator} needs a list value", f"{path}.value"))
        elif item.operator in ("older_than_days", "within_days", "greater_than", "less_than",
                               "greater_than_or_equal_to", "less_than_or_equal_to") and item.value is None:
            errors.append(FieldError("required", f"{item.operator} needs a value", f"{path}.value"))
    return errors


def _check_actions(rule: Rule) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, action in enumerate(rule.actions):
        spec = vocab.ACTIONS.get(action.type)
        if spec is None:
            errors.append(FieldError("unknown_action", f"unknown action {action.type!r}; known: "
                                     f"{sorted(vocab.ACTIONS)}", f"actions.{i}.type"))
            continue
        errors += _check_params(spec.params, action.params, f"actions.{i}.params")
    return errors


def webhook_origin(url: str) -> str:
    """The part of a webhook URL anyone may see: scheme, host and port, without the user part, path, query
    or fragment (where incoming-webhook URLs keep their secret).

    >>> webhook_origin("https://ops:pw@hooks.example.com:8443/services/T0/B0/x?token=y")
    'https://hooks.example.com:8443/…'
    >>> webhook_origin("not a url")
    '…'
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "…"
    host = parts.netloc.rsplit("@", 1)[-1]
    if not parts.scheme or not host:
        return "…"
    return f"{parts.scheme}://{host}/…"


def without_webhook_secrets(definition: dict[str, Any]) -> dict[str, Any]:
    """A copy of a rule definition whose ``call_webhook`` URLs are cut to :func:`webhook_origin` (what roles
    other than admin are shown: only admins save webhook rules, and the URL may be the credential)."""
    shown = copy.deepcopy(definition)
    for action in shown.get("actions") or ():
        params = action.get("params") if isinstance(action, dict) else None
        if action.get("type") == "call_webhook" and isinstance(params, dict) and isinstance(params.get("url"), str):
            params["url"] = webhook_origin(params["url"])
    return shown
