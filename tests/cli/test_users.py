"""`crn users create / ensure-admin` against the real Neo4j."""

from typer.testing import CliRunner

from crn import auth
from crn.cli import app

runner = CliRunner()


def test_users_create_and_ensure_admin(clean_db, monkeypatch):
    created = runner.invoke(app, ["users", "create", "--email", "c@x.io", "--name", "Cli", "--role", "manager",
                                  "--password-stdin"], input="longenough\n")
    assert created.exit_code == 0, created.output
    assert auth.authenticate("c@x.io", "longenough").role == "manager"
    weak = runner.invoke(app, ["users", "create", "--email", "d@x.io", "--name", "D", "--password-stdin"],
                         input="short\n")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output

    monkeypatch.setenv("CRN_ADMIN_PASSWORD", "admin-password-1")
    first = runner.invoke(app, ["users", "ensure-admin"])
    assert first.exit_code == 0 and "admin-password-1" not in first.output
    assert auth.authenticate("admin@crn.local", "admin-password-1").role == "admin"
    assert "exists" in runner.invoke(app, ["users", "ensure-admin"]).output


def test_ensure_admin_prints_a_generated_password_once(clean_db, monkeypatch):
    monkeypatch.delenv("CRN_ADMIN_PASSWORD", raising=False)
    first = runner.invoke(app, ["users", "ensure-admin"])
    password = first.output.split("with password ")[1].split()[0]
    assert auth.authenticate("admin@crn.local", password) is not None
    assert password not in runner.invoke(app, ["users", "ensure-admin"]).output
