"""Validated create/update/delete/upsert of records, by label, shared by every entry point.

Every operation takes the acting user's uid (``actor``), runs in one write transaction, stamps
``updated_at``/``updated_by``, publishes its :class:`~crn.crm.events.Event` values inside that
transaction, and returns a :class:`Result`: the record, or the FieldErrors explaining why nothing changed.

>>> from crn.crm.records import FIELDS
>>> sorted(FIELDS)[:3]
['Company', 'Deal', 'Interaction']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events
from crn.crm.validation import (
    FieldError, OperationError, check_choice, check_domain, check_email, check_non_negative,
    parse_date, parse_datetime, required,
)
from crn.crm.views import props
from crn.graph import db
from crn.graph.queries import auth as auth_q
from crn.graph.models import new_uid
from crn.graph.models.company import LIFECYCLES, TIERS
from crn.graph.models.commerce import Order  # noqa: F401 - documents the label
from crn.graph.models.deal import STAGES, STATUSES
from crn.graph.models.interaction import DIRECTIONS, KINDS
from crn.graph.models.person import SENIORITIES, USER_ROLES
from crn.graph.models.ticket import PRIORITIES, TICKET_STATUSES
from crn.graph.queries import records as q

# label -> property -> kind ("str", "int", "float", "bool", "date", "datetime", "strs", "json")
FIELDS: dict[str, dict[str, str]] = {
    "Company": {"name": "str", "legal_name": "str", "domain": "str", "industry": "str", "country": "str",
                "city": "str", "employees": "int", "annual_revenue": "float", "currency": "str", "tier": "str",
                "lifecycle": "str", "tags": "strs", "external_ids": "strs"},
    "Person": {"name": "str", "email": "str", "emails": "strs", "phones": "strs", "title": "str",
               "department": "str", "seniority": "str", "birthday": "date", "gender": "str", "city": "str",
               "country": "str", "consent_marketing": "bool", "consent_at": "datetime", "lifecycle": "str",
               "preferences": "json", "tags": "strs", "external_ids": "strs"},
    "User": {"name": "str", "role": "str", "title": "str", "team": "str", "territory": "str", "active": "bool",
             "tags": "strs", "external_ids": "strs"},
    "Deal": {"name": "str", "amount": "float", "currency": "str", "stage": "str", "probability": "float",
             "expected_close": "date", "tags": "strs", "external_ids": "strs"},
    "Ticket": {"subject": "str", "status": "str", "priority": "str", "channel": "str", "opened_at": "datetime",
               "first_response_at": "datetime", "resolved_at": "datetime", "sla_due_at": "datetime",
               "csat": "int", "tags": "strs", "external_ids": "strs"},
    "Interaction": {"kind": "str", "at": "datetime", "direction": "str", "subject": "str", "summary": "str",
                    "tags": "strs", "external_ids": "strs"},
    "Product": {"name": "str", "sku": "str", "category": "str", "price": "float", "currency": "str",
                "tags": "strs", "external_ids": "strs"},
    "Order": {"number": "str", "placed_at": "datetime", "total": "float", "currency": "str", "status": "str",
              "tags": "strs", "external_ids": "strs"},
}
REQUIRED = {"Company": ("name",), "Person": ("name",), "User": ("name",), "Deal": ("name",),
            "Ticket": ("subject",), "Interaction": ("kind", "at"), "Product": ("name",), "Order": ("placed_at",)}
DEFAULTS: dict[str, dict[str, Any]] = {
    "Company": {"lifecycle": "prospect"}, "Person": {"seniority": "unknown", "lifecycle": "lead"},
    "Deal": {"stage": "qualification", "amount": 0.0, "currency": "USD", "probability": 0.1},
    "Ticket": {"status": "open", "priority": "normal"}, "Interaction": {"direction": "outbound"},
    "Product": {"currency": "USD"}, "Order": {"total": 0.0, "currency": "USD", "status": "completed"},
}
# label -> property -> the values it may take (checked on every write; forms offer them as a list)
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "Company": {"tier": TIERS, "lifecycle": LIFECYCLES}, "Person": {"seniority": SENIORITIES},
    "User": {"role": USER_ROLES}, "Deal": {"stage": STAGES},
    "Ticket": {"status": TICKET_STATUSES, "priority": PRIORITIES},
    "Interaction": {"kind": KINDS, "direction": DIRECTIONS},
}
# properties that importers keep and people do not type: left out of forms
NOT_IN_FORMS = frozenset({"external_ids"})
# property -> (English, Simplified Chinese) label, for forms and columns; a property without one is humanised
LABELS: dict[str, tuple[str, str]] = {
    "name": ("Name", "名称"), "legal_name": ("Legal name", "法定名称"), "domain": ("Domain", "域名"),
    "industry": ("Industry", "行业"), "country": ("Country", "国家/地区"), "city": ("City", "城市"),
    "employees": ("Employees", "员工数"), "annual_revenue": ("Annual revenue", "年收入"),
    "currency": ("Currency", "币种"), "tier": ("Tier", "等级"), "lifecycle": ("Lifecycle", "生命周期"),
    "tags": ("Tags", "标签"), "external_ids": ("External ids", "外部编号"), "email": ("Email", "电子邮箱"),
    "emails": ("Other emails", "其他邮箱"), "phones": ("Phones", "电话"), "title": ("Title", "职位"),
    "department": ("Department", "部门"), "seniority": ("Seniority", "职级"), "birthday": ("Birthday", "生日"),
    "gender": ("Gender", "性别"), "consent_marketing": ("Marketing consent", "同意接收营销信息"),
    "consent_at": ("Consent given at", "同意时间"), "preferences": ("Preferences (JSON)", "偏好（JSON）"),
    "role": ("Role", "角色"), "team": ("Team", "团队"), "territory": ("Territory", "区域"),
    "active": ("Active", "启用"), "amount": ("Amount", "金额"), "stage": ("Stage", "阶段"),
    "probability": ("Probability (0–1)", "赢单概率（0–1）"), "expected_close": ("Expected close", "预计成交"),
    "subject": ("Subject", "主题"), "status": ("Status", "状态"), "priority": ("Priority", "优先级"),
    "channel": ("Channel", "渠道"), "opened_at": ("Opened at", "创建时间"),
    "first_response_at": ("First response at", "首次响应时间"), "resolved_at": ("Resolved at", "解决时间"),
    "sla_due_at": ("SLA due at", "SLA 截止时间"), "csat": ("CSAT (1–5)", "满意度（1–5）"), "kind": ("Kind", "类型"),
    "at": ("When", "时间"), "direction": ("Direction", "方向"), "summary": ("Summary", "摘要"), "sku": ("SKU", "SKU"),
    "category": ("Category", "类别"), "price": ("Price", "价格"), "number": ("Number", "编号"),
    "placed_at": ("Placed at", "下单时间"), "total": ("Total", "总额"),
    "since": ("Start date", "开始日期"), "until": ("End date", "结束日期"), "share": ("Share (0–1)", "持股比例（0–1）"),
    "confidence": ("Confidence", "置信度"), "declared": ("Declared", "已确认"),
}
# choice value -> (English, Simplified Chinese) label, per property
CHOICE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "tier": {"strategic": ("Strategic", "战略"), "key": ("Key", "重点"), "standard": ("Standard", "标准"),
             "long_tail": ("Long tail", "长尾")},
    "lifecycle": {"prospect": ("Prospect", "潜在客户"), "customer": ("Customer", "客户"),
                  "partner": ("Partner", "合作伙伴"), "former": ("Former", "前客户")},
    "seniority": {"c_level": ("C-level", "高管"), "vp": ("VP", "副总裁"), "director": ("Director", "总监"),
                  "manager": ("Manager", "经理"), "staff": ("Staff", "员工"), "unknown": ("Unknown", "未知")},
    "role": {"admin": ("Admin", "管理员"), "manager": ("Manager", "经理"), "viewer": ("Viewer", "只读用户"),
             "economic_buyer": ("Economic buyer", "经济决策人"), "decision_maker": ("Decision maker", "决策人"),
             "champion": ("Champion", "内部支持者"), "influencer": ("Influencer", "影响者"),
             "technical_evaluator": ("Technical evaluator", "技术评估人"), "user": ("User", "使用者"),
             "procurement": ("Procurement", "采购"), "blocker": ("Blocker", "阻碍者")},
    "stage": {"qualification": ("Qualification", "资格确认"), "discovery": ("Discovery", "需求挖掘"),
              "proposal": ("Proposal", "方案报价"), "negotiation": ("Negotiation", "商务谈判"),
              "closed_won": ("Closed won", "赢单"), "closed_lost": ("Closed lost", "丢单")},
    "status": {"open": ("Open", "未处理"), "pending": ("Pending", "待定"), "resolved": ("Resolved", "已解决"),
               "closed": ("Closed", "已关闭")},
    "priority": {"low": ("Low", "低"), "normal": ("Normal", "普通"), "high": ("High", "高"), "urgent": ("Urgent", "紧急")},
    "kind": {"email": ("Email", "邮件"), "call": ("Call", "电话"), "meeting": ("Meeting", "会议"),
             "chat": ("Chat", "聊天"), "note": ("Note", "备注"), "visit": ("Visit", "拜访"),
             "solid": ("Solid line", "实线汇报"), "dotted": ("Dotted line", "虚线汇报"),
             "subsidiary": ("Subsidiary", "子公司"), "branch": ("Branch", "分支机构"),
             "division": ("Division", "事业部"), "joint_venture": ("Joint venture", "合资企业")},
    "direction": {"inbound": ("Inbound", "呼入"), "outbound": ("Outbound", "呼出"), "internal": ("Internal", "内部")},
}
STAGE_STATUS = {"closed_won": "won", "closed_lost": "lost"}
DELETABLE_WITH_HISTORY = ("Company", "Person")


@dataclass(frozen=True)
class Result:
    """What an operation returns: ``record`` (its properties) when it worked, ``errors`` when it did not."""

    record: dict[str, Any] | None = None
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the operation changed the graph as asked."""
        return not self.errors


