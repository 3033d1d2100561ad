"""The audit trail: entries appended in the transaction of the change, read per record or overall, verified,
redacted for erasure and purged by retention.

Appends are serialised by the single ``:AuditHead`` node: the first statement of an append writes it (reserving
the sequence numbers), which takes its write lock until the transaction ends, so the next append reads the hash
this one leaves. An audited change and its entries commit together or not at all. See docs/audit.md.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.audit import chain
from crn.audit import channel as channels
from crn.crm.events import Event
from crn.graph import access, db
from crn.graph.queries import audit as q
from crn.graph.secrets import SECRET_PROPERTIES

log = logging.getLogger(__name__)

# Bookkeeping properties a change list leaves out (they change on every write and say nothing new).
SKIPPED_FIELDS = frozenset({"uid", "created_at", "updated_at", "updated_by", "stage_history", *SECRET_PROPERTIES})
# A change to one of these on a user is a permission change.
PERMISSION_FIELDS = frozenset({"role", "active"})
ERASED = "[erased]"
CSV_COLUMNS = ("seq", "at", "actor", "actor_name", "action", "label", "uid", "other", "channel", "ref", "changes",
               "details", "redacted", "hash")


@dataclass(frozen=True)
class Draft:
    """An entry before it is sealed: ``action`` on ``label``/``uid`` (and ``other``, the far end of a link),
    ``changes`` as (field, before, after), ``details`` for anything else (counts, a filter, a client address).
    ``actor`` None means the bound channel's actor; ``channel``/``ref`` None mean the bound channel's."""

    action: str
    label: str | None = None
    uid: str | None = None
    other: str | None = None
    changes: tuple[tuple[str, Any, Any], ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    actor: str | None = None
    channel: str | None = None
    ref: str | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def stamp(moment: datetime) -> str:
    """The sortable text form of a time in the trail (UTC, microseconds): 2026-11-29T11:04:47.123456Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---- appending --------------------------------------------------------------------------------------------------

def append(tx: ManagedTransaction, drafts: list[Draft]) -> list[int]:
    """Seal ``drafts`` into the chain inside ``tx``; returns their sequence numbers."""
    if not drafts:
        return []
    bound = channels.current()
    actors = sorted({d.actor or bound.actor for d in drafts} - {None})
    head = tx.run(q.LOCK_HEAD, n=len(drafts), actors=actors).single()
    names = {uid: name for uid, name in head["names"]}
    seq, prev, at = head["seq"], head["hash"], stamp(_now())
    rows, seqs = [], []
    for draft in drafts:
        seq += 1
        actor = draft.actor or bound.actor
        name = bound.actor_name if actor == bound.actor and bound.actor_name else names.get(actor)
        frame = {"seq": seq, "at": at, "actor": actor, "action": draft.action, "target_label": draft.label,
                 "target": draft.uid, "other": draft.other, "channel": draft.channel or bound.name,
                 "ref": draft.ref if draft.channel else (draft.ref or bound.ref)}
        payload = {"actor_name": name, "changes": [{"field": f, "before": b, "after": a} for f, b, a in draft.changes],
                   "details": draft.details}
        row = chain.seal(frame, payload, prev)
        prev = row["hash"]
        rows.append(row)
        seqs.append(seq)
    tx.run(q.APPEND, entries=rows, hash=prev).consume()
    return seqs


def record(tx: ManagedTransaction, action: str, **entry: Any) -> list[int]:
    """Append one entry (``Draft`` fields as keywords) in ``tx``: for changes that publish no domain event."""
    return append(tx, [Draft(action, **entry)])


def record_alone(action: str, **entry: Any) -> list[int]:
    """Append one entry in a write transaction of its own: for what changes no record (a login, an export)."""
    return db.write_tx(lambda tx: record(tx, action, **entry))


def write(cypher: str, draft: Draft | None, **params: Any) -> list[dict[str, Any]]:
    """Run one write statement and append ``draft`` in the same transaction when the statement returned rows (it
    found what it changes); returns the statement's rows."""

    def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
        rows = [r.data() for r in tx.run(cypher, db.with_access(cypher, params))]
        if draft is not None and rows:
            append(tx, [draft])
        return rows

    return db.write_tx(work)


# ---- domain events -> entries -----------------------------------------------------------------------------------

