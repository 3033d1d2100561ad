"""The actions rules can take, registered in the vocabulary with their parameters and handlers.

A handler gets the rule's params, the evaluation context, the item's idempotency key and the worker's
services; it returns a small result dict or raises :class:`ActionFailed` (``retryable`` says whether the
worker should try again).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from dataclasses import dataclass, field, replace
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

import httpx

from crn.automation import authority, changes, egress, engine
from crn.automation import sms as sms_module
from crn.automation.clock import Clock, get_clock
from crn.automation.vocabulary import ActionType, Param, register_action
from crn.crm import privacy, tasks
from crn.config import Settings
from crn.graph.models.company import TIERS

SIGNATURE_HEADER = "X-Crn-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class ActionFailed(RuntimeError):
    """An action could not be done; ``retryable`` False sends the item straight to the dead letters."""

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ActionSkipped(RuntimeError):
    """An action deliberately not taken (privacy: no consent for the channel, a suppressed or unknown address);
    recorded as a ``skipped`` run with the reason, never retried."""


@dataclass
class Services:
    """What handlers need from the worker: its settings, the clock, the SMS provider."""

    settings: Settings
    clock: Clock = field(default_factory=get_clock)
    sms: sms_module.SmsProvider | None = None

    def sms_provider(self) -> sms_module.SmsProvider:
        """The SMS provider (configured one unless given)."""
        if self.sms is None:
            self.sms = sms_module.provider(self.settings)
        return self.sms


def _actor(context: dict[str, Any]) -> str:
    return f"automation:{(context.get('rule') or {}).get('id', 'unknown')}"


def _subject(context: dict[str, Any]) -> tuple[str | None, str | None]:
    row, record = context.get("row") or {}, context.get("record") or {}
    return (row.get("subject_uid") or record.get("uid"), row.get("subject_label") or record.get("label"))


def _purpose(context: dict[str, Any]) -> str:
    return (context.get("rule") or {}).get("purpose") or "marketing"


def _allowed(channel: str, addresses: list[str], purpose: str) -> list[tuple[str, privacy.Decision]]:
    """(address, decision) of each address a ``purpose`` message may go to; raises ActionSkipped when none."""
    def bare(address: str) -> str:  # "Ann Lee <ann@x.io>" is decided by ann@x.io
        return (parseaddr(address)[1] or address) if channel == "email" else address

    decisions = [(address, privacy.may_send(channel, bare(address), purpose)) for address in addresses]
    allowed = [(address, d) for address, d in decisions if d.allowed]
    if not allowed:
        raise ActionSkipped("; ".join(f"{d.code}: {d.message}" for _, d in decisions))
    return allowed


def consent_skip(action: str, params: dict[str, Any], context: dict[str, Any], purpose: str) -> str | None:
    """Why a delivery of ``action`` would be skipped for consent (the reason, as the skipped run would record
    it), or None when it would go out (or the action sends nothing to people). For dry runs."""
    try:
        if action in ("send_email", "send_sms"):
            to = engine.render(params.get("to") or "", context).strip()
            addresses = [a.strip() for a in to.split(",") if a.strip()] if action == "send_email" else [to]
            if addresses and addresses != [""]:
                _allowed("email" if action == "send_email" else "sms", addresses, purpose)
        elif action == "call_webhook" and params.get("marketing_tool"):
            decision = privacy.may_share(_subject(context)[0], params.get("channel") or "email", purpose)
            if not decision.allowed:
                return f"{decision.code}: {decision.message}"
    except ActionSkipped as exc:
        return str(exc)
    return None


def _unsubscribe_footer(url: str) -> str:
    return (f"\n\n--\nTo stop these e-mails, unsubscribe: {url}\n"
            f"如不想再收到此类邮件，请点击退订：{url}\n")


def send_email(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Send an email over SMTP; the Message-ID carries the idempotency key so receivers can drop repeats.

    A marketing rule's e-mail goes only to addresses with e-mail consent that are not suppressed (else the
    run is ``skipped`` with the reason), one message per recipient, each with its own one-click unsubscribe
    (``List-Unsubscribe`` + ``List-Unsubscribe-Post``, RFC 8058) and a visible link in the body."""
    to = engine.render(params["to"], context).strip()
    if not to:
        raise ActionFailed(f"no recipient: {params['to']!r} rendered empty", retryable=False)
    purpose = _purpose(context)
    addresses = [a.strip() for a in to.split(",") if a.strip()]
    allowed = _allowed("email", addresses, purpose)
    settings = services.settings
    subject, body = engine.render(params["subject"], context), engine.render(params.get("body") or "", context)
    sent, message_ids = [], []
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
            for index, (address, decision) in enumerate(allowed):
                msg = EmailMessage()
                msg["From"] = settings.smtp_sender
                msg["To"] = address
                msg["Subject"] = subject
                one_key = key if len(allowed) == 1 else f"{key}:{index}"
                msg["Message-ID"] = f"<{hashlib.sha256(one_key.encode()).hexdigest()[:32]}@crn>"
                msg["X-Crn-Idempotency-Key"] = one_key
                text = body
                if purpose == "marketing":
                    token = privacy.make_token("email", decision.key, decision.person_uid, settings.unsubscribe_days)
                    url = privacy.unsubscribe_url(settings, token)
                    links = [f"<{url}>"]
                    if settings.unsubscribe_mailto:
                        links.append(f"<mailto:{settings.unsubscribe_mailto}?subject=unsubscribe%20{token}>")
                    msg["List-Unsubscribe"] = ", ".join(links)
                    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
                    text += _unsubscribe_footer(url)
                else:
                    msg["X-Crn-Purpose"] = "transactional"
                msg.set_content(text)
                smtp.send_message(msg)
                sent.append(address)
                message_ids.append(msg["Message-ID"])
    except smtplib.SMTPRecipientsRefused as exc:
        raise ActionFailed(f"recipient refused: {exc}", retryable=False) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise ActionFailed(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
    skipped = len(addresses) - len(allowed)
    result: dict[str, Any] = {"to": ", ".join(sent), "message_id": message_ids[0] if len(message_ids) == 1
                              else message_ids, "purpose": purpose}
    if skipped:
        result["skipped"] = skipped
    return result


def send_sms(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Send a text message through the configured provider (a marketing rule's only with SMS consent)."""
    to = engine.render(params["to"], context).strip()
    if not to:
        raise ActionFailed(f"no phone number: {params['to']!r} rendered empty", retryable=False)
    _allowed("sms", [to], _purpose(context))
    message_id = services.sms_provider().send(to, engine.render(params["text"], context), key)
    return {"to": to, "message_id": message_id, "purpose": _purpose(context)}


def sign(body: bytes, secret: str) -> str:
    """The signature header value of a webhook body: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def call_webhook(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """POST the event as signed JSON to a public https address (see crn.automation.egress: checked after DNS,
    pinned, no redirects); 5xx/408/429 and network errors are retried, refusals and other 4xx are not.

    A webhook flagged ``marketing_tool`` in a marketing rule posts only a person who gave consent for its
    ``channel`` (privacy, fail closed: otherwise the run is ``skipped``)."""
    if params.get("marketing_tool"):
        uid, _ = _subject(context)
        decision = privacy.may_share(uid, params.get("channel") or "email", _purpose(context))
        if not decision.allowed:
            raise ActionSkipped(f"{decision.code}: {decision.message}")
    payload = {"key": key, "rule": context.get("rule"), "event": context.get("event"),
               "record": context.get("record"), "row": context.get("row")}
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: key}
    secret = services.settings.webhook_secret
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    try:
        target = egress.resolve_target(engine.render(params["url"], context), services.settings)
    except egress.EgressRefused as exc:
        raise ActionFailed(f"webhook refused: {exc}", retryable=False) from exc
    except egress.EgressUnresolved as exc:
        raise ActionFailed(str(exc)) from exc
    try:
        response = egress.post(target, content=body, headers=headers, timeout=services.settings.webhook_timeout)
    except httpx.HTTPError as exc:
        raise ActionFailed(f"webhook unreachable: {exc}") from exc
    if 300 <= response.status_code < 400:
        raise ActionFailed(f"webhook answered {response.status_code} (a redirect, to "
                           f"{response.headers.get('location')!r}); redirects are not followed: "
                           "give the final URL", retryable=False)
    if response.status_code >= 300:
        retryable = response.status_code >= 500 or response.status_code in (408, 429)
        raise ActionFailed(f"webhook answered {response.status_code}", retryable=retryable)
    return {"status": response.status_code}


def create_task(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Create a task for a user (by email or uid), due in N days, about the rule's subject, through the domain's
    task creation (crn.crm.tasks); once per idempotency key."""
    assignee = engine.render(params["assignee"], context).strip()
    if not assignee:
        raise ActionFailed(f"no assignee: {params['assignee']!r} rendered empty", retryable=False)
    subject_uid, _ = _subject(context)
    values = {"title": engine.render(params["title"], context), "body": engine.render(params.get("body") or "", context),
              "due_at": services.clock.now() + timedelta(days=float(params.get("due_in_days") or 0)),
              "assignee": assignee, "subject_uid": subject_uid}
    result = tasks.create_task(values, _actor(context), key=key, rule_id=(context.get("rule") or {}).get("id"))
    if not result.ok:
        raise ActionFailed("; ".join(f"{e.code}: {e.message}" for e in result.errors), retryable=False)
    return {"task_uid": result.record["uid"], "assignee_uid": result.record["assignee_uid"]}


def _rejected(exc: changes.ChangeRejected) -> ActionFailed:
    return ActionFailed(f"{exc.code}: {exc}", retryable=False)


def update_field(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Set one field of the rule's subject (through the validated change)."""
    uid, label = _subject(context)
    value: Any = params["value"]
    if isinstance(value, str):
        value = engine.render(value, context)
    try:
        return changes.update_record(uid, label, {params["field"]: value}, actor=_actor(context))
    except changes.ChangeRejected as exc:
        raise _rejected(exc) from exc


def set_tier(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Set the subject company's tier."""
    return update_field({"field": "tier", "value": params["tier"]}, context, key, services)


def assign_owner(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Give the subject an owner by round robin, territory or load (skipped when it has one)."""
    uid, label = _subject(context)
    try:
        return changes.assign_owner(uid, label, params.get("strategy") or "round_robin", actor=_actor(context),
                                    team=params.get("team"), only_if_unowned=params.get("only_if_unowned", True))
    except changes.ChangeRejected as exc:
        raise _rejected(exc) from exc


def add_to_segment(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
    """Add the subject (company or person) to a named segment."""
    uid, _ = _subject(context)
    try:
        return changes.add_to_segment(uid, engine.render(params["segment"], context), actor=_actor(context))
    except changes.ChangeRejected as exc:
        raise _rejected(exc) from exc


def as_author(action: ActionType) -> ActionType:
    """``action`` whose handler first checks that the rule's author may still take it (else a dead run)."""
    handler = action.handler

    def run(params: dict[str, Any], context: dict[str, Any], key: str, services: Services) -> dict[str, Any]:
        rule = context.get("rule") or {}
        refused = authority.refusal(rule.get("id"), action.name, rule.get("purpose") or "marketing")
        if refused:
            raise ActionFailed(refused, retryable=False)
        return handler(params, context, key, services)

    return replace(action, handler=run)


for _action in (
    ActionType("send_email", "Send an email", (
        Param("to", "To (address or {{template}})", "template"), Param("subject", "Subject", "template"),
        Param("body", "Body", "template", required=False, default="")), send_email),
    ActionType("send_sms", "Send an SMS", (
        Param("to", "Phone number (or {{template}})", "template"), Param("text", "Text", "template")), send_sms),
    ActionType("call_webhook", "Call a webhook (signed, retried)", (
        Param("url", "URL", "template"),
        Param("marketing_tool", "A marketing tool (sends only people with consent)", "boolean", required=False,
              default=False),
        Param("channel", "Consent channel the marketing tool uses", "choice", required=False, default="email",
              choices=privacy.CHANNELS)), call_webhook),
    ActionType("create_task", "Create a task for a user", (
        Param("title", "Title", "template"), Param("assignee", "Assignee email or uid", "template"),
        Param("body", "Details", "template", required=False, default=""),
        Param("due_in_days", "Due in (days)", "number", required=False, default=1)), create_task),
    ActionType("update_field", "Update a field of the record", (
        Param("field", "Field"), Param("value", "New value (text may use {{templates}})", "any")), update_field),
    ActionType("set_tier", "Set the company tier", (
        Param("tier", "Tier", "choice", choices=TIERS),), set_tier),
    ActionType("assign_owner", "Assign an owner", (
        Param("strategy", "Strategy", "choice", required=False, default="round_robin",
              choices=changes.ASSIGN_STRATEGIES),
        Param("team", "Only users of this team", required=False),
        Param("only_if_unowned", "Skip records that have an owner", "boolean", required=False, default=True)),
     assign_owner),
    ActionType("add_to_segment", "Add to a segment", (Param("segment", "Segment name", "template"),),
               add_to_segment),
):
    register_action(as_author(_action))
