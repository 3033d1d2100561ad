"""`crn schema export`: the SDL the checked-in schema.graphql is compared with."""

from typer.testing import CliRunner

from crn.cli import app

runner = CliRunner()


def test_schema_export_to_stdout():
    result = runner.invoke(app, ["schema", "export", "--path", "-"])
    assert result.exit_code == 0 and "type Query" in result.stdout
