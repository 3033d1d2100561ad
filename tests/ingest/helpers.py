"""Shared helpers for the ingest tests: fixture paths and graph snapshots to compare end states."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
VOLATILE = {"uid", "created_at", "updated_at"}


def fixture(name: str) -> Path:
    """Path of a fixture file."""
    return FIXTURES / name


def snapshot(db) -> tuple[list, list]:
    """Nodes and relationships without uids and timestamps, sorted: equal snapshots = same end state (of the
    records: every import run leaves an audit entry of its own, docs/audit.md)."""
    nodes = db.read("MATCH (n) WHERE NOT n:AuditEntry AND NOT n:AuditHead RETURN labels(n) AS labels, "
                    "properties(n) AS props")
    rels = db.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
                   "coalesce(a.ext_key, a.name, a.number) AS a, coalesce(b.ext_key, b.name, b.number) AS b")

    def clean(props):
        return sorted((k, repr(v)) for k, v in props.items() if k not in VOLATILE)

    return (sorted((sorted(n["labels"]), clean(n["props"])) for n in nodes),
            sorted((r["type"], r["a"], r["b"], clean(r["props"])) for r in rels))
