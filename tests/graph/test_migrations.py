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
