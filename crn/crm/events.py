"""Domain events published inside the write transaction that caused them.

Every validated operation that changes the graph describes the change as :class:`Event` values and
calls :func:`publish` with the open transaction. Listeners (e.g. the automation outbox) run in that
same transaction, so a reaction is recorded if and only if the change commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

log = logging.getLogger(__name__)

EVENT_KINDS = (
    "created", "updated", "deleted",          # a record (node)
    "linked", "unlinked",                     # a relationship created / ended
    "stage_changed",                          # a deal moved stage
    "manual",
)


@dataclass(frozen=True)
class Event:
    """Something that happened to the graph.

    ``label`` is the node label (Company, Deal, ...) or, for links, the relationship type;
    ``uid`` the record (for links: the start node); ``other_uid`` the end node of a link;
    ``changed`` the names of the fields that changed, with ``before``/``after`` values.
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

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (for the outbox and webhooks)."""
        return {
            "kind": self.kind, "label": self.label, "uid": self.uid, "actor": self.actor,
            "changed": list(self.changed), "before": _jsonable(self.before), "after": _jsonable(self.after),
            "other_uid": self.other_uid, "at": self.at.isoformat(),
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


def publish(tx: ManagedTransaction, events: list[Event]) -> None:
    """Hand events to every listener inside ``tx``. A listener error aborts the transaction.

    Listeners share the transaction on purpose: the outbox must commit with the change or not at all.
    """
    if not events:
        return
    for name, listener in list(_listeners):
        log.debug("publishing %d events to %s", len(events), name)
        listener(tx, events)
