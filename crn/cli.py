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
    err.print(f"[bold red]error:[/] {message}", highlight=False)
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


@app.command("import")
def import_file(
    kind: str = typer.Argument(..., help="orgchart, companies, contacts, deals, tickets, interactions, orders, bods or graph."),
    file: str = typer.Argument(..., help="CSV (any delimiter, UTF-8/GB18030), XLSX, JSON or JSON Lines file."),
    map_file: str = typer.Option(None, "--map", help="YAML mapping of field: column for headers not recognised."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the mapping and the first problems; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Any error fails the import and nothing is written."),
    errors: str = typer.Option(None, "--errors", help="Where to write the error CSV (default FILE.errors.csv)."),
    source: str = typer.Option(None, help="Source system of the ids (default: detected, e.g. hubspot, or 'import')."),
) -> None:
    """Import a file idempotently: upserts by external id, e-mail or domain; bad rows go to an error CSV."""
    import logging

    from crn.ingest import exporter, importer, mapping

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    with _database():
        if kind == "graph":
            try:
                nodes, rels = exporter.import_graph(file)
            except exporter.ExportError as exc:
                fail(str(exc))
            console.print(f"Imported {nodes} nodes and {rels} relationships from {file}.")
            return
        try:
            summary = importer.run_import(kind, file, map_file=map_file, dry_run=dry_run, strict=strict,
                                          errors_path=errors, source=source, console=console)
        except (ValueError, OSError, mapping.MappingError) as exc:
            fail(str(exc))
    if dry_run:
        console.print(summary.mapping_table())
    console.print(summary.table())
    if summary.errors:
        console.print(summary.errors_table(limit=10 if not dry_run else 20))
        console.print(f"All {len(summary.errors)} errors: {summary.error_file}")
    if strict and summary.errors:
        raise typer.Exit(2)


@app.command("export")
def export(
    kind: str = typer.Argument(..., help="companies, people, deals, tickets, interactions, orders, products, users or graph."),
    out: str = typer.Option(None, "--out", "-o", help="Output file (default <kind>.<format>)."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json (graph: always JSON Lines)."),
    where: list[str] = typer.Option([], "--where", help="Filter field=value (repeatable), e.g. --where country=DE."),
) -> None:
    """Export an entity list (CSV/XLSX/JSON) or the whole graph (JSON Lines) for `crn import graph`."""
    from crn.ingest import exporter

    filters = dict(w.split("=", 1) for w in where if "=" in w)
    with _database():
        try:
            if kind == "graph":
                target = out or "graph.jsonl"
                nodes, rels = exporter.export_graph(target)
                console.print(f"Exported {nodes} nodes and {rels} relationships to {target}.")
                return
            target = out or f"{kind}.{fmt}"
            count = exporter.export_entities(kind, target, fmt, filters)
        except exporter.ExportError as exc:
            fail(str(exc))
    console.print(f"Exported {count} {kind} to {target}.")


@app.command("dedupe")
def dedupe(
    kind: str = typer.Argument(..., help="people or companies."),
    threshold: float = typer.Option(0.55, help="Lowest score (0..1) to list."),
    limit: int = typer.Option(50, help="How many candidate pairs to show."),
) -> None:
    """List likely duplicates with a score and the evidence (names, e-mails, domains, phones)."""
    from crn.ingest import dedupe as dd

    if kind not in ("people", "companies"):
        fail("choose people or companies")
    with _database():
        pairs = dd.find_duplicates_in_graph(kind, threshold=threshold)
    console.print(dd.pairs_table(pairs[:limit], kind))


@app.command("merge")
def merge(
    a: str = typer.Argument(..., help="uid of the record that stays."),
    b: str = typer.Argument(..., help="uid of the duplicate merged into it (then deleted)."),
) -> None:
    """Merge record B into A keeping every relationship and the history; records a MergeRecord."""
    from crn.ingest import dedupe as dd

    with _database():
        try:
            result = dd.merge_records(a, b)
        except dd.MergeError as exc:
            fail(str(exc))
    console.print(f"Merged {b} into {a}: moved {result['moved']} relationships; merge record {result['record']}.")


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
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
