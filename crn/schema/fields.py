"""Custom field definitions over GraphQL: everyone reads them (forms and lists need them); admins change them.

Resolvers call crn.crm.fields; an expected failure is ``CustomFieldError`` data naming the input field at fault.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Union

import strawberry
from strawberry.types import Info

from crn.crm import fields
from crn.crm.validation import OperationError
from crn.schema.base import UserError
from crn.schema.permissions import IsAdmin, IsAuthenticated
from crn.schema.workers import run_db


@strawberry.type(description="One allowed value of a choice field, with its labels.")
class CustomFieldOption:
    value: str
    label_en: str
    label_zh: str


@strawberry.type(description="A field an admin added to a record type. Values are read and written under `name` "
                 "(in `customFields` of the record and the `custom` object of its create/update input).")
class CustomFieldDefinition:
    record_type: str
    name: str
    kind: str = strawberry.field(description="text, number, money, date, boolean, choice or multi_choice.")
    caption_en: str
    caption_zh: str
    required: bool
    unique: bool
    indexed: bool
    options: list[CustomFieldOption]
    currency: str | None
    status: str = strawberry.field(description="active, or removed (hidden; values kept until purged).")
    version: int


@strawberry.type(description="One version of a field definition: what changed, who changed it and when.")
class CustomFieldVersion:
    version: int
    change: str
    at: dt.datetime
    by: str | None
    caption_en: str
    caption_zh: str | None
    required: bool
    unique: bool
    indexed: bool
    status: str
    options: list[CustomFieldOption]


@strawberry.input(description="An allowed value of a choice field; labels default to the value.")
class CustomFieldOptionInput:
    value: str
    en: str | None = None
    zh: str | None = None


@strawberry.input(description="A new custom field. `name` defaults to the English caption in snake_case.")
class CustomFieldInput:
    record_type: str = strawberry.field(description="Company, Person, Deal, Ticket, Interaction, Product or Order.")
    kind: str = strawberry.field(description="text, number, money, date, boolean, choice or multi_choice.")
    caption_en: str
    caption_zh: str | None = None
    name: str | None = None
    required: bool = False
    unique: bool = False
    indexed: bool = False
    options: list[CustomFieldOptionInput] | None = None
    currency: str | None = strawberry.field(default=None, description="For money fields: ISO code, e.g. CNY.")


@strawberry.input(description="Changes to a custom field (its name and kind stay); omitted values are kept.")
class CustomFieldChangeInput:
    caption_en: str | None = None
    caption_zh: str | None = None
    required: bool | None = None
    unique: bool | None = None
    indexed: bool | None = None
    options: list[CustomFieldOptionInput] | None = None
    currency: str | None = None


@strawberry.type(description="A custom field change succeeded.")
class CustomFieldSuccess:
    field: CustomFieldDefinition
    purged: int | None = strawberry.field(default=None, description="Records whose value a purge deleted.")


@strawberry.type(description="A custom field change failed; nothing changed.")
class CustomFieldError:
    errors: list[UserError]


CustomFieldResult = Annotated[Union[CustomFieldSuccess, CustomFieldError], strawberry.union("CustomFieldResult")]


def _options(raw: Any) -> list[CustomFieldOption]:
    items = json.loads(raw) if isinstance(raw, str) else raw or []
    return [CustomFieldOption(value=v, label_en=en, label_zh=zh) for v, en, zh in items]


def definition_of(d: fields.Definition) -> CustomFieldDefinition:
    return CustomFieldDefinition(record_type=d.record_type, name=d.name, kind=d.kind, caption_en=d.caption_en,
                                 caption_zh=d.caption_zh, required=d.required, unique=d.unique, indexed=d.indexed,
                                 options=_options(d.options), currency=d.currency, status=d.status, version=d.version)


def _values(data: Any) -> dict[str, Any]:
    values = {k: v for k, v in vars(data).items() if v is not None and k not in ("record_type", "kind", "name")}
    if data.options is not None:
        values["options"] = [{"value": o.value, "en": o.en, "zh": o.zh} for o in data.options]
    return values


_CAMEL = {"caption_en": "captionEn", "caption_zh": "captionZh", "record_type": "recordType"}


async def _attempt(work, *args: Any) -> CustomFieldSuccess | CustomFieldError:
    try:
        done = await run_db(work, *args)
    except OperationError as exc:
        return CustomFieldError(errors=[UserError(code=e.code, message=e.message, field=_CAMEL.get(e.field, e.field))
                                        for e in exc.errors])
    if isinstance(done, tuple):  # purge: (definition, purged count)
        return CustomFieldSuccess(field=definition_of(done[0]), purged=done[1])
    return CustomFieldSuccess(field=definition_of(done))


@strawberry.type
class FieldQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Custom fields, of one record type or all; "
                      "removed ones too with `includeRemoved`.")
    async def custom_field_definitions(self, record_type: str | None = None,
                                       include_removed: bool = False) -> list[CustomFieldDefinition]:
        return [definition_of(d) for d in await run_db(fields.definitions, record_type, include_removed)]

    @strawberry.field(permission_classes=[IsAdmin], description="Every version of a field definition, newest first.")
    async def custom_field_history(self, record_type: str, name: str) -> list[CustomFieldVersion]:
        rows = await run_db(fields.history, record_type, name)
        return [CustomFieldVersion(version=r["version"], change=r["change"], at=r["at"].to_native()
                                   if hasattr(r["at"], "to_native") else r["at"], by=r.get("by"),
                                   caption_en=r["caption_en"], caption_zh=r.get("caption_zh"),
                                   required=bool(r.get("required")), unique=bool(r.get("unique")),
                                   indexed=bool(r.get("indexed")), status=r["status"],
                                   options=_options(r.get("options"))) for r in rows]


@strawberry.type
class FieldMutation:
    @strawberry.mutation(permission_classes=[IsAdmin], description="Add a custom field to a record type.")
    async def custom_field_define(self, info: Info, input: CustomFieldInput) -> CustomFieldResult:
        return await _attempt(fields.define, input.record_type, input.name, input.kind, _values(input),
                              info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Change a custom field's captions, options or "
                         "flags; making it unique is refused while records share a value.")
    async def custom_field_change(self, info: Info, record_type: str, name: str,
                                  input: CustomFieldChangeInput) -> CustomFieldResult:
        return await _attempt(fields.change, record_type, name, _values(input), info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Hide a custom field everywhere; values are kept.")
    async def custom_field_remove(self, info: Info, record_type: str, name: str) -> CustomFieldResult:
        return await _attempt(fields.remove, record_type, name, info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Bring a removed custom field back with its values.")
    async def custom_field_restore(self, info: Info, record_type: str, name: str) -> CustomFieldResult:
        return await _attempt(fields.restore, record_type, name, info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Delete a removed field's values from every "
                         "record (cannot be undone); its definition history stays.")
    async def custom_field_purge(self, info: Info, record_type: str, name: str) -> CustomFieldResult:
        return await _attempt(fields.purge, record_type, name, info.context.actor)
