"""The audit trail over GraphQL: `auditTrail`, `recordHistory`, `auditTrailCsv`, `auditVerify` (crn.audit).

Nothing here changes an entry: the trail has no mutation (entries are appended by the changes they record).
Admins read every entry; others only the entries on records they can read now (crn.audit.store._visible).
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import strawberry
from strawberry.types import Info

from crn import audit
from crn.auth.access import for_user
from crn.schema.base import JSON, ClientError
from crn.schema.permissions import IsAdmin, IsAuthenticated
from crn.schema.workers import run_db

DEFAULT_FIRST = 50


@strawberry.type(description="One changed field of an audit entry: its value before and after.")
class AuditChange:
    field: str
    before: JSON | None = None
    after: JSON | None = None


@strawberry.type(description="Who did what, when, on which record, through what (ui, api, cli, import, rule, "
                             "system). Entries are append-only and chained by hash (see `auditVerify`).")
class AuditEntry:
    seq: int = strawberry.field(description="Position in the chain (1, 2, 3 ...).")
    at: datetime
    actor: str | None = strawberry.field(description="The acting user's uid (null: crn itself or the CLI).")
    actor_name: str | None = strawberry.field(description="The actor's display name at the time.")
    action: str = strawberry.field(description="create, update, delete, link, unlink, merge, import, export, login, "
                                               "login_failed, logout, token_create, token_revoke, rule_create, "
                                               "rule_update, rule_enable, rule_disable, rule_delete, "
                                               "permission_change, password_change, field_define, field_change, "
                                               "field_remove, field_restore, field_purge, redact, purge, or the kind "
                                               "of any other domain event.")
    label: str | None = strawberry.field(description="The target's record type (for links: the relationship type).")
    uid: str | None = strawberry.field(description="The target record (for links: the start).")
    other: str | None = strawberry.field(description="For links and merges: the other record.")
    channel: str = strawberry.field(description="ui | api | cli | import | rule | system")
    ref: str | None = strawberry.field(description="Within the channel: the API token id, the rule id, the "
                                                   "import run id.")
    changes: list[AuditChange]
    details: JSON = strawberry.field(description="What else the entry says (counts of an import or export, the "
                                                 "e-mail and client of a failed login ...); never a password.")
    redacted: bool = strawberry.field(description="Personal data was erased from it (data-subject erasure).")
    hash: str


@strawberry.type(description="A page of audit entries, newest first.")
class AuditTrailPage:
    entries: list[AuditEntry]
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    total: int | None = strawberry.field(default=None, description="Entries matching the filter (admins, "
                                                                   "first page only).")


@strawberry.input(description="Narrow the trail; every field is optional.")
class AuditFilter:
    actor: str | None = strawberry.field(default=None, description="The acting user's uid.")
    action: str | None = None
    label: str | None = strawberry.field(default=None, description="Record type (Company, Person ...).")
    uid: str | None = strawberry.field(default=None, description="A record, as target or far end of a link.")
    channel: str | None = strawberry.field(default=None, description="ui | api | cli | import | rule | system")
    from_: datetime | None = strawberry.field(name="from", default=None, description="At or after.")
    to: datetime | None = strawberry.field(default=None, description="Before.")


@strawberry.type(description="What walking the hash chain found.")
class AuditVerdict:
    ok: bool
    checked: int = strawberry.field(description="Entries verified.")
    first_broken: int | None = strawberry.field(description="The first entry (seq) where the chain is broken.")
    reason: str
    anchor_seq: int = strawberry.field(description="Where the walk started (the retention checkpoint; 0: the "
                                                   "beginning).")
    last_seq: int
    redacted: int = strawberry.field(description="Entries whose payload was erased (verified by digest).")


@strawberry.type(description="The filtered trail as a CSV file (base64).")
class AuditExport:
    content_type: str
    content_base64: str
    rows: int


def _entry(e: audit.Entry) -> AuditEntry:
    return AuditEntry(seq=e.seq, at=e.at, actor=e.actor, actor_name=e.actor_name, action=e.action, label=e.label,
                      uid=e.uid, other=e.other, channel=e.channel, ref=e.ref, details=e.details, redacted=e.redacted,
                      hash=e.hash, changes=[AuditChange(field=str(c.get("field")), before=c.get("before"),
                                                        after=c.get("after")) for c in e.changes])


def _page(page: audit.Page) -> AuditTrailPage:
    return AuditTrailPage(entries=[_entry(e) for e in page.entries], has_next_page=page.has_next,
                          end_cursor=page.end_cursor, total=page.total)


def _filter(flt: AuditFilter | None) -> audit.TrailFilter:
    if flt is None:
        return audit.TrailFilter()
    if flt.channel is not None and flt.channel not in audit.CHANNELS:
        raise ClientError(f"filter.channel {flt.channel!r} is not a channel; use one of {', '.join(audit.CHANNELS)}",
                          "invalid_filter")
    return audit.TrailFilter(actor=flt.actor, action=flt.action, label=flt.label, uid=flt.uid, channel=flt.channel,
                             start=flt.from_, end=flt.to)


def _first(info: Info, first: int) -> int:
    most = info.context.settings.max_page_size
    if not 1 <= first <= most:
        raise ClientError(f"first must be between 1 and {most} (CRN_MAX_PAGE_SIZE)", "invalid_page_size")
    return first


def _call(fn, *args: Any) -> Any:
    try:
        return fn(*args)
    except ValueError as exc:  # a cursor that is not one
        raise ClientError(str(exc), "invalid_cursor") from exc


@strawberry.type
class AuditQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The audit trail, newest first: admins "
                      "read every entry; others only entries on records they can read now.")
    async def audit_trail(self, info: Info, filter: AuditFilter | None = None,  # noqa: A002
                          first: int = DEFAULT_FIRST, after: str | None = None) -> AuditTrailPage:
        viewer = for_user(info.context.user)
        return _page(await run_db(_call, lambda: audit.trail(_filter(filter), _first(info, first), after, viewer)))

    @strawberry.field(permission_classes=[IsAuthenticated], description="One record's history (who changed what, "
                      "when, through what), newest first; empty when you cannot read the record.")
    async def record_history(self, info: Info, uid: str, first: int = DEFAULT_FIRST,
                             after: str | None = None) -> AuditTrailPage:
        viewer = for_user(info.context.user)
        return _page(await run_db(_call, lambda: audit.history(uid, _first(info, first), after, viewer)))

    @strawberry.field(permission_classes=[IsAuthenticated], description="The filtered trail (as `auditTrail` shows "
                      "it to you) as a CSV file; the export is itself recorded.")
    async def audit_trail_csv(self, info: Info, filter: AuditFilter | None = None) -> AuditExport:  # noqa: A002
        viewer = for_user(info.context.user)
        text, rows = await run_db(audit.csv_text, _filter(filter), viewer)
        return AuditExport(content_type="text/csv; charset=utf-8", rows=rows,
                           content_base64=base64.b64encode(text.encode("utf-8")).decode("ascii"))

    @strawberry.field(permission_classes=[IsAdmin], description="Walk the audit trail's hash chain (admins): the "
                      "first broken entry, if any.")
    async def audit_verify(self, info: Info) -> AuditVerdict:
        verdict = await run_db(audit.verify)
        return AuditVerdict(ok=verdict.ok, checked=verdict.checked, first_broken=verdict.first_broken,
                            reason=verdict.reason, anchor_seq=verdict.anchor_seq, last_seq=verdict.last_seq,
                            redacted=verdict.redacted)


def _http_filter(params) -> audit.TrailFilter:
    """The trail filter of a download's query string (?actor=&action=&label=&uid=&channel=&from=&to=)."""
    def moment(name: str) -> datetime | None:
        raw = params.get(name)
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise ValueError(f"{name}={raw!r} is not a date or time; write e.g. 2026-01-31 or 2026-01-31T09:00Z") from exc
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)

    channel = params.get("channel") or None
    if channel is not None and channel not in audit.CHANNELS:
        raise ValueError(f"channel={channel!r} is not a channel; use one of {', '.join(audit.CHANNELS)}")
    return audit.TrailFilter(actor=params.get("actor") or None, action=params.get("action") or None,
                             label=params.get("label") or None, uid=params.get("uid") or None, channel=channel,
                             start=moment("from"), end=moment("to"))


def audit_routes(settings) -> list:
    """GET /audit/export.csv: the filtered trail (as `auditTrail` shows it to the caller) as a CSV download,
    for a bearer token or a session; the export is itself recorded."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from crn.audit import channel as audit_channel
    from crn.auth.http import authenticate_request, unauthorized, uses_session_cookie

    async def export(request: Request) -> Response:
        user = await authenticate_request(request, settings)
        if user is None:
            return unauthorized()
        try:
            flt = _http_filter(request.query_params)
        except ValueError as exc:
            return JSONResponse({"ok": False, "error": {"code": "invalid_filter", "message": str(exc)}}, status_code=400)
        via = audit_channel.Channel("ui" if uses_session_cookie(request) else "api", actor=user.uid,
                                    actor_name=user.name)

        def write() -> tuple[str, int]:
            with audit.through(via.name, actor=via.actor, actor_name=via.actor_name):
                return audit.csv_text(flt, for_user(user))

        text, rows = await run_in_threadpool(write)
        return Response(text, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="audit.csv"', "X-Rows": str(rows)})

    return [Route("/audit/export.csv", export, methods=["GET"])]


__all__ = ["AuditQuery", "audit_routes"]
