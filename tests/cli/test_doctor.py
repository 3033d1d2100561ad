"""`crn doctor` against the real test Neo4j: what it finds, the fix it prints, and its exit code."""

from __future__ import annotations

from typer.testing import CliRunner

from crn.automation import heartbeat
from crn.cli import app
from crn.graph import access, db
from crn.graph.server import free_port

runner = CliRunner()


def _line(output: str, name: str) -> str:
    return next(line for line in output.splitlines()
                if len(line.split(None, 1)) == 2 and line.split(None, 1)[1].startswith(f"{name}:"))


def test_doctor_names_a_missing_worker_with_its_fix_then_passes(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_PORT", str(free_port()))  # nothing serves crn there: a warning, not a failure
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1, result.output
    assert "FAIL" in _line(result.output, "worker") and "crn worker" in result.output
    assert "ok" in _line(result.output, "neo4j") and "5." in _line(result.output, "neo4j")
    assert "ok" in _line(result.output, "migrations")
    assert "warn" in _line(result.output, f"port {__import__('os').environ['CRN_PORT']}")
    assert "1 problem(s)" in result.output

    with access.bound(access.SYSTEM):
        heartbeat.beat("doctor-test-worker")
    healthy = runner.invoke(app, ["doctor"])
    assert healthy.exit_code == 0, healthy.output
    assert "doctor-test-worker" in _line(healthy.output, "worker") and "crn looks healthy" in healthy.output


def test_doctor_reports_a_pending_migration(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_PORT", str(free_port()))
    with access.bound(access.SYSTEM):
        heartbeat.beat("doctor-test-worker")
    db.run_in_auto_commit("DROP INDEX customer_uid IF EXISTS")
    try:
        result = runner.invoke(app, ["doctor"])
        assert result.exit_code == 1
        assert "customer_uid" in _line(result.output, "migrations") and "crn db migrate" in result.output
    finally:
        db.run_in_auto_commit("CREATE INDEX customer_uid IF NOT EXISTS FOR (n:Customer) ON (n.uid)")


def test_doctor_says_when_neo4j_does_not_answer(graph, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CRN_DB_CONNECT_TIMEOUT", "1")
    db.close()
    try:
        result = runner.invoke(app, ["doctor"])
    finally:
        monkeypatch.undo()
        db.close()
        db.connect()
    assert result.exit_code == 1
    assert "FAIL" in _line(result.output, "neo4j") and "does not answer" in result.output
    assert "skip" in _line(result.output, "worker")
