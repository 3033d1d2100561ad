"""Domain events published inside the write transaction that caused them.

Every validated operation that changes the graph describes the change as :class:`Event` values and
calls :func:`publish` with the open transaction. Listeners (e.g. the automation outbox) run in that
same transaction, so a reaction is recorded if and only if the change commits.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.graph import db

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Event:
    """Something that happened to the graph.

    ``kind`` is created, updated or deleted (a record), linked or unlinked (a relationship created or ended),
    stage_changed (a deal moved stage) or manual (a rule fired by hand);
    ``label`` is the node label (Company, Deal, ...) or, for links, the relationship type;
    ``uid`` the record (for links: the start node); ``other_uid`` the end node of a link;
    ``changed`` the names of the fields that changed, with ``before``/``after`` values;
    ``chain`` the ids of the automation rules whose actions caused this change, outermost first (empty for a
    change a person or an import made). :func:`publish` fills it in from :func:`caused_by`.
    """

    kind: str
    label: str
    uid: str
    actor: str | None = None
    changed: tuple[str, ...] = ()
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    other_uid: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    chain: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (for the outbox and webhooks)."""
        return {
            "kind": self.kind, "label": self.label, "uid": self.uid, "actor": self.actor,
            "changed": list(self.changed), "before": _jsonable(self.before), "after": _jsonable(self.after),
            "other_uid": self.other_uid, "at": self.at.isoformat(), "chain": list(self.chain),
        }


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


TxListener = Callable[[ManagedTransaction, list[Event]], None]
_listeners: list[tuple[str, TxListener]] = []


def subscribe(name: str, listener: TxListener) -> None:
    """Register ``listener(tx, events)`` to run inside every publishing transaction (once per name)."""
    global _listeners
    _listeners = [(n, fn) for n, fn in _listeners if n != name] + [(name, listener)]


def unsubscribe(name: str) -> None:
    """Remove a listener registered under ``name``."""
    global _listeners
    _listeners = [(n, fn) for n, fn in _listeners if n != name]


_cause: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("crn_event_cause", default=())


@contextlib.contextmanager
def caused_by(chain: tuple[str, ...] | list[str]) -> Iterator[None]:
    """Within this block, events published (by this thread) were caused by the rules in ``chain``.

    The automation worker wraps each action in it, so the changes an action makes carry the chain of rules
    that led to them and the outbox can stop a loop of rules triggering each other.
    """
    token = _cause.set(tuple(chain))
    try:
        yield
    finally:
        _cause.reset(token)


CommittedListener = Callable[[list[Event]], None]
_committed_listeners: list[tuple[str, CommittedListener]] = []
_collector: contextvars.ContextVar[list[Event] | None] = contextvars.ContextVar("crn_events", default=None)


def subscribe_committed(name: str, listener: CommittedListener) -> None:
    """Register ``listener(events)`` to run after a :func:`write_tx` that published them has committed.

    For reactions that must not hold up or fail the change (e.g. recomputing relationship strength
    when an interaction is recorded); errors are logged, never raised.
    """
    global _committed_listeners
    _committed_listeners = [(n, fn) for n, fn in _committed_listeners if n != name] + [(name, listener)]


def unsubscribe_committed(name: str) -> None:
    """Remove a committed-listener registered under ``name``."""
    global _committed_listeners
    _committed_listeners = [(n, fn) for n, fn in _committed_listeners if n != name]


def write_tx(work: Callable[[ManagedTransaction], Any]) -> Any:
    """Run ``work(tx)`` in a write transaction, then hand the events it published to committed-listeners.

    Only the events of the attempt that committed are handed on (a retried attempt starts afresh).
    """
    published: list[Event] = []

    def attempt(tx: ManagedTransaction) -> Any:
        published.clear()
        token = _collector.set(published)
        try:
            return work(tx)
        finally:
            _collector.reset(token)

    result = db.write_tx(attempt)
    if published:
        for name, listener in list(_committed_listeners):
            try:
                listener(list(published))
            except Exception:  # noqa: BLE001 - the change is committed; a reaction failing must not undo it
                log.exception("committed-listener %s failed on %d events", name, len(published))
    return result


def publish(tx: ManagedTransaction, events: list[Event]) -> None:
    """Hand events to every listener inside ``tx``. A listener error aborts the transaction.

    Listeners share the transaction on purpose: the outbox must commit with the change or not at all.
    When the transaction was opened by :func:`write_tx`, the events also reach committed-listeners.
    """
    if not events:
        return
    cause = _cause.get()
    if cause:
        events = [event if event.chain else replace(event, chain=cause) for event in events]
    collected = _collector.get()
    if collected is not None:
        collected.extend(events)
    for name, listener in list(_listeners):
        log.debug("publishing %d events to %s", len(events), name)
        listener(tx, events)
