"""Personal-data rights over GraphQL (crn.crm.privacy): `personPrivacy`, `personConsentSet`, and the admin-only
`personExport` (a ZIP as base64) and `personErase` (with a typed confirmation).

Each resolver binds the viewer's access (crn.auth.access.for_user) around its database work: a person the
viewer cannot read has no privacy section for them, one they cannot change takes no consent change.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypeVar, Union

import strawberry
from strawberry.types import Info

from crn.auth.access import for_user
from crn.crm import privacy
from crn.graph import access
from crn.schema.base import UserError, decode_id, encode_id
from crn.schema.permissions import CanWrite, IsAdmin, IsAuthenticated
from crn.schema.workers import run_db

T = TypeVar("T")
EXPORT_MAX_BYTES = 20 * 1024 * 1024  # larger archives: `crn privacy export` on the server

ConsentChannel = strawberry.enum(Enum("ConsentChannel", {c.upper(): c for c in privacy.CHANNELS}),
                                 description="A marketing channel consent is given for.")


@strawberry.type(description="A person's consent for one channel, and whether their addresses are suppressed.")
class ChannelConsent:
    channel: str
    granted: bool | None = strawberry.field(description="true given, false withdrawn, null never asked (no "
                                                        "consent: marketing fails closed)")
    at: datetime | None = None
    source: str | None = strawberry.field(default=None, description="Where the consent (or its withdrawal) "
                                                                    "came from, e.g. 'unsubscribe link'.")
    suppressed: list[str] = strawberry.field(default_factory=list, description="Reasons one of the person's "
                                             "addresses for the channel is on the suppression list "
                                             "(unsubscribed, erased).")


@strawberry.type(description="The privacy section of a person: consent per channel, erased or not.")
class PersonPrivacy:
    person_id: strawberry.ID
    erased: bool
    consent: list[ChannelConsent]


@strawberry.type(description="The consent was recorded.")
class PersonConsentSuccess:
    privacy: PersonPrivacy


@strawberry.type(description="A data-subject export: a ZIP archive (export.json + one CSV per section).")
class PersonExportSuccess:
    filename: str
    content_base64: str
    bytes: int


@strawberry.type(description="The person was erased: what the erasure scrubbed.")
class PersonEraseSuccess:
    person_id: strawberry.ID
    name: str = strawberry.field(description="The pseudonym the record now carries.")
    nodes: int
    relationships: int
    suppressed: int
    audit_redacted: bool


@strawberry.type(description="Nothing changed; `errors` say why and at which argument.")
class PrivacyError:
    errors: list[UserError]


PersonConsentResult = Annotated[Union[PersonConsentSuccess, PrivacyError], strawberry.union("PersonConsentResult")]
PersonExportResult = Annotated[Union[PersonExportSuccess, PrivacyError], strawberry.union("PersonExportResult")]
PersonEraseResult = Annotated[Union[PersonEraseSuccess, PrivacyError], strawberry.union("PersonEraseResult")]


def _error(code: str, message: str, field: str | None = None) -> PrivacyError:
    return PrivacyError(errors=[UserError(code=code, message=message, field=field)])


async def _as_viewer(info: Info, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn`` on a database thread with the viewer's access bound."""
    viewer = for_user(info.context.user)

    def work() -> T:
        with access.bound(viewer):
            return fn(*args, **kwargs)

    return await run_db(work)


def _privacy(uid: str, write: bool = False) -> PersonPrivacy | None:
    person = privacy.visible_person(uid, write=write)
    if person is None:
        return None
    consent = privacy.consent_of(uid) or {}
    return PersonPrivacy(person_id=strawberry.ID(encode_id("Person", uid)), erased=person["erased_at"] is not None,
                         consent=[ChannelConsent(channel=c, granted=v["granted"], at=_native(v["at"]),
                                                 source=v["source"], suppressed=v["suppressed"])
                                  for c, v in consent.items()])


def _native(value: Any) -> datetime | None:
    return value.to_native() if hasattr(value, "to_native") else value


