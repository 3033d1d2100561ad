"""The scheduler: cron fire times under the movable clock, and one worker per schedule (a Neo4j lock)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from crn.automation import outbox, scheduler, store
from crn.automation.worker import Worker
from crn.config import get_settings


def _cron_rule(url: str) -> None:
    _, errors = store.save_rule({"id": "daily-digest", "name": "Daily digest at 07:00",
                                 "trigger": {"kind": "schedule", "cron": "0 7 * * *"},
                                 "actions": [{"type": "call_webhook", "params": {"url": url}}]})
    assert errors == []


def test_cron_rule_fires_once_per_fire_time(automation, webhook_server):
    recorder, url = webhook_server
    automation.set(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))
    _cron_rule(url)
    worker = Worker(clock=automation)
    worker.run_once()  # first run: yesterday 07:00 counts as due (catch-up to the latest fire time)
    automation.advance(minutes=30)
    worker.run_once()
    assert len(recorder.requests) == 1
    automation.set(datetime(2026, 3, 2, 7, 0, 5, tzinfo=timezone.utc))
    worker.run_once()
    worker.run_once()
    automation.set(datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc))  # three fire times missed: one run
    worker.run_once()
    keys = sorted(r["json"]["key"] for r in recorder.requests)
    assert keys == ["daily-digest:cron:2026-03-01T07:00:00+00:00:0", "daily-digest:cron:2026-03-02T07:00:00+00:00:0",
                    "daily-digest:cron:2026-03-05T07:00:00+00:00:0"]


def test_only_one_worker_holds_a_schedule_lock(automation):
    now = automation.now()
    results = []

    def grab(worker_id: str) -> None:
        results.append((worker_id, scheduler.acquire("schedule:x", worker_id, now, 60)[0]))

    threads = [threading.Thread(target=grab, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(held for _, held in results) == 1
    holder = next(w for w, held in results if held)
    assert scheduler.acquire("schedule:x", "other", now, 60)[0] is False
    scheduler.release("schedule:x", holder, now)
    assert scheduler.acquire("schedule:x", "other", now, 60) == (True, now)


def test_an_abandoned_lock_expires(automation):
    now = automation.now()
    assert scheduler.acquire("schedule:y", "dead-worker", now, 60)[0]
    assert not scheduler.acquire("schedule:y", "w2", now, 60)[0]
    automation.advance(seconds=61)
    assert scheduler.acquire("schedule:y", "w2", automation.now(), 60)[0]


def test_a_scan_runs_again_only_after_the_scan_interval(automation, monkeypatch):
    monkeypatch.setenv("CRN_AUTOMATION_SCAN_INTERVAL", "600")
    from crn.graph import db

    db.write("CREATE (:Person {uid: 'p1', name: 'Ada', email: 'ada@example.com', created_at: $t})",
             t=automation.now())
    store.save_rule({"id": "coupon", "name": "coupon",
                     "trigger": {"kind": "schedule", "scan": "registered_no_order", "params": {"days": 0}},
                     "actions": [{"type": "add_to_segment", "params": {"segment": "new"}}]})
    automation.advance(minutes=1)
    assert scheduler.run_schedules(automation, "w1", get_settings()) == {"coupon": 1}
    automation.advance(minutes=5)
    assert scheduler.run_schedules(automation, "w1", get_settings()) == {}
    automation.advance(minutes=6)
    assert scheduler.run_schedules(automation, "w1", get_settings()) == {"coupon": 1}
    assert len(outbox.outbox_items("coupon")) == 1  # the same subject is never enqueued twice
