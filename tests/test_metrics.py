"""/metrics: the Prometheus exposition (requests by operation and status with latency, database time, outbox
depth and age, rule failures, login failures, import rows), served to loopback clients or a token holder."""

from __future__ import annotations

import dataclasses
import re

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from crn import auth, metrics
from crn.app import create_app
from crn.automation import outbox
from crn.automation.clock import get_clock
from crn.config import get_settings
from crn.graph import access
from crn.ingest import importer

LOCAL = ("127.0.0.1", 40000)


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def _value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_database_time_logins_imports_and_the_outbox(clean_db, tmp_path):
    auth.create_user("m@x.io", "Metrics", "longenough", "admin")
    token = auth.create_token("m@x.io", "metrics")
    now = get_clock().now()
    with access.bound(access.SYSTEM):
        outbox.enqueue([{"key": "k1", "rule_id": "r", "rule_version": 1, "action": "create_task", "params": "{}",
                         "context": "{}", "subject_uid": "s", "event": "created", "max_attempts": 3,
                         "due_at": now.replace(year=now.year - 1), "created_at": now, "chain": ["r"], "depth": 1}])
    csv = tmp_path / "companies.csv"
    csv.write_text("name,domain\nAcme,acme.example.com\nBeta,beta.example.com\n")
    with TestClient(create_app(), client=LOCAL) as client:
        before = _samples(client.get("/metrics").text)
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(2):
            answer = client.post("/graphql", headers=headers, json={
                "query": "query MetricsProbe { companies(first: 1) { totalCount } }"})
            assert answer.status_code == 200
        assert client.post("/auth/login", json={"email": "m@x.io", "password": "wrong-wrong"}).status_code == 401
        with access.bound(access.SYSTEM):
            importer.run_import("companies", csv, settings=get_settings())
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = _samples(response.text)
    requests = dict(route="/graphql", operation="MetricsProbe", status="200")
    assert _value(after, "crn_http_requests_total", **requests) - _value(before, "crn_http_requests_total",
                                                                         **requests) == 2
    latency = dict(route="/graphql", operation="MetricsProbe")
    assert _value(after, "crn_http_request_duration_seconds_count", **latency) >= 2
    assert _value(after, "crn_db_transaction_duration_seconds_count", kind="read") > _value(
        before, "crn_db_transaction_duration_seconds_count", kind="read")
    assert _value(after, "crn_login_failures_total") - _value(before, "crn_login_failures_total") == 1
    assert _value(after, "crn_import_rows_total", outcome="written") - _value(
        before, "crn_import_rows_total", outcome="written") == 2
    assert _value(after, "crn_outbox_items", status="pending") == 1
    assert _value(after, "crn_outbox_oldest_pending_seconds") > 300 * 86400
    assert ("crn_rule_failures", (("outcome", "dead"),)) in after
    assert _value(after, "crn_worker_heartbeat_age_seconds") == -1
    assert _value(after, "process_resident_memory_bytes") > 0


def test_metrics_answer_loopback_only_unless_a_token_is_set(clean_db):
    with TestClient(create_app(), client=("10.1.2.3", 40000)) as remote:
        assert remote.get("/metrics").status_code == 403
    settings = dataclasses.replace(get_settings(), metrics_token="s3cret-metrics")
    with TestClient(create_app(settings), client=("10.1.2.3", 40000)) as remote:
        assert remote.get("/metrics").status_code == 403
        assert remote.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert remote.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"}).status_code == 200
    with TestClient(create_app(settings), client=LOCAL) as local:  # with a token, loopback needs it too
        assert local.get("/metrics").status_code == 403


def test_operation_labels_are_bounded():
    assert metrics.operation_label("Home") == "Home"
    assert metrics.operation_label(None, "mutation Save($a: Int) { x }") == "Save"
    assert metrics.operation_label("x" * 100) == "other"
    assert metrics.operation_label("bad name!") == "other"
    names = {metrics.operation_label(f"Op{i}") for i in range(1000)}
    assert "other" in names and len(names) <= metrics._MAX_OPERATIONS + 1


def test_unknown_paths_are_one_route_label(clean_db):
    with TestClient(create_app(), client=LOCAL) as client:
        for i in range(5):
            client.get(f"/no-such-page-{i}")
        text = client.get("/metrics").text
    assert "no-such-page" not in text
    assert re.search(r'crn_http_requests_total\{operation="",route="other",status="404"\} [1-9]', text)
