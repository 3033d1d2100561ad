"""Neo4j down or unreachable: readiness says so within a second, liveness stays up, API calls fail fast with
``database_unavailable`` (503 + Retry-After), the worker backs off and resumes, and everything recovers
without a restart.

The outage is real at the network level: the app's driver talks to the session's test Neo4j through a TCP
relay (``Relay``) that the test cuts (listener closed, every open connection reset) and restores on the same
port. The shared test server itself is never stopped, so later tests are unaffected and the test takes
seconds, not the minute a Neo4j restart needs here; ``bench/crash.py`` covers real ``kill -9`` crashes and
restarts of a server.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from urllib.parse import urlparse

import pytest
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.automation import heartbeat
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.graph import db
from crn.graph.server import free_port

QUERY = {"query": "query OutageProbe { companies(first: 1) { totalCount } }", "operationName": "OutageProbe"}


class Relay:
    """A TCP relay 127.0.0.1:<port> → ``upstream``, which can be cut and restored (same port)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            conns, self.conns = self.conns, []
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not, on Linux)
            except OSError:
                pass
            listener.close()
        for conn in conns:
            try:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                conn.close()  # RST: the driver's pooled connections break, as when the server dies
            except OSError:
                pass

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.close()
            except OSError:
                pass


@pytest.fixture
def relay(clean_db, neo4j_env):
    """A relay to the test Neo4j; the process's driver is reconnected to the test server afterwards."""
    target = urlparse(neo4j_env["NEO4J_URI"])
    relay = Relay((target.hostname, target.port))
    relay.up()
    db.close()
    yield relay
    relay.down()
    db.close()
    db.connect()


def _settings(relay: Relay):
    return dataclasses.replace(get_settings(), neo4j_uri=f"bolt://127.0.0.1:{relay.port}", db_connect_timeout=1.0,
                               db_acquire_timeout=2.0, db_retry_seconds=2.0, db_retry_after=7,
                               token_cache_seconds=600.0)


def _wait_ready(client: TestClient, seconds: float = 30.0) -> float:
    started = time.monotonic()
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() - started < seconds, "crn did not become ready again after the outage"
        time.sleep(0.2)
    return time.monotonic() - started


def test_outage_is_reported_fast_and_recovers_without_restart(relay):
    settings = _settings(relay)
    db.connect(settings)
    auth.create_user("ops@x.io", "Ops", "longenough-pass", "admin")
    token = auth.create_token("ops@x.io", "outage")
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as client:
        assert client.post("/graphql", json=QUERY, headers=headers).status_code == 200  # the token is now cached

        relay.down()
        started = time.monotonic()
        health = client.get("/healthz")
        assert time.monotonic() - started < 1.0
        assert health.status_code == 503
        assert health.json()["status"] == "degraded" and "Neo4j" in health.json()["reason"]
        assert health.headers["retry-after"] == "7"
        assert client.get("/livez").status_code == 200

        started = time.monotonic()
        answer = client.post("/graphql", json=QUERY, headers=headers)
        took = time.monotonic() - started
        assert answer.status_code == 503 and answer.headers["retry-after"] == "7", answer.text
        error = answer.json()["errors"][0]
        assert error["extensions"]["code"] == "database_unavailable"
        assert "Unexpected error" not in error["message"] and "retry" in error["message"]
        assert took < 10, f"a request waited {took:.1f} s while Neo4j was unreachable"
        started = time.monotonic()
        again = client.post("/graphql", json=QUERY, headers=headers)  # known down: one quick probe, no retries
        assert again.status_code == 503 and time.monotonic() - started < 3

        # a token not in the cache needs the database before GraphQL runs: still 503 + Retry-After, not a 500
        other = client.post("/graphql", json=QUERY, headers={"Authorization": "Bearer crn_x_unknown"})
        assert other.status_code == 503 and other.json()["error"]["code"] == "database_unavailable"
        assert other.headers["retry-after"] == "7"

        relay.up()
        assert _wait_ready(client) < 30
        back = client.post("/graphql", json=QUERY, headers=headers)
        assert back.status_code == 200 and back.json()["data"]["companies"]["totalCount"] == 0


def test_app_started_while_neo4j_is_unreachable_becomes_ready_when_it_answers(relay):
    settings = _settings(relay)
    relay.down()
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as client:  # lifespan: connect fails, logged
        started = time.monotonic()
        health = client.get("/healthz")
        assert health.status_code == 503 and time.monotonic() - started < 1.0
        assert client.get("/livez").json() == {"status": "alive"}
        relay.up()
        _wait_ready(client)


def test_worker_backs_off_while_neo4j_is_down_and_resumes(relay, caplog):
    settings = dataclasses.replace(_settings(relay), automation_poll_seconds=0.2, worker_backoff_max_seconds=1.0)
    db.connect(settings)
    relay.down()
    worker = Worker(settings=settings, worker_id="outage-worker", schedules=False)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    caplog.set_level(logging.INFO, logger="crn.automation.worker")
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while sum("database unavailable" in r.getMessage() for r in caplog.records) < 3:
            assert time.monotonic() < deadline, "the worker did not report the outage"
            time.sleep(0.1)
        pauses = [r.getMessage().rsplit("retries in ", 1)[1] for r in caplog.records
                  if "database unavailable" in r.getMessage()]
        assert pauses[0] != pauses[-1] or pauses[-1] == "1.0 s"  # the pause grows, up to the maximum
        relay.up()
        deadline = time.monotonic() + 30
        while not any("resumes" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "the worker did not resume after the outage"
            time.sleep(0.1)
        assert heartbeat.freshest()["id"] == "outage-worker"
    finally:
        stop.set()
        thread.join(10)
