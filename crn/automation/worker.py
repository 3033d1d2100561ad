"""The worker: claims due outbox items under a lease, delivers them, retries with backoff, dead-letters.

Two workers never deliver the same item: a claim takes each item's write lock and leases it to one worker;
an item whose worker died is claimable again once its lease expires. Every attempt is recorded as a
:RuleRun. The worker also runs the scheduler for time-based rules.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from crn.automation import scheduler
from crn.automation import vocabulary as vocab
from crn.automation.actions import ActionFailed, Services
from crn.automation.clock import Clock, get_clock
from crn.config import get_settings
from crn.graph import db
from crn.graph.queries import automation as q

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """The outcome of one delivery attempt."""

    key: str
    outcome: str  # success | retry | dead
    error: str | None = None
    result: dict[str, Any] | None = None


@dataclass
class Worker:
    """Delivers outbox items and runs schedules.

    Parameters: ``clock`` (default: the process clock), ``worker_id`` (default host:pid:random),
    ``batch`` items claimed at a time, ``concurrency`` deliveries in parallel (default
    CRN_AUTOMATION_CONCURRENCY), ``schedules`` whether this worker runs the scheduler, ``services`` handed
    to action handlers.
    """

    clock: Clock = field(default_factory=get_clock)
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}")
    batch: int = 50
    concurrency: int | None = None
    schedules: bool = True
    services: Services | None = None

    def __post_init__(self) -> None:
        self.settings = get_settings()
        if self.concurrency is None:
            self.concurrency = self.settings.automation_concurrency
        if self.services is None:
            self.services = Services(settings=self.settings, clock=self.clock)

    def claim(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Lease up to ``limit`` due items to this worker (atomically: no other worker gets them)."""
        now = self.clock.now()
        lease_until = now + timedelta(seconds=self.settings.automation_lease_seconds)

        def work(tx):
            keys = [r["key"] for r in tx.run(q.CLAIM_LOCK, now=now, limit=limit or self.batch)]
            if not keys:
                return []
            return tx.run(q.CLAIM_TAKE, keys=keys, now=now, worker=self.worker_id, lease_until=lease_until).data()

        return db.write_tx(work)

    def deliver(self, item: dict[str, Any]) -> Delivery:
        """Run one claimed item's action and record the outcome (done, retry later, or dead)."""
        started = time.monotonic()
        action = vocab.ACTIONS.get(item["action"])
        try:
            if action is None or action.handler is None:
                raise ActionFailed(f"unknown action {item['action']!r}", retryable=False)
            result = action.handler(json.loads(item["params"]), json.loads(item["context"]), item["key"],
                                    self.services)
            delivery = Delivery(item["key"], "success", result=result)
        except ActionFailed as exc:
            final = not exc.retryable or item["attempts"] >= item["max_attempts"]
            delivery = Delivery(item["key"], "dead" if final else "retry", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in one handler must not stop delivery of others
            log.exception("action %s failed for %s", item["action"], item["key"])
            final = item["attempts"] >= item["max_attempts"]
            delivery = Delivery(item["key"], "dead" if final else "retry", error=f"{type(exc).__name__}: {exc}")
        self._finish(item, delivery, int((time.monotonic() - started) * 1000))
        return delivery

    def backoff(self, attempts: int) -> timedelta:
        """How long to wait before attempt ``attempts + 1``: the base doubled per attempt, at most a day."""
        return timedelta(seconds=min(self.settings.automation_backoff_seconds * 2 ** max(attempts - 1, 0), 86400))

    def _finish(self, item: dict[str, Any], delivery: Delivery, duration_ms: int) -> None:
        now = self.clock.now()
        status = {"success": "done", "retry": "pending", "dead": "dead"}[delivery.outcome]
        db.write(q.FINISH, key=item["key"], worker=self.worker_id, status=status,
                 due_at=now + self.backoff(item["attempts"]) if status == "pending" else None,
                 error=delivery.error, delivered_at=now if status == "done" else None,
                 result=json.dumps(delivery.result, default=str) if delivery.result is not None else None,
                 run_uid=uuid.uuid4().hex, outcome=delivery.outcome, now=now, duration_ms=duration_ms)

    def run_once(self) -> dict[str, int]:
        """One pass: run due schedules, then deliver everything due; returns counts by outcome."""
        counts = {"scheduled": 0, "success": 0, "retry": 0, "dead": 0}
        if self.schedules:
            counts["scheduled"] = sum(scheduler.run_schedules(self.clock, self.worker_id).values())
        with ThreadPoolExecutor(max_workers=max(self.concurrency, 1)) as pool:
            while True:
                items = self.claim()
                if not items:
                    break
                for delivery in pool.map(self.deliver, items):
                    counts[delivery.outcome] += 1
        return counts

    def run_forever(self, stop: threading.Event | None = None, poll_seconds: float | None = None) -> None:
        """Loop :meth:`run_once` until ``stop`` is set, sleeping when idle."""
        stop = stop or threading.Event()
        poll = poll_seconds if poll_seconds is not None else self.settings.automation_poll_seconds
        log.info("worker %s started", self.worker_id)
        while not stop.is_set():
            try:
                counts = self.run_once()
            except Exception:  # noqa: BLE001 - e.g. the database restarting; try again after a pause
                log.exception("worker pass failed")
                counts = {}
            if not any(counts.get(k) for k in ("success", "retry", "dead")):
                stop.wait(poll)


def now_utc(clock: Clock | None = None) -> datetime:
    """The worker clock's time (for callers that print it)."""
    return (clock or get_clock()).now()
