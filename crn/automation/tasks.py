"""Tasks automation creates for users (read side; creation is the create_task action)."""

from __future__ import annotations

from typing import Any

from crn.graph import db
from crn.graph.queries import automation as q


def tasks_for_user(user: str) -> list[dict[str, Any]]:
    """A user's tasks (by uid or email), soonest due first."""
    return db.read(q.TASKS_FOR_USER, user=user)
