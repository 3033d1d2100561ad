"""Automation: rules as data, a pure engine, an outbox written with the change, a worker and a scheduler.

:func:`install` subscribes the outbox listener to domain events; every process that changes data (the API
server, the worker, the CLI) calls it once. Its schema objects are in crn.graph.migrations' list.
"""

from __future__ import annotations

import functools

from crn.automation import actions as _actions  # noqa: F401 - registers the action vocabulary
from crn.config import Settings

LISTENER_NAME = "automation"


def install(settings: Settings) -> None:
    """Subscribe the outbox listener to crn.crm.events with these settings (idempotent: installing again
    replaces the listener, and its settings)."""
    from crn.automation import outbox
    from crn.crm import events

    events.subscribe(LISTENER_NAME, functools.partial(outbox.on_events, settings=settings))
