"""Tests never destroy data: NEO4J_URI (the user's database) is ignored, CRN_TEST_NEO4J_URI alone names a test
server, and a database holding data the tests did not create is refused before anything is deleted.

The refusal is tested twice against the session's real Neo4j: the guard function directly, and a child
`pytest` run (tests/conftest.py loaded as a plugin) whose marker name is changed to a probe name, so the
child sees the database as unmarked without the session's own marker ever being touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from tests import testdb

ROOT = Path(__file__).resolve().parents[2]
PROBE = "crn_test_marker_probe"
USER_SERVER = "bolt://127.0.0.1:1"  # where a user's NEO4J_URI might point: nothing answers there


# issue 13: these tests count every node of the database, so they run on a fresh install (no organisation-wide
# defaults stored; see tests/access.py)
pytestmark = pytest.mark.usefixtures("private_defaults")


@pytest.fixture
def driver(neo4j_env):
    with GraphDatabase.driver(neo4j_env["NEO4J_URI"],
                              auth=(neo4j_env.get("NEO4J_USER", "neo4j"), neo4j_env["NEO4J_PASSWORD"])) as drv:
        yield drv


@pytest.fixture
def unmarked(clean_db, driver):
    """The session's database holding a node the tests (as far as the probe marker knows) did not create."""
    clean_db.write("CREATE (:Company {uid: 'c1', name: 'Real customer'})")
    yield clean_db
    driver.execute_query(f"DROP INDEX {PROBE} IF EXISTS")


def _nodes(db) -> int:
    return db.read_one("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")["n"]


def _probe_marked(driver) -> bool:
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name WHERE name = $n RETURN count(*) AS c", n=PROBE)
    return records[0]["c"] == 1


# -- the guard, with the real driver --------------------------------------------------------------------

def test_populated_unmarked_database_is_refused_and_kept(unmarked, driver):
    with pytest.raises(testdb.PopulatedDatabase, match=r"holds 1 node that the tests did not create.*--resetdb"):
        testdb.guard_database(driver, "neo4j", reset=False, where="bolt://here", marker=PROBE)
    assert _nodes(unmarked) == 1 and not _probe_marked(driver)


def test_marked_database_passes_and_keeps_its_data(unmarked, driver):
    driver.execute_query(f"CREATE INDEX {PROBE} IF NOT EXISTS FOR (n:CrnTestMarker) ON (n.{PROBE})")
    assert testdb.guard_database(driver, "neo4j", reset=False, where="bolt://here", marker=PROBE) == "ours"
    assert _nodes(unmarked) == 1


def test_empty_database_is_marked(clean_db, driver):
    try:
        assert testdb.guard_database(driver, "neo4j", reset=False, where="bolt://here", marker=PROBE) == "marked"
        assert _probe_marked(driver) and _nodes(clean_db) == 0
        assert testdb.guard_database(driver, "neo4j", reset=False, where="bolt://here", marker=PROBE) == "ours"
    finally:
        driver.execute_query(f"DROP INDEX {PROBE} IF EXISTS")


def test_reset_wipes_then_marks(unmarked, driver):
    assert testdb.guard_database(driver, "neo4j", reset=True, where="bolt://here", marker=PROBE) == "reset"
    assert _nodes(unmarked) == 0 and _probe_marked(driver)


def test_the_session_database_carries_the_marker(graph, driver):
    records, _, _ = driver.execute_query("SHOW INDEXES YIELD name WHERE name = $n RETURN count(*) AS c",
                                         n=testdb.MARKER)
    assert records[0]["c"] == 1


def test_a_marker_name_is_never_formatted_unchecked(driver):
    with pytest.raises(ValueError, match="letters, digits and underscores"):
        testdb.guard_database(driver, "neo4j", reset=False, where="x", marker="x FOR (n) ON (n.a); DROP")


# -- choosing the server ------------------------------------------------------------------------------

def test_neo4j_uri_never_chooses_the_test_server():
    assert testdb.external_test_server({"NEO4J_URI": USER_SERVER, "NEO4J_PASSWORD": "prod"}) is None
    assert testdb.external_test_server({"NEO4J_URI": USER_SERVER, "CRN_TEST_NEO4J_URI": "bolt://t:1",
                                        "CRN_TEST_NEO4J_USER": "ci", "CRN_TEST_NEO4J_PASSWORD": "pw"}) == {
        "NEO4J_URI": "bolt://t:1", "NEO4J_USER": "ci", "NEO4J_PASSWORD": "pw"}


def test_user_database_variables_are_removed():
    environ = {"NEO4J_URI": USER_SERVER, "NEO4J_PASSWORD": "prod", "NEO4J_DATABASE": "crm",
               "NEOMODEL_DATABASE_URL": "bolt://u:p@prod:7687", "CRN_PORT": "1"}
    assert testdb.forget_user_database(environ)["NEO4J_URI"] == USER_SERVER
    assert environ == {"CRN_PORT": "1"}


