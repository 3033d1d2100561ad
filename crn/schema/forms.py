"""Form descriptions for the browser app: each editable field of a record type or a link kind, derived from
the model (``crn.graph.models``, through ``crn.crm.records.record_form``), the custom fields admins defined, and
the relationship classes behind ``crn.crm.links``.

The UI builds its create/edit forms from ``recordForm`` instead of listing fields itself, so a field added to
the declaration appears in every form without a change to the JavaScript.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from crn.crm import links, records
from crn.schema.base import JSON, ClientError, decode_id
from crn.schema.common import camel
from crn.schema.network.inputs import RelationshipKind
from crn.schema.permissions import IsAuthenticated
from crn.schema.workers import run_db

RecordType = strawberry.enum(Enum("RecordType", {label.upper(): label for label in records.FIELDS}),
                             description="Record types that have forms (one per label of the model).")


@strawberry.type(description="One allowed value of a field, with its English and Chinese labels.")
class FormChoice:
    value: str
    label_en: str
    label_zh: str


@strawberry.type(description="One editable field: the input name (camelCase, as in the `<Type>Input` of the "
                             "mutations), the declared property (`key`, snake_case), its kind (str, int, float, bool, "
                             "date, datetime, strs, json), whether it is required, its default, its choices, its "
                             "labels, and its current `value` when the form is for an existing record.")
class FormField:
    name: str
    key: str
    kind: str
    required: bool
    default: JSON | None
    choices: list[FormChoice]
    label_en: str
    label_zh: str
    value: JSON | None
    custom: bool = strawberry.field(default=False, description="A custom field: its value goes in the `custom` "
                                    "object of the input, under `key`.")


@strawberry.type(description="A form: the fields of a record type (and the record's values when `id` was given).")
class RecordForm:
    type: str
    id: strawberry.ID | None
    fields: list[FormField]


def _jsonable_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _field(f: records.FormField) -> FormField:
    return FormField(name=camel(f.name), key=f.name, kind=f.kind, required=f.required,
                     default=_jsonable_value(f.default),
                     choices=[FormChoice(value=c, label_en=en, label_zh=zh) for c, (en, zh) in f.choices],
                     label_en=f.label[0], label_zh=f.label[1], value=_jsonable_value(f.value), custom=f.custom)


@strawberry.type
class FormQuery:
    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The create/edit form of a record type, from the model's declaration; with `id`, "
                                  "filled with that record's current values (null when it does not exist).")
    async def record_form(self, type: RecordType, id: strawberry.ID | None = None) -> RecordForm | None:  # type: ignore[valid-type]
        label = type.value
        uid = decode_id(id, label)[1] if id is not None else None
        fields = await run_db(records.record_form, label, uid)
        if fields is None:
            return None
        return RecordForm(type=label, id=id, fields=[_field(f) for f in fields])

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The properties of a link kind (e.g. COMMITTEE: role), as form fields.")
    def link_form(self, type: RelationshipKind) -> list[FormField]:  # type: ignore[valid-type]
        fields = links.link_form(type.value)
        if fields is None:  # pragma: no cover - the enum only holds declared kinds
            raise ClientError(f"unknown link kind {type.value!r}", "unknown_link")
        return [_field(f) for f in fields]
