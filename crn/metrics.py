"""crn's Prometheus metrics (the ``prometheus-client`` package), served by ``/metrics`` (crn/monitoring.py).

Counters and histograms are process-local: the web server's are what it did (requests, database time, login
failures, imports through the API); the outbox depth and age and the rule failures are read from the graph when
/metrics is scraped, so they cover every worker. A leaf module: anything may import it.
"""

from __future__ import annotations

import re
import threading

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import ProcessCollector, PlatformCollector

__all__ = ["CONTENT_TYPE_LATEST", "DB_SECONDS", "IMPORT_ROWS", "LOGIN_FAILURES", "OUTBOX_ITEMS",
           "OUTBOX_OLDEST_SECONDS", "REGISTRY", "REQUESTS", "REQUEST_SECONDS", "RULE_FAILURES", "exposition",
           "operation_label"]

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # process_resident_memory_bytes, process_cpu_seconds_total, ...
PlatformCollector(registry=REGISTRY)

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
REQUESTS = Counter("crn_http_requests", "HTTP requests answered, by route, GraphQL operation and status",
                   ["route", "operation", "status"], registry=REGISTRY)
REQUEST_SECONDS = Histogram("crn_http_request_duration_seconds", "Time to answer a request, by route and "
                            "GraphQL operation", ["route", "operation"], buckets=_LATENCY, registry=REGISTRY)
DB_SECONDS = Histogram("crn_db_transaction_duration_seconds", "Time spent in Neo4j transactions (retries "
                       "included), by kind: read, write, auto (auto-commit)", ["kind"], buckets=_LATENCY,
                       registry=REGISTRY)
DB_UNAVAILABLE = Counter("crn_db_unavailable", "Requests refused with database_unavailable", registry=REGISTRY)
LOGIN_FAILURES = Counter("crn_login_failures", "Failed sign-ins (wrong e-mail or password)", registry=REGISTRY)
IMPORT_ROWS = Counter("crn_import_rows", "Rows read by imports in this process, by outcome", ["outcome"],
                      registry=REGISTRY)
OUTBOX_ITEMS = Gauge("crn_outbox_items", "Automation outbox items by status (read from the graph)", ["status"],
                     registry=REGISTRY)
OUTBOX_OLDEST_SECONDS = Gauge("crn_outbox_oldest_pending_seconds", "Age of the oldest due, undelivered outbox "
                              "item (0 when none; read from the graph)", registry=REGISTRY)
RULE_FAILURES = Gauge("crn_rule_failures", "Recorded automation deliveries that failed, by outcome: retry or dead "
                      "(read from the graph)", ["outcome"], registry=REGISTRY)
WORKER_HEARTBEAT_AGE = Gauge("crn_worker_heartbeat_age_seconds", "Seconds since the freshest automation worker "
                             "heartbeat (-1 when no worker ever ran)", registry=REGISTRY)

# GraphQL operation names are chosen by clients: only plain names, and at most _MAX_OPERATIONS of them, become
# label values (the rest are "other"), so a client cannot grow the registry without bound.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_DOCUMENT_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)")
_MAX_OPERATIONS = 200
_operations: set[str] = set()
_operations_lock = threading.Lock()


def operation_label(operation_name: str | None, document: str | None = None) -> str:
    """The label for a GraphQL operation: its name (given, or the document's first), ``anonymous`` or ``other``.

    >>> operation_label(None, "query Home { me { id } }"), operation_label(None, "{ me { id } }")
    ('Home', 'anonymous')
    """
    name = operation_name
    if not name and document:
        match = _DOCUMENT_NAME.match(document)
        name = match.group(1) if match else None
    if not name:
        return "anonymous"
    if not _NAME.fullmatch(name):
        return "other"
    with _operations_lock:
        if name in _operations:
            return name
        if len(_operations) >= _MAX_OPERATIONS:
            return "other"
        _operations.add(name)
        return name


def exposition() -> bytes:
    """The registry in the Prometheus text format."""
    return generate_latest(REGISTRY)
