"""`crn import`, `crn export`, `crn dedupe`, `crn merge`: data in and out, duplicates found and merged."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, fail
from crn.config import get_settings


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
    from pathlib import Path

    from crn.ingest import exporter, importer, mapping

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    with database():
        if kind == "graph":
            try:
                nodes, rels = exporter.import_graph(file)
            except exporter.ExportError as exc:
                fail(str(exc))
            console.print(f"Imported {nodes} nodes and {rels} relationships from {file}.")
            return
        try:
            summary = importer.run_import(kind, file, map_file=map_file, dry_run=dry_run, strict=strict,
                                          errors_path=errors, source=source, console=console,
                                          settings=get_settings())
        except (ValueError, OSError, mapping.MappingError) as exc:
            fail(str(exc))
    if summary.errors and not errors:  # default: FILE.errors.csv beside the file, only when there are errors
        summary.error_file = str(Path(file).with_name(Path(file).stem + ".errors.csv"))
        importer.write_error_file(summary.error_file, summary.errors)
    if dry_run:
        console.print(summary.mapping_table())
    console.print(summary.table())
    if summary.errors:
        console.print(summary.errors_table(limit=10 if not dry_run else 20))
        console.print(f"All {len(summary.errors)} errors: {summary.error_file}")
    if strict and summary.errors:
        raise typer.Exit(2)


def export(
    kind: str = typer.Argument(..., help="companies, people, deals, tickets, interactions, orders, products, users or graph."),
    out: str = typer.Option(None, "--out", "-o", help="Output file (default <kind>.<format>)."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json (graph: always JSON Lines)."),
    where: list[str] = typer.Option([], "--where", help="Filter field=value (repeatable), e.g. --where country=DE."),
    headers: str = typer.Option("names", "--headers", help="Column headers: field names, or captions in English "
                                "(en) or Chinese (zh); imports map all three back."),
) -> None:
    """Export an entity list (CSV/XLSX/JSON) or the whole graph (JSON Lines) for `crn import graph`."""
    from crn.ingest import exporter

    filters = dict(w.split("=", 1) for w in where if "=" in w)
    with database():
        try:
            if kind == "graph":
                target = out or "graph.jsonl"
                nodes, rels = exporter.export_graph(target)
                console.print(f"Exported {nodes} nodes and {rels} relationships to {target}.")
                return
            target = out or f"{kind}.{fmt}"
            count = exporter.export_entities(kind, target, fmt, filters, headers=headers)
        except exporter.ExportError as exc:
            fail(str(exc))
    console.print(f"Exported {count} {kind} to {target}.")


def dedupe(
    kind: str = typer.Argument(..., help="people or companies."),
    threshold: float = typer.Option(0.55, help="Lowest score (0..1) to list."),
    limit: int = typer.Option(50, help="How many candidate pairs to show."),
) -> None:
    """List likely duplicates with a score and the evidence (names, e-mails, domains, phones)."""
    from crn.ingest import dedupe as dd

    if kind not in ("people", "companies"):
        fail("choose people or companies")
    with database():
        pairs = dd.find_duplicates_in_graph(kind, threshold=threshold)
    console.print(dd.pairs_table(pairs[:limit], kind))


def merge(
    a: str = typer.Argument(..., help="uid of the record that stays."),
    b: str = typer.Argument(..., help="uid of the duplicate merged into it (then deleted)."),
) -> None:
    """Merge record B into A keeping every relationship and the history; records a MergeRecord."""
    from crn.ingest import dedupe as dd

    with database():
        try:
            result = dd.merge_records(a, b)
        except dd.MergeError as exc:
            fail(str(exc))
    console.print(f"Merged {b} into {a}: moved {result['moved']} relationships; merge record {result['record']}.")
