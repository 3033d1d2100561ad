"""`crn db backup` / `crn db restore` of the managed server with neo4j-admin dump/load: load data, back up,
wipe, restore, and the counts and a checksum over every property (credentials included) are equal.

The dump runs against the session's own test server (crn's managed Neo4j in .crn/test-neo4j): the command
stops it, dumps, starts it again, and the restore does the same around the load; the test reconnects
afterwards, so the rest of the suite carries on against the same server.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from crn import auth
from crn.cli import app
from crn.graph import backup, migrations
from crn.ingest.importer import run_import
from tests.conftest import TEST_HOME, wipe
from tests.ingest.helpers import fixture


def _flat(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def managed(clean_db, monkeypatch):
    """The test server as crn's managed one: NEO4J_URI unset, so `crn db` commands manage .crn/test-neo4j."""
    from crn.config import Settings
    from crn.graph.server import LocalNeo4j

    if os.environ.get("CRN_NEO4J_HOME") != str(TEST_HOME) or LocalNeo4j(Settings()).pid() is None:
        pytest.skip("the tests run against an external Neo4j (CRN_TEST_NEO4J_URI or testcontainers), "
                    "not crn's managed server; a dump needs the managed one")
    monkeypatch.delenv("NEO4J_URI")
    yield clean_db
    clean_db.close()
    clean_db.connect()


def _load(db) -> None:
    run_import("contacts", fixture("contacts_hubspot.csv"))
    run_import("orgchart", fixture("orgchart.csv"))
    run_import("deals", fixture("deals.json"))
    run_import("tickets", fixture("tickets.jsonl"))
    auth.create_user("ops@backup.io", "Ops", "a long enough password", "admin")
    return auth.create_token("ops@backup.io", name="backup test")


def test_dump_wipe_load_gives_the_same_graph(managed, tmp_path):
    token = _load(managed)
    before = backup.fingerprint()
    assert before.nodes > 15 and before.relationships > 15

    runner = CliRunner()
    made = runner.invoke(app, ["db", "backup", "--out", str(tmp_path)])
    assert made.exit_code == 0, made.output
    dumps = list(tmp_path.glob("crn-neo4j-*.dump"))
    assert len(dumps) == 1 and dumps[0].stat().st_size > 0
    said = _flat(made)
    assert "Stopping Neo4j (pid" in said and "cannot dump a database a running server holds" in said
    assert str(dumps[0]) in said and backup.human_size(dumps[0].stat().st_size) in said
    assert f"Restore with: crn db restore {dumps[0]}" in said and "is running again" in said
    assert not list(tmp_path.glob(".*partial"))

    managed.close()
    managed.connect()
    wipe(managed)
    assert backup.fingerprint().nodes < before.nodes

    refused = runner.invoke(app, ["db", "restore", str(dumps[0])], input="n\n")
    assert refused.exit_code != 0 and "Everything in it now is lost" in refused.output
    restored = runner.invoke(app, ["db", "restore", str(dumps[0]), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Restored the database 'neo4j'" in _flat(restored) and "The schema is at the version this crn needs" in _flat(restored)

    managed.close()
    managed.connect()
    assert backup.fingerprint() == before  # password hashes and token hashes included: a dump is the database
    migrations.check()
    assert auth.authenticate("ops@backup.io", "a long enough password").email == "ops@backup.io"
    assert auth.user_for_token(token).email == "ops@backup.io"


def test_restore_names_what_is_wrong(managed, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["db", "restore", str(tmp_path / "nope.dump"), "--yes"])
    assert missing.exit_code == 1 and "is not a file" in _flat(missing)
    odd = tmp_path / "backup.zip"
    odd.write_bytes(b"PK")
    wrong = runner.invoke(app, ["db", "restore", str(odd), "--yes"])
    assert wrong.exit_code == 1 and "ends in .dump (neo4j-admin) or .jsonl" in _flat(wrong)