def _changes(names: Iterable[str], before: dict[str, Any], after: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    return tuple((n, before.get(n), after.get(n)) for n in sorted(set(names)) if n not in SKIPPED_FIELDS)


def drafts_of(events: list[Event]) -> list[Draft]:
    """The entries of a transaction's domain events. Any kind of event becomes an entry (its kind is the action),
    so a new kind is audited without an edit here; the known kinds get their verbs:
    create, update (permission_change for a user's role or active flag), delete, merge, link, unlink."""
    updated = {(e.label, e.uid) for e in events if e.kind == "updated"}
    out: list[Draft] = []
    for e in events:
        via = {"channel": "rule", "ref": e.chain[-1]} if e.chain else {}
        base = {"label": e.label, "uid": e.uid, "other": e.other_uid, "actor": e.actor, **via}
        if e.kind == "created":
            out.append(Draft("create", changes=_changes(e.after, {}, e.after), **base))
        elif e.kind == "updated":
            names = e.changed or tuple(e.after)
            action = "permission_change" if e.label == "User" and PERMISSION_FIELDS & set(names) else "update"
            out.append(Draft(action, changes=_changes(names, e.before, e.after), **base))
        elif e.kind == "stage_changed":
            if (e.label, e.uid) not in updated:  # records.update_record publishes both: one entry
                out.append(Draft("update", changes=_changes(("stage",), e.before, e.after), **base))
        elif e.kind == "deleted":
            merged_into = (e.after or {}).get("merged_into")
            if merged_into:
                out.append(Draft("merge", changes=_changes(e.before, e.before, {}), details={"merged_into": merged_into},
                                 **{**base, "other": merged_into}))
            else:
                out.append(Draft("delete", changes=_changes(e.before, e.before, {}), **base))
        elif e.kind in ("linked", "unlinked"):
            out.append(Draft("link" if e.kind == "linked" else "unlink",
                             changes=_changes({*e.before, *e.after}, e.before, e.after), **base))
        else:
            names = e.changed or tuple({*e.before, *e.after})
            out.append(Draft(e.kind, changes=_changes(names, e.before, e.after), **base))
    return out


def on_events(tx: ManagedTransaction, events: list[Event]) -> None:
    """The domain-event listener (crn.crm.events.subscribe): the entries commit with the change."""
    append(tx, drafts_of(events))


# ---- reading ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrailFilter:
    """What the trail is narrowed to (each None: any): the acting user's uid, the action, the target's label,
    a record uid (as target or the other end of a link), the channel, and a time range [``start``, ``end``)."""

    actor: str | None = None
    action: str | None = None
    label: str | None = None
    uid: str | None = None
    channel: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def params(self) -> dict[str, Any]:
        return {"actor": self.actor, "action": self.action, "label": self.label, "uid": self.uid,
                "channel": self.channel, "from": stamp(self.start) if self.start else None,
                "to": stamp(self.end) if self.end else None}

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.params().items() if v is not None}


