"""Custom fields: admins add typed fields to record types at run time; :func:`record` merges them with the model.

Every reader of "the fields of a Company" (validation, GraphQL, forms, import, export, automation) asks
:func:`record`, which returns the built-in :class:`~crn.graph.models.catalog.RecordSpec` from the model
classes plus the active custom fields stored in the graph, in the same shape. Custom values live on the
record's node in a ``cf_<name>`` property, so a later built-in field can never overwrite one.

A definition's life: :func:`define` (kinds text, number, money, date, boolean, choice, multi_choice;
English/Chinese captions; required, unique, indexed), :func:`change` (captions, options, flags), :func:`remove`
(hidden everywhere, data kept), :func:`restore`, and :func:`purge` (only after removal: the data goes, the
definition and its history stay, marked purged). Each change is a new version with who and when
(:func:`history`). Unique and indexed fields get a Neo4j constraint or index.

Readers in other processes (the automation worker) see changes within :data:`CACHE_SECONDS`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from crn import audit
from crn.crm.validation import FieldError, OperationError
from crn.graph import db
from crn.graph.models import new_uid
from crn.graph.models.catalog import RECORDS, FieldSpec, RecordSpec
from crn.graph.models.fields import Options
from crn.graph.queries import fields as q

# record types admins may extend (users are accounts, not customer records)
CUSTOMIZABLE = ("Company", "Person", "Deal", "Ticket", "Interaction", "Product", "Order")
# kind offered to admins -> the catalogue kind it is stored as
KINDS = {"text": "str", "number": "float", "money": "money", "date": "date", "boolean": "bool",
         "choice": "str", "multi_choice": "strs"}
STATUSES = ("active", "removed", "purged")
MAX_FIELDS_PER_TYPE = 100
MAX_OPTIONS = 200
MAX_OPTION_CHARS = 100  # an option's value or label
CACHE_SECONDS = 5.0
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

_cache: tuple[float, list[dict[str, Any]]] | None = None
_merged: dict[str, tuple[RecordSpec, RecordSpec]] = {}  # record(label) for the definitions in _cache (hot paths ask per row)


@dataclass(frozen=True)
class Definition:
    """A custom field as stored: its record type, name, admin kind, captions, options and flags."""

    uid: str
    record_type: str
    name: str
    kind: str
    caption_en: str
    caption_zh: str
    required: bool
    unique: bool
    indexed: bool
    options: tuple[tuple[str, str, str], ...]
    currency: str | None
    status: str
    version: int
    position: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Definition:
        return cls(row["uid"], row["record_type"], row["name"], row["kind"], row["caption_en"],
                   row.get("caption_zh") or row["caption_en"], bool(row.get("required")), bool(row.get("unique")),
                   bool(row.get("indexed")), tuple(tuple(o) for o in json.loads(row.get("options") or "[]")),
                   row.get("currency"), row["status"], int(row.get("version") or 1), int(row.get("position") or 0))

    @property
    def prop(self) -> str:
        return f"cf_{self.name}"

    def spec(self) -> FieldSpec:
        """This definition as a field of its record type."""
        return FieldSpec(
            name=self.name, kind=KINDS[self.kind], caption=(self.caption_en, self.caption_zh), required=self.required,
            options=Options(*self.options) if self.options else None, unique=self.unique,
            indexed=self.indexed or self.unique, filter=_FILTERS[self.kind], sort=self.kind not in ("multi_choice",),
            custom=True, prop=self.prop, parser="money" if self.kind == "money" else None)


_FILTERS = {"text": "contains", "number": "range", "money": "range", "date": "range", "boolean": "in",
            "choice": "in", "multi_choice": "has"}


# ---- reading ------------------------------------------------------------------------------------

def _rows() -> list[dict[str, Any]]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_SECONDS:
        _cache = (now, [r["field"] for r in db.read(q.ALL, statuses=["active", "removed"])])
        _merged.clear()
    return _cache[1]


def forget() -> None:
    """Drop the cached definitions (after a change in this process)."""
    global _cache
    _cache = None
    _merged.clear()


def definitions(label: str | None = None, include_removed: bool = False) -> list[Definition]:
    """Custom fields, of one record type or all, active ones only unless ``include_removed``."""
    return [d for d in map(Definition.of, _rows())
            if (label is None or d.record_type == label) and (include_removed or d.status == "active")]


def record(label: str) -> RecordSpec:
    """The fields of a record type: the model's, then the active custom ones.

    A custom field whose name a built-in field later took keeps working under its property name
    (``cf_<name>``).
    """
    spec = RECORDS[label]
    if label not in CUSTOMIZABLE:
        return spec
    _rows()  # refreshes the definitions (and forgets merged specs) when they are older than CACHE_SECONDS
    if label in _merged and _merged[label][0] is spec:  # same model declaration, same definitions
        return _merged[label][1]
    extra = []
    for d in definitions(label):
        f = d.spec()
        extra.append(f if spec.field(f.name) is None else FieldSpec(**{**f.__dict__, "name": f.prop}))
    _merged[label] = (spec, spec.with_fields(tuple(extra)))
    return _merged[label][1]


def history(label: str, name: str, limit: int = 50) -> list[dict[str, Any]]:
    """Versions of one field's definition, newest first: version, change, at, by and the values then."""
    return [r["version"] for r in db.read(q.HISTORY, record_type=label, name=name, limit=min(limit, 200))]


