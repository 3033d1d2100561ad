"""Test fixtures: a real Neo4j for the whole session, and a clean database for each test.

Neo4j comes from, in order: NEO4J_URI (any running server); crn's managed local server in its own
folder (.crn/test-neo4j) on its own free ports, so tests never touch a user's data; a
testcontainers Neo4jContainer when a Docker engine answers; otherwise the session fails with
instructions.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_HOME = ROOT / ".crn" / "test-neo4j"


def _managed_test_server() -> dict[str, str]:
    from crn.config import Settings
    from crn.graph.server import LocalNeo4j, free_port

    ports_file = TEST_HOME / "ports.json"
    TEST_HOME.mkdir(parents=True, exist_ok=True)
    if ports_file.exists():
        ports = json.loads(ports_file.read_text())
    else:
        ports = {"bolt": free_port(), "http": free_port()}
        ports_file.write_text(json.dumps(ports))
    env = {
        "CRN_NEO4J_HOME": str(TEST_HOME),
        "CRN_BOLT_PORT": str(ports["bolt"]),
        "CRN_HTTP_PORT": str(ports["http"]),
        "CRN_NEO4J_HEAP": os.environ.get("CRN_TEST_NEO4J_HEAP", "1g"),
        "CRN_NEO4J_PAGECACHE": os.environ.get("CRN_TEST_NEO4J_PAGECACHE", "512m"),
    }
    os.environ.update(env)
    server = LocalNeo4j(Settings())
    if server.pid() is None:
        from crn.graph.server import port_in_use

        if port_in_use(ports["bolt"]) or port_in_use(ports["http"]):
            ports = {"bolt": free_port(), "http": free_port()}
            ports_file.write_text(json.dumps(ports))
            os.environ.update({"CRN_BOLT_PORT": str(ports["bolt"]), "CRN_HTTP_PORT": str(ports["http"])})
            server = LocalNeo4j(Settings())
        server.start(echo=lambda *_: None)
    return {"NEO4J_URI": server.bolt_uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": server.password()}


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(scope="session")
def neo4j_env():
    """Environment variables (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD) of the session's Neo4j."""
    if os.environ.get("NEO4J_URI"):
        yield {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD") if k in os.environ}
        return
    import shutil

    if shutil.which("mvn") and shutil.which("java"):
        env = _managed_test_server()
    elif _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer("neo4j:5.26-community").start()
        env = {"NEO4J_URI": container.get_connection_url(), "NEO4J_USER": "neo4j",
               "NEO4J_PASSWORD": container.password}
    else:
        pytest.fail("No Neo4j for the tests: set NEO4J_URI (and NEO4J_PASSWORD) to a server, install Java 17 "
                    "and Maven so crn can run its own, or start a Docker engine for testcontainers.")
    os.environ.update(env)
    yield env


@pytest.fixture(scope="session")
def graph(neo4j_env):
    """The crn.graph.db module, connected and migrated, for the whole session."""
    from crn.graph import db, migrations

    db.close()
    db.connect()
    migrations.migrate()
    yield db
    db.close()


def wipe(db) -> None:
    """Delete every node and relationship (the schema stays)."""
    db.run_in_auto_commit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")


@pytest.fixture
def clean_db(graph):
    """An empty database before the test (and after it, so nothing leaks into the next)."""
    wipe(graph)
    yield graph
    wipe(graph)
