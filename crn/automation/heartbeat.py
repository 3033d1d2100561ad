"""ops: the automation worker's heartbeat in the graph, so that `crn doctor` and /metrics can tell it is alive.

Each worker records ``(:WorkerHeartbeat {id, host, pid, started_at, seen_at})`` once per pass (also while
idle); a worker is considered alive when its heartbeat is younger than ``stale_after(settings)``.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from crn.automation.clock import get_clock
from crn.config import Settings
from crn.graph import db
from crn.graph.queries import automation as q

__all__ = ["beat", "freshest", "freshest_heartbeat_age", "stale_after"]


def beat(worker_id: str, now: Any = None) -> None:
    """Record that worker ``worker_id`` is alive now."""
    now = now or get_clock().now()
    db.write(q.WORKER_HEARTBEAT, id=worker_id, now=now, host=socket.gethostname(), pid=os.getpid(),
             forget_before=now - timedelta(days=1))


def freshest() -> dict[str, Any] | None:
    """The most recent heartbeat: id, host, pid, age_seconds; None when no worker ever ran."""
    return db.read_one(q.FRESHEST_HEARTBEAT, now=get_clock().now())


def freshest_heartbeat_age() -> float | None:
    row = freshest()
    return None if row is None else row["age_seconds"]


def stale_after(settings: Settings) -> float:
    """Seconds after which a silent worker counts as stopped: a few idle polls, or one slow pass of deliveries."""
    return max(3 * settings.automation_poll_seconds, 60.0) + settings.automation_lease_seconds
