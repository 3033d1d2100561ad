"""Cypher for custom field definitions (crn.crm.fields) and the schema objects and data they own.

A definition is a ``(:FieldDefinition)`` node; every change to it adds a ``(:FieldDefinitionVersion)``
snapshot linked by ``VERSION_OF``, so the history of a field (who changed what, when) stays readable
after the field is removed or purged. Labels and property names formatted into statements come from the
record catalogue and a strict identifier pattern, never from a request as such.
"""

from __future__ import annotations

import re

from crn.graph.models.catalog import RECORDS

_IDENT = re.compile(r"^cf_[a-z][a-z0-9_]{0,39}$")


def _check(label: str, prop: str) -> tuple[str, str]:
    if label not in RECORDS or not _IDENT.match(prop):  # guards text formatted into Cypher
        raise ValueError(f"not a custom field property: {label}.{prop}")
    return label, prop


ALL = """
MATCH (f:FieldDefinition) WHERE f.status IN $statuses
RETURN properties(f) AS field ORDER BY f.record_type, f.position, f.name
"""

GET = "MATCH (f:FieldDefinition {record_type: $record_type, name: $name}) WHERE f.status <> 'purged' RETURN properties(f) AS field"

CREATE = """
CREATE (f:FieldDefinition) SET f = $props
CREATE (v:FieldDefinitionVersion) SET v = $version
CREATE (v)-[:VERSION_OF]->(f)
RETURN properties(f) AS field
"""

UPDATE = """
MATCH (f:FieldDefinition {uid: $uid})
SET f += $props
CREATE (v:FieldDefinitionVersion) SET v = $version
CREATE (v)-[:VERSION_OF]->(f)
RETURN properties(f) AS field
"""

HISTORY = """
MATCH (v:FieldDefinitionVersion)-[:VERSION_OF]->(f:FieldDefinition {record_type: $record_type, name: $name})
RETURN properties(v) AS version ORDER BY v.at DESC, v.version DESC LIMIT $limit
"""

NEXT_POSITION = """
MATCH (f:FieldDefinition {record_type: $record_type}) RETURN coalesce(max(f.position), 0) + 1 AS position
"""


def duplicates(label: str, prop: str) -> str:
    """Values of a custom property held by more than one ``label`` node (a unique constraint would fail)."""
    label, prop = _check(label, prop)
    return (f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL WITH n.{prop} AS value, count(*) AS n WHERE n > 1 "
            "RETURN value, n ORDER BY n DESC LIMIT 5")


def taken(label: str, prop: str) -> str:
    """Another ``label`` node already holding $value in the custom property ``prop``."""
    label, prop = _check(label, prop)
    return f"MATCH (n:{label}) WHERE n.{prop} = $value AND n.uid <> $uid RETURN n.uid AS uid LIMIT 1"


def constraint_name(label: str, prop: str, unique: bool) -> str:
    """The name of the constraint (unique) or index crn keeps for a custom property."""
    label, prop = _check(label, prop)
    return f"{label.lower()}_{prop}_{'unique' if unique else 'index'}"


def create_constraint(label: str, prop: str) -> str:
    label, prop = _check(label, prop)
    return (f"CREATE CONSTRAINT {constraint_name(label, prop, True)} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")


def create_index(label: str, prop: str) -> str:
    label, prop = _check(label, prop)
    return f"CREATE INDEX {constraint_name(label, prop, False)} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def drop(label: str, prop: str, unique: bool) -> str:
    """Drop the constraint or index of a custom property (if it exists)."""
    kind = "CONSTRAINT" if unique else "INDEX"
    return f"DROP {kind} {constraint_name(label, prop, unique)} IF EXISTS"


def purge(label: str, prop: str) -> str:
    """Remove a custom property from every ``label`` node, in batches (auto-commit only)."""
    label, prop = _check(label, prop)
    return (f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL "
            f"CALL (n) {{ REMOVE n.{prop} }} IN TRANSACTIONS OF 5000 ROWS RETURN count(*) AS purged")
