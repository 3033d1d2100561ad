"""Validated create/update/delete/upsert of records, by label, shared by every entry point.

Every operation takes the acting user's uid (``actor``), runs in one write transaction, stamps
``updated_at``/``updated_by``, publishes its :class:`~crn.crm.events.Event` values inside that
transaction, and returns a :class:`Result`: the record, or the FieldErrors explaining why nothing changed.

Which fields a record type has, their kinds, defaults, choices and rules come from the model
(``crn.graph.models``) and the custom fields admins defined (``crn.crm.fields``), through :func:`spec`.

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

from crn.crm import events, fields as custom, personal
from crn.crm.validation import (
    FieldError, OperationError, check_choice, check_domain, check_email, check_non_negative,
    parse_date, parse_datetime, required,
)
from crn.crm.views import props
from crn.graph import db
from crn.graph.models import new_uid
from crn.graph.models.catalog import RECORDS, FieldSpec, RecordSpec
from crn.graph.queries import auth as auth_q
from crn.graph.queries import fields as fields_q
from crn.graph.queries import records as q

# label -> property -> kind, of the built-in writable fields (derived from the model classes; custom fields
# are added per call by spec())
FIELDS: dict[str, dict[str, str]] = {label: {f.name: f.kind for f in r.writable} for label, r in RECORDS.items()}
STAGE_STATUS = {"closed_won": "won", "closed_lost": "lost"}
DELETABLE_WITH_HISTORY = ("Company", "Person")


def spec(label: str) -> RecordSpec:
    """The fields of ``label`` now: the model's and the active custom ones (crn.crm.fields)."""
    return custom.record(label)


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


def check_choices(record: RecordSpec, v: dict[str, Any]) -> list[FieldError]:
    """An error for each set field whose value is not one of its choices (each item, for multiple choice)."""
    errors = []
    for f in record.fields:
        if not f.choices or v.get(f.name) is None:
            continue
        if f.kind == "strs":
            errors += [FieldError("invalid_choice", f"{f.name}: {item!r} is not one of {', '.join(f.choices)}",
                                  f.name) for item in v[f.name] if item not in f.choices]
        else:
            errors += check_choice(v, f.name, f.choices)
    return errors


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


def validate_new(label: str, values: dict[str, Any], record: RecordSpec | None = None) -> list[FieldError]:
    """Every error of a new ``label`` record's values: required fields, choices and the type's own rules.

    The one check every create path runs (the generic create and operations that create a record with its
    links, e.g. ``crn.crm.activity.log_interaction``), so they cannot drift apart.
    """
    record = record or spec(label)
    return required(values, *record.required) + check_choices(record, values) + VALIDATORS[label](values)


KIND_NAMES = {"str": "text", "int": "whole number", "float": "number", "money": "amount of money",
              "bool": "yes/no value", "date": "date (YYYY-MM-DD)", "datetime": "date and time (ISO 8601)",
              "strs": "list of texts", "json": "JSON value"}


