"""Test fixtures: a real Neo4j for the whole session, and a clean database for each test.

The tests delete everything in their database, so they never use the user's: NEO4J_URI and the other
variables naming a database are removed from the environment when the session starts (tests/testdb.py).
Neo4j comes from, in order: CRN_TEST_NEO4J_URI (+ CRN_TEST_NEO4J_USER, CRN_TEST_NEO4J_PASSWORD), a server
kept for tests; crn's managed local server in its own folder (.crn/test-neo4j) on its own free ports; a
testcontainers Neo4jContainer when a Docker engine answers; otherwise the session fails with instructions.
Before the first wipe, a database holding nodes the tests did not create is refused unless
``pytest --resetdb`` (or CRN_TEST_RESET_DB=1) says its data may go.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import testdb

ROOT = Path(__file__).resolve().parent.parent
TEST_HOME = ROOT / ".crn" / "test-neo4j"


def pytest_addoption(parser):
    parser.addoption("--resetdb", action="store_true", default=False,
                     help="let the tests delete the data of a Neo4j database they did not create "
                          "(see tests/testdb.py)")


def pytest_configure(config):
    # Before any test or fixture runs: crn code under test must never find the user's database.
    testdb.forget_user_database(os.environ)
    # Code that tests and their (module- and package-scoped) fixtures call directly acts as crn itself, as the
    # CLI and the worker do (issue 13; requests to the app bind their user's access): see _system_access
    from crn.graph import access

    access.bind(access.SYSTEM)


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


def _guard(env: dict[str, str], config, where: str) -> None:
    """Refuse (end the session) a database holding data the tests did not create; mark it as theirs."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    reset = testdb.reset_requested(config.getoption("resetdb"), os.environ)
    driver = None
    try:
        driver = GraphDatabase.driver(env["NEO4J_URI"], auth=(env.get("NEO4J_USER", "neo4j"),
                                                              env.get("NEO4J_PASSWORD", "")))
        driver.verify_connectivity()  # fails at once; a query would retry for 30 s first
        # "neo4j": NEO4J_DATABASE was removed with the user's other settings, so crn uses its default.
        testdb.guard_database(driver, "neo4j", reset=reset, where=where)
    except testdb.PopulatedDatabase as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    except (ServiceUnavailable, AuthError, ConfigurationError, ValueError, OSError) as exc:
        pytest.exit(f"{where} does not answer as a Neo4j the tests may use ({exc}). Start it, fix "
                    "CRN_TEST_NEO4J_USER/CRN_TEST_NEO4J_PASSWORD, or unset CRN_TEST_NEO4J_URI to let the tests "
                    "run their own server.", returncode=pytest.ExitCode.USAGE_ERROR)
    finally:
        if driver is not None:
            driver.close()


@pytest.fixture(scope="session")
def neo4j_env(pytestconfig):
    """Environment variables (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD) of the session's Neo4j."""
    import shutil

    env = testdb.external_test_server(os.environ)
    if env is not None:
        where = f"CRN_TEST_NEO4J_URI={env['NEO4J_URI']}"
    elif shutil.which("mvn") and shutil.which("java"):
        env = _managed_test_server()
        where = f"the managed test server in {TEST_HOME} ({env['NEO4J_URI']})"
    elif _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer("neo4j:5.26-community").start()
        env = {"NEO4J_URI": container.get_connection_url(), "NEO4J_USER": "neo4j",
               "NEO4J_PASSWORD": container.password}
        where = f"the testcontainers Neo4j ({env['NEO4J_URI']})"
    else:
        pytest.fail("No Neo4j for the tests: install Java 17 and Maven so crn can run its own, start a Docker "
                    "engine for testcontainers, or set CRN_TEST_NEO4J_URI (and CRN_TEST_NEO4J_PASSWORD) to a "
                    "server kept for tests (NEO4J_URI is never used by the tests: it names your own data).")
    os.environ.update(env)
    _guard(env, pytestconfig, where)
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
    """Delete every node and relationship but the schema's version record (the schema stays, so the
    database stays migrated), and what this process remembers of them (custom field definitions are cached
    for a few seconds). A test that deleted the version record too gets it back here."""
    from crn.auth import access
    from crn.crm import fields
    from crn.graph import migrations

    db.run_in_auto_commit("MATCH (n) WHERE NOT n:Migration CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    if migrations.pending():
        migrations.migrate()
    fields.forget()
    access.forget()
    if not _PRIVATE:  # enforce (issue 13): see tests/access.py
        from tests.access import open_defaults
        from tests.cypher import FORGET_AUDIT_TRAIL

        open_defaults()
        # setting the defaults is the suite's setup, not something a test did: the audit trail starts empty
        db.write(FORGET_AUDIT_TRAIL)


@pytest.fixture
def clean_db(graph):
    """An empty database before the test (and after it, so nothing leaks into the next)."""
    wipe(graph)
    yield graph
    wipe(graph)


# ---- record-level access (issue 13; see tests/access.py) ------------------------------------------------

@pytest.fixture(autouse=True)
def _system_access():
    """Code a test calls directly (domain functions, importers, the worker) acts as crn itself, as the CLI
    and the worker do; requests to the app bind their user's access."""
    from crn.graph import access

    previous = access.current_or_none()
    access.bind(access.SYSTEM)
    yield
    access.bind(previous)


_PRIVATE = False  # the running test keeps a fresh install's private defaults (it asked for private_defaults)


@pytest.fixture(autouse=True)
def _defaults_of_the_test(request):
    """Tests not about access run in an organisation whose defaults are read/write (set by wipe(), see
    tests/access.py); tests using ``private_defaults`` keep a fresh install's private defaults."""
    global _PRIVATE
    _PRIVATE = "private_defaults" in request.fixturenames
    yield
    _PRIVATE = False


@pytest.fixture
def private_defaults():
    """A fresh install: no organisation-wide default stored, so every record type is private (only the
    records' principals and admins read them). Also for tests that count every node of the database."""
    return None