def _validate_company(v: dict[str, Any]) -> list[FieldError]:
    return check_domain(v) + check_non_negative(v, "employees") + check_non_negative(v, "annual_revenue")


def _validate_person(v: dict[str, Any]) -> list[FieldError]:
    errors = check_email(v)
    for i, email in enumerate(v.get("emails") or []):
        errors += check_email({f"emails[{i}]": email}, f"emails[{i}]")
    return errors


def _validate_deal(v: dict[str, Any]) -> list[FieldError]:
    errors = check_non_negative(v, "amount")
    if v.get("probability") is not None and not 0.0 <= v["probability"] <= 1.0:
        errors.append(FieldError("invalid_probability", "probability must be between 0 and 1", "probability"))
    return errors


def _validate_ticket(v: dict[str, Any]) -> list[FieldError]:
    if v.get("csat") is not None and not 1 <= v["csat"] <= 5:
        return [FieldError("invalid_csat", "csat is a score from 1 to 5", "csat")]
    return []


def check_choices(label: str, v: dict[str, Any]) -> list[FieldError]:
    """An error for each set property of ``label`` whose value is not one of its CHOICES."""
    return [e for name, allowed in CHOICES.get(label, {}).items() for e in check_choice(v, name, allowed)]


VALIDATORS: dict[str, Callable[[dict[str, Any]], list[FieldError]]] = {
    "Company": _validate_company,
    "Person": _validate_person,
    "User": lambda v: [],
    "Deal": _validate_deal,
    "Ticket": _validate_ticket,
    "Interaction": lambda v: [],
    "Product": lambda v: check_non_negative(v, "price"),
    "Order": lambda v: check_non_negative(v, "total"),
}


