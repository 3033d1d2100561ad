"""Personal-data rights (PIPL/GDPR): per-channel consent, the suppression list, signed one-click unsubscribe
links, the data-subject export, erasure and retention. Every entry point (automation actions, the unsubscribe
page, GraphQL, the CLI, the worker) goes through these operations.

Consent is fail-closed: a marketing message goes out only to an address whose person gave consent for that
channel and that is not on the suppression list; an address crn does not know is not mailed either. Staff
(users) are always reachable: a rule telling an account manager about a deal is not marketing to them.
Transactional messages (order confirmations, ...) ignore marketing consent and unsubscribes, never an
erasure. See docs/privacy.md.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import logging
import re
import secrets as pysecrets
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from crn.config import Settings
from crn.crm import events
from crn.crm.validation import FieldError
from crn.graph import db
from crn.graph.queries import privacy as q
from crn.graph.secrets import strip

log = logging.getLogger(__name__)

CHANNELS: tuple[str, ...] = ("email", "sms", "phone")
PURPOSES: tuple[str, ...] = ("marketing", "transactional")
TOKEN_VERSION = 1
_DIGITS = [*"0123456789", "+"]
# The person's own properties an erasure keeps: identity-free facts that aggregates and access rely on.
ERASURE_KEEPS: tuple[str, ...] = ("uid", "created_at", "lifecycle", "country", "seniority", "acl_r", "acl_w",
                                  "owner_uid")


# --- keys and address hashes ----------------------------------------------------------------------

def _key(name: str) -> bytes:
    """The server secret ``name`` (created on first use, kept in the database as a PrivacyKey's ``secret``,
    which crn.graph.secrets keeps out of every export, context and API answer; never logged)."""
    row = db.read_one(q.PRIVACY_KEY_READ, name=name)  # a read on the hot path; the write only the first time
    if row is None:
        row = db.write(q.PRIVACY_KEY, name=name, secret=pysecrets.token_hex(32))[0]
    return bytes.fromhex(row["secret"])


def normalise_address(channel: str, address: str) -> str:
    """The comparable form of an address: e-mails lower-cased, phone numbers digits (and a leading +) only.

    >>> normalise_address("email", " Ada@Example.COM "), normalise_address("sms", "+86 138-0013 8000")
    ('ada@example.com', '+8613800138000')
    """
    address = (address or "").strip()
    if channel == "email":
        return address.lower()
    digits = "".join(c for c in address if c.isdigit())
    return ("+" + digits) if address.startswith("+") else digits


def _medium(channel: str) -> str:
    return "email" if channel == "email" else "phone"


def address_hashes(channel: str, addresses: list[str], key: bytes | None = None) -> dict[str, str]:
    """address -> its suppression key (``<channel>:<HMAC of the normalised address>``); the suppression list
    holds only these, so it names nobody. SMS and phone calls share the phone number's hash medium."""
    key = key or _key("address")
    out = {}
    for address in addresses:
        norm = normalise_address(channel, address)
        if norm:
            digest = hmac.new(key, f"{_medium(channel)}:{norm}".encode(), hashlib.sha256).hexdigest()
            out[address] = f"{channel}:{digest}"
    return out


