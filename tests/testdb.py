"""Which Neo4j the tests use, and the guard that keeps them from deleting data they did not create.

The tests delete every node between tests, so they must never reach a user's database:

- NEO4J_URI (and the other variables crn reads to find a database) are ignored and removed from the
  environment for the whole test session; a test server is named only by CRN_TEST_NEO4J_URI
  (CRN_TEST_NEO4J_USER, CRN_TEST_NEO4J_PASSWORD), otherwise the tests run crn's managed server in
  .crn/test-neo4j (or a testcontainers Neo4j).
- Before the first wipe, a database holding nodes but no test marker is refused (as neomodel's own test
  suite refuses a populated database), unless ``pytest --resetdb`` or CRN_TEST_RESET_DB=1 says its data may
  go. The marker is an index named ``crn_test_marker``: schema survives the wipes between tests and is
  invisible to the tests' node counts and exports, so a database the tests marked stays theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from neo4j import Driver

__all__ = ["MARKER", "USER_DATABASE_VARIABLES", "PopulatedDatabase", "external_test_server", "forget_user_database",
           "guard_database", "reset_requested"]

MARKER = "crn_test_marker"

# Every variable through which crn (or neomodel under it) could find a user's database.
USER_DATABASE_VARIABLES = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                           "NEOMODEL_DATABASE_URL", "NEOMODEL_DATABASE_NAME")

_COUNT_NODES = "MATCH (n) WHERE NOT n:Migration RETURN count(n) AS nodes"  # the schema version record is not data
_MARKER_EXISTS = "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS found"
# Index names cannot be parameters; the name is one of our constants, checked below, never user input.
_CREATE_MARKER = "CREATE INDEX {name} IF NOT EXISTS FOR (n:CrnTestMarker) ON (n.{name})"  # one schema per name
_WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"


class PopulatedDatabase(Exception):
    """The database holds data the tests did not create; the message says how to proceed."""


def forget_user_database(environ: MutableMapping[str, str]) -> dict[str, str]:
    """Remove the user's database settings from ``environ`` (os.environ for the session); return them."""
    return {name: environ.pop(name) for name in USER_DATABASE_VARIABLES if name in environ}


def external_test_server(environ: Mapping[str, str]) -> dict[str, str] | None:
    """The crn environment for the server CRN_TEST_NEO4J_URI names, or None to use the managed one.

    NEO4J_URI plays no part: it names the user's own database.

    >>> external_test_server({"NEO4J_URI": "bolt://prod:7687"}) is None
    True
    >>> external_test_server({"CRN_TEST_NEO4J_URI": "bolt://ci:7687", "CRN_TEST_NEO4J_PASSWORD": "pw"})
    {'NEO4J_URI': 'bolt://ci:7687', 'NEO4J_USER': 'neo4j', 'NEO4J_PASSWORD': 'pw'}
    """
    uri = environ.get("CRN_TEST_NEO4J_URI")
    if not uri:
        return None
    env = {"NEO4J_URI": uri, "NEO4J_USER": environ.get("CRN_TEST_NEO4J_USER") or "neo4j"}
    if environ.get("CRN_TEST_NEO4J_PASSWORD"):
        env["NEO4J_PASSWORD"] = environ["CRN_TEST_NEO4J_PASSWORD"]
    return env


def reset_requested(option: bool, environ: Mapping[str, str]) -> bool:
    """True when ``--resetdb`` was given or CRN_TEST_RESET_DB is 1/true/yes.

    >>> reset_requested(False, {"CRN_TEST_RESET_DB": "1"}), reset_requested(False, {"CRN_TEST_RESET_DB": "0"})
    (True, False)
    """
    return option or environ.get("CRN_TEST_RESET_DB", "").strip().lower() in ("1", "true", "yes")


def guard_database(driver: Driver, database: str, *, reset: bool, where: str, marker: str = "") -> str:
    """Make sure the tests may delete everything in ``database``; mark it as theirs.

    Returns "marked" (was empty, now marked), "ours" (already marked) or "reset" (held other data, wiped
    because ``reset``). Raises PopulatedDatabase when it holds nodes, carries no marker and ``reset`` is
    false. ``where`` names the server in the message; ``marker`` replaces the marker's name (tests of this
    guard use their own, so they never unmark the session's database).
    """
    name = marker or MARKER
    if not name.replace("_", "").isalnum():
        raise ValueError(f"marker {name!r}: letters, digits and underscores only")

    def one(query: str, **params) -> dict:
        records, _, _ = driver.execute_query(query, params, database_=database)
        return records[0].data()

    if one(_MARKER_EXISTS, name=name)["found"]:
        return "ours"
    nodes = one(_COUNT_NODES)["nodes"]
    outcome = "marked"
    if nodes:
        if not reset:
            raise PopulatedDatabase(
                f"The Neo4j database {database!r} at {where} holds {nodes} node{'s' if nodes != 1 else ''} that "
                f"the tests did not create (it has no {name} index), and the tests delete everything in it. "
                "Point the tests at a server of their own (name one with CRN_TEST_NEO4J_URI, or unset it to let "
                "them run crn's managed server in .crn/test-neo4j; `make clean-test-db` starts that one afresh), "
                "or, if this data may be destroyed, run `pytest --resetdb` (or CRN_TEST_RESET_DB=1 make test) once.")
        with driver.session(database=database) as session:
            session.run(_WIPE).consume()
        outcome = "reset"
    driver.execute_query(_CREATE_MARKER.format(name=name), database_=database)
    return outcome
