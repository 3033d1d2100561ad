"""Attacks on the automation flow: rule loops, deliveries of disabled or deleted rules, and a worker whose
lease expired delivering an item a second worker took over.

Everything runs through the real outbox listener, the real worker and a real HTTP receiver on loopback.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import crn.automation
from crn.automation import outbox, store
from crn.automation.clock import SystemClock
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.crm import records
from crn.crm.events import Event
from crn.graph import db
from tests.automation.conftest import automation, publish, webhook_server  # noqa: F401 - fixtures


def _ping_pong(max_depth: int | None, monkeypatch) -> None:
    """Rule A reacts to `industry` by changing `city`; rule B reacts to `city` by changing `industry`."""
    if max_depth is not None:
        monkeypatch.setenv("CRN_AUTOMATION_MAX_DEPTH", str(max_depth))
        crn.automation.install(get_settings())  # the listener takes its settings when installed
    for rule_id, trigger_field, target in (("ping", "industry", "city"), ("pong", "city", "industry")):
        _, errors = store.save_rule({
            "id": rule_id, "name": rule_id,
            "trigger": {"kind": "updated", "label": "Company", "fields": [trigger_field]},
            "actions": [{"type": "update_field",
                         "params": {"field": target, "value": f"{{{{after.{trigger_field}}}}}-{rule_id}"}}]})
        assert errors == []
    db.write("CREATE (:Company {uid: 'loop', name: 'Loop Inc'})")
    result = records.update_record("Company", "loop", {"industry": "x"}, actor="u1")
    assert result.ok, result.errors


def _drain(worker: Worker, passes: int = 10) -> None:
    for _ in range(passes):
        counts = worker.run_once(max_batches=5)
        if not any(counts.get(k) for k in ("success", "retry", "dead", "cancelled")):
            return


def test_two_rules_that_trigger_each_other_stop_at_the_default_depth(automation, monkeypatch):
    _ping_pong(None, monkeypatch)
    _drain(Worker(clock=automation, concurrency=1))
    runs = sorted(outbox.rule_runs(limit=100), key=lambda r: r["depth"])
    successes = [(r["rule_id"], r["depth"]) for r in runs if r["outcome"] == "success"]
    assert successes == [("ping", 1), ("pong", 2), ("ping", 3)]  # depths 1, 2 and 3 (the limit) ran
    stopped = [r for r in runs if r["outcome"] == "stopped"]
    assert [(r["rule_id"], r["depth"]) for r in stopped] == [("pong", 4)]  # one past the limit: stopped
    assert stopped[0]["chain"] == ["ping", "pong", "ping", "pong"]
    assert "depth 4" in stopped[0]["error"] and "CRN_AUTOMATION_MAX_DEPTH" in stopped[0]["error"]
    assert "ping → pong → ping" in stopped[0]["error"]
    company = db.read_one("MATCH (c:Company {uid: 'loop'}) RETURN c.city AS city, c.industry AS industry")
    assert company == {"city": "x-ping-pong-ping", "industry": "x-ping-pong"}
    assert outbox.outbox_counts() == {"done": 3}  # nothing queued past the limit


def test_the_loop_depth_is_a_setting(automation, monkeypatch):
    _ping_pong(1, monkeypatch)
    _drain(Worker(clock=automation, concurrency=1))
    runs = outbox.rule_runs(limit=100)
    assert sorted((r["outcome"], r["rule_id"], r["depth"]) for r in runs) == [("stopped", "pong", 2),
                                                                              ("success", "ping", 1)]
    assert db.read_one("MATCH (c:Company {uid: 'loop'}) RETURN c.city AS city")["city"] == "x-ping"


def test_a_depth_below_one_is_refused_with_a_clear_error(monkeypatch):
    from crn.config import get_settings

    monkeypatch.setenv("CRN_AUTOMATION_MAX_DEPTH", "0")
    with pytest.raises(SystemExit, match="CRN_AUTOMATION_MAX_DEPTH"):
        get_settings()


def test_the_chain_is_carried_by_the_outbox_item_and_the_event(automation, monkeypatch, webhook_server):
    recorder, url = webhook_server
    _, errors = store.save_rule({
        "id": "tag", "name": "tag", "trigger": {"kind": "updated", "label": "Company", "fields": ["industry"]},
        "actions": [{"type": "update_field", "params": {"field": "city", "value": "Oslo"}}]})
    assert errors == []
    _, errors = store.save_rule({
        "id": "tell", "name": "tell", "trigger": {"kind": "updated", "label": "Company", "fields": ["city"]},
        "actions": [{"type": "call_webhook", "params": {"url": url}}]})
    assert errors == []
    db.write("CREATE (:Company {uid: 'c1', name: 'Acme'})")
    assert records.update_record("Company", "c1", {"industry": "retail"}, actor="u1").ok
    _drain(Worker(clock=automation, concurrency=1))
    [request] = recorder.requests
    assert request["json"]["event"]["chain"] == ["tag"]  # the change that fired `tell` was caused by `tag`
    depths = {r["rule_id"]: (r["depth"], r["chain"]) for r in
              db.read("MATCH (o:OutboxItem) RETURN o.rule_id AS rule_id, o.depth AS depth, o.chain AS chain")}
    assert depths == {"tag": (1, ["tag"]), "tell": (2, ["tag", "tell"])}


# --- disabled and deleted rules --------------------------------------------------------------------------


def _hook_rule(url: str, rule_id: str = "hook") -> None:
    _, errors = store.save_rule({"id": rule_id, "name": rule_id, "trigger": {"kind": "created", "label": "Company"},
                                 "actions": [{"type": "call_webhook", "params": {"url": url}}]})
    assert errors == []


def _create_company(uid: str) -> None:
    publish("CREATE (:Company {uid: $uid, name: 'Acme'})", {"uid": uid}, [Event("created", "Company", uid)])


@pytest.mark.parametrize("retire", ["disable", "delete"])
def test_retiring_a_rule_cancels_its_queued_deliveries(automation, webhook_server, retire):
    recorder, url = webhook_server
    _hook_rule(url)
    _hook_rule(url, "other")
    _create_company("c1")
    assert outbox.outbox_counts() == {"pending": 2}
    if retire == "disable":
        assert store.set_active("hook", False, actor="admin")
    else:
        assert store.delete_rule("hook", actor="admin")
    counts = Worker(clock=automation).run_once()
    assert counts["success"] == 1  # the other rule still delivers
    assert [r["json"]["rule"]["id"] for r in recorder.requests] == ["other"]
    statuses = {i["rule_id"]: i["status"] for i in outbox.outbox_items()}
    assert statuses == {"hook": "cancelled", "other": "done"}
    [run] = outbox.rule_runs("hook")
    assert run["outcome"] == "cancelled" and ("disabled" if retire == "disable" else "deleted") in run["error"]
    if retire == "disable":  # switching it back on does not resurrect the cancelled delivery
        store.set_active("hook", True)
        assert Worker(clock=automation).run_once()["success"] == 0
        assert len(recorder.requests) == 1


@pytest.mark.parametrize("retire", ["disable", "delete"])
def test_a_rule_retired_after_its_item_was_claimed_is_checked_at_delivery(automation, webhook_server, retire):
    recorder, url = webhook_server
    _hook_rule(url)
    _create_company("c1")
    worker = Worker(clock=automation)
    [item] = worker.claim()  # the worker holds the item when the rule is switched off
    if retire == "disable":
        store.set_active("hook", False)
    else:
        store.delete_rule("hook")
    delivery = worker.deliver(item)
    assert delivery.outcome == "cancelled"
    assert recorder.requests == []
    assert [i["status"] for i in outbox.outbox_items()] == ["cancelled"]
    assert [r["outcome"] for r in outbox.rule_runs("hook")] == ["cancelled"]


def test_a_manual_run_of_a_disabled_rule_is_refused(automation):
    from crn.automation import runs

    db.write("CREATE (:Company {uid: 'c1', name: 'Acme'})")
    rule, _ = store.save_rule({"id": "vip", "name": "Make VIP", "trigger": {"kind": "manual"}, "active": False,
                               "actions": [{"type": "set_tier", "params": {"tier": "strategic"}}]})
    with pytest.raises(ValueError, match="disabled"):
        runs.run_now(rule, get_settings(), uids=["c1"])


# --- leases ----------------------------------------------------------------------------------------------


def test_a_worker_whose_lease_expired_does_not_deliver_what_another_worker_took_over(
        automation, webhook_server, monkeypatch):
    recorder, url = webhook_server
    monkeypatch.setenv("CRN_AUTOMATION_LEASE_SECONDS", "30")
    _hook_rule(url)
    for i in range(3):
        _create_company(f"c{i}")
    slow, fast = Worker(clock=automation, concurrency=1), Worker(clock=automation, concurrency=1)
    stale = slow.claim()  # the slow worker claims the batch ... and stalls past its lease
    assert len(stale) == 3
    automation.advance(seconds=31)
    retaken = fast.claim()
    assert sorted(i["key"] for i in retaken) == sorted(i["key"] for i in stale)
    assert [fast.deliver(i).outcome for i in retaken] == ["success"] * 3
    assert [slow.deliver(i).outcome for i in stale] == ["lost"] * 3  # fenced: the lease token moved on
    keys = [r["headers"]["Idempotency-Key"] for r in recorder.requests]
    assert sorted(keys) == sorted(i["key"] for i in stale)  # each item reached the receiver exactly once
    assert {i["status"] for i in outbox.outbox_items()} == {"done"}
    assert [r["outcome"] for r in outbox.rule_runs("hook")] == ["success"] * 3


def test_a_slow_batch_keeps_its_lease_so_no_other_worker_delivers_it_again(automation, monkeypatch):
    """Real time: a one-second lease, a receiver that takes 0.7 s per call, a batch of four on one worker and a
    second worker claiming all the while. The lease is renewed while the batch runs, so nothing is delivered
    twice and the second worker never gets an item."""
    monkeypatch.setenv("CRN_AUTOMATION_LEASE_SECONDS", "1")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")
    received: list[str] = []
    lock = threading.Lock()

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock:
                received.append(self.headers["Idempotency-Key"])
            time.sleep(0.7)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        automation.set(datetime.now(timezone.utc))  # items are due now on the real clock
        _hook_rule(f"http://127.0.0.1:{server.server_address[1]}/")
        for i in range(4):
            _create_company(f"c{i}")
        first = Worker(clock=SystemClock(), batch=4, concurrency=1, schedules=False)
        second = Worker(clock=SystemClock(), batch=4, concurrency=1, schedules=False)
        done = threading.Event()
        taken_by_second: list[str] = []

        def compete() -> None:
            while not done.is_set():
                for item in second.claim():
                    taken_by_second.append(item["key"])
                    second.deliver(item)
                time.sleep(0.05)

        competitor = threading.Thread(target=compete)
        runner = threading.Thread(target=lambda: first.run_once(max_batches=1))
        runner.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and outbox.outbox_counts().get("delivering", 0) < 4:
            time.sleep(0.01)  # wait until the first worker has claimed the whole batch
        competitor.start()
        runner.join(30)
        done.set()
        competitor.join(30)
    finally:
        server.shutdown()
        server.server_close()
    assert len(received) == 4 and len(set(received)) == 4  # four items, each delivered once
    assert taken_by_second == []
    assert {i["status"] for i in outbox.outbox_items()} == {"done"}
