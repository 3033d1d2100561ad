"""`crn access`: teams, defaults, rebuild (with progress, idempotent) and explain, against the real Neo4j."""

import pytest
from typer.testing import CliRunner

from crn import auth
from crn.cli import app
from crn.crm import records

runner = CliRunner()


# enforce: these tests are about access, so they keep a fresh install's private defaults (tests/access.py)
pytestmark = pytest.mark.usefixtures("private_defaults")


def run(*args: str):
    result = runner.invoke(app, ["access", *args])
    return result.exit_code, result.output


def test_teams_defaults_rebuild_and_explain(clean_db):
    ann = auth.create_user("ann@x.io", "Ann", "longenough", "viewer")
    bob = auth.create_user("bob@x.io", "Bob", "longenough", "viewer")
    acme = records.create_record("Company", {"name": "Acme"}, ann.uid).record["uid"]
    assert run("team-create", "APAC")[0] == 0
    assert run("team-create", "APAC Sales", "--parent", "apac")[0] == 0
    assert run("member-add", "APAC Sales", "ann@x.io")[0] == 0
    assert run("member-add", "APAC", "bob@x.io")[0] == 0
    code, out = run("teams")
    assert code == 0 and "APAC" in out and "  APAC Sales" in out and "Ann" in out
    code, out = run("explain", "bob@x.io", f"Company:{acme}")
    assert code == 0 and "Bob (viewer) can read Company 'Acme'" in out and "[team]" in out
    clean_db.write("MATCH (n:Company) REMOVE n.acl_r, n.acl_w")
    code, out = run("rebuild")
    assert code == 0 and "Company 1" in out
    assert "Company 0" in run("rebuild")[1]  # idempotent
    code, out = run("explain", "ann@x.io", f"Company:{acme}")
    assert "can read and change" in out and "[owner]" in out
    assert run("default-set", "Deal", "read")[0] == 0
    assert "Deal         read" in run("defaults")[1]
    code, out = run("default-set", "Deal", "public")
    assert code == 1 and "not an access level" in out
    code, out = run("explain", "nobody@x.io", f"Company:{acme}")
    assert code == 1 and "no user" in out
    code, out = run("explain", "ann@x.io", "Product:p1")
    assert code == 1 and "not access-protected" in out


def test_db_migrate_gives_records_from_before_access_their_keys(clean_db):
    ann = auth.create_user("ann@x.io", "Ann", "longenough", "viewer")
    acme = records.create_record("Company", {"name": "Acme"}, ann.uid).record["uid"]
    clean_db.write("MATCH (n:Company) REMOVE n.acl_r, n.acl_w")  # as an install upgraded from before issue 13
    result = runner.invoke(app, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    assert "no access keys yet" in result.output and "Company 1" in result.output
    assert clean_db.read_one("MATCH (n:Company {uid: $uid}) RETURN n.acl_r AS r", uid=acme)["r"] == [f"u:{ann.uid}"]
    again = runner.invoke(app, ["db", "migrate"])
    assert "no access keys yet" not in again.output
