"""The auth commands of the CLI: users create / ensure-admin, tokens create / revoke / list."""

from typer.testing import CliRunner

from crn import auth
from crn.cli import app

runner = CliRunner()


def test_users_and_tokens_commands(clean_db, monkeypatch):
    created = runner.invoke(app, ["users", "create", "--email", "c@x.io", "--name", "Cli", "--role", "manager",
                                  "--password-stdin"], input="longenough\n")
    assert created.exit_code == 0, created.output
    assert auth.authenticate("c@x.io", "longenough").role == "manager"
    weak = runner.invoke(app, ["users", "create", "--email", "d@x.io", "--name", "D", "--password-stdin"],
                         input="short\n")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output

    token_run = runner.invoke(app, ["tokens", "create", "--email", "c@x.io", "--name", "ci"])
    assert token_run.exit_code == 0
    token = token_run.stdout.strip().splitlines()[-1]
    assert auth.user_for_token(token).email == "c@x.io"
    listed = runner.invoke(app, ["tokens", "list"])
    assert "ci" in listed.output and token.split("_")[2] not in listed.output
    assert runner.invoke(app, ["tokens", "revoke", "--token", token]).exit_code == 0
    assert auth.user_for_token(token) is None
    assert runner.invoke(app, ["tokens", "revoke", "--token", token]).exit_code == 0  # already revoked: still 1 row
    assert runner.invoke(app, ["tokens", "revoke", "--id", "nope"]).exit_code == 1

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


def test_schema_export_to_stdout():
    result = runner.invoke(app, ["schema", "export", "--path", "-"])
    assert result.exit_code == 0 and "type Query" in result.stdout
