"""Request ids (X-Request-ID in and out, carried by the outbox to the worker's deliveries) and JSON logs."""

from __future__ import annotations

import json
import logging

from starlette.testclient import TestClient

from crn import logs
from crn.app import create_app
from crn.automation import outbox
from crn.automation.clock import get_clock
from crn.automation.worker import Worker
from crn.graph import access


def test_request_id_is_echoed_or_made():
    with TestClient(create_app(), client=("127.0.0.1", 1)) as client:
        given = client.get("/livez", headers={"X-Request-ID": "abc-123.x"})
        made = client.get("/livez")
        refused = client.get("/livez", headers={"X-Request-ID": "bad id\twith spaces"})
    assert given.headers["x-request-id"] == "abc-123.x"
    assert len(made.headers["x-request-id"]) == 32
    assert refused.headers["x-request-id"] not in ("bad id\twith spaces", "")


def test_json_log_lines_carry_the_request_id():
    formatter = logs.JsonFormatter()
    with logs.request_context("req-42"):
        record = logging.LogRecord("crn.x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
        line = json.loads(formatter.format(record))
    assert line["message"] == "hello world" and line["level"] == "WARNING" and line["request_id"] == "req-42"
    assert line["time"].endswith("+00:00")


def test_the_outbox_carries_the_request_id_to_the_delivery(clean_db, caplog):
    now = get_clock().now()
    item = {"key": "rid-1", "rule_id": "r-rid", "rule_version": 1, "action": "no_such_action", "params": "{}",
            "context": "{}", "subject_uid": "s", "event": "created", "max_attempts": 1, "due_at": now,
            "created_at": now, "chain": ["r-rid"], "depth": 1}
    with access.bound(access.SYSTEM):
        with logs.request_context("req-from-api"):
            outbox.enqueue([item])
        worker = Worker(worker_id="rid-worker", schedules=False)
        claimed = worker.claim()
        assert [c["request_id"] for c in claimed] == ["req-from-api"]
        seen = []

        class Spy(logging.Handler):
            def emit(self, record):
                seen.append(logs.request_id())

        spy = Spy(logging.DEBUG)
        worker_log = logging.getLogger("crn.automation.worker")
        level = worker_log.level
        worker_log.addHandler(spy)
        worker_log.setLevel(logging.DEBUG)
        try:
            delivery = worker.deliver(claimed[0])
        finally:
            worker_log.removeHandler(spy)
            worker_log.setLevel(level)
    assert delivery.outcome in ("dead", "cancelled")
    assert seen and set(seen) == {"req-from-api"}  # the delivery's log records carry the API request's id
    assert logs.request_id() is None
