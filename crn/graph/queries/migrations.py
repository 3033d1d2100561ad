"""Cypher for the schema's version record: one (:Migration) node per applied version (crn.graph.migrations)."""

MIGRATION_VERSION_UNIQUE = (
    "migration_version_unique",
    "CREATE CONSTRAINT migration_version_unique IF NOT EXISTS FOR (m:Migration) REQUIRE m.version IS UNIQUE",
)

# SHOW commands cannot be combined with UNION: two reads
SHOW_CONSTRAINT_NAMES = "SHOW CONSTRAINTS YIELD name RETURN name"
SHOW_INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"

APPLIED = """
MATCH (m:Migration)
RETURN m.version AS version, m.name AS name, m.checksum AS checksum, toString(m.applied_at) AS applied_at
ORDER BY m.version
"""

RECORD = """
MERGE (m:Migration {version: $version})
ON CREATE SET m.applied_at = datetime()
ON MATCH SET m.reapplied_at = datetime()
SET m.name = $name, m.checksum = $checksum, m.crn_version = $crn_version
"""

AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

