"""Versioned schema migrations, recorded in the graph; applied in order from one explicit list, never dropping.

Each :class:`Version` is a numbered set of schema objects (constraints and indexes, each created
``IF NOT EXISTS``) and, rarely, an idempotent data step. Applying a version creates its missing objects,
runs its data step and records ``(:Migration {version, name, checksum, applied_at, crn_version})``.

- ``crn db migrate`` (:func:`migrate`) applies every *pending* version in order: not recorded yet, or
  recorded with another checksum (its list grew, e.g. a model gained an indexed property). It also
  recreates any object of an applied version that went missing. An install from before versions were
  recorded (objects present, no Migration node) is *adopted*: every version is applied, which creates
  only what is missing, and recorded.
- :func:`check` is what the server, the worker and the CLI's data commands call before they start: it
  raises :class:`SchemaOutOfDate` when a version is pending ("run crn db migrate") or when the database
  records a version this crn does not know ("this crn is older than the database").

To add a migration: declare its objects beside their Cypher (``crn.graph.queries.<domain>.SCHEMA``) and
append a ``Version`` with the next number to :func:`versions`. Never renumber or remove a version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from neomodel import StructuredNode

from crn.graph import db
from crn.graph.models import ALL_MODELS
from crn.graph.queries import migrations as q
from crn.graph.queries.audit import AUDIT_SCHEMA  # audit
from crn.graph.queries.auth import SCHEMA as AUTH_SCHEMA
from crn.graph.queries.automation import SCHEMA as AUTOMATION_SCHEMA
from crn.graph.queries.ingest import ext_key_migrations
from crn.graph.queries.sharing import SCHEMA as ACCESS_SCHEMA
from crn.graph.queries.privacy import SCHEMA as PRIVACY_SCHEMA  # privacy (issue 13 §3)

SEARCH_INDEX = "crn_search"

# Indexes the models cannot declare: full-text search, labels and relationship properties.
EXTRA_STATEMENTS: tuple[tuple[str, str], ...] = (
    (
        SEARCH_INDEX,
        f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS "
        "FOR (n:Company|Person|User) ON EACH [n.name, n.legal_name, n.email, n.domain]",
    ),
    ("customer_uid", "CREATE INDEX customer_uid IF NOT EXISTS FOR (n:Customer) ON (n.uid)"),
    ("works_at_until", "CREATE INDEX works_at_until IF NOT EXISTS FOR ()-[r:WORKS_AT]-() ON (r.until)"),
    ("knows_strength", "CREATE INDEX knows_strength IF NOT EXISTS FOR ()-[r:KNOWS]-() ON (r.strength)"),
)


@dataclass(frozen=True)
class Migration:
    """One schema object: its name and the idempotent statement that creates it."""

    name: str
    statement: str


@dataclass(frozen=True)
class Version:
    """A numbered step of the schema: objects created if missing, then an optional idempotent data step.

    ``data`` must be safe to run again (it runs again when the version is re-applied); its qualified name
    is part of the checksum, so replacing it makes the version pending again.
    """

    number: int
    name: str
    objects: tuple[Migration, ...]
    data: Callable[[], object] | None = field(default=None, compare=False)

    @property
    def checksum(self) -> str:
        """SHA-256 (first 16 hex digits) of the statements and the data step's name, in order."""
        text = "\n".join(m.statement for m in self.objects)
        if self.data is not None:
            text += f"\n-- data: {self.data.__module__}.{self.data.__qualname__}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class SchemaOutOfDate(RuntimeError):
    """The database's recorded schema version does not match this crn; the message says what to do."""


