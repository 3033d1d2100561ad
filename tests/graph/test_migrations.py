"""crn db migrate creates every constraint and index from one explicit list, and running it again changes nothing."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from crn.cli import app
from crn.graph import migrations

ROOT = Path(__file__).resolve().parents[2]

# What `crn db migrate` applied before the list became explicit (auth and automation then registered theirs
# when imported), in order. A schema object added later is added here too.
EXPECTED = [
    # the schema's version record (one (:Migration) node per applied version)
    "migration_version_unique",
    # declared on the models
    "company_uid_unique", "company_name", "company_domain_unique", "company_industry", "company_country",
    "company_tier", "company_lifecycle", "person_uid_unique", "person_name", "person_email_unique",
    "person_lifecycle", "user_uid_unique", "user_name", "user_email_unique", "deal_uid_unique", "deal_name",
    "deal_stage", "deal_expected_close", "deal_status", "ticket_uid_unique", "ticket_status", "ticket_opened_at",
    "ticket_sla_due_at", "interaction_uid_unique", "interaction_kind", "interaction_at", "product_uid_unique",
    "product_name", "product_sku_unique", "product_category", "order_uid_unique", "order_number_unique",
    "order_placed_at",
    # search and the extras the models cannot declare
    "crn_search", "customer_uid", "works_at_until", "knows_strength",
    # importer upsert keys
    "company_ext_key_unique", "person_ext_key_unique", "deal_ext_key_unique", "ticket_ext_key_unique",
    "interaction_ext_key_unique", "order_ext_key_unique", "product_ext_key_unique",
    # auth
    "apitoken_token_id_unique", "session_hash_unique",
    # automation
    "rule_id_unique", "rule_version_rule", "outbox_key_unique", "outbox_status_due", "rule_run_rule_at",
    "schedule_lock_name_unique", "task_uid_unique", "task_key_unique", "segment_name_unique", "person_created_at",
    # access (issue 13): teams, territories, sharing rules, organisation-wide defaults
    "team_uid_unique", "territory_uid_unique", "sharing_rule_uid_unique", "org_default_label_unique",
    # audit
    "audit_head_id", "audit_entry_seq", "audit_entry_target", "audit_entry_other", "audit_entry_at", "audit_entry_actor",
    # privacy (issue 13 §3)
    "suppression_key_unique", "privacy_key_name_unique", "rule_run_at",
]


def test_importing_only_migrations_gives_the_whole_list():
    """Nothing registers itself at import time: a process that imports crn.graph.migrations alone (no crn.auth,
    no crn.automation) applies the same objects in the same order."""
    script = ("import sys\nfrom crn.graph import migrations\n"
              "print('\\n'.join(m.name for m in migrations.all_migrations()))\n"
              "print(sorted(m for m in ('crn.auth', 'crn.automation', 'crn.schema', 'crn.cli') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    *names, loaded = out.splitlines()
    assert names == EXPECTED
    assert loaded == "[]"


def test_names_are_unique_and_statements_idempotent():
    names = [m.name for m in migrations.all_migrations()]
    assert len(names) == len(set(names))
    for m in migrations.all_migrations():
        assert "IF NOT EXISTS" in m.statement and m.name in m.statement, m


def test_migrate_is_idempotent(graph):
    migrations.migrate()
    before = migrations.existing_schema()
    assert migrations.migrate() == []
    assert migrations.existing_schema() == before


def test_every_declared_object_exists(graph):
    present = migrations.existing_schema()
    assert set(EXPECTED) <= present


def test_crn_db_migrate_twice(graph):
    """`crn db migrate` recreates a missing object, and a second run creates nothing."""
    graph.run_in_auto_commit("DROP INDEX knows_strength IF EXISTS")
    graph.run_in_auto_commit("DROP CONSTRAINT session_hash_unique IF EXISTS")
    runner = CliRunner()
    first = runner.invoke(app, ["db", "migrate"])
    assert first.exit_code == 0, first.output
    assert "Created 2: knows_strength, session_hash_unique" in " ".join(first.output.split())
    before = migrations.existing_schema()
    second = runner.invoke(app, ["db", "migrate"])
    assert second.exit_code == 0, second.output
    assert "Schema is up to date." in second.output
    assert migrations.existing_schema() == before
    graph.connect()  # `crn db migrate` closed the session's driver on its way out


# -- versions: recorded in the graph, applied in order, refused when they do not match (issue 18 §4) --------

import pytest  # noqa: E402

from tests.conftest import wipe  # noqa: E402


def _drop(graph, names):
    for name in names:
        graph.run_in_auto_commit(f"DROP CONSTRAINT {name} IF EXISTS")
        graph.run_in_auto_commit(f"DROP INDEX {name} IF EXISTS")


@pytest.fixture
def versioned(clean_db):
    """The session's database, put back to the current versions whatever the test did to it."""
    yield clean_db
    clean_db.run_in_auto_commit("MATCH (m:Migration) DETACH DELETE m")
    migrations.migrate()
    wipe(clean_db)
    clean_db.connect()


