"""The database connection every command opens subscribes the automation outbox: records imported from the command
line trigger rules exactly as records created through the API do."""

from __future__ import annotations

from typer.testing import CliRunner

import crn.automation
from crn.automation import store
from crn.automation.templates import template_rule
from crn.automation.worker import Worker
from crn.cli import app
from crn.crm import events
from crn.graph import db
from tests.ingest.helpers import fixture

CONTACTS = fixture("contacts_hubspot.csv")


def test_imported_leads_are_assigned_by_the_lead_assignment_rule(automation):
    for uid, email in (("ua", "ann@crn.test"), ("ub", "bob@crn.test")):
        db.write("CREATE (:User {uid: $uid, name: $uid, email: $email, active: true})", uid=uid, email=email)
    store.save_rule(template_rule("lead_assignment"))
    events.unsubscribe(crn.automation.LISTENER_NAME)  # the CLI must subscribe the outbox itself

    result = CliRunner().invoke(app, ["import", "contacts", str(CONTACTS)])
    assert result.exit_code in (0, 1), result.output  # 1 = some rows of the fixture are bad on purpose
    imported = db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"]
    assert imported > 0

    Worker(clock=automation, concurrency=1).run_once()
    owned = db.read_one("MATCH (:User)-[:OWNS]->(p:Person) RETURN count(DISTINCT p) AS n")["n"]
    leads = db.read_one("MATCH (p:Person {lifecycle: 'lead'}) RETURN count(p) AS n")["n"]
    assert leads > 0 and owned == leads