def model_migrations(models: tuple[type[StructuredNode], ...] = ALL_MODELS) -> list[Migration]:
    """Uniqueness constraints and range indexes declared on the neomodel classes."""
    out: list[Migration] = []
    for model in models:
        label = model.__label__
        for prop_name, prop in model.defined_properties(aliases=False, rels=False).items():
            if getattr(prop, "unique_index", False):
                name = f"{label.lower()}_{prop_name}_unique"
                out.append(Migration(name, f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop_name} IS UNIQUE"))
            elif getattr(prop, "index", False):
                name = f"{label.lower()}_{prop_name}"
                out.append(Migration(name, f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop_name})"))
    return out


def _listed(statements: Iterable[tuple[str, str]]) -> tuple[Migration, ...]:
    return tuple(Migration(name, statement) for name, statement in statements)


def versions() -> list[Version]:
    """Every schema version, in the order applied. The only place that says what is applied: nothing
    registers itself at import time. Append new versions; never renumber, reorder or remove one."""
    return [
        Version(1, "core: the models' keys and indexes, search, relationship indexes, importer keys", (
            *_listed([q.MIGRATION_VERSION_UNIQUE]),   # the version record itself
            *model_migrations(),                      # unique and indexed properties declared on the models
            *_listed(EXTRA_STATEMENTS),               # full-text search, labels and relationship properties
            *_listed(ext_key_migrations()),           # importer upsert keys: one unique ext_key per imported label
        )),
        Version(2, "auth: API tokens and browser sessions", _listed(AUTH_SCHEMA)),
        Version(3, "automation: rules, outbox, runs, schedule locks, tasks, segments", _listed(AUTOMATION_SCHEMA)),
        Version(4, "access (issue 13): teams, territories, sharing rules, defaults", _listed(ACCESS_SCHEMA)),
        Version(5, "audit (issue 13): the chain's head, entries by seq, target, time, actor", _listed(AUDIT_SCHEMA)),
        Version(6, "privacy (issue 13): suppression list, server keys, rule-run age index", _listed(PRIVACY_SCHEMA)),
    ]


def all_migrations() -> list[Migration]:
    """Every constraint and index crn relies on, in the order they are applied."""
    return [m for version in versions() for m in version.objects]


def code_version(known: list[Version] | None = None) -> int:
    """The highest version this crn knows."""
    return max(v.number for v in (known or versions()))


def existing_schema() -> set[str]:
    """Names of the constraints and indexes present in the database."""
    return {row["name"] for row in db.read(q.SHOW_CONSTRAINT_NAMES) + db.read(q.SHOW_INDEX_NAMES)}


def applied() -> dict[int, dict]:
    """The recorded versions: number -> {version, name, checksum, applied_at}."""
    return {row["version"]: row for row in db.read(q.APPLIED)}


def pending(known: list[Version] | None = None, recorded: dict[int, dict] | None = None) -> list[Version]:
    """The versions ``migrate`` would apply: not recorded, or recorded with another checksum."""
    known = known or versions()
    recorded = applied() if recorded is None else recorded
    return [v for v in known if recorded.get(v.number, {}).get("checksum") != v.checksum]


def check(known: list[Version] | None = None) -> None:
    """Raise :class:`SchemaOutOfDate` unless the database records exactly the versions this crn knows."""
    known = known or versions()
    recorded = applied()
    mine = code_version(known)
    theirs = max(recorded, default=0)
    if theirs > mine:
        raise SchemaOutOfDate(
            f"this crn is older than the database: the database is at schema version {theirs} "
            f"({recorded[theirs]['name']}), this crn knows versions up to {mine}. Upgrade crn to the version "
            "that migrated this database (or newer); never run an older crn against it.")
    todo = pending(known, recorded)
    if todo:
        listed = ", ".join(f"{v.number} ({v.name})" for v in todo)
        where = f"at schema version {theirs}" if recorded else "not versioned yet (no Migration recorded)"
        raise SchemaOutOfDate(
            f"the database is {where}; this crn needs version {mine}. Pending: {listed}. "
            "Run `crn db migrate` (it only adds constraints, indexes and version records; back up first "
            "with `crn db backup` if you like).")


@dataclass
class MigrateResult:
    """What :func:`migrate` did: the versions applied (numbers), the objects created (names), adoption."""

    applied: list[int] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    adopted: bool = False


def apply(known: list[Version] | None = None, crn_version: str | None = None) -> MigrateResult:
    """Apply every pending version in order (and recreate missing objects of applied ones); record each."""
    known = known or versions()
    recorded = applied()
    mine = code_version(known)
    if max(recorded, default=0) > mine:
        check(known)  # raises: never migrate a database with a crn older than it
    present = existing_schema()
    result = MigrateResult(adopted=not recorded and bool(present & {m.name for m in all_migrations()}))
    todo = {v.number for v in pending(known, recorded)}
    for version in known:
        for migration in version.objects:
            if migration.name not in present:
                db.run_in_auto_commit(migration.statement)
                present.add(migration.name)
                result.created.append(migration.name)
        if version.number not in todo:
            continue
        if version.data is not None:
            version.data()
        db.write(q.RECORD, version=version.number, name=version.name, checksum=version.checksum,
                 crn_version=crn_version or _installed_version())
        result.applied.append(version.number)
    if result.created:
        db.run_in_auto_commit(q.AWAIT_INDEXES)
    return result


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crn")
    except PackageNotFoundError:
        return "unknown"


def migrate() -> list[str]:
    """Apply pending versions; return the names of the objects created (empty when up to date)."""
    return apply().created
