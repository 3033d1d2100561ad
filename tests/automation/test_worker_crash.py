"""A worker killed with SIGKILL in the middle of a delivery: the action is delivered after restart, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crn.automation import outbox, store
from crn.crm.events import Event
from tests.automation.conftest import publish

ROOT = Path(__file__).resolve().parents[2]


def _start_worker() -> subprocess.Popen:
    env = {**os.environ, "CRN_AUTOMATION_LEASE_SECONDS": "3", "CRN_AUTOMATION_POLL_SECONDS": "0.2",
           "CRN_WEBHOOK_TIMEOUT": "60",  # the loopback receiver is allow-listed explicitly:
           "CRN_WEBHOOK_ALLOW_NETWORKS": "127.0.0.1/32", "CRN_WEBHOOK_ALLOW_HTTP": "1"}
    return subprocess.Popen([sys.executable, "-m", "crn.cli", "worker", "--no-schedules"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_killed_worker_delivery_is_completed_after_restart_exactly_once(automation):
    received: list[str] = []
    first_arrived, release = threading.Event(), threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(self.headers["Idempotency-Key"])
            if len(received) == 1:  # hang on the first delivery until the test has killed the worker
                first_arrived.set()
                release.wait(30)
                return
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store.save_rule({"id": "hook", "name": "hook", "trigger": {"kind": "created", "label": "Company"},
                         "actions": [{"type": "call_webhook",
                                      "params": {"url": f"http://127.0.0.1:{server.server_address[1]}/"}}]})
        publish("CREATE (:Company {uid: 'c1', name: 'Acme'})", {}, [Event("created", "Company", "c1")])

        worker = _start_worker()
        try:
            assert first_arrived.wait(60), "the first worker never delivered"
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        release.set()
        assert [i["status"] for i in outbox.outbox_items()] == ["delivering"]  # leased by the dead worker

        restarted = _start_worker()
        try:
            assert _wait(lambda: [i["status"] for i in outbox.outbox_items()] == ["done"])
            time.sleep(1.0)  # give a (wrong) duplicate delivery the chance to happen
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(20)
    finally:
        server.shutdown()
        server.server_close()

    [item] = outbox.outbox_items()
    assert item["attempts"] == 2
    assert received == [item["key"], item["key"]]  # the cut-off attempt and the redelivery, same key
    runs = outbox.rule_runs("hook")
    assert [r["outcome"] for r in runs] == ["success"]  # the killed attempt never finished; one success