def _set_consent(uid: str, channel: str, granted: bool, source: str, actor: str | None
                 ) -> PersonConsentSuccess | PrivacyError:
    if privacy.visible_person(uid, write=True) is None:
        return _error("not_found", f"no person with id {encode_id('Person', uid)} that you may change", "id")
    _, errors = privacy.set_consent(uid, channel, granted, source, actor)
    if errors:
        return PrivacyError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in errors])
    return PersonConsentSuccess(privacy=_privacy(uid))


def _export(uid: str, settings: Any, actor: str | None) -> PersonExportSuccess | PrivacyError:
    try:
        data = privacy.export_zip(privacy.export_person(uid, settings=settings, actor=actor))
    except privacy.NotFound as exc:
        return _error("not_found", str(exc), "id")
    if len(data) > EXPORT_MAX_BYTES:
        return _error("too_large", f"the archive is {len(data) // (1024 * 1024)} MB, above the API's "
                      f"{EXPORT_MAX_BYTES // (1024 * 1024)} MB; run `crn privacy export {uid} -o file.zip` on the "
                      "server instead", "id")
    return PersonExportSuccess(filename=f"crn-person-{uid}.zip", content_base64=base64.b64encode(data).decode(),
                               bytes=len(data))


def _erase(uid: str, confirm: str, actor: str | None, settings: Any) -> PersonEraseSuccess | PrivacyError:
    person = privacy.visible_person(uid)
    if person is None:
        return _error("not_found", f"no person with id {encode_id('Person', uid)}", "id")
    if (confirm or "").strip() != (person["name"] or "").strip():
        return _error("confirmation_mismatch", "type the person's name exactly as shown to confirm the erasure "
                      "(it cannot be undone)", "confirm")
    report = privacy.erase_person(uid, actor=actor, settings=settings)
    return PersonEraseSuccess(person_id=strawberry.ID(encode_id("Person", uid)), name=report.name,
                              nodes=report.nodes, relationships=report.relationships, suppressed=report.suppressed,
                              audit_redacted=report.audit)


@strawberry.type
class PrivacyQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="A person's consent per channel and "
                      "whether they were erased (null when there is no such person you may see).")
    async def person_privacy(self, info: Info, id: strawberry.ID) -> PersonPrivacy | None:
        _, uid = decode_id(id, "Person")
        return await _as_viewer(info, _privacy, uid)


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Record a person's consent (or its "
                         "withdrawal) for one channel, with where it came from; giving it again lifts an "
                         "unsubscribe (never an erasure).")
    async def person_consent_set(self, info: Info, id: strawberry.ID, channel: ConsentChannel,  # type: ignore[valid-type]
                                 granted: bool,
                                 where_from: Annotated[str, strawberry.argument(
                                     name="source", description="Where the consent (or its withdrawal) came "
                                     "from, e.g. 'signup form'.")]) -> PersonConsentResult:
        # (the Python name is not ``source``: strawberry's permission extension takes that keyword itself)
        _, uid = decode_id(id, "Person")
        return await _as_viewer(info, _set_consent, uid, channel.value, granted, where_from, info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Everything crn holds about a person, as a "
                         "ZIP archive (base64): record, relationships, interactions, orders, tickets, tasks, "
                         "outbox items, rule runs, merges, SMS, suppressions (GDPR art. 15/20, PIPL art. 45).")
    async def person_export(self, info: Info, id: strawberry.ID) -> PersonExportResult:
        _, uid = decode_id(id, "Person")
        return await _as_viewer(info, _export, uid, info.context.settings, info.context.actor)

    @strawberry.mutation(permission_classes=[IsAdmin], description="Erase a person (GDPR art. 17, PIPL art. 47): "
                         "anonymised everywhere, addresses suppressed; `confirm` must be their name as shown. "
                         "Cannot be undone.")
    async def person_erase(self, info: Info, id: strawberry.ID, confirm: str) -> PersonEraseResult:
        _, uid = decode_id(id, "Person")
        return await _as_viewer(info, _erase, uid, confirm, info.context.actor, info.context.settings)


__all__ = ["PrivacyQuery", "PrivacyMutation", "EXPORT_MAX_BYTES"]
