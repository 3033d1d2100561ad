"""Backups of the managed server with Neo4j's own ``neo4j-admin database dump/load``, and a fingerprint of
the graph to prove a restore gave back what was saved.

Neo4j Community cannot dump or load a database that a running server holds, so :func:`dump` and
:func:`load` stop the managed server first and start it again afterwards (only if it was running), and say
so. A dump holds the whole database: nodes, relationships, every property (credentials included), the
schema (constraints and indexes) and the schema's version record; the server's users (the ``system``
database, i.e. the neo4j password) are not in it and stay as they are.

Remote servers (NEO4J_URI) are backed up logically with ``crn export graph`` (crn.ingest.exporter).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crn.graph import db
from crn.graph.queries import backup as q
from crn.graph.queries.audit import LABELS as AUDIT_LABELS
from crn.graph.secrets import SECRET_LABELS, SECRET_PROPERTIES, SECRET_REL_TYPES
from crn.graph.server import LocalNeo4j, ServerError

PAGE = 5000


@dataclass(frozen=True)
class Archive:
    """A dump file written or loaded, and what happened to the server around it."""

    path: Path
    size: int
    stopped_pid: int | None  # the server stopped for the operation (and started again), or None

    def size_text(self) -> str:
        return human_size(self.size)


def human_size(size: int) -> str:
    """``1536`` -> ``'1.5 KiB'``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError


def timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


class _Stopped:
    """Stop the managed server if it runs; start it again on the way out (even after a failure)."""

    def __init__(self, server: LocalNeo4j, why: str, echo) -> None:
        self.server, self.why, self.echo = server, why, echo
        self.pid: int | None = None

    def __enter__(self) -> _Stopped:
        self.pid = self.server.pid()
        if self.pid is not None:
            self.echo(f"Stopping Neo4j (pid {self.pid}) at {self.server.bolt_uri}: Neo4j Community cannot "
                      f"{self.why} a database a running server holds. It starts again afterwards.")
            self.server.stop(echo=self.echo)
        return self

    def __exit__(self, *exc_info) -> bool:
        if self.pid is not None:
            self.server.start(echo=self.echo)
        return False


def dump(server: LocalNeo4j, out_dir: Path, echo=print) -> Archive:
    """Dump the managed database to ``out_dir/crn-<database>-<UTC time>.dump``."""
    database = server.settings.neo4j_database
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (server.home / "data" / "databases" / database).exists():
        raise ServerError(f"There is no database {database!r} in {server.home} to back up yet: "
                          "`crn db start` creates it.")
    target = out_dir / f"crn-{database}-{timestamp()}.dump"
    work = out_dir / f".{target.stem}.partial"
    work.mkdir()
    try:
        with _Stopped(server, "dump", echo) as stopped:
            server.admin(["database", "dump", database, f"--to-path={work}", "--overwrite-destination=true"])
        (work / f"{database}.dump").rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Archive(target, target.stat().st_size, stopped.pid)


def load(server: LocalNeo4j, archive: Path, echo=print) -> Archive:
    """Replace the managed database with the dump ``archive`` (everything in the database now is lost)."""
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise ServerError(f"{archive} is not a file; name a .dump written by `crn db backup`.")
    database = server.settings.neo4j_database
    with _Stopped(server, "load into", echo) as stopped, archive.open("rb") as source:
        server.admin(["database", "load", database, "--from-stdin", "--overwrite-destination=true"], stdin=source)
    return Archive(archive, archive.stat().st_size, stopped.pid)


# -- proof that a restore gave back what was saved ---------------------------------------------------------

@dataclass(frozen=True)
class Fingerprint:
    """Counts of nodes and relationships and one SHA-256 over every label, type and property."""

    nodes: int
    relationships: int
    checksum: str


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _pages(cypher: str):
    after = ""
    while True:
        rows = db.read(cypher, after=after, limit=PAGE)
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1]["id"]


def fingerprint(*, credentials: bool = True, version_record: bool = True, audit: bool = True) -> Fingerprint:
    """The graph's fingerprint, independent of element ids (a restore gives new ones).

    A node is identified by its labels and properties; a relationship by its type, its properties and its
    two nodes. ``credentials=False`` leaves out what a logical export never holds (credential nodes, their
    relationships, secret properties); ``version_record=False`` the ``(:Migration)`` nodes; ``audit=False``
    the audit trail (also not in a graph export: ``crn audit export`` writes it).
    """
    node_digest: dict[str, str] = {}
    for row in _pages(q.FINGERPRINT_NODES):
        labels = sorted(row["labels"])
        if not version_record and "Migration" in labels:
            continue
        if not audit and set(labels) & set(AUDIT_LABELS):
            continue
        if not credentials and set(labels) & set(SECRET_LABELS):
            continue
        props = {k: v for k, v in row["props"].items() if credentials or k not in SECRET_PROPERTIES}
        node_digest[row["id"]] = _digest(labels, sorted((k, repr(v)) for k, v in props.items()))
    rel_digests = []
    for row in _pages(q.FINGERPRINT_RELS):
        if row["a"] not in node_digest or row["b"] not in node_digest:
            continue
        if not credentials and row["type"] in SECRET_REL_TYPES:
            continue
        rel_digests.append(_digest(row["type"], node_digest[row["a"]], node_digest[row["b"]],
                                   sorted((k, repr(v)) for k, v in row["props"].items())))
    total = hashlib.sha256()
    for part in sorted(node_digest.values()) + ["--"] + sorted(rel_digests):
        total.update(part.encode())
    return Fingerprint(len(node_digest), len(rel_digests), total.hexdigest())