# --- consent decisions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """Whether a message may go to one address: ``allowed``, a ``code`` and a ``message`` saying why;
    ``person_uid`` the person it belongs to (None for staff and unknown addresses); ``key`` its
    suppression key (for the unsubscribe link)."""

    allowed: bool
    code: str
    message: str
    person_uid: str | None = None
    key: str | None = None
    staff: bool = False


def _suppression(keys: list[str]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in db.read(q.SUPPRESSIONS, keys=keys)} if keys else {}


def may_send(channel: str, address: str, purpose: str) -> Decision:
    """May a ``purpose`` message on ``channel`` (email, sms, phone) go to ``address``? Fails closed."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; known: {', '.join(CHANNELS)}")
    norm = normalise_address(channel, address)
    if not norm:
        return Decision(False, "no_address", f"no {channel} address to send to")
    key = address_hashes(channel, [address])[address]
    suppressed = _suppression([key]).get(key)
    if suppressed and suppressed["reason"] == "erased":
        return Decision(False, "erased", "the person this address belonged to was erased; it is never "
                        "contacted again", key=key)
    if purpose == "transactional":
        return Decision(True, "transactional", "transactional message (marketing consent does not apply)",
                        key=key)
    if suppressed:
        return Decision(False, "suppressed", f"the address is on the suppression list ({suppressed['reason']}, "
                        f"{_iso(suppressed['at'])})", key=key)
    if channel == "email":
        if db.read(q.STAFF_BY_EMAIL, address=norm):
            return Decision(True, "staff", "a user of crn (an internal notification, not marketing)", key=key,
                            staff=True)
        people = db.read(q.PEOPLE_BY_EMAIL, address=norm)
        consents = [(row["uid"], row["consent"]) for row in people]
    else:
        people = db.read(q.PEOPLE_BY_PHONE, phone=norm, digits=_DIGITS)
        consents = [(row["uid"], row[f"consent_{channel}"]) for row in people]
    if not consents:
        return Decision(False, "unknown_recipient", f"no person in crn has this {channel} address, so nobody "
                        "gave consent for marketing to it (mark the rule transactional if it is not marketing)",
                        key=key)
    refused = [uid for uid, given in consents if given is not True]
    if refused:
        withdrawn = any(given is False for _, given in consents)
        return Decision(False, "consent_withdrawn" if withdrawn else "no_consent",
                        f"person {refused[0]} has {'withdrawn' if withdrawn else 'not given'} {channel} marketing "
                        "consent", person_uid=refused[0], key=key)
    return Decision(True, "consent", f"{channel} marketing consent given", person_uid=consents[0][0], key=key)


def may_share(person_uid: str | None, channel: str, purpose: str) -> Decision:
    """May a person's record go to a marketing tool (a webhook flagged so) for ``channel``? Fails closed."""
    if purpose == "transactional":
        return Decision(True, "transactional", "transactional (marketing consent does not apply)")
    row = db.read_one(q.PERSON_CONSENT, uid=person_uid) if person_uid else None
    if row is None:
        return Decision(False, "no_person", "a marketing-tool webhook sends only records of people who gave "
                        "consent, and this rule's subject is not a person")
    addresses = [a for a in ([row["email"], *row["emails"]] if channel == "email" else row["phones"]) if a]
    keys = list(address_hashes(channel, addresses).values())
    found = _suppression(keys)
    if found:
        return Decision(False, "suppressed", "one of the person's addresses is on the suppression list",
                        person_uid=person_uid)
    given = row[f"consent_{channel}"]
    if given is not True:
        return Decision(False, "consent_withdrawn" if given is False else "no_consent",
                        f"person {person_uid} has {'withdrawn' if given is False else 'not given'} {channel} "
                        "marketing consent", person_uid=person_uid)
    return Decision(True, "consent", f"{channel} marketing consent given", person_uid=person_uid)


# --- consent changes and the suppression list -----------------------------------------------------

def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _consent_props(channel: str, granted: bool, source: str, now: datetime) -> dict[str, Any]:
    return {f"consent_{channel}": granted, f"consent_{channel}_at": now, f"consent_{channel}_source": source}


def _person_addresses(row: dict[str, Any], channel: str) -> list[str]:
    if channel == "email":
        return [a for a in [row.get("email"), *(row.get("emails") or [])] if a]
    return [a for a in row.get("phones") or [] if a]


