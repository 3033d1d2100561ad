"""The root Mutation: create/update/delete/upsert per record type and link/unlink for every relationship.

Each mutation reads its input, calls one validated operation of ``crn.crm`` with the acting user, and
returns ``<Noun><Verb>Success | <Noun><Verb>Error`` (errors carry code, message and field). Viewers
are refused by the ``CanWrite`` permission class before anything runs.
"""

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Union

import strawberry
from strawberry.types import Info

from crn.crm import links, records
from crn.crm.validation import FieldError
from crn.schema.base import JSON, UserError, decode_id
from crn.schema.permissions import CanWrite, IsAdmin
from crn.schema.types import TYPE_BY_LABEL, build
from crn.schema.workers import run_db

UNSET: Any = strawberry.UNSET


# ---- inputs (every field optional: absent = unchanged, null = cleared) --------------------------------

@strawberry.input(description="Company fields; `name` is required on create.")
class CompanyInput:
    name: str | None = UNSET
    legal_name: str | None = UNSET
    domain: str | None = UNSET
    industry: str | None = UNSET
    country: str | None = UNSET
    city: str | None = UNSET
    employees: int | None = UNSET
    annual_revenue: float | None = UNSET
    currency: str | None = UNSET
    tier: str | None = UNSET
    lifecycle: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Person fields; `name` is required on create; `email` is the unique primary address.")
class PersonInput:
    name: str | None = UNSET
    email: str | None = UNSET
    emails: list[str] | None = UNSET
    phones: list[str] | None = UNSET
    title: str | None = UNSET
    department: str | None = UNSET
    seniority: str | None = UNSET
    birthday: dt.date | None = UNSET
    gender: str | None = UNSET
    city: str | None = UNSET
    country: str | None = UNSET
    consent_marketing: bool | None = UNSET
    consent_at: dt.datetime | None = UNSET
    lifecycle: str | None = UNSET
    preferences: JSON | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Deal fields; `name` is required on create; changing `stage` records history.")
class DealInput:
    name: str | None = UNSET
    amount: float | None = UNSET
    currency: str | None = UNSET
    stage: str | None = UNSET
    probability: float | None = UNSET
    expected_close: dt.date | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Ticket fields; `subject` is required on create.")
class TicketInput:
    subject: str | None = UNSET
    status: str | None = UNSET
    priority: str | None = UNSET
    channel: str | None = UNSET
    opened_at: dt.datetime | None = UNSET
    first_response_at: dt.datetime | None = UNSET
    resolved_at: dt.datetime | None = UNSET
    sla_due_at: dt.datetime | None = UNSET
    csat: int | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Interaction fields; `kind` and `at` are required on create.")
class InteractionInput:
    kind: str | None = UNSET
    at: dt.datetime | None = UNSET
    direction: str | None = UNSET
    subject: str | None = UNSET
    summary: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Product fields; `name` is required on create.")
class ProductInput:
    name: str | None = UNSET
    sku: str | None = UNSET
    category: str | None = UNSET
    price: float | None = UNSET
    currency: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="Order fields; `placedAt` is required on create.")
class OrderInput:
    number: str | None = UNSET
    placed_at: dt.datetime | None = UNSET
    total: float | None = UNSET
    currency: str | None = UNSET
    status: str | None = UNSET
    tags: list[str] | None = UNSET
    external_ids: list[str] | None = UNSET


@strawberry.input(description="User fields an admin may change (users are created with `crn users create`).")
class UserInput:
    name: str | None = UNSET
    role: str | None = UNSET
    title: str | None = UNSET
    team: str | None = UNSET
    territory: str | None = UNSET
    active: bool | None = UNSET


RelationshipKind = strawberry.enum(
    Enum("RelationshipKind", {name.upper(): name for name in links.LINKS}),
    description="Every kind of link: " + "; ".join(
        f"{name.upper()} = ({'|'.join(k.from_labels)})-[:{k.rel_type}]->({'|'.join(k.to_labels)})"
        + (f" {{{', '.join(k.properties)}}}" if k.properties else "") for name, k in links.LINKS.items()),
)


@strawberry.input(description="A link between two records; `properties` as listed on RelationshipKind (snake_case).")
class LinkInput:
    type: RelationshipKind  # type: ignore[valid-type]
    from_id: strawberry.ID
    to_id: strawberry.ID
    properties: JSON | None = None


@strawberry.input(description="Which link to remove.")
class UnlinkInput:
    type: RelationshipKind  # type: ignore[valid-type]
    from_id: strawberry.ID
    to_id: strawberry.ID


# ---- result types -------------------------------------------------------------------------------------

def _user_errors(errors: list[FieldError]) -> list[UserError]:
    return [UserError(code=e.code, message=e.message, field=_camel(e.field)) for e in errors]


def _camel(name: str | None) -> str | None:
    if not name:
        return name
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _result(name: str, payload: dict[str, Any], doc: str):
    success = strawberry.type(type(f"{name}Success", (), {"__annotations__": payload, "__module__": __name__}),
                              description=f"{doc} succeeded.")
    error = strawberry.type(type(f"{name}Error", (), {"__annotations__": {"errors": list[UserError]},
                                                       "__module__": __name__}),
                            description=f"{doc} failed; nothing changed.")
    union = Annotated[Union[success, error], strawberry.union(f"{name}Result")]
    return success, error, union


@strawberry.type(description="A link as stored.")
class LinkPayload:
    type: str
    from_id: strawberry.ID
    to_id: strawberry.ID
    properties: JSON | None


