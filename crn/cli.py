"""The `crn` command: each sub-command is a few lines calling into the packages below it."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from crn.config import get_settings

app = typer.Typer(help="crn, the Customer Relationship Network.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Manage the Neo4j database crn uses.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a clear error (no traceback) and exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _local_server():
    from crn.graph.server import LocalNeo4j

    settings = get_settings()
    if not settings.managed:
        fail(f"NEO4J_URI is set ({settings.neo4j_uri}): crn does not manage that server. "
             "Unset NEO4J_URI to use the local one.")
    return LocalNeo4j(settings)


@db_app.command("start")
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


@db_app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j (data is kept)."""
    _local_server().stop(echo=console.print)


@db_app.command("status")
def db_status() -> None:
    """Say whether the local Neo4j runs, where, and on which ports."""
    status = _local_server().status()
    console.print(status.describe())
    if not status.running:
        raise typer.Exit(3)


@db_app.command("logs")
def db_logs(lines: int = typer.Option(50, help="How many lines of each log to show.")) -> None:
    """Show the tail of the local Neo4j's logs."""
    console.print(_local_server().log_tail(lines), highlight=False, markup=False)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create missing constraints and indexes (idempotent; never drops anything)."""
    from crn.graph import migrations

    with _database():
        created = migrations.migrate()
    console.print(f"Created {len(created)}: {', '.join(created)}" if created else "Schema is up to date.")


@demo_app.command("load")
def demo_load(
    size: str = typer.Option("small", help="small (~2k nodes), medium (~100k) or large (~1M)."),
    seed: int = typer.Option(7, help="Same seed, same network."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Only load when the database holds no crn data."),
    answers: str = typer.Option(None, help="Where to write the answer file (planted roles and groups)."),
) -> None:
    """Load a realistic, deterministic demo network."""
    from crn.demo import loader

    if size not in loader.SIZES:
        fail(f"unknown size {size!r}; choose one of {', '.join(loader.SIZES)}")
    with _database():
        if if_empty and not loader.database_is_empty():
            console.print("The database already holds data; demo not loaded (drop --if-empty to add it anyway).")
            return
        summary = loader.load(size=size, seed=seed, answers_path=answers, console=console)
    console.print(summary.table())


@app.command("serve")
def serve(
    host: str = typer.Option(None, help="Interface to listen on (default CRN_HOST=127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CRN_PORT=8000)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the GraphQL API, the network UI and /healthz with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("crn.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                reload=reload, log_level="info")


class _database:
    """Context manager: connect to Neo4j (clear error if it is not there) and close at the end."""

    def __enter__(self):
        from crn.graph import db

        try:
            db.connect()
        except db.DatabaseUnavailable as exc:
            fail(str(exc))
        return db

    def __exit__(self, *exc_info):
        from crn.graph import db

        db.close()
        return False


def main() -> None:
    """Entry point of the `crn` console script."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # its retries are reported by our own errors
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