def test_versions_are_numbered_in_order_and_keep_the_whole_list():
    numbers = [v.number for v in migrations.versions()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [m.name for m in migrations.all_migrations()] == EXPECTED
    assert len({v.checksum for v in migrations.versions()}) == len(numbers)


def test_upgrade_from_the_previous_migration_set(versioned):
    """A database built by the previous release's list (all versions but the last) is refused until
    `crn db migrate` applies the last version; then everything matches."""
    *previous, last = migrations.versions()
    versioned.run_in_auto_commit("MATCH (m:Migration) DETACH DELETE m")
    _drop(versioned, [m.name for m in last.objects])
    old = migrations.apply(known=previous, crn_version="previous")
    assert old.applied == [v.number for v in previous]
    assert sorted(migrations.applied()) == [v.number for v in previous]
    assert not {m.name for m in last.objects} & migrations.existing_schema()

    with pytest.raises(migrations.SchemaOutOfDate, match=rf"schema version {last.number - 1}.*Run `crn db migrate`"):
        migrations.check()
    runner = CliRunner()
    refused = runner.invoke(app, ["export", "companies", "--out", "/tmp/never.csv"])
    assert refused.exit_code == 1 and "crn db migrate" in refused.output and f"Pending: {last.number}" in refused.output
    refused_worker = runner.invoke(app, ["worker", "--once"])
    assert refused_worker.exit_code == 1 and "crn db migrate" in refused_worker.output

    upgraded = runner.invoke(app, ["db", "migrate"])
    assert upgraded.exit_code == 0, upgraded.output
    flat = " ".join(upgraded.output.split())
    assert f"Applied schema version {last.number}; the database is at version {last.number}" in flat
    assert f"Created {len(last.objects)}: " in flat
    versioned.connect()
    migrations.check()
    assert {m.name for m in last.objects} <= migrations.existing_schema()
    recorded = migrations.applied()
    assert recorded[last.number]["checksum"] == last.checksum and recorded[last.number]["name"] == last.name
    assert runner.invoke(app, ["db", "version"]).exit_code == 0


def test_an_install_from_before_versions_is_adopted(versioned):
    versioned.run_in_auto_commit("MATCH (m:Migration) DETACH DELETE m")
    with pytest.raises(migrations.SchemaOutOfDate, match="not versioned yet"):
        migrations.check()
    result = CliRunner().invoke(app, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Adopted an install from before schema versions were recorded" in flat and "No object was missing" in flat
    versioned.connect()
    assert sorted(migrations.applied()) == [v.number for v in migrations.versions()]
    migrations.check()


def test_a_newer_database_is_refused_by_every_entry_point(versioned):
    future = migrations.code_version() + 1
    versioned.write("CREATE (:Migration {version: $v, name: 'from a newer crn', checksum: 'x', applied_at: datetime()})",
                    v=future)
    with pytest.raises(migrations.SchemaOutOfDate, match=f"this crn is older than the database.*version {future}"):
        migrations.check()
    runner = CliRunner()
    for args in (["db", "migrate"], ["export", "companies", "--out", "/tmp/never.csv"], ["worker", "--once"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "this crn is older than the database" in " ".join(result.output.split()), args
    versioned.connect()
    from starlette.testclient import TestClient

    from crn.app import create_app

    with pytest.raises(migrations.SchemaOutOfDate, match="older than the database"):
        with TestClient(create_app()):
            pass
    versioned.connect()


def test_a_version_whose_list_changed_is_applied_again(versioned):
    first = migrations.versions()[0]
    versioned.write("MATCH (m:Migration {version: $v}) SET m.checksum = 'an older list'", v=first.number)
    assert [v.number for v in migrations.pending()] == [first.number]
    result = migrations.apply()
    assert result.applied == [first.number] and result.created == []
    assert migrations.pending() == []
