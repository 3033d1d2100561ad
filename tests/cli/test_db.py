"""`crn db backup --logical` / `crn db restore FILE.jsonl`: the backup of a server crn does not manage (a graph
export), restored into an empty database: the same nodes, relationships and properties but credentials, the
schema migrated, and a clear word on what the admin does next."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from crn import auth
from crn.cli import app
from crn.graph import backup, migrations
from crn.ingest.importer import run_import
from tests.ingest.helpers import fixture


def _flat(result) -> str:
    return " ".join(result.output.split())


def test_logical_backup_wipe_restore(clean_db, tmp_path):
    run_import("contacts", fixture("contacts_hubspot.csv"))
    run_import("orgchart", fixture("orgchart.csv"))
    run_import("companies", fixture("companies.csv"))
    run_import("deals", fixture("deals.json"))
    run_import("interactions", fixture("interactions.csv"))
    auth.create_user("ops@backup.io", "Ops", "a long enough password", "admin")
    token = auth.create_token("ops@backup.io", name="backup test")
    before = backup.fingerprint(credentials=False, version_record=False, audit=False)
    assert before.nodes > 15 and before.relationships > 15

    runner = CliRunner()
    made = runner.invoke(app, ["db", "backup", "--logical", "--out", str(tmp_path)])
    assert made.exit_code == 0, made.output
    [file] = tmp_path.glob("crn-graph-*.jsonl")
    said = _flat(made)
    assert f"Backed up {before.nodes} nodes and {before.relationships} relationships to {file}" in said
    assert "credentials (password hashes, API tokens, sessions) are not in it" in said
    lines = [json.loads(line) for line in file.read_text().splitlines()]
    assert lines[0]["type"] == "meta" and lines[0]["schema_version"] == migrations.code_version()
    assert "a long enough password" not in file.read_text() and "$argon2" not in file.read_text()

    clean_db.connect()
    not_empty = runner.invoke(app, ["db", "restore", str(file)])
    assert not_empty.exit_code == 1 and "empty database" in _flat(not_empty) and "nothing was written" in _flat(not_empty)

    clean_db.connect()
    # a new server: nothing at all, not even the version record (the schema objects stay: Cypher cannot
    # drop them all cheaply; the restore's migrate finds them present)
    clean_db.run_in_auto_commit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    restored = runner.invoke(app, ["db", "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    said = _flat(restored)
    assert f"Restored {before.nodes} nodes and {before.relationships} relationships" in said
    assert f"the schema is at version {migrations.code_version()}" in said and "crn users set-password" in said

    clean_db.connect()
    migrations.check()
    assert backup.fingerprint(credentials=False, version_record=False, audit=False) == before
    assert auth.authenticate("ops@backup.io", "a long enough password") is None  # the password did not travel
    assert auth.user_for_token(token) is None


def test_a_graph_export_from_a_newer_crn_is_refused(clean_db, tmp_path):
    file = tmp_path / "future.jsonl"
    file.write_text(json.dumps({"type": "meta", "format": "crn-graph/1", "schema_version": migrations.code_version() + 1})
                    + "\n" + json.dumps({"type": "node", "id": "1", "labels": ["Company"], "properties": {"uid": "c1"}}) + "\n")
    before = backup.fingerprint()
    result = CliRunner().invoke(app, ["db", "restore", str(file)])
    assert result.exit_code == 1 and "written by a newer crn" in _flat(result)
    clean_db.connect()
    assert backup.fingerprint() == before  # nothing written