def set_consent(uid: str, channel: str, granted: bool, source: str, actor: str | None,
                now: datetime | None = None) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """Record a person's consent for ``channel`` (with when and where it came from); giving consent again
    lifts an earlier unsubscribe of their addresses (never an erasure). Returns (consent, errors)."""
    if channel not in CHANNELS:
        return None, [FieldError("unknown_channel", f"unknown channel {channel!r}; use one of "
                                 f"{', '.join(CHANNELS)}", "channel")]
    source = (source or "").strip()[:200]
    if not source:
        return None, [FieldError("required", "say where the consent came from (e.g. 'signup form', 'phone call "
                                 "2026-03-01')", "source")]
    now = now or _now()
    row = db.read_one(q.PERSON_CONSENT, uid=uid)
    if row is None:
        return None, [FieldError("not_found", f"no person with id {uid}", "id")]
    keys = list(address_hashes(channel, _person_addresses(row, channel)).values())
    props = _consent_props(channel, granted, source, now)

    def work(tx) -> None:
        result = tx.run(q.SET_CONSENT, uid=uid, props=props, now=now, actor=actor).single()
        if granted and keys:
            tx.run(q.UNSUPPRESS, keys=keys).consume()
        before = result["before"]
        changed = tuple(sorted(k for k in props if before.get(k) != props[k]))
        events.publish(tx, [events.Event("updated", "Person", uid, actor=actor, changed=changed,
                                         before={k: before.get(k) for k in changed},
                                         after={k: props[k] for k in changed})])

    events.write_tx(work)
    return consent_of(uid), []


def visible_person(uid: str, write: bool = False) -> dict[str, Any] | None:
    """The person (uid, name, erased_at) when the bound viewer may read (``write``: change) them, else None."""
    return db.read_one(q.PERSON_WRITABLE if write else q.PERSON_READABLE, uid=uid)


def consent_of(uid: str) -> dict[str, Any] | None:
    """A person's consent per channel: {channel: {granted, at, source, suppressed}} (None: no such person)."""
    row = db.read_one(q.PERSON_CONSENT, uid=uid)
    if row is None:
        return None
    out = {}
    for channel in CHANNELS:
        keys = list(address_hashes(channel, _person_addresses(row, channel)).values())
        found = _suppression(keys)
        out[channel] = {"granted": row[f"consent_{channel}"], "at": row[f"consent_{channel}_at"],
                        "source": row[f"consent_{channel}_source"],
                        "suppressed": sorted({s["reason"] for s in found.values()})}
    return out


def suppress(channel: str, addresses: list[str], reason: str, source: str) -> int:
    """Put addresses on the suppression list (by hash); returns how many entries exist for them."""
    rows = [{"key": key, "channel": channel, "address_hash": key.split(":", 1)[1]}
            for key in address_hashes(channel, addresses).values()]
    return db.write(q.SUPPRESS, rows=rows, reason=reason, source=source, now=_now())[0]["n"] if rows else 0


# --- one-click unsubscribe --------------------------------------------------------------------------

