"""Constraints and indexes, applied idempotently from one explicit list; never drops anything."""

from __future__ import annotations

from dataclasses import dataclass

from neomodel import StructuredNode

from crn.graph import db
from crn.graph.models import ALL_MODELS
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


def _listed(statements: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[Migration]:
    return [Migration(name, statement) for name, statement in statements]


def all_migrations() -> list[Migration]:
    """Every constraint and index crn relies on, in the order they are applied.

    This list is the only place that says what is applied: nothing registers itself at import time. A new
    schema object is declared beside its Cypher (``crn.graph.queries.<domain>``) and added here.
    """
    return [
        *model_migrations(),                 # unique and indexed properties declared on the models
        *_listed(EXTRA_STATEMENTS),          # full-text search, labels and relationship properties
        *_listed(ext_key_migrations()),      # importer upsert keys: one unique ext_key per imported label
        *_listed(AUTH_SCHEMA),               # API tokens and browser sessions
        *_listed(AUTOMATION_SCHEMA),         # rules, outbox, runs, schedule locks, tasks, segments
        *_listed(ACCESS_SCHEMA),             # access (issue 13): teams, territories, sharing rules, defaults
        *_listed(AUDIT_SCHEMA),              # audit: the chain's head, entries by seq, target, time, actor
        *_listed(PRIVACY_SCHEMA),            # privacy: suppression list, server keys, rule-run age index
    ]


def existing_schema() -> set[str]:
    """Names of the constraints and indexes present in the database."""
    rows = db.read("SHOW CONSTRAINTS YIELD name RETURN name") + db.read("SHOW INDEXES YIELD name RETURN name")
    return {row["name"] for row in rows}


def migrate() -> list[str]:
    """Apply every missing constraint and index; return the names created (empty when up to date)."""
    present = existing_schema()
    created: list[str] = []
    for migration in all_migrations():
        if migration.name in present:
            continue
        db.run_in_auto_commit(migration.statement)
        created.append(migration.name)
    if created:
        db.run_in_auto_commit("CALL db.awaitIndexes(300)")
    return created