# op -> the admin kinds it applies to
FILTER_OPS = {"in": ("text", "choice", "number", "money", "boolean"), "contains": ("text",),
              "min": ("number", "money", "date"), "max": ("number", "money", "date"), "has": ("multi_choice",),
              "equals": ("text", "choice", "number", "money", "date", "boolean")}


def check_filters(label: str, conditions: list[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    """(custom field name, op, value) conditions as (property, op, typed value); OperationError naming the
    condition (``custom.<i>``) when a field, op or value is wrong."""
    from crn.crm.records import _convert  # records imports this module

    by_name = {d.name: d for d in definitions(label)}
    out, errors = [], []
    for i, (name, op, value) in enumerate(conditions):
        where = f"custom.{i}"
        d = by_name.get(name)
        if d is None:
            errors.append(FieldError("unknown_field", f"{label} has no custom field {name!r}", where))
            continue
        if op not in FILTER_OPS or d.kind not in FILTER_OPS[op]:
            usable = [o for o, kinds in FILTER_OPS.items() if d.kind in kinds]
            errors.append(FieldError("invalid_op", f"{name} ({d.kind}) filters with {', '.join(usable)}, not {op!r}",
                                     where))
            continue
        kind = "str" if op in ("has", "contains") else KINDS[d.kind]
        try:
            if op == "in":
                if not isinstance(value, list):
                    raise ValueError(value)
                typed: Any = [_convert(kind, v, where) for v in value]
            else:
                typed = _convert(kind, value, where)
        except (OperationError, TypeError, ValueError):
            errors.append(FieldError("invalid_value", f"{name} {op} needs a {d.kind} value"
                                     + (" list" if op == "in" else ""), where))
            continue
        out.append((d.prop, op, typed))
    if errors:
        raise OperationError(errors)
    return out


# ---- validation ---------------------------------------------------------------------------------

def _options(raw: Any) -> tuple[tuple[str, str, str], ...]:
    out = []
    for item in raw or []:
        if isinstance(item, dict):
            value, en, zh = item.get("value"), item.get("en") or item.get("value"), item.get("zh")
        else:
            value, en, zh = str(item), str(item), None
        value = str(value or "").strip()
        if not value:
            raise OperationError(FieldError("invalid_option", "every option needs a value", "options"))
        if max(len(value), len(str(en or "")), len(str(zh or ""))) > MAX_OPTION_CHARS:
            raise OperationError(FieldError("too_long", f"option values and labels are at most {MAX_OPTION_CHARS} "
                                            "characters", "options"))
        out.append((value, str(en or value).strip(), str(zh or en or value).strip()))
    if len({v for v, _, _ in out}) != len(out):
        raise OperationError(FieldError("duplicate_option", "two options have the same value", "options"))
    if len(out) > MAX_OPTIONS:
        raise OperationError(FieldError("too_many_options", f"at most {MAX_OPTIONS} options", "options"))
    return tuple(out)


def _clean(values: dict[str, Any], kind: str) -> dict[str, Any]:
    errors = []
    caption_en = str(values.get("caption_en") or "").strip()
    if not caption_en:
        errors.append(FieldError("required", "an English caption is required, e.g. 'Region'", "captionEn"))
    if len(caption_en) > 80 or len(str(values.get("caption_zh") or "")) > 80:
        errors.append(FieldError("too_long", "captions are at most 80 characters", "captionEn"))
    options, unreadable = (), False
    try:
        options = _options(values.get("options"))
    except OperationError as exc:
        errors += exc.errors
        unreadable = True
    if kind in ("choice", "multi_choice") and not options and not unreadable:
        errors.append(FieldError("options_required", f"a {kind} field needs at least one option", "options"))
    if kind not in ("choice", "multi_choice") and options:
        errors.append(FieldError("options_not_allowed", f"only choice fields have options, not {kind}", "options"))
    currency = str(values.get("currency") or "").strip().upper() or None
    if kind == "money" and currency is not None and not re.match(r"^[A-Z]{3}$", currency):
        errors.append(FieldError("invalid_currency", "currency is a 3-letter ISO code such as CNY", "currency"))
    if values.get("unique") and kind in ("boolean", "multi_choice"):
        errors.append(FieldError("unique_not_allowed", f"a {kind} field cannot be unique", "unique"))
    if errors:
        raise OperationError(errors)
    return {"caption_en": caption_en, "caption_zh": str(values.get("caption_zh") or "").strip() or caption_en,
            "required": bool(values.get("required")), "unique": bool(values.get("unique")),
            "indexed": bool(values.get("indexed")), "options": json.dumps([list(o) for o in options]),
            "currency": currency if kind == "money" else None}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _version(row: dict[str, Any], change: str, actor: str | None) -> dict[str, Any]:
    snapshot = {k: v for k, v in row.items() if k not in ("uid",)}
    return {**snapshot, "change": change, "at": _now(), "by": actor, "field_uid": row["uid"]}


# ---- schema objects for unique and indexed fields ---------------------------------------------------

def _apply_schema(d: dict[str, Any], before: dict[str, Any] | None = None) -> None:
    """Create (or drop) the constraint / index a definition asks for; refuse when values already clash."""
    label, prop = d["record_type"], f"cf_{d['name']}"
    was_unique, was_indexed = bool(before and before.get("unique")), bool(before and before.get("indexed"))
    if d["unique"] and not was_unique:
        clash = db.read(q.duplicates(label, prop))
        if clash:
            raise OperationError(FieldError(
                "duplicate_values", f"{len(clash)}+ values are held by several {label} records "
                f"(e.g. {clash[0]['value']!r} ×{clash[0]['n']}); make them distinct before making the field unique",
                "unique"))
        db.run_in_auto_commit(q.create_constraint(label, prop))
    if not d["unique"] and was_unique:
        db.run_in_auto_commit(q.drop(label, prop, unique=True))
    if d["indexed"] and not d["unique"] and not was_indexed:
        db.run_in_auto_commit(q.create_index(label, prop))
    if was_indexed and (not d["indexed"] or d["unique"]):
        db.run_in_auto_commit(q.drop(label, prop, unique=False))


def _drop_schema(d: dict[str, Any]) -> None:
    label, prop = d["record_type"], f"cf_{d['name']}"
    db.run_in_auto_commit(q.drop(label, prop, unique=True))
    db.run_in_auto_commit(q.drop(label, prop, unique=False))


# ---- changes ------------------------------------------------------------------------------------

def define(record_type: str, name: str | None, kind: str, values: dict[str, Any], actor: str | None) -> Definition:
    """Add a custom field to ``record_type``; raises OperationError (with FieldErrors) when it cannot."""
    if record_type not in CUSTOMIZABLE:
        raise OperationError(FieldError("not_customizable", f"{record_type} records cannot have custom fields; "
                                        f"pick one of {', '.join(CUSTOMIZABLE)}", "recordType"))
    if kind not in KINDS:
        raise OperationError(FieldError("invalid_kind", f"kind must be one of {', '.join(KINDS)}", "kind"))
    clean = _clean(values, kind)  # captions and options first: a missing caption is the first thing to fix
    name = (name or re.sub(r"[^a-z0-9]+", "_", clean["caption_en"].lower()).strip("_")).strip()
    if not _NAME.match(name or ""):
        raise OperationError(FieldError("invalid_name", "a field name is 1–40 lower-case letters, digits or _, "
                                        "starting with a letter, e.g. 'region' or 'credit_limit'", "name"))
    if RECORDS[record_type].field(name) is not None:
        raise OperationError(FieldError("name_taken", f"{record_type} already has a built-in field {name!r}; "
                                        "choose another name", "name"))
    if db.read_one(q.GET, record_type=record_type, name=name):
        raise OperationError(FieldError("name_taken", f"{record_type} already has a custom field {name!r} (perhaps "
                                        "removed: restore it, or purge it first)", "name"))
    if len(definitions(record_type, include_removed=True)) >= MAX_FIELDS_PER_TYPE:
        raise OperationError(FieldError("too_many_fields", f"at most {MAX_FIELDS_PER_TYPE} custom fields per "
                                        "record type", "name"))
    now = _now()
    row = {"uid": new_uid(), "record_type": record_type, "name": name, "kind": kind, **clean, "status": "active",
           "version": 1, "position": db.read_one(q.NEXT_POSITION, record_type=record_type)["position"],
           "created_at": now, "updated_at": now, "updated_by": actor}
    _apply_schema(row)
    defined = audit.Draft("field_define", label="CustomField", uid=row["uid"], actor=actor, details={
        "record_type": record_type, "name": name}, changes=tuple(
        (k, None, v) for k, v in sorted(row.items()) if k not in ("uid", "created_at", "updated_at", "updated_by")))
    created = audit.write(q.CREATE, defined, props=row, version=_version(row, "defined", actor))[0]["field"]
    forget()
    return Definition.of(created)


def _get(record_type: str, name: str) -> dict[str, Any]:
    row = db.read_one(q.GET, record_type=record_type, name=name)
    if row is None:
        raise OperationError(FieldError("not_found", f"{record_type} has no custom field {name!r}", "name"))
    return row["field"]


def _save(before: dict[str, Any], changes: dict[str, Any], change: str, actor: str | None) -> Definition:
    after = {**before, **changes, "version": int(before.get("version") or 1) + 1, "updated_at": _now(),
             "updated_by": actor}
    verb = {"changed": "field_change", "removed": "field_remove", "restored": "field_restore",
            "purged": "field_purge"}.get(change, f"field_{change}")
    draft = audit.Draft(verb, label="CustomField", uid=before["uid"], actor=actor,
                        details={"record_type": before.get("record_type"), "name": before.get("name")},
                        changes=tuple((k, before.get(k), v) for k, v in sorted(changes.items()) if before.get(k) != v))
    saved = audit.write(q.UPDATE, draft, uid=before["uid"], props={k: v for k, v in after.items() if k != "uid"},
                        version=_version(after, change, actor))[0]["field"]
    forget()
    return Definition.of(saved)


def change(record_type: str, name: str, values: dict[str, Any], actor: str | None) -> Definition:
    """Change a field's captions, options or flags (its name and kind stay)."""
    before = _get(record_type, name)
    clean = _clean({**{k: before.get(k) for k in ("caption_en", "caption_zh", "required", "unique", "indexed",
                                                    "currency")},
                    "options": [{"value": v, "en": en, "zh": zh} for v, en, zh in json.loads(before["options"])],
                    **values}, before["kind"])
    _apply_schema({**before, **clean}, before)
    return _save(before, clean, "changed", actor)


def remove(record_type: str, name: str, actor: str | None) -> Definition:
    """Hide a field everywhere; its values stay on the records until :func:`purge`."""
    before = _get(record_type, name)
    if before["status"] != "active":
        raise OperationError(FieldError("not_active", f"{name!r} is already removed", "name"))
    return _save(before, {"status": "removed", "removed_at": _now()}, "removed", actor)


def restore(record_type: str, name: str, actor: str | None) -> Definition:
    """Bring a removed field back, with the values it had."""
    before = _get(record_type, name)
    if before["status"] != "removed":
        raise OperationError(FieldError("not_removed", f"{name!r} is not removed", "name"))
    return _save(before, {"status": "active", "removed_at": None}, "restored", actor)


def purge(record_type: str, name: str, actor: str | None) -> tuple[Definition, int]:
    """Delete a removed field's values from every record and drop its constraint or index; returns the
    definition (status ``purged``: it stays so its history can still be read) and how many records held a value."""
    before = _get(record_type, name)
    if before["status"] != "removed":
        raise OperationError(FieldError("remove_first", f"remove {name!r} before purging it (purging deletes "
                                        "its values from every record)", "name"))
    purged = db.run_in_auto_commit(q.purge(record_type, f"cf_{name}"))
    _drop_schema(before)
    done = _save(before, {"status": "purged", "purged_at": _now()}, "purged", actor)
    return done, int(purged[0]["purged"]) if purged else 0


__all__ = ["CUSTOMIZABLE", "KINDS", "Definition", "change", "define", "check_filters", "definitions", "forget", "history", "purge",
           "record", "remove", "restore"]
