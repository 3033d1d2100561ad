"""crn db migrate creates every constraint and index, and running it again changes nothing."""

from crn.graph import migrations


def test_migrate_is_idempotent(graph):
    migrations.migrate()
    before = migrations.existing_schema()
    assert migrations.migrate() == []
    assert migrations.existing_schema() == before


def test_every_declared_object_exists(graph):
    present = migrations.existing_schema()
    expected = {m.name for m in migrations.all_migrations()}
    assert expected <= present
    assert {"company_uid_unique", "person_email_unique", "company_domain_unique", "crn_search"} <= present
