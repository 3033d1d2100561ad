"""`crn tokens create / list / revoke` against the real Neo4j."""

from typer.testing import CliRunner

from crn import auth
from crn.cli import app

runner = CliRunner()


def test_tokens_create_list_and_revoke(clean_db):
    auth.create_user("c@x.io", "Cli", "longenough", "manager")
    token_run = runner.invoke(app, ["tokens", "create", "--email", "c@x.io", "--name", "ci"])
    assert token_run.exit_code == 0
    token = token_run.stdout.strip().splitlines()[-1]
    assert auth.user_for_token(token).email == "c@x.io"
    listed = runner.invoke(app, ["tokens", "list"])
    assert "ci" in listed.output and token.split("_", 2)[2] not in listed.output
    assert runner.invoke(app, ["tokens", "revoke", "--token", token]).exit_code == 0
    assert auth.user_for_token(token) is None
    assert runner.invoke(app, ["tokens", "revoke", "--token", token]).exit_code == 0  # already revoked: still 1 row
    assert runner.invoke(app, ["tokens", "revoke", "--id", "nope"]).exit_code == 1
