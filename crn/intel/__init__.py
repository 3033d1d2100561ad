"""Relationship intelligence, the domain layer: projection -> algorithm -> explained result objects.

Every entry point (GraphQL, CLI, automation) calls these functions; they read through
``crn.graph.projections``, compute with ``crn.analytics`` and return plain dataclasses. Expected
failures (unknown node, bad scope) come back as :class:`IntelError` values, never as exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IntelError:
    """An expected failure: a machine-readable ``code``, a message for people and the ``field`` at fault."""

    code: str
    message: str
    field: str | None = None