def validate_new(label: str, values: dict[str, Any]) -> list[FieldError]:
    """Every error of a new ``label`` record's values: required fields, choices and the type's own rules.

    The one check every create path runs (the generic create and operations that create a record with its
    links, e.g. ``crn.crm.activity.log_interaction``), so they cannot drift apart.
    """
    return required(values, *REQUIRED[label]) + check_choices(label, values) + VALIDATORS[label](values)


def _coerce(label: str, values: dict[str, Any]) -> dict[str, Any]:
    """Keep known properties, converted to their kind; unknown names and bad formats are FieldErrors."""
    fields = FIELDS[label]
    errors, out = [], {}
    for name, value in values.items():
        kind = fields.get(name)
        if kind is None:
            errors.append(FieldError("unknown_field", f"{label} has no field {name!r}", name))
            continue
        try:
            out[name] = _convert(kind, value, name)
        except OperationError as exc:
            errors += exc.errors
        except (TypeError, ValueError):
            errors.append(FieldError("invalid_value", f"{name} must be a {kind}", name))
    if errors:
        raise OperationError(errors)
    return out


def _convert(kind: str, value: Any, name: str) -> Any:
    if value is None:
        return None
    if kind == "str":
        value = str(value).strip()
        return value or None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes")
        return bool(value)
    if kind == "date":
        return parse_date(value, name)
    if kind == "datetime":
        return parse_datetime(value, name)
    if kind == "strs":
        return [str(v).strip() for v in value if str(v).strip()]
    if kind == "json":
        return json.dumps(value)
    raise ValueError(kind)