LinkSuccess, LinkError, LinkResult = _result("Link", {"link": LinkPayload}, "Linking")
UnlinkSuccess, UnlinkError, UnlinkResult = _result("Unlink", {"removed": int}, "Unlinking")


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def _values(data: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(data).items() if v is not UNSET}


def _noun_mutations(label: str, input_type: type, verbs: tuple[str, ...], permission) -> dict[str, Any]:
    """create/update/delete/upsert fields for one record type."""
    node_type = TYPE_BY_LABEL[label]
    noun = label[0].lower() + label[1:]
    fields: dict[str, Any] = {}

    def wrap(result, success, error):
        if result.ok:
            return success(**{noun: build(node_type, result.record)})
        return error(errors=_user_errors(result.errors))

    if "create" in verbs:
        s, e, u = _result(f"{label}Create", {noun: node_type}, f"Creating a {label.lower()}")

        async def create(info: Info, input: input_type) -> u:  # type: ignore[valid-type]
            result = await run_db(records.create_record, label, _values(input), info.context.actor)
            return wrap(result, s, e)

        fields[f"{noun}Create"] = strawberry.mutation(create, permission_classes=[permission],
                                                      description=f"Create a {label.lower()}.")
    if "update" in verbs:
        s2, e2, u2 = _result(f"{label}Update", {noun: node_type}, f"Updating a {label.lower()}")

        async def update(info: Info, id: strawberry.ID, input: input_type) -> u2:  # type: ignore[valid-type]
            _, uid = decode_id(id, label)
            result = await run_db(records.update_record, label, uid, _values(input), info.context.actor)
            return wrap(result, s2, e2)

        fields[f"{noun}Update"] = strawberry.mutation(update, permission_classes=[permission],
                                                      description=f"Change some fields of a {label.lower()}.")
    if "delete" in verbs:
        s3, e3, u3 = _result(f"{label}Delete", {"deleted_id": strawberry.ID}, f"Deleting a {label.lower()}")

        async def delete(info: Info, id: strawberry.ID, force: bool = False) -> u3:  # type: ignore[valid-type]
            _, uid = decode_id(id, label)
            result = await run_db(records.delete_record, label, uid, info.context.actor, force)
            return s3(deleted_id=id) if result.ok else e3(errors=_user_errors(result.errors))

        fields[f"{noun}Delete"] = strawberry.mutation(
            delete, permission_classes=[permission],
            description=f"Delete a {label.lower()}; refused while it has history unless `force` (which detaches it).")
    if "upsert" in verbs:
        s4, e4, u4 = _result(f"{label}Upsert", {noun: node_type}, f"Upserting a {label.lower()}")

        async def upsert(info: Info, external_id: str, input: input_type) -> u4:  # type: ignore[valid-type]
            result = await run_db(records.upsert_record, label, external_id, _values(input),
                                  info.context.actor)
            return wrap(result, s4, e4)

        fields[f"{noun}Upsert"] = strawberry.mutation(
            upsert, permission_classes=[permission],
            description=f"Update the {label.lower()} with this external id ('source:id'), or create it.")
    return fields


ALL_VERBS = ("create", "update", "delete", "upsert")
_FIELDS: dict[str, Any] = {}
for _label, _input in (("Company", CompanyInput), ("Person", PersonInput), ("Deal", DealInput),
                       ("Ticket", TicketInput), ("Interaction", InteractionInput), ("Product", ProductInput),
                       ("Order", OrderInput)):
    _FIELDS.update(_noun_mutations(_label, _input, ALL_VERBS, CanWrite))
_FIELDS.update(_noun_mutations("User", UserInput, ("update",), IsAdmin))


async def _link(info: Info, input: LinkInput) -> LinkResult:  # type: ignore[valid-type]
    kind = links.LINKS[input.type.value]
    _, from_uid = decode_id(input.from_id, kind.from_labels)
    _, to_uid = decode_id(input.to_id, kind.to_labels)
    if input.properties is not None and not isinstance(input.properties, dict):
        return LinkError(errors=[UserError(code="invalid_value", message="properties must be an object",
                                           field="properties")])
    result = await run_db(links.link, input.type.value, from_uid, to_uid, input.properties,
                          info.context.actor)
    if not result.ok:
        return LinkError(errors=_user_errors(result.errors))
    return LinkSuccess(link=LinkPayload(type=kind.rel_type, from_id=input.from_id, to_id=input.to_id,
                                        properties=_jsonable(result.record)))


async def _unlink(info: Info, input: UnlinkInput) -> UnlinkResult:  # type: ignore[valid-type]
    kind = links.LINKS[input.type.value]
    _, from_uid = decode_id(input.from_id, kind.from_labels)
    _, to_uid = decode_id(input.to_id, kind.to_labels)
    result = await run_db(links.unlink, input.type.value, from_uid, to_uid, info.context.actor)
    if not result.ok:
        return UnlinkError(errors=_user_errors(result.errors))
    return UnlinkSuccess(removed=result.record["removed"])


_FIELDS["link"] = strawberry.mutation(_link, permission_classes=[CanWrite],
                                      description="Create a link of any kind (or update its properties).")
_FIELDS["unlink"] = strawberry.mutation(_unlink, permission_classes=[CanWrite],
                                        description="Remove a link between two records.")

Mutation = strawberry.type(type("Mutation", (), {**_FIELDS, "__module__": __name__}),
                           description="Changes; each returns a Success | Error union.")
