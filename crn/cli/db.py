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
    """Apply pending schema versions in order and record them (idempotent; never drops anything)."""
    from crn.graph import migrations

    with database(check_schema=False):
        try:
            result = migrations.apply()
        except migrations.SchemaOutOfDate as exc:
            fail(str(exc))
        version = migrations.code_version()
        from crn.cli.access import rebuild_if_needed

        rebuild_if_needed()  # access (issue 13): records from before record-level access get their keys
    if result.adopted:
        console.print("Adopted an install from before schema versions were recorded.")
    if result.applied:
        console.print(f"Applied schema version{'s' if len(result.applied) > 1 else ''} "
                      f"{', '.join(map(str, result.applied))}; the database is at version {version}.")
    console.print(f"Created {len(result.created)}: {', '.join(result.created)}" if result.created
                  else "Schema is up to date." if not result.applied else "No object was missing.")


@app.command("version")
def db_version() -> None:
    """Show the schema versions recorded in the database and the one this crn needs."""
    from crn.graph import migrations

    with database(check_schema=False):
        recorded = migrations.applied()
        known = migrations.versions()
        todo = migrations.pending(known, recorded)
        try:
            migrations.check(known)
            problem = None
        except migrations.SchemaOutOfDate as exc:
            problem = str(exc)
    for v in known:
        row = recorded.get(v.number)
        state = ("applied " + row["applied_at"][:19]) if row and v not in todo else \
            "changed since applied" if row else "pending"
        console.print(f"{v.number:>3}  {state:<28} {v.name}", highlight=False)
    for number in sorted(set(recorded) - {v.number for v in known}):
        console.print(f"{number:>3}  unknown to this crn         {recorded[number]['name']}", highlight=False)
    if problem:
        fail(problem)
    console.print(f"The database is at schema version {migrations.code_version(known)}, as this crn needs.")


# -- backup and restore (ops) -------------------------------------------------------------------------------

@app.command("backup")
def db_backup(
    out: str = typer.Option("backups", "--out", help="Folder for the backup file (created if missing)."),
    logical: bool = typer.Option(False, "--logical", help="Write a graph export (JSON Lines) instead of a "
                                 "neo4j-admin dump, without stopping the server (the default for NEO4J_URI)."),
) -> None:
    """Back up the database: a neo4j-admin dump of the managed server, or a graph export of a remote one."""
    from pathlib import Path

    settings = get_settings()
    if logical or not settings.managed:
        from crn.graph.backup import human_size, timestamp
        from crn.ingest import exporter

        target = Path(out) / f"crn-graph-{timestamp()}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        with database(check_schema=False):
            nodes, rels = exporter.export_graph(target)
        console.print(f"Backed up {nodes} nodes and {rels} relationships to {target.resolve()} "
                      f"({human_size(target.stat().st_size)}), a graph export: credentials (password hashes, "
                      "API tokens, sessions) are not in it.", highlight=False, soft_wrap=True)
        console.print(f"Restore into an empty database with: crn db restore {target.resolve()}", highlight=False,
                      soft_wrap=True)
        return
    from crn.graph import backup
    from crn.graph.server import ServerError

    try:
        archive = backup.dump(_local_server(), Path(out), echo=console.print)
    except ServerError as exc:
        fail(str(exc))
    console.print(f"Backed up the database {settings.neo4j_database!r} to {archive.path} ({archive.size_text()}), "
                  "a neo4j-admin dump: every node, relationship and property, the schema and its version.",
                  highlight=False, soft_wrap=True)
    if archive.stopped_pid:
        console.print(f"Neo4j was stopped for the dump (pid {archive.stopped_pid}) and is running again.")
    console.print(f"Restore with: crn db restore {archive.path}  (replaces the database; the server is stopped "
                  "and started again)", highlight=False, soft_wrap=True)


@app.command("restore")
def db_restore(
    file: str = typer.Argument(..., help="A .dump written by `crn db backup`, or a .jsonl graph export."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing the database."),
) -> None:
    """Restore a backup: a .dump replaces the managed database; a .jsonl loads into an empty one (any server)."""
    from pathlib import Path

    path = Path(file)
    if not path.is_file():
        fail(f"{file} is not a file; name a backup written by `crn db backup` (.dump or .jsonl).")
    if path.suffix == ".dump":
        _restore_dump(path, yes)
    elif path.suffix in (".jsonl", ".ndjson"):
        _restore_graph(path)
    else:
        fail(f"{file}: a backup ends in .dump (neo4j-admin) or .jsonl (graph export), not {path.suffix or 'nothing'}.")


def _restore_dump(path, yes: bool) -> None:
    from crn.graph import backup
    from crn.graph.server import ServerError

    settings = get_settings()
    server = _local_server()
    if not yes:
        typer.confirm(f"Replace the database {settings.neo4j_database!r} in {server.home} with {path}? "
                      "Everything in it now is lost", abort=True)
    try:
        archive = backup.load(server, path, echo=console.print)
    except ServerError as exc:
        fail(str(exc))
    console.print(f"Restored the database {settings.neo4j_database!r} from {archive.path} ({archive.size_text()}).",
                  highlight=False, soft_wrap=True)
    if archive.stopped_pid:
        console.print(f"Neo4j was stopped for the load (pid {archive.stopped_pid}) and is running again.")
        _say_schema_state()
    else:
        console.print("Neo4j was not running: start it with `crn db start`, then run `crn db migrate` in case the "
                      "dump comes from an older crn.")


def _restore_graph(path) -> None:
    from crn.graph import migrations
    from crn.ingest import exporter

    with database(check_schema=False):
        try:
            nodes, rels = exporter.import_graph(path)
        except exporter.ExportError as exc:
            fail(f"{exc}. Restore a graph export into an empty database (a new server, or `crn db restore` of "
                 "a dump); nothing was written.")
        result = migrations.apply()
        from crn.cli.access import rebuild_if_needed

        rebuild_if_needed()  # access (issue 13): a graph from before record-level access gets its keys
    console.print(f"Restored {nodes} nodes and {rels} relationships from {path}; the schema is at version "
                  f"{migrations.code_version()} (created {len(result.created)} constraints and indexes).",
                  highlight=False, soft_wrap=True)
    console.print("Credentials are not in a graph export: give people passwords again with "
                  "`crn users set-password --email ...` (or `crn users ensure-admin`), and issue new API tokens "
                  "with `crn tokens create`.", highlight=False, soft_wrap=True)


def _say_schema_state() -> None:
    from crn.graph import migrations

    with database(check_schema=False):
        try:
            migrations.check()
        except migrations.SchemaOutOfDate as exc:
            console.print(f"Next: {exc}", highlight=False, soft_wrap=True)
            return
    console.print("The schema is at the version this crn needs.")