def test_reset_is_asked_for_explicitly():
    assert testdb.reset_requested(True, {}) and testdb.reset_requested(False, {"CRN_TEST_RESET_DB": "yes"})
    assert not testdb.reset_requested(False, {}) and not testdb.reset_requested(False, {"CRN_TEST_RESET_DB": ""})


# -- a whole pytest run in a child process -------------------------------------------------------------

def _child_pytest(tmp_path: Path, env_extra: dict[str, str], *args: str, probe_marker: bool = False):
    """Run pytest on a one-test file that records which database crn connected to; return (result, record)."""
    out = tmp_path / "seen.json"
    (tmp_path / "test_probe.py").write_text(textwrap.dedent(f"""
        import json, os

        def test_probe(graph):
            from crn.config import get_settings
            from crn.graph import db
            seen = {{"settings_uri": get_settings().neo4j_uri, "env_uri": os.environ.get("NEO4J_URI"),
                     "answers": db.read_one("RETURN 1 AS one")["one"]}}
            open({str(out)!r}, "w").write(json.dumps(seen))
    """))
    if probe_marker:  # the child guards with the probe marker: the session's own marker stays untouched
        (tmp_path / "conftest.py").write_text(f"import tests.testdb\ntests.testdb.MARKER = {PROBE!r}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRN_TEST_NEO4J_", "CRN_TEST_RESET_DB"))}
    env.update(env_extra)
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                             "-q", "--rootdir", str(tmp_path), str(tmp_path), *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    record = json.loads(out.read_text()) if out.exists() else None
    return result, record


def _session_server_env(neo4j_env) -> dict[str, str]:
    """How a child finds the server this session uses: CRN_TEST_NEO4J_* when the session was given one."""
    if os.environ.get("CRN_TEST_NEO4J_URI"):
        return {k: v for k, v in os.environ.items() if k.startswith("CRN_TEST_NEO4J_")}
    return {}


def test_a_users_neo4j_uri_is_not_what_the_tests_use(neo4j_env, tmp_path):
    result, seen = _child_pytest(tmp_path, {"NEO4J_URI": USER_SERVER, "NEO4J_PASSWORD": "prod-password",
                                            **_session_server_env(neo4j_env)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert seen == {"settings_uri": neo4j_env["NEO4J_URI"], "env_uri": neo4j_env["NEO4J_URI"], "answers": 1}
    assert USER_SERVER not in json.dumps(seen)


def test_crn_test_neo4j_uri_names_the_test_server(neo4j_env, tmp_path):
    uri = neo4j_env["NEO4J_URI"]
    alias = uri.replace("127.0.0.1", "localhost") if "127.0.0.1" in uri else uri.replace("localhost", "127.0.0.1")
    assert alias != uri, f"cannot spell {uri} another way"
    result, seen = _child_pytest(tmp_path, {"NEO4J_URI": USER_SERVER, "CRN_TEST_NEO4J_URI": alias,
                                            "CRN_TEST_NEO4J_USER": neo4j_env.get("NEO4J_USER", "neo4j"),
                                            "CRN_TEST_NEO4J_PASSWORD": neo4j_env["NEO4J_PASSWORD"]})
    assert result.returncode == 0, result.stdout + result.stderr
    assert seen == {"settings_uri": alias, "env_uri": alias, "answers": 1}


def test_a_test_server_that_does_not_answer_is_a_clear_error(tmp_path):
    result, seen = _child_pytest(tmp_path, {"CRN_TEST_NEO4J_URI": USER_SERVER, "CRN_TEST_NEO4J_PASSWORD": "x"})
    assert result.returncode != 0 and seen is None
    assert f"CRN_TEST_NEO4J_URI={USER_SERVER}" in result.stdout and "does not answer" in result.stdout


def test_a_child_run_refuses_a_populated_database(unmarked, neo4j_env, driver, tmp_path):
    result, seen = _child_pytest(tmp_path, _session_server_env(neo4j_env), probe_marker=True)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR and seen is None, result.stdout + result.stderr
    assert "holds 1 node that the tests did not create" in result.stdout and "--resetdb" in result.stdout
    assert _nodes(unmarked) == 1 and not _probe_marked(driver)


@pytest.mark.parametrize("how", ["--resetdb", "CRN_TEST_RESET_DB=1"])
def test_a_child_run_told_to_reset_wipes_and_marks(unmarked, neo4j_env, driver, tmp_path, how):
    env = _session_server_env(neo4j_env)
    args: tuple[str, ...] = ()
    if how == "--resetdb":
        args = ("--resetdb",)
    else:
        env["CRN_TEST_RESET_DB"] = "1"
    result, seen = _child_pytest(tmp_path, env, *args, probe_marker=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert seen["answers"] == 1 and _nodes(unmarked) == 0 and _probe_marked(driver)
