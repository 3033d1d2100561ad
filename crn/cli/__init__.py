"""The `crn` command, composed from one module per command group; each command calls into the packages below.

Top-level commands and groups are listed here explicitly, in the order `crn --help` shows them.
"""

from __future__ import annotations

import sys

import typer

from crn.cli import access, audit, automation, db, demo, doctor, ingest, intel, privacy, schema, server, tokens, users
from crn.cli.base import err

app = typer.Typer(help="crn, the Customer Relationship Network.", no_args_is_help=True, add_completion=False)


@app.callback()
def _through_cli(ctx: typer.Context) -> None:
    # audit: what a command changes is recorded as coming through the CLI (`crn serve` and `crn worker` bind
    # their own channels: per request, and the worker's "system"/"rule")
    import getpass

    from crn.audit import channel

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        who = "?"
    token = channel.bind(channel.Channel("cli", actor_name=f"crn CLI ({who})"))
    ctx.call_on_close(lambda: channel.reset(token))  # for callers that run several commands in one process


# -- commands ----------------------------------------------------------------------------------------------
app.command("serve")(server.serve)
app.command("import")(ingest.import_file)
app.command("export")(ingest.export)
app.command("dedupe")(ingest.dedupe)
app.command("merge")(ingest.merge)
app.command("worker")(automation.worker)
app.command("doctor")(doctor.doctor)  # ops: is everything crn needs there and healthy?

# -- groups ------------------------------------------------------------------------------------------------
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(automation.app, name="rules")
app.add_typer(intel.report_app, name="report")
app.add_typer(intel.analytics_app, name="analytics")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(schema.app, name="schema")
app.add_typer(access.app, name="access")  # access (issue 13): teams, territories, rules, defaults, rebuild, explain
app.add_typer(audit.app, name="audit")
app.add_typer(privacy.app, name="privacy")  # privacy (issue 13 §3)


def main() -> None:
    """Entry point of the `crn` console script."""
    from crn import logs
    from crn.config import get_settings

    logs.configure(get_settings().log_format)  # ops: text or JSON lines (CRN_LOG_FORMAT) with the request id
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
