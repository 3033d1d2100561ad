"""The audit trail (issue 13 §2): who changed what, when and through what; append-only and tamper-evident.

Every domain event (crn.crm.events) becomes an entry in the transaction that published it (:func:`install`);
what changes no record (logins, tokens, exports) or publishes no event (rules, custom fields, passwords) calls
:func:`record` / :func:`record_alone` / :func:`write`. Entries form a hash chain (crn.audit.chain) that
``crn audit verify`` walks; :func:`redact_subject` erases a person from it for a data-subject erasure without
breaking it; :func:`purge_expired` applies ``CRN_AUDIT_RETENTION_DAYS``. See docs/audit.md.
"""

from __future__ import annotations

from crn.audit.channel import CHANNELS, Channel, through
from crn.audit.store import (Draft, Entry, Page, TrailFilter, csv_text, export_csv, history, iter_trail, purge_expired,
                             record, record_alone, redact_subject, trail, verify, write)

LISTENER_NAME = "audit"


def install() -> None:
    """Subscribe the audit listener to crn.crm.events (idempotent). Every process that changes data calls it:
    the API server (create_app), the CLI (crn.cli.base.database) and the worker."""
    from crn.audit import store as _store
    from crn.crm import events

    events.subscribe(LISTENER_NAME, _store.on_events)


__all__ = ["CHANNELS", "Channel", "Draft", "Entry", "LISTENER_NAME", "Page", "TrailFilter", "csv_text", "export_csv",
           "history", "install", "iter_trail", "purge_expired", "record", "record_alone", "redact_subject", "through",
           "trail", "verify", "write"]
