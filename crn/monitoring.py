"""Health, metrics and request ids for the web server: /livez, /healthz, /metrics and the RequestObserver.

- ``/livez`` (liveness): 200 while the process serves HTTP; never touches the database, so a supervisor
  does not restart crn because Neo4j is down (that would not help).
- ``/healthz`` (readiness): 200 when Neo4j answers ``RETURN 1`` within ``HEALTH_SECONDS``, else 503 with the
  reason; answered within ``HEALTH_SECONDS`` whatever the database does (the probe runs on threads of its own and
  is abandoned, not awaited, when late).
- ``/metrics``: the Prometheus text format (crn/metrics.py). It tells an outsider how busy crn is and which
  operations clients run, so it answers loopback clients only unless CRN_METRICS_TOKEN is set, in which case it
  answers any client sending ``Authorization: Bearer <CRN_METRICS_TOKEN>`` (and refuses everyone else).
- ``RequestObserver`` (ASGI middleware): the request id (``X-Request-ID`` in and out, see crn/logs.py) and the
  request counters and latency histogram by route, GraphQL operation and status.
- ``database_unavailable``: a ``DatabaseUnavailable`` that escapes a route (e.g. while a token is checked) is
  answered 503 with Retry-After instead of a 500.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crn import logs, metrics
from crn.automation import heartbeat, outbox
from crn.graph import db

log = logging.getLogger(__name__)
HEALTH_SECONDS = 0.8  # /healthz answers within a second
# /healthz and /metrics probe on threads of their own: never queued behind API work (crn.schema.workers) or logins
_probe_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="crn-health")
LOOPBACK = ("127.0.0.1", "::1")

__all__ = ["HEALTH_SECONDS", "RequestObserver", "database_unavailable", "healthz", "livez", "metrics_endpoint"]


async def livez(request: Request) -> JSONResponse:
    """200 {"status": "alive"}: the process answers HTTP (nothing else is checked)."""
    return JSONResponse({"status": "alive"})


async def healthz(request: Request) -> JSONResponse:
    """200 {"status": "ok", "neo4j": true} when Neo4j answers in time, else 503 {"status": "degraded",
    "neo4j": false, "reason": ...}."""
    future = _probe_pool.submit(db.probe, HEALTH_SECONDS)
    try:
        reason = await asyncio.wait_for(asyncio.wrap_future(future), HEALTH_SECONDS)
    except asyncio.TimeoutError:
        reason = f"Neo4j did not answer within {HEALTH_SECONDS:g} s"
    if reason is None:
        return JSONResponse({"status": "ok", "neo4j": True})
    retry = str(request.app.state.settings.db_retry_after)
    return JSONResponse({"status": "degraded", "neo4j": False, "reason": reason}, status_code=503,
                        headers={"Retry-After": retry})


def _graph_gauges() -> None:
    """Outbox depth and age, rule failures and the worker's heartbeat, read from the graph (bounded time)."""
    with db.timeout(2.0):
        counts = outbox.outbox_counts()
        backlog = outbox.backlog()
        failures = outbox.failure_counts()
        beat = heartbeat.freshest_heartbeat_age()
    for status in ("pending", "delivering", "done", "dead", "cancelled"):
        metrics.OUTBOX_ITEMS.labels(status).set(counts.get(status, 0))
    metrics.OUTBOX_OLDEST_SECONDS.set(backlog["oldest_seconds"] or 0)
    for outcome in ("retry", "dead"):
        metrics.RULE_FAILURES.labels(outcome).set(failures.get(outcome, 0))
    metrics.WORKER_HEARTBEAT_AGE.set(-1 if beat is None else beat)


def _allowed(request: Request) -> bool:
    token = request.app.state.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return (request.client.host if request.client else "") in LOOPBACK


async def metrics_endpoint(request: Request) -> Response:
    """The Prometheus exposition; 403 for other clients (see the module docstring)."""
    if not _allowed(request):
        return JSONResponse({"error": {"code": "forbidden", "message": "/metrics answers loopback clients, or any "
                                       "client with CRN_METRICS_TOKEN as bearer token when that is set."}},
                            status_code=403)
    future = _probe_pool.submit(_graph_gauges)
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), 3.0)
    except Exception as exc:  # noqa: BLE001 - the process metrics are still worth serving when Neo4j is down
        log.warning("graph metrics unavailable: %s", exc or type(exc).__name__)
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE_LATEST)


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Exception handler: 503 + Retry-After with code database_unavailable."""
    metrics.DB_UNAVAILABLE.inc()
    message = str(exc) if isinstance(exc, db.DatabaseUnavailable) else str(db.DatabaseUnavailable(
        "Neo4j does not answer; retry in a few seconds"))
    return JSONResponse({"error": {"code": "database_unavailable", "message": message}}, status_code=503,
                        headers={"Retry-After": str(request.app.state.settings.db_retry_after)})


class RequestObserver:
    """ASGI middleware: the request id (X-Request-ID in and out) and request metrics.

    ``paths`` are the routes counted by their path; any other path is counted as ``other`` (so that probing
    random URLs does not grow the metrics). The GraphQL view records the operation in
    ``scope["state"]["crn_operation"]`` (see crn/schema/http.py).
    """

    def __init__(self, app: ASGIApp, paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        rid = logs.valid_request_id(headers.get(b"x-request-id", b"").decode("latin-1")) or logs.new_request_id()
        state = scope.setdefault("state", {})
        state["crn_operation"] = ""
        status = [500]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        path = scope.get("path", "")
        route = path if path in self.paths else ("static" if path.startswith("/static/") else "other")
        started = time.perf_counter()
        with logs.request_context(rid):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                operation = state.get("crn_operation") or ""
                metrics.REQUESTS.labels(route, operation, str(status[0])).inc()
                metrics.REQUEST_SECONDS.labels(route, operation).observe(time.perf_counter() - started)