@dataclass(frozen=True)
class Entry:
    """An entry as readers get it (the payload decoded)."""

    seq: int
    at: datetime
    actor: str | None
    actor_name: str | None
    action: str
    label: str | None
    uid: str | None
    other: str | None
    channel: str
    ref: str | None
    changes: list[dict[str, Any]]
    details: dict[str, Any]
    redacted: bool
    hash: str

    @classmethod
    def of(cls, row: dict[str, Any]) -> Entry:
        try:
            payload = json.loads(row.get("payload") or "{}")
        except ValueError:
            payload = {}
        return cls(seq=row["seq"], at=datetime.strptime(row["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc),
                   actor=row.get("actor"), actor_name=payload.get("actor_name"), action=row["action"],
                   label=row.get("target_label"), uid=row.get("target"), other=row.get("other"),
                   channel=row.get("channel") or "system", ref=row.get("ref"), changes=payload.get("changes") or [],
                   details=payload.get("details") or {}, redacted=bool(row.get("redacted")), hash=row.get("hash") or "")

    def csv_row(self) -> list[Any]:
        return [self.seq, stamp(self.at), self.actor or "", self.actor_name or "", self.action, self.label or "",
                self.uid or "", self.other or "", self.channel, self.ref or "", chain.canonical(self.changes),
                chain.canonical(self.details), str(self.redacted).lower(), self.hash]


@dataclass(frozen=True)
class Page:
    """A page of entries, newest first; ``end_cursor``: pass it as ``after`` for the next page."""

    entries: list[Entry]
    has_next: bool
    end_cursor: str | None
    total: int | None = None


def _visible(entries: list[Entry], viewer: access.Access) -> list[Entry]:
    """The entries ``viewer`` may read: admins all; others only entries on records they can read now (the target
    readable, and the far end of a link readable or not a record). Deleted targets and entries that are on no
    record (logins, tokens, rules, users, fields) are for admins."""
    if viewer.all:
        return entries
    uids = sorted({u for e in entries for u in (e.uid, e.other) if u})
    if not uids:
        return []
    found = {row["uid"]: row["readable"] for row in db.read(q.READABLE_TARGETS, uids=uids, access=viewer.param())}
    return [e for e in entries if e.uid and found.get(e.uid) and (e.other is None or found.get(e.other, True))]


def _cursor(after: str | None) -> int | None:
    if after in (None, ""):
        return None
    try:
        seq = int(after)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"after={after!r} is not a cursor of the audit trail: pass the endCursor of the previous "
                         "page") from exc
    return seq


def _paged(fetch, first: int, after: str | None, viewer: access.Access, batches: int = 20) -> Page:
    """Collect ``first`` visible entries older than the cursor, scanning at most ``batches`` batches."""
    before, kept = _cursor(after), []
    size = first + 1 if viewer.all else max(4 * first, 200)
    for _ in range(batches):
        rows = fetch(before, size)
        entries = [Entry.of(r["entry"]) for r in rows]
        if not entries:
            break
        for entry in _visible(entries, viewer):
            kept.append(entry)
            if len(kept) > first:
                break
        if len(kept) > first or len(entries) < size:
            break
        before = entries[-1].seq
    else:  # scanned the most we do for one page: offer the rest as a next page
        page = kept[:first]
        return Page(page, True, str(before), None)
    page = kept[:first]
    return Page(page, len(kept) > first, str(page[-1].seq) if page else None)


def trail(flt: TrailFilter, first: int = 50, after: str | None = None, viewer: access.Access | None = None) -> Page:
    """A page of the trail, newest first, narrowed by ``flt``, as ``viewer`` (the bound access) may read it."""
    viewer = viewer or access.current()
    params = flt.params()
    page = _paged(lambda before, limit: db.read(q.TRAIL, **params, before=before, limit=limit), first, after, viewer)
    if viewer.all and after in (None, ""):
        total = db.read_one(q.TRAIL_COUNT, **params, before=None)["n"]
        return Page(page.entries, page.has_next, page.end_cursor, total)
    return page


def history(uid: str, first: int = 50, after: str | None = None, viewer: access.Access | None = None) -> Page:
    """One record's history (as the target, or the far end of a link), newest first, as ``viewer`` may read it."""
    viewer = viewer or access.current()
    return _paged(lambda before, limit: db.read(q.HISTORY, uid=uid, before=before, limit=limit), first, after, viewer)


def iter_trail(flt: TrailFilter, viewer: access.Access | None = None, page_size: int = 500) -> Iterator[Entry]:
    """Every entry of the filtered trail ``viewer`` may read, newest first."""
    viewer = viewer or access.current()
    after = None
    while True:
        page = trail(flt, page_size, after, viewer)
        yield from page.entries
        if not page.has_next:
            return
        after = page.end_cursor


def export_csv(flt: TrailFilter, out: io.TextIOBase, viewer: access.Access | None = None) -> int:
    """Write the filtered trail as CSV to ``out``; the export is itself recorded. Returns the rows written."""
    viewer = viewer or access.current()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in iter_trail(flt, viewer):
        writer.writerow(entry.csv_row())
        count += 1
    record_alone("export", label="AuditEntry", details={"what": "audit trail", "rows": count, "filter": flt.as_dict()},
                 actor=viewer.user)
    return count


def csv_text(flt: TrailFilter, viewer: access.Access | None = None) -> tuple[str, int]:
    """The filtered trail as CSV text and its row count (the export is recorded)."""
    out = io.StringIO()
    count = export_csv(flt, out, viewer)
    return out.getvalue(), count


# ---- verifying --------------------------------------------------------------------------------------------------

def _walked(upto: int, page: int) -> Iterator[dict[str, Any]]:
    after = -1
    while True:
        rows = db.read(q.CHAIN_PAGE, after=after, limit=page)
        for row in rows:
            entry = row["entry"]
            if entry.get("seq") is not None and entry["seq"] > upto:
                return
            yield entry
        if len(rows) < page:
            return
        after = rows[-1]["entry"]["seq"]


def verify(page: int = 2000) -> chain.Verdict:
    """Walk the chain from the retention checkpoint to the head; the verdict names the first broken seq."""
    head = db.read_one(q.HEAD)
    if head is None:
        rows = db.read(q.CHAIN_PAGE, after=-1, limit=1)
        return chain.walk((r["entry"] for r in rows), anchor_seq=0, anchor_hash="", head_seq=None, head_hash=None)
    verdict = chain.walk(_walked(head["seq"], page), anchor_seq=head["anchor_seq"], anchor_hash=head["anchor_hash"],
                         head_seq=head["seq"], head_hash=head["hash"])
    if not verdict.ok:
        return verdict
    # Entries beyond the head at the time we read it: either appended since (the head moved on with them) or
    # written behind the chain's back. Both are read in one transaction, so a commit cannot fall between.
    beyond = db.read_one(q.BEYOND_HEAD)
    if beyond and beyond["first"] is not None:
        return chain.Verdict(False, verdict.checked, beyond["first"], f"entry {beyond['first']} lies beyond the "
                             f"head's {beyond['seq']}: appended outside the chain", verdict.anchor_seq,
                             verdict.last_seq, verdict.redacted)
    return verdict


# ---- erasure ----------------------------------------------------------------------------------------------------

def _erase_text(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        low, out, i = value.lower(), [], 0
        while i < len(value):
            hit = next((n for n in needles if low.startswith(n, i)), None)
            if hit:
                out.append(ERASED)
                i += len(hit)
            else:
                out.append(value[i])
                i += 1
        return "".join(out)
    if isinstance(value, list):
        return [_erase_text(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _erase_text(v, needles) for k, v in value.items()}
    return value


def _erase_values(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"field": c.get("field"), "before": None if c.get("before") is None else ERASED,
             "after": None if c.get("after") is None else ERASED} for c in changes]


def redact_subject(uid: str, needles: list[str], actor: str | None, tx: ManagedTransaction | None = None) -> int:
    """Erase a person from the trail without breaking it; returns how many entries were redacted.

    Entries about ``uid`` (as the target or the far end of a link) lose every changed value (field names stay);
    every other entry whose payload contains one of ``needles`` (the person's name, e-mail, phone ...: compared
    case-insensitively, at least 2 characters) has each occurrence replaced by ``[erased]``. A redacted entry keeps
    its digest and is marked ``redacted``, so ``crn audit verify`` still verifies the chain. The redaction is
    itself recorded (action ``redact``, target ``uid``, the count; never the needles).

    ``tx``: the erasure's own transaction (call this last in it, after the erasure published its events, so the
    entries of the erasure itself are redacted too); None runs in a transaction of its own.
    """
    words = sorted({n.strip().lower() for n in needles if n and len(n.strip()) >= 2}, key=len, reverse=True)

    def work(tx: ManagedTransaction) -> int:
        rows = []
        for row in tx.run(q.REDACTION_CANDIDATES, uid=uid, needles=words):
            try:
                payload = json.loads(row["payload"] or "{}")
            except ValueError:
                payload = {}
            if uid in (row["target"], row["other"]):
                payload["changes"] = _erase_values(payload.get("changes") or [])
            payload = _erase_text(payload, words)
            rows.append({"seq": row["seq"], "payload": chain.canonical(payload)})
        count = tx.run(q.REDACT, rows=rows, now=stamp(_now())).single()["redacted"] if rows else 0
        record(tx, "redact", uid=uid, details={"entries": count}, actor=actor)
        return count

    return work(tx) if tx is not None else db.write_tx(work)


# ---- retention --------------------------------------------------------------------------------------------------

def purge_expired(days: int, now: datetime | None = None, batch: int = 5000) -> int:
    """Delete entries older than ``days`` days (0: keep everything); returns how many. The hash of the last
    purged entry becomes the chain's checkpoint (the head's anchor), so the rest still verifies."""
    if days <= 0:
        return 0
    cutoff = stamp((now or _now()) - timedelta(days=days))
    total = 0
    while True:
        def work(tx: ManagedTransaction) -> int:
            tx.run(q.LOCK_FOR_PURGE, now=stamp(_now())).consume()
            last = tx.run(q.LAST_EXPIRED, cutoff=cutoff).single()["last"]
            if last is None:
                return 0
            rows = tx.run(q.OLDEST_UP_TO, last=last, limit=batch).single()
            if not rows["seqs"]:
                return 0
            anchor = tx.run(q.ENTRY_HASH, seq=rows["seq"]).single()["hash"]
            purged = tx.run(q.PURGE, seqs=rows["seqs"]).single()["purged"]
            tx.run(q.SET_ANCHOR, seq=rows["seq"], hash=anchor).consume()
            return purged

        purged = db.write_tx(work)
        total += purged
        if purged < batch:
            break
    if total:
        record_alone("purge", label="AuditEntry", details={"purged": total, "older_than": cutoff, "days": days},
                     channel="system")
    return total


_last_purge: list[float] = [float("-inf")]
PURGE_EVERY_SECONDS = 3600.0


def purge_due(days: int, every: float = PURGE_EVERY_SECONDS) -> int:
    """:func:`purge_expired` at most once per ``every`` seconds in this process (the worker calls it each pass)."""
    import time

    if days <= 0 or time.monotonic() - _last_purge[0] < every:
        return 0
    _last_purge[0] = time.monotonic()
    try:
        return purge_expired(days)
    except Exception:  # noqa: BLE001 - retention runs again next hour; delivery must go on
        log.exception("audit retention failed")
        return 0
