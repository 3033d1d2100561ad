"""`crn db`: start, stop and inspect the local Neo4j crn manages; migrate the schema."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, fail
from crn.config import get_settings

app = typer.Typer(help="Manage the Neo4j database crn uses.", no_args_is_help=True)


def _local_server():
    from crn.graph.server import LocalNeo4j

    settings = get_settings()
    if not settings.managed:
        fail(f"NEO4J_URI is set ({settings.neo4j_uri}): crn does not manage that server. "
             "Unset NEO4J_URI to use the local one.")
    return LocalNeo4j(settings)


@app.command("start")
def db_start() -> None:
    """Download (once), configure and start the local Neo4j; a no-op if it is running."""
    from crn.graph.server import ServerError

    settings = get_settings()
    if not settings.managed:
        console.print(f"Using the Neo4j at {settings.neo4j_uri} (NEO4J_URI); nothing to start.")
        return
    try:
        _local_server().start(echo=console.print)
    except ServerError as exc:
        fail(str(exc))


@app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j (data is kept)."""
    _local_server().stop(echo=console.print)


@app.command("status")
def db_status() -> None:
    """Say whether the local Neo4j runs, where, and on which ports."""
    status = _local_server().status()
    console.print(status.describe())
    if not status.running:
        raise typer.Exit(3)


@app.command("logs")
def db_logs(lines: int = typer.Option(50, help="How many lines of each log to show.")) -> None:
    """Show the tail of the local Neo4j's logs."""
    console.print(_local_server().log_tail(lines), highlight=False, markup=False)


@app.command("migrate")
def db_migrate() -> None:
    """Create missing constraints and indexes (idempotent; never drops anything)."""
    from crn.graph import migrations

    with database():
        created = migrations.migrate()
        console.print(f"Created {len(created)}: {', '.join(created)}" if created else "Schema is up to date.")
        from crn.cli.access import rebuild_if_needed

        rebuild_if_needed()  # access (issue 13): records from before record-level access get their keys