def _coerce(record: RecordSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Keep known writable fields, converted to their kind; unknown names, read-only fields and bad formats
    are FieldErrors."""
    errors, out = [], {}
    for name, value in values.items():
        f = record.field(name)
        if f is None or not f.writable:
            why = "has no field" if f is None else "computes the field"
            errors.append(FieldError("unknown_field" if f is None else "read_only",
                                     f"{record.label} {why} {name!r}", name))
            continue
        try:
            out[name] = _convert(f.kind, value, name)
        except OperationError as exc:
            errors += exc.errors
        except (TypeError, ValueError):
            errors.append(FieldError("invalid_value", f"{name} must be a {KIND_NAMES.get(f.kind, f.kind)}", name))
    if errors:
        raise OperationError(errors)
    return out


def _stored(record: RecordSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Field values keyed by the node property that holds them (``cf_<name>`` for custom fields)."""
    return {(record.field(k).prop if record.field(k) else k): v for k, v in values.items()}


def _convert(kind: str, value: Any, name: str) -> Any:
    if value is None:
        return None
    if kind == "str":
        value = str(value).strip()
        return value or None
    if kind == "int":
        return int(value)
    if kind in ("float", "money"):
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return value
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


def _check_unique(tx: ManagedTransaction, record: RecordSpec, uid: str, values: dict[str, Any]) -> None:
    """Refuse a value another record of the type already holds in a unique field (``values`` by field name)."""
    for f in record.fields:
        if not f.unique or values.get(f.name) is None:
            continue
        query = fields_q.taken(record.label, f.prop) if f.custom else q.taken(record.label, f.prop)
        if tx.run(query, value=values[f.name], uid=uid).single():
            raise OperationError(FieldError(f"duplicate_{f.name}", f"another {record.label} already has {f.name} "
                                            f"{values[f.name]!r}", f.name))


# A change to any of these ends the user's sessions and the web server's remembered tokens.
CREDENTIAL_FIELDS = frozenset({"role", "active", "email"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _run(work: Callable[[ManagedTransaction], dict[str, Any] | None]) -> Result:
    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def _writable_row(tx: ManagedTransaction, label: str, uid: str) -> Any:
    """The record ``uid`` the viewer may change (enforce, issue 13): ``not_found`` when they may not read it
    (so its existence does not leak), ``forbidden`` when they may read but not change it."""
    query = q.get(label)
    row = tx.run(query, **db.with_access(query, {"uid": uid})).single()
    if row is None:
        raise OperationError(FieldError("not_found", f"no {label} with id {uid}", "id"))
    if not row["writable"]:
        raise OperationError(FieldError("forbidden", f"you may read this {label.lower()} but not change it; ask "
                                        "its owner or an admin to share it with you for editing", "id"))
    return row


def _stage_entry(stage: str, actor: str | None) -> dict[str, Any]:
    return {"stage": stage, "at": _now().isoformat(), "by": actor}


def create_record(label: str, values: dict[str, Any], actor: str | None) -> Result:
    """Create a ``label`` record from ``values`` after validation; publishes ``created``."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])
    record = spec(label)
    try:
        values = _normalise(label, _coerce(record, values))
    except OperationError as exc:
        return Result(errors=exc.errors)
    now, uid = _now(), new_uid()
    values = {**record.defaults, **{f.name: now for f in record.writable if f.default_now},
              **{k: v for k, v in values.items() if v is not None}}
    errors = validate_new(label, values, record)
    if errors:
        return Result(errors=errors)
    values.setdefault("tags", [])
    values.setdefault("external_ids", [])
    if label == "Deal":
        values["status"] = STAGE_STATUS.get(values["stage"], "open")
        values["stage_history"] = json.dumps([_stage_entry(values["stage"], actor)])
        if values["status"] != "open":
            values["closed_at"] = now.date()
    stamped = {**_stored(record, values), "uid": uid, "created_at": now, "updated_at": now, "updated_by": actor}

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        _check_unique(tx, record, uid, values)
        node = tx.run(q.create(label), props=stamped).single()["node"]
        events.publish(tx, [events.Event("created", label, uid, actor=actor,
                                         changed=tuple(sorted(_stored(record, values))), after=props(node))])
        return node

    return _run(work)


def update_record(label: str, uid: str, values: dict[str, Any], actor: str | None) -> Result:
    """Change some properties (None clears one); publishes ``updated`` and, for deals, ``stage_changed``."""
    if label not in FIELDS:
        return Result(errors=[FieldError("unknown_type", f"unknown record type {label!r}", None)])
    record = spec(label)
    try:
        values = _normalise(label, _coerce(record, values))
    except OperationError as exc:
        return Result(errors=exc.errors)
    errors = [FieldError("required", f"{n} cannot be cleared", n) for n in record.required
              if n in values and values[n] is None]
    present = {k: v for k, v in values.items() if v is not None}
    errors += check_choices(record, present) + VALIDATORS[label](present)
    if errors:
        return Result(errors=errors)
    unique_values, values = values, _stored(record, values)

    ended_sessions: list[str] = []

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        ended_sessions.clear()  # the transaction may be retried
        row = _writable_row(tx, label, uid)
        before = props(row["node"])
        _check_unique(tx, record, uid, unique_values)
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
        row = _writable_row(tx, label, uid)
        if label in q.DEPENDENTS and not force:
            counts = tx.run(q.DEPENDENTS[label], uid=uid).single().data()
            held = {k: v for k, v in counts.items() if v}
            if held:
                listed = ", ".join(f"{v} {k}" for k, v in held.items())
                raise OperationError(FieldError("has_history", f"this {label.lower()} still has {listed}; "
                                                "pass force to detach them and delete anyway", "id"))
        if label == "User":
            tx.run(auth_q.END_USER_SESSIONS, uid=uid)  # no session outlives its user
        followers = _access.followers(tx, label, uid)  # access: what copied this record's keys
        tx.run(q.delete(label), uid=uid)
        _access.refresh(tx, followers)
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
    custom: bool = False


def describe_fields(fields: tuple[FieldSpec, ...], values: dict[str, Any] | None = None) -> list[FormField]:
    """FormFields for the fields people type (``form`` and ``writable``), in declaration order; with
    ``values`` (a record's properties), filled with them."""
    return [FormField(f.name, f.kind, f.required, f.default,
                      tuple((c, f.options.label(c)) for c in f.choices) if f.options else (), f.caption,
                      (values or {}).get(f.prop or f.name), f.custom)
            for f in fields if f.form and f.writable]


def record_form(label: str, uid: str | None = None) -> list[FormField] | None:
    """The form of a ``label`` record, from its fields (model and custom); with ``uid``, filled with that
    record's values (None when there is no such record)."""
    values = None
    if uid is not None:
        values = personal.hide(label, get_record(label, uid))  # enforce (issue 13)
        if values is None:
            return None
    return describe_fields(spec(label).fields, values)


def get_record(label: str, uid: str) -> dict[str, Any] | None:
    """A record's properties, or None (also when the viewer may not read it)."""
    row = db.read_one(q.get(label), uid=uid)
    return props(row["node"]) if row else None


__all__ = ["FIELDS", "FormField", "Result", "describe_fields", "record_form", "validate_new", "create_record", "delete_record", "get_record", "update_record", "upsert_record"]

# --- access (issue 13): every write through this layer keeps the records' keys current (the listener
# crn.crm.access subscribes to domain events in the write transaction). Imported last: it imports Result.
from crn.crm import access as _access  # noqa: E402,F401