class TokenInvalid(ValueError):
    """An unsubscribe token that is malformed, forged or expired; ``code`` says which."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(channel: str, key: str, person_uid: str | None, days: int, now: datetime | None = None) -> str:
    """A signed unsubscribe token for the address whose suppression key is ``key`` (no address in it: only
    its hash), valid ``days`` days (CRN_UNSUBSCRIBE_DAYS)."""
    expires = int(((now or _now()) + timedelta(days=days)).timestamp())
    payload = _b64(json.dumps({"v": TOKEN_VERSION, "c": channel, "k": key, "p": person_uid, "e": expires},
                              separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key("unsubscribe"), payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def read_token(token: str, now: datetime | None = None) -> dict[str, Any]:
    """The payload of a genuine, unexpired token; raises :class:`TokenInvalid` otherwise."""
    if not isinstance(token, str) or len(token) > 600 or token.count(".") != 1:
        raise TokenInvalid("malformed", "this unsubscribe link is incomplete or damaged; copy the whole link "
                           "from the e-mail")
    payload, signature = token.split(".")
    try:
        given = _unb64(signature)
    except (ValueError, TypeError):
        raise TokenInvalid("malformed", "this unsubscribe link is damaged; copy the whole link from the e-mail")
    expected = hmac.new(_key("unsubscribe"), payload.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(given, expected):
        raise TokenInvalid("forged", "this unsubscribe link was not issued by this server (or was altered)")
    try:
        data = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        raise TokenInvalid("malformed", "this unsubscribe link is damaged")
    if data.get("v") != TOKEN_VERSION or data.get("c") not in CHANNELS or not isinstance(data.get("k"), str):
        raise TokenInvalid("malformed", "this unsubscribe link is of an unknown kind")
    if int(data.get("e") or 0) < (now or _now()).timestamp():
        raise TokenInvalid("expired", "this unsubscribe link has expired; use the link in a newer e-mail, or "
                           "reply to ask us to stop")
    return data


def unsubscribe_url(settings: Settings, token: str) -> str:
    """The public address of an unsubscribe link (CRN_PUBLIC_URL, else http://CRN_HOST:CRN_PORT)."""
    base = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    return f"{base}/u/{token}"


def unsubscribe(token: str, now: datetime | None = None) -> dict[str, Any]:
    """Apply a one-click unsubscribe: the address goes on the suppression list and the person's consent for
    the channel becomes false. Idempotent: a repeat changes nothing and says so (``already``)."""
    data = read_token(token, now)
    now = now or _now()
    channel, key, uid = data["c"], data["k"], data.get("p")
    props = _consent_props(channel, False, "unsubscribe link", now)

    def work(tx) -> dict[str, Any]:
        existing = tx.run(q.SUPPRESSIONS, keys=[key]).data()
        tx.run(q.SUPPRESS, rows=[{"key": key, "channel": channel, "address_hash": key.split(":", 1)[1]}],
               reason="unsubscribed", source="unsubscribe link", now=now).consume()
        changed = False
        if uid:
            row = tx.run(q.PERSON_CONSENT, uid=uid).single()
            if row is not None and row[f"consent_{channel}"] is not False:
                result = tx.run(q.SET_CONSENT, uid=uid, props=props, now=now, actor="unsubscribe").single()
                before = result["before"]
                names = tuple(sorted(props))
                events.publish(tx, [events.Event("updated", "Person", uid, actor="unsubscribe", changed=names,
                                                 before={k: before.get(k) for k in names},
                                                 after=dict(props))])
                changed = True
        return {"channel": channel, "already": bool(existing) and not changed}

    return events.write_tx(work)


# --- data-subject export ---------------------------------------------------------------------------

class NotFound(LookupError):
    """No person matches the uid or e-mail given."""


def find_person(key: str) -> dict[str, Any]:
    """The person with uid or e-mail ``key``; raises :class:`NotFound`."""
    rows = db.read(q.FIND_PERSON, key=(key or "").strip())
    if not rows:
        raise NotFound(f"no person with uid or e-mail {key!r}")
    return rows[0]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _sms_lines(settings: Settings | None, phones: list[str]) -> list[dict[str, Any]]:
    if settings is None or settings.sms_provider != "file" or not settings.sms_file.exists():
        return []
    wanted = {normalise_address("sms", p) for p in phones if p}
    out = []
    for line in settings.sms_file.read_text(encoding="utf-8").splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if normalise_address("sms", str(message.get("to") or "")) in wanted:
            out.append(message)
    return out


def _audit():
    """crn.audit (the audit trail, issue 13 §2) when installed, else None."""
    try:
        from crn import audit  # type: ignore[attr-defined]
    except ImportError:
        return None
    return audit if hasattr(audit, "redact_subject") and hasattr(audit, "iter_trail") else None


AUDIT_LABELS: tuple[str, ...] = ("AuditEntry",)  # kept by crn.audit; an erasure redacts them through it


def _audit_entries(uid: str) -> list[dict[str, Any]] | None:
    """The person's audit entries (as target or the other end of a link) when the audit trail is installed."""
    audit = _audit()
    if audit is None:
        return None
    from dataclasses import asdict

    from crn.graph import access

    return [_plain(asdict(entry)) for entry in audit.iter_trail(audit.TrailFilter(uid=uid), viewer=access.SYSTEM)]


def export_person(key: str, settings: Settings | None = None, actor: str | None = None) -> dict[str, Any]:
    """Everything crn holds about a person, as plain data by section (no credential ever: records are read
    through crn.graph.secrets.public_properties); the export is recorded in the audit trail (who, whose, how many
    rows per section) when it is installed. Raises :class:`NotFound`."""
    uid = find_person(key)["uid"]
    person = _plain(db.read_one(q.EXPORT_PERSON, uid=uid)["person"])
    rows = lambda cypher: [_plain(r["row"]) for r in db.read(cypher, uid=uid)]  # noqa: E731
    sections: dict[str, Any] = {
        "person": person,
        "consent": _plain(consent_of(uid)),
        "relationships": [_plain(r) for r in db.read(q.EXPORT_RELATIONSHIPS, uid=uid)],
        "interactions": rows(q.EXPORT_INTERACTIONS),
        "orders": rows(q.EXPORT_ORDERS),
        "tickets": rows(q.EXPORT_TICKETS),
        "tasks": rows(q.EXPORT_TASKS),
        "outbox": [_plain(r) for r in db.read(q.EXPORT_OUTBOX, uid=uid)],
        "rule_runs": [_plain(r) for r in db.read(q.EXPORT_RULE_RUNS, uid=uid)],
        "merges": [_plain(r) for r in db.read(q.EXPORT_MERGES, uid=uid)],
        "sms": _sms_lines(settings, person.get("phones") or []),
    }
    keys = [k for channel in CHANNELS for k in address_hashes(
        channel, _person_addresses(person, channel)).values()]
    sections["suppressions"] = [_plain(r) for r in db.read(q.EXPORT_SUPPRESSIONS, keys=keys)] if keys else []
    entries = _audit_entries(uid)
    if entries is not None:
        sections["audit"] = entries
    audit = _audit()
    if audit is not None:
        audit.record_alone("export", label="Person", uid=uid, actor=actor, details={
            "what": "data-subject export",
            "rows": {name: len(v) if isinstance(v, list) else 1 for name, v in sections.items()}})
    return sections


def _csv(rows: list[dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                         for k, v in row.items()})
    return out.getvalue()


def export_zip(sections: dict[str, Any]) -> bytes:
    """The export as a ZIP archive: ``export.json`` (everything) and one CSV per list section (UTF-8 with BOM
    so spreadsheet programs read Chinese text), plus README.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", json.dumps(sections, ensure_ascii=False, indent=2, default=str))
        for name, value in sections.items():
            rows = [value] if isinstance(value, dict) and name == "person" else value
            if isinstance(rows, list):
                archive.writestr(f"{name}.csv", "\ufeff" + _csv([r if isinstance(r, dict) else {"value": r}
                                                                  for r in rows]))
        archive.writestr("README.txt", "Everything crn holds about one person (a data-subject access export, "
                         "GDPR art. 15 / 20, PIPL art. 45).\nexport.json has every section; each CSV one of them.\n")
    return buffer.getvalue()


# --- erasure -----------------------------------------------------------------------------------------

def _pattern(needle: str) -> re.Pattern[str]:
    """A case-insensitive pattern of ``needle`` that does not match inside a longer word or address."""
    left = r"(?<![\w.@+-])" if re.match(r"[\w+]", needle[0]) else ""
    right = r"(?![\w@-])" if re.match(r"\w", needle[-1]) else ""
    return re.compile(left + re.escape(needle) + right, re.IGNORECASE)


def _needles(person: dict[str, Any], pseudonym: str) -> list[tuple[str, str]]:
    """(text to find, replacement) pairs naming the person: name, addresses, phones (as stored and as digits),
    each also as JSON escapes it (contexts are stored as ASCII JSON); longest first."""
    pairs: list[tuple[str, str]] = []
    if person.get("name") and person["name"] != pseudonym:
        pairs.append((person["name"], pseudonym))
    for address in {a for a in [person.get("email"), *(person.get("emails") or [])] if a}:
        pairs.append((address, "[erased e-mail]"))
    for phone in {p for p in person.get("phones") or [] if p}:
        pairs.append((phone, "[erased phone]"))
        digits = normalise_address("sms", phone)
        if len(digits.lstrip("+")) >= 6:
            pairs += [(digits, "[erased phone]"), (digits.lstrip("+"), "[erased phone]")]
    escaped = [(json.dumps(text)[1:-1], repl) for text, repl in pairs if json.dumps(text)[1:-1] != text]
    found = {text.lower(): (text, repl) for text, repl in [*pairs, *escaped] if text.strip()}
    return sorted(found.values(), key=lambda pair: -len(pair[0]))


def scrub(value: Any, needles: list[tuple[str, str]]) -> Any:
    """``value`` (a string or list of strings) with every needle replaced."""
    if isinstance(value, list):
        return [scrub(v, needles) for v in value]
    if not isinstance(value, str):
        return value
    for text, replacement in needles:
        value = _pattern(text).sub(replacement, value)
    return value


def _rewrite_sms_file(settings: Settings | None, needles: list[tuple[str, str]]) -> int:
    if settings is None or settings.sms_provider != "file" or not settings.sms_file.exists():
        return 0
    path: Path = settings.sms_file
    lines, changed = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        scrubbed = {k: scrub(v, needles) for k, v in message.items()}
        changed += scrubbed != message
        lines.append(json.dumps(scrubbed, ensure_ascii=False))
    if changed:
        tmp = path.with_suffix(path.suffix + ".erasing")
        tmp.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        tmp.replace(path)
    return changed


@dataclass
class ErasureReport:
    """What an erasure did: the person's uid and new name, and how many nodes, relationships, audit
    entries and SMS log lines it scrubbed."""

    uid: str
    name: str
    nodes: int = 0
    relationships: int = 0
    suppressed: int = 0
    sms_lines: int = 0
    audit: bool = False
    audit_entries: int = 0
    notes: list[str] = field(default_factory=list)


def erase_person(key: str, actor: str | None, settings: Settings | None = None,
                 batch: int = 500) -> ErasureReport:
    """Anonymise a person everywhere (GDPR art. 17, PIPL art. 47): their record keeps only identity-free facts
    (:data:`ERASURE_KEEPS`) under the name "Erased person <short id>"; every text in the graph naming them
    (interaction subjects and summaries, tasks, outbox contexts, rule runs, merge records, relationship
    properties ...) has their name, e-mail addresses and phone numbers replaced; the SMS log file likewise;
    the audit trail through crn.audit.redact_subject; their addresses go on the suppression list (reason
    ``erased``, never contacted again). Relationships and aggregates stay. Publishes one ``erased`` event
    (no name in it). Raises :class:`NotFound`."""
    uid = find_person(key)["uid"]
    person = db.read_one(q.EXPORT_PERSON, uid=uid)["person"]
    pseudonym = f"Erased person {uid[:8]}"
    report = ErasureReport(uid=uid, name=pseudonym)
    if person.get("erased_at") and person.get("name") == pseudonym:
        report.notes.append("already erased")
    needles = _needles(person, pseudonym)
    lowered = [text.lower() for text, _ in needles]
    # 1. the suppression list first: from here on no rule can reach the addresses
    for channel in CHANNELS:
        addresses = _person_addresses(person, channel)
        if addresses:
            report.suppressed += suppress(channel, addresses, "erased", "erasure")
    audit = _audit()
    if audit is None:
        report.notes.append("audit trail not installed (crn.audit); nothing to redact there")
    # 2. (the audit trail is redacted last, step 6, through its own operation: it keeps its chain verifiable)
    skip_labels = AUDIT_LABELS
    # 3. the person's own record
    now = _now()

    def own(tx) -> None:
        drop = {k: None for k in person if k not in ERASURE_KEEPS}
        tx.run(q.ANONYMISE_PERSON, uid=uid, drop=drop, name=pseudonym, now=now, actor=actor).consume()

    db.write_tx(own)
    # 4. every other node and relationship naming them
    if lowered:
        for cypher, setter, counter in ((q.NODES_NAMING, q.SET_NODE_VALUES, "nodes"),
                                        (q.RELS_NAMING, q.SET_REL_VALUES, "relationships")):
            rows = []
            for row in db.read(cypher, uid=uid, needles=lowered, skip_labels=list(skip_labels)):
                changed = {k: scrub(v, needles) for k, v in row["values"]}
                changed = {k: v for k, v in changed.items() if v != dict(row["values"])[k]}
                if changed:
                    rows.append({"id": row["id"], "props": changed})
            for start in range(0, len(rows), batch):
                db.write(setter, rows=rows[start:start + batch])
            setattr(report, counter, getattr(report, counter) + len(rows))
    # 5. files crn keeps: the SMS log of the file provider
    report.sms_lines = _rewrite_sms_file(settings, needles)

    # 6. the audit trail hears of it through the domain event, without any name; then, last in the same
    #    transaction, crn.audit.redact_subject erases them from every earlier entry (issue 13 §2)
    def record(tx) -> None:
        events.publish(tx, [events.Event("erased", "Person", uid, actor=actor, changed=(),
                                         after={"erased_at": now.isoformat()})])
        if audit is not None:
            report.audit_entries = audit.redact_subject(uid, [text for text, _ in needles], actor, tx=tx)

    events.write_tx(record)
    report.audit = audit is not None
    log.info("person %s erased by %s: %d nodes, %d relationships scrubbed", uid, actor, report.nodes,
             report.relationships)
    return report


# --- retention -----------------------------------------------------------------------------------------

RETENTION: tuple[tuple[str, str, str], ...] = (
    # (report name, setting, query): each applied in batches of CRN_RETENTION_BATCH_SIZE
    ("interactions_anonymised", "retention_interactions_days", q.RETAIN_INTERACTIONS),
    ("closed_tickets_anonymised", "retention_closed_tickets_days", q.RETAIN_CLOSED_TICKETS),
    ("sessions_deleted", "retention_sessions_days", q.RETAIN_SESSIONS),
    ("outbox_items_deleted", "retention_outbox_days", q.RETAIN_OUTBOX),
    ("rule_runs_deleted", "retention_rule_runs_days", q.RETAIN_RULE_RUNS),
)


def apply_retention(settings: Settings, now: datetime | None = None, worker: str | None = None,
                    max_batches: int = 1000) -> dict[str, int]:
    """Purge or anonymise what is older than each retention setting (0 = keep), in batches; records the
    run as a :RetentionRun (the run log) and returns the counts by kind."""
    now = now or _now()
    counts: dict[str, int] = {}
    used = {}
    for name, setting, cypher in RETENTION:
        days = getattr(settings, setting)
        if not days:
            continue
        used[setting] = days
        cutoff, total = now - timedelta(days=days), 0
        for _ in range(max_batches):
            n = db.write(cypher, cutoff=cutoff, now=now, limit=settings.retention_batch_size)[0]["n"]
            total += n
            if n < settings.retention_batch_size:
                break
        counts[name] = total
    if used:
        db.write(q.RETENTION_LOG, uid=uuid.uuid4().hex, now=now, worker=worker, counts=json.dumps(counts),
                 settings=json.dumps(used))
        log.info("retention applied: %s", counts)
    return counts


def retention_runs(limit: int = 20) -> list[dict[str, Any]]:
    """The newest retention runs: when, which worker, counts and settings (as dicts)."""
    return [{**row, "counts": json.loads(row["counts"]), "settings": json.loads(row["settings"])}
            for row in db.read(q.RETENTION_RUNS, limit=limit)]


__all__ = ["CHANNELS", "PURPOSES", "Decision", "may_send", "may_share", "set_consent", "consent_of", "suppress",
           "make_token", "read_token", "unsubscribe", "unsubscribe_url", "TokenInvalid", "NotFound",
           "find_person", "export_person", "export_zip", "erase_person", "ErasureReport", "apply_retention",
           "retention_runs", "normalise_address", "address_hashes"]
