"""crn db start/stop/status against a second, throw-away local Neo4j, and the clear errors."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crn.config import Settings
from crn.graph import db
from crn.graph.server import LocalNeo4j, ServerError, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scratch_env(monkeypatch, tmp_path):
    """Environment for a throw-away managed server in tmp_path, sharing the downloaded jars."""
    for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRN_NEO4J_HOME", str(tmp_path / "neo4j"))
    monkeypatch.setenv("CRN_BOLT_PORT", str(free_port()))
    monkeypatch.setenv("CRN_HTTP_PORT", str(free_port()))
    monkeypatch.setenv("CRN_NEO4J_HEAP", "512m")
    monkeypatch.setenv("CRN_NEO4J_PAGECACHE", "128m")
    return tmp_path


def crn(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "crn.cli", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)


def test_start_status_stop_and_data_survives(neo4j_env, scratch_env):
    server = LocalNeo4j(Settings())
    try:
        started = crn("db", "start")
        assert started.returncode == 0, started.stderr
        assert "ready" in started.stdout
        again = crn("db", "start")
        assert again.returncode == 0 and "already running" in again.stdout
        status = crn("db", "status")
        assert status.returncode == 0 and "running" in status.stdout

        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", "neo4j")) as drv:
            with pytest.raises(AuthError):  # the built-in default password was replaced at first start
                drv.verify_connectivity()
        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", server.password())) as drv:
            drv.execute_query("CREATE (:Company {uid: 'persist-me', name: 'Kept'})")
        assert crn("db", "stop").returncode == 0
        stopped = crn("db", "status")
        assert stopped.returncode == 3 and "stopped" in stopped.stdout
        assert crn("db", "start").returncode == 0
        with GraphDatabase.driver(server.bolt_uri, auth=("neo4j", server.password())) as drv:
            records, _, _ = drv.execute_query("MATCH (c:Company {uid: 'persist-me'}) RETURN c.name AS name")
        assert [r["name"] for r in records] == ["Kept"]
    finally:
        server.stop(echo=lambda *_: None)


def test_port_taken_is_a_clear_error(neo4j_env, scratch_env, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        monkeypatch.setenv("CRN_BOLT_PORT", str(port))
        with pytest.raises(ServerError) as info:
            LocalNeo4j(Settings()).start(echo=lambda *_: None)
    assert f"Port {port}" in str(info.value) and "CRN_BOLT_PORT" in str(info.value)


def test_server_not_answering_in_time_shows_log_tail(neo4j_env, scratch_env, monkeypatch):
    monkeypatch.setenv("CRN_NEO4J_START_TIMEOUT", "1")
    server = LocalNeo4j(Settings())
    try:
        with pytest.raises(ServerError) as info:
            server.start(echo=lambda *_: None)
        message = str(info.value)
        assert "did not answer" in message and "CRN_NEO4J_START_TIMEOUT" in message
        assert "Last lines of its log" in message
    finally:
        server.stop(echo=lambda *_: None)


def test_wrong_java_version_is_named(scratch_env, monkeypatch):
    newer = sorted(Path("/usr/lib/jvm").glob("temurin-*/bin/java"))
    if not newer:
        pytest.fail("this machine is expected to have a second, newer Temurin JDK under /usr/lib/jvm")
    monkeypatch.setenv("CRN_JAVA", str(newer[0]))
    with pytest.raises(ServerError) as info:
        LocalNeo4j(Settings()).java()
    assert "needs Java 17 or 21" in str(info.value) and "Java 2" in str(info.value)


def test_missing_java_is_named(scratch_env, monkeypatch, tmp_path):
    monkeypatch.setenv("CRN_JAVA", str(tmp_path / "no-such-java"))
    with pytest.raises(ServerError) as info:
        LocalNeo4j(Settings()).java()
    assert "Java was not found" in str(info.value) and "NEO4J_URI" in str(info.value)


def test_no_maven_and_no_uri_lists_three_ways(scratch_env, monkeypatch, tmp_path):
    monkeypatch.setenv("CRN_NEO4J_DIST", str(tmp_path / "empty-dist"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ServerError) as info:
        LocalNeo4j(Settings()).install(echo=lambda *_: None)
    message = str(info.value)
    assert "Maven (mvn) was not found" in message
    assert "1." in message and "2." in message and "3." in message and "NEO4J_URI" in message


def test_wrong_password_is_a_clear_error(neo4j_env, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "definitely-not-the-password")
    with pytest.raises(db.DatabaseUnavailable) as info:
        db.open_driver(Settings())
    assert "wrong password" in str(info.value) and "NEO4J_PASSWORD" in str(info.value)


def test_cli_says_how_to_get_a_database_when_none_answers(monkeypatch):
    port = free_port()
    result = crn("db", "migrate", env_extra={"NEO4J_URI": f"neo4j://127.0.0.1:{port}", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    assert "does not answer" in result.stderr and "crn db start" in result.stderr
    assert "Traceback" not in result.stderr