def _normalise(label: str, values: dict[str, Any]) -> dict[str, Any]:
    if label in ("Person", "User") and values.get("email"):
        values["email"] = values["email"].lower()
    if label == "Company" and values.get("domain"):
        values["domain"] = values["domain"].lower()
    return values


def _check_unique(tx: ManagedTransaction, label: str, uid: str, values: dict[str, Any]) -> None:
    for prop in q.UNIQUE_PROPERTIES.get(label, ()):
        if values.get(prop) is not None and tx.run(q.taken(label, prop), value=values[prop], uid=uid).single():
            raise OperationError(FieldError(f"duplicate_{prop}", f"another {label} already has {prop} "
                                            f"{values[prop]!r}", prop))


# A change to any of these ends the user's sessions and the web server's remembered tokens.
CREDENTIAL_FIELDS = frozenset({"role", "active", "email"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _run(work: Callable[[ManagedTransaction], dict[str, Any] | None]) -> Result:
    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def _stage_entry(stage: str, actor: str | None) -> dict[str, Any]:
    return {"stage": stage, "at": _now().isoformat(), "by": actor}


def create_record(label: str, values: dict[str, Any], actor: str | None) -> Result:
    """Create a ``label`` record from ``values`` after validation; publishes ``created``."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])
    try:
        values = _normalise(label, _coerce(label, values))
    except OperationError as exc:
        return Result(errors=exc.errors)
    values = {**DEFAULTS.get(label, {}), **{k: v for k, v in values.items() if v is not None}}
    errors = validate_new(label, values)
    if errors:
        return Result(errors=errors)
    now, uid = _now(), new_uid()
    values.setdefault("tags", [])
    values.setdefault("external_ids", [])
    if label == "Deal":
        values["status"] = STAGE_STATUS.get(values["stage"], "open")
        values["stage_history"] = json.dumps([_stage_entry(values["stage"], actor)])
        if values["status"] != "open":
            values["closed_at"] = now.date()
    stamped = {**values, "uid": uid, "created_at": now, "updated_at": now, "updated_by": actor}

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        _check_unique(tx, label, uid, stamped)
        node = tx.run(q.create(label), props=stamped).single()["node"]
        events.publish(tx, [events.Event("created", label, uid, actor=actor, changed=tuple(sorted(values)),
                                         after=props(node))])
        return node

    return _run(work)


def update_record(label: str, uid: str, values: dict[str, Any], actor: str | None) -> Result:
    """Change some properties (None clears one); publishes ``updated`` and, for deals, ``stage_changed``."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])
    try:
        values = _normalise(label, _coerce(label, values))
    except OperationError as exc:
        return Result(errors=exc.errors)
    errors = [FieldError("required", f"{n} cannot be cleared", n) for n in REQUIRED[label]
              if n in values and values[n] is None]
    present = {k: v for k, v in values.items() if v is not None}
    errors += check_choices(label, present) + VALIDATORS[label](present)
    if errors:
        return Result(errors=errors)

    ended_sessions: list[str] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        ended_sessions.clear()  # the transaction may be retried
        row = tx.run(q.get(label), uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no {label} with id {uid}", "id"))
        before = props(row["node"])
        _check_unique(tx, label, uid, values)
        changes = {k: v for k, v in values.items() if before.get(k) != v}
        published: list[events.Event] = []
        if label == "Deal" and "stage" in changes:
            history = before.get("stage_history") or []
            changes["stage_history"] = json.dumps(history + [_stage_entry(changes["stage"], actor)])
            changes["status"] = STAGE_STATUS.get(changes["stage"], "open")
            changes["closed_at"] = _now().date() if changes["status"] != "open" else None
            published.append(events.Event("stage_changed", label, uid, actor=actor, changed=("stage",),
                                          before={"stage": before.get("stage")}, after={"stage": changes["stage"]}))
        node = tx.run(q.update(label), uid=uid, props={**changes, "updated_at": _now(), "updated_by": actor}
                      ).single()["node"]
        if label == "Deal" and changes.get("status") == "won":
            tx.run(q.MARK_DEAL_CUSTOMER, uid=uid)
        if label == "User" and CREDENTIAL_FIELDS.intersection(changes):
            tx.run(auth_q.END_USER_SESSIONS, uid=uid)  # a new role or a deactivation ends every session at once
            ended_sessions.append(uid)
        if changes:
            published.insert(0, events.Event("updated", label, uid, actor=actor, changed=tuple(sorted(changes)),
                                             before={k: before.get(k) for k in changes},
                                             after={k: v for k, v in changes.items() if k != "stage_history"}))
        events.publish(tx, published)
        return node

    result = _run(work)
    if ended_sessions:
        from crn.auth import tokens  # crn.auth imports crn.crm.validation

        tokens.forget_cached_tokens()
    return result


def delete_record(label: str, uid: str, actor: str | None, force: bool = False) -> Result:
    """Delete a record. A company or person that still has deals, tickets, interactions or orders is
    refused (code ``has_history``) unless ``force``, which detaches that history (it stays in the graph)."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.get(label), uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no {label} with id {uid}", "id"))
        if label in q.DEPENDENTS and not force:
            counts = tx.run(q.DEPENDENTS[label], uid=uid).single().data()
            held = {k: v for k, v in counts.items() if v}
            if held:
                listed = ", ".join(f"{v} {k}" for k, v in held.items())
                raise OperationError(FieldError("has_history", f"this {label.lower()} still has {listed}; "
                                                "pass force to detach them and delete anyway", "id"))
        if label == "User":
            tx.run(auth_q.END_USER_SESSIONS, uid=uid)  # no session outlives its user
        tx.run(q.delete(label), uid=uid)
        events.publish(tx, [events.Event("deleted", label, uid, actor=actor, before=props(row["node"]))])
        return row["node"]

    result = _run(work)
    if label == "User" and result.ok:
        from crn.auth import tokens

        tokens.forget_cached_tokens()
    return result


def upsert_record(label: str, external_id: str, values: dict[str, Any], actor: str | None) -> Result:
    """Update the record carrying ``external_id`` ("source:id"), or create it with that id."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])
    if not external_id or ":" not in external_id:
        return Result(errors=[FieldError("invalid_external_id", "external ids look like 'source:id'",
                                         "externalId")])
    row = db.read_one(q.by_external_id(label), external_id=external_id)
    if row:
        return update_record(label, row["uid"], values, actor)
    ids = list(values.get("external_ids") or [])
    return create_record(label, {**values, "external_ids": ids + [external_id] if external_id not in ids else ids},
                         actor)


@dataclass(frozen=True)
class FormField:
    """One editable property as a form shows it: name, kind, required, default, choices and labels
    (``label``/``choices`` carry (English, Chinese) pairs), and its current ``value`` when editing."""

    name: str
    kind: str
    required: bool = False
    default: Any = None
    choices: tuple[tuple[str, tuple[str, str]], ...] = ()
    label: tuple[str, str] = ("", "")
    value: Any = None


def _humanise(name: str) -> str:
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def field_label(name: str) -> tuple[str, str]:
    """(English, Chinese) label of a property: from LABELS, else its name humanised in both."""
    return LABELS.get(name) or (_humanise(name), _humanise(name))


def choice_label(name: str, value: str) -> tuple[str, str]:
    """(English, Chinese) label of one value of a property with choices."""
    return CHOICE_LABELS.get(name, {}).get(value) or (_humanise(value), _humanise(value))


def describe_fields(fields: dict[str, str], required: tuple[str, ...] = (), defaults: dict[str, Any] | None = None,
                    choices: dict[str, tuple[str, ...]] | None = None,
                    values: dict[str, Any] | None = None) -> list[FormField]:
    """FormFields for a declaration (properties and kinds, required names, defaults, choices), in its order."""
    defaults, choices = defaults or {}, choices or {}
    return [FormField(name, kind, name in required, defaults.get(name),
                      tuple((c, choice_label(name, c)) for c in choices.get(name, ())), field_label(name),
                      (values or {}).get(name))
            for name, kind in fields.items() if name not in NOT_IN_FORMS]


def record_form(label: str, uid: str | None = None) -> list[FormField] | None:
    """The form of a ``label`` record, from FIELDS/REQUIRED/DEFAULTS/CHOICES/LABELS; with ``uid``, filled with
    that record's values (None when there is no such record)."""
    values = None
    if uid is not None:
        values = get_record(label, uid)
        if values is None:
            return None
    return describe_fields(FIELDS[label], REQUIRED.get(label, ()), DEFAULTS.get(label), CHOICES.get(label), values)


def get_record(label: str, uid: str) -> dict[str, Any] | None:
    """A record's properties, or None."""
    row = db.read_one(q.get(label), uid=uid)
    return props(row["node"]) if row else None


__all__ = ["CHOICES", "FIELDS", "LABELS", "FormField", "Result", "describe_fields", "record_form", "validate_new", "create_record", "delete_record", "get_record", "update_record", "upsert_record"]
