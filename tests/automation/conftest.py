"""Fixtures for automation tests: a migrated clean database with the listener, a movable clock, and real
SMTP and HTTP servers on loopback."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crn.graph.server import free_port


@pytest.fixture
def automation(clean_db, monkeypatch, tmp_path):
    """A clean migrated database, the outbox listener subscribed, a ManualClock, a file SMS provider."""
    import crn.automation
    from crn.automation import clock, store
    from crn.crm import events
    from crn.graph import migrations

    from crn.config import get_settings

    migrations.migrate()
    monkeypatch.setenv("CRN_SMS_FILE", str(tmp_path / "sms.log"))
    monkeypatch.setenv("CRN_AUTOMATION_RULES_TTL", "0")
    crn.automation.install(get_settings())  # a test that changes the environment later installs again
    manual = clock.ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    previous = clock.set_clock(manual)
    store.invalidate_cache()
    yield manual
    clock.set_clock(previous)
    store.invalidate_cache()
    events.unsubscribe(crn.automation.LISTENER_NAME)


class SmtpRecorder:
    """Messages received by the loopback SMTP server."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        """Messages addressed to ``address``."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server(monkeypatch):
    """A real aiosmtpd server on 127.0.0.1:<free port>; CRN_SMTP_HOST/PORT point at it."""
    from aiosmtpd.controller import Controller

    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CRN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CRN_SMTP_PORT", str(port))
    yield recorder
    controller.stop()


def allow_loopback_receiver(monkeypatch) -> None:
    """Let webhooks reach a test receiver on 127.0.0.1 over plain http (refused by default)."""
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("CRN_WEBHOOK_ALLOW_HTTP", "1")


class WebhookRecorder:
    """Requests received by the loopback HTTP server; ``status`` is what it answers (a list pops per call)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()


@pytest.fixture
def webhook_server(monkeypatch):
    """A real HTTP server on 127.0.0.1:<free port> recording POSTs; yields (recorder, url).

    Webhooks refuse loopback and plain http by default (crn.automation.egress): the fixture allow-lists
    exactly this receiver's address and http, as an operator would for an internal endpoint.
    """
    allow_loopback_receiver(monkeypatch)
    recorder = WebhookRecorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with recorder.lock:
                status = recorder.statuses.pop(0) if recorder.statuses else 200
                recorder.requests.append({"headers": dict(self.headers), "body": body, "status": status,
                                          "json": json.loads(body)})
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def publish(cypher: str, params: dict, evts: list) -> None:
    """A real write transaction that changes data and publishes ``evts`` (as the crn/crm operations do)."""
    from crn.crm import events
    from crn.graph import db

    def work(tx):
        tx.run(cypher, params).consume()
        events.publish(tx, evts)

    db.write_tx(work)
