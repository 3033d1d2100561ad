"""The worker: claims due outbox items under a lease, delivers them, retries with backoff, dead-letters.

Two workers never deliver the same item: a claim takes each item's write lock, leases it to one worker and
gives the lease a fresh token; an item whose worker died is claimable again once its lease expires. While a
batch is being worked on, a heartbeat renews the leases the worker still holds; just before acting, the
worker checks (and renews) its token under the item's lock, so a worker whose lease expired and was taken
over finds another token and delivers nothing (outcome ``lost``, not recorded: the new holder records).
The same check cancels an item whose rule was switched off or deleted after it was queued. Every attempt is
recorded as a :RuleRun. The worker also runs the scheduler for time-based rules, and applies the retention
settings (crn.crm.privacy.apply_retention, logged as :RetentionRun nodes).

Actions run inside :func:`crn.crm.events.caused_by` with the item's chain of rules, so the changes they make
carry that chain and the outbox stops a loop past CRN_AUTOMATION_MAX_DEPTH.
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
from datetime import timedelta
from typing import Any

from crn import logs
from crn.automation import authority, scheduler
from crn.automation import heartbeat as liveness
from crn.automation import vocabulary as vocab
from crn.automation.actions import ActionFailed, ActionSkipped, Services
from crn.automation.clock import Clock, get_clock
from crn.config import Settings, get_settings
from crn.crm import events, privacy
from crn.graph import access, db
from crn.graph.queries import automation as q

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """The outcome of one delivery attempt."""

    key: str
    outcome: str  # success | retry | dead | cancelled (rule off or deleted) | lost (lease taken over)
    #              | skipped (privacy: no consent, suppressed; nothing sent)
    error: str | None = None
    result: dict[str, Any] | None = None


@dataclass
class Worker:
    """Delivers outbox items and runs schedules.

    Parameters: ``clock`` (default: the process clock), ``worker_id`` (default host:pid:random),
    ``batch`` items claimed at a time, ``concurrency`` deliveries in parallel (default
    CRN_AUTOMATION_CONCURRENCY), ``schedules`` whether this worker runs the scheduler, ``services`` handed
    to action handlers, ``settings`` (default: read from the environment once, when the worker is built).
    """

    clock: Clock = field(default_factory=get_clock)
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}")
    batch: int = 50
    concurrency: int | None = None
    schedules: bool = True
    services: Services | None = None
    settings: Settings | None = None

    def __post_init__(self) -> None:
        if self.settings is None:  # a worker is a process's entry: it reads the environment once, when built
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

    def _lease_until(self) -> Any:
        return self.clock.now() + timedelta(seconds=self.settings.automation_lease_seconds)

    def _begin(self, item: dict[str, Any]) -> dict[str, Any] | None:
        """Check the item's lease token and renew the lease; the rule's state and purpose, or None when the lease
        is lost."""
        row = db.write(q.BEGIN_DELIVERY, key=item["key"], token=item.get("lease_token"),
                       lease_until=self._lease_until())
        return row[0] if row else None

    def deliver(self, item: dict[str, Any]) -> Delivery:
        """Run one claimed item's action and record the outcome (done, retry later, dead, or cancelled when
        its rule was switched off or deleted); deliver nothing when this worker no longer holds the lease.

        Runs with the request id of the request that enqueued the item (ops: its logs carry it)."""
        with logs.request_context(item.get("request_id")):
            return self._deliver(item)

    def _deliver(self, item: dict[str, Any]) -> Delivery:
        started = time.monotonic()
        begun = self._begin(item)
        if begun is None:
            log.warning("lease of %s lost (expired and taken over); not delivering it", item["key"])
            return Delivery(item["key"], "lost")
        state = begun["rule_state"]
        if state != "active":
            delivery = Delivery(item["key"], "cancelled", error=f"cancelled: rule {item['rule_id']!r} was {state} "
                                "before this delivery; nothing was sent")
            self._finish(item, delivery, int((time.monotonic() - started) * 1000))
            return delivery
        action = vocab.ACTIONS.get(item["action"])
        try:
            if action is None or action.handler is None:
                raise ActionFailed(f"unknown action {item['action']!r}", retryable=False)
            context = json.loads(item["context"])
            # the rule's purpose as it stands now (privacy: marketing sends need consent, crn.crm.privacy)
            context["rule"] = {**(context.get("rule") or {}), "purpose": begun.get("purpose") or "marketing"}
            # enforce (issue 13): the action runs with its rule's author's access (crn.graph.access)
            with events.caused_by(item.get("chain") or [item["rule_id"]]), \
                    access.bound(authority.access_of(item["rule_id"])):
                if not authority.sees(item.get("subject_uid")) and authority.refusal(item["rule_id"],
                                                                                   item["action"]) is None:
                    raise ActionFailed("author_cannot_see: the rule's author may not read the record this action "
                                       "is about, so nothing was done", retryable=False)
                result = action.handler(json.loads(item["params"]), context, item["key"], self.services)
            delivery = Delivery(item["key"], "success", result=result)
        except ActionSkipped as exc:
            delivery = Delivery(item["key"], "skipped", error=str(exc))
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
        log.debug("delivery of %s: %s (attempt %s)", item["key"], delivery.outcome, item["attempts"])
        status = {"success": "done", "retry": "pending", "dead": "dead", "cancelled": "cancelled",
                  "skipped": "skipped"}[delivery.outcome]
        finished = db.write(q.FINISH, key=item["key"], token=item.get("lease_token"), worker=self.worker_id,
                            status=status, due_at=now + self.backoff(item["attempts"]) if status == "pending" else None,
                            error=delivery.error, delivered_at=now if status == "done" else None,
                            result=json.dumps(delivery.result, default=str) if delivery.result is not None else None,
                            run_uid=uuid.uuid4().hex, outcome=delivery.outcome, now=now, duration_ms=duration_ms)
        if not finished:
            log.error("lease of %s was taken over while its action ran (renewal failed for longer than "
                      "CRN_AUTOMATION_LEASE_SECONDS); outcome %s not recorded", item["key"], delivery.outcome)

    def run_once(self, max_batches: int = 20) -> dict[str, int]:
        """One pass: run due schedules, then deliver what is due (at most ``max_batches`` claims, so that
        schedules still run under a constant stream of events); returns counts by outcome."""
        counts = {"scheduled": 0, "success": 0, "retry": 0, "dead": 0}
        # enforce (issue 13): the worker's own reads run as crn; each action binds its rule's author's access
        with access.bound(access.SYSTEM):
            if self.schedules:
                counts["scheduled"] = sum(scheduler.run_schedules(self.clock, self.worker_id, self.settings).values())
                retained = self.run_retention()
                if retained is not None:
                    counts["retained"] = sum(retained.values())
                from crn.audit import store as audit_store  # audit: the trail's retention (at most hourly)

                audit_store.purge_due(self.settings.audit_retention_days)
            with ThreadPoolExecutor(max_workers=max(self.concurrency, 1)) as pool:
                for _ in range(max_batches):
                    items = self.claim()
                    if not items:
                        break
                    with _Heartbeat(self, items) as heartbeat:
                        def deliver(item: dict[str, Any]) -> Delivery:
                            try:
                                return self.deliver(item)
                            finally:
                                heartbeat.release(item)

                        for delivery in pool.map(deliver, items):
                            counts[delivery.outcome] = counts.get(delivery.outcome, 0) + 1
        return counts

    def run_retention(self, force: bool = False) -> dict[str, int] | None:
        """Apply the retention settings (CRN_RETENTION_*; privacy, docs/privacy.md) when due: at most every
        CRN_RETENTION_INTERVAL_SECONDS, by one worker at a time (a schedule lock); None when not run."""
        if not any(getattr(self.settings, setting) for _, setting, _ in privacy.RETENTION):
            return None
        now = self.clock.now()
        name = "retention"
        last = {row["name"]: row["last_run_at"] for row in db.read(q.LOCK_LAST_RUNS, names=[name])}.get(name)
        last = last.to_native() if hasattr(last, "to_native") else last
        if not force and last is not None and now - last < timedelta(seconds=self.settings.retention_interval_seconds):
            return None
        held, _ = scheduler.acquire(name, self.worker_id, now, self.settings.automation_lease_seconds)
        if not held:
            return None
        finished = None
        try:
            counts = privacy.apply_retention(self.settings, now=now, worker=self.worker_id)
            finished = now
            return counts
        finally:
            scheduler.release(name, self.worker_id, finished)

    def run_forever(self, stop: threading.Event | None = None, poll_seconds: float | None = None) -> None:
        """Loop :meth:`run_once` until ``stop`` is set, sleeping when idle."""
        stop = stop or threading.Event()
        poll = poll_seconds if poll_seconds is not None else self.settings.automation_poll_seconds
        log.info("worker %s started", self.worker_id)
        pause = 0.0  # ops: while Neo4j is down, passes are spaced out: poll, doubled, up to CRN_WORKER_BACKOFF_MAX
        while not stop.is_set():
            try:
                liveness.beat(self.worker_id, self.clock.now())
                counts = self.run_once()
            except db.DatabaseUnavailable as exc:
                pause = min(max(pause * 2, poll, 0.5), self.settings.worker_backoff_max_seconds)
                log.warning("database unavailable (%s); worker %s retries in %.1f s", exc, self.worker_id, pause)
                stop.wait(pause)
                continue
            except Exception:  # noqa: BLE001 - a bug in one pass must not stop the worker; try again after a pause
                log.exception("worker pass failed")
                counts = {}
            if pause:
                log.info("database available again; worker %s resumes", self.worker_id)
                pause = 0.0
            if not any(counts.get(k) for k in ("success", "retry", "dead")):
                stop.wait(poll)



class _Heartbeat:
    """Renews the leases of a claimed batch every third of the lease while the batch is worked on.

    Items are released as they finish; what is still held is renewed (token-fenced: an item another worker
    took over is not touched). Renewal errors are logged and retried at the next beat.
    """

    def __init__(self, worker: Worker, items: list[dict[str, Any]]) -> None:
        self.worker = worker
        self.held = {item["key"]: item.get("lease_token") for item in items}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"lease-{worker.worker_id}", daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join()

    def release(self, item: dict[str, Any]) -> None:
        """Stop renewing ``item`` (it is finished)."""
        with self.lock:
            self.held.pop(item["key"], None)

    def _run(self) -> None:
        interval = max(self.worker.settings.automation_lease_seconds / 3, 0.05)
        while not self.stop.wait(interval):
            with self.lock:
                held = [{"key": k, "token": t} for k, t in sorted(self.held.items())]
            if not held:
                continue
            try:
                db.write(q.RENEW_LEASES, held=held, lease_until=self.worker._lease_until())
            except Exception:  # noqa: BLE001 - e.g. the database restarting; the next beat tries again
                log.exception("renewing %d leases failed", len(held))
