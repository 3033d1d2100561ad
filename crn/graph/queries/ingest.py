"""Cypher for bulk imports, exports, dedupe and merge: batched UNWIND statements over whitelisted labels.

Labels, relationship types and key properties are formatted into the statements only after
:func:`check_name` has checked them against the whitelists below; every value is a parameter.
"""

from __future__ import annotations

import re

from crn.graph.models import NODE_LABELS
from crn.graph.queries.access import readable, writable
from crn.graph.queries.audit import LABELS as AUDIT_LABELS
from crn.graph.secrets import SECRET_REL_TYPES, not_secret_node, public_properties

# Key properties an import may match nodes on (each has a unique constraint or an index).
KEY_PROPERTIES = ("uid", "ext_key", "email", "domain", "name", "number", "sku")
REL_TYPES = ("WORKS_AT", "REPORTS_TO", "SUBSIDIARY_OF", "OWNS_SHARE", "BOARD_MEMBER_OF", "ON_COMMITTEE", "FOR",
             "RAISED_BY", "INVOLVED", "ABOUT", "PLACED_BY", "CONTAINS", "KNOWS")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Unique external-id key per imported label, so repeated imports find their rows again.
EXT_KEY_LABELS = ("Company", "Person", "Deal", "Ticket", "Interaction", "Order", "Product")


# Dates and timestamps travel as ISO strings (packing Python temporals is slow in the driver) and are
# converted in the database. Each statement is built for one set of date keys (``dates``) and datetime
# keys (``times``), named explicitly: a dynamic ``SET n[k]`` would force an Eager barrier into the plan.

def _typed(var: str, dates: tuple[str, ...], times: tuple[str, ...]) -> str:
    parts = [f"{var}.`{check_name(k)}` = date(row.props.`{k}`)" for k in dates]
    parts += [f"{var}.`{check_name(k)}` = datetime(row.props.`{k}`)" for k in times]
    return (", " + ", ".join(parts)) if parts else ""


def check_name(name: str, allowed: tuple[str, ...] | None = None) -> str:
    """Return ``name`` if it is a whitelisted (or at least a plain identifier) label/type/property."""
    if allowed is not None and name not in allowed:
        raise ValueError(f"{name!r} is not one of {allowed}")
    if not _NAME_RE.match(name):
        raise ValueError(f"{name!r} is not a plain identifier")
    return name


def ext_key_migrations() -> list[tuple[str, str]]:
    """(name, statement) for the unique ``ext_key`` constraints the importer relies on."""
    return [(f"{label.lower()}_ext_key_unique",
             f"CREATE CONSTRAINT {label.lower()}_ext_key_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.ext_key IS UNIQUE")
            for label in EXT_KEY_LABELS]


def find_nodes_by(label: str, key: str) -> str:
    """Nodes of ``label`` whose ``key`` is in $values: value, uid and the $props properties they have."""
    label, key = check_name(label, NODE_LABELS), check_name(key, KEY_PROPERTIES)
    # Only the properties the import compares ($props) come back: shipping and unpacking every property
    # (audit timestamps above all) of 100k nodes cost more than the rest of a re-import.
    # enforce (issue 13): whether the importer may read and change each node found (never filtered out: an
    # unreadable match must be reported on its row, not duplicated)
    return (f"UNWIND $values AS value MATCH (n:{label} {{{key}: value}}) "
            f"RETURN value, n.uid AS uid, {readable('n', label)} AS readable, {writable('n', label)} AS writable, "
            "[k IN $props WHERE n[k] IS NOT NULL | [k, n[k]]] AS pairs ORDER BY n.created_at")


def create_nodes(label: str, dates: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> str:
    """Create one ``label`` node per $rows item from its ``props`` map."""
    label = check_name(label, NODE_LABELS)
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row.props" + _typed("n", dates, times)


def update_nodes(label: str, dates: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> str:
    """Set only the changed properties (``row.props``) of existing ``label`` nodes found by uid."""
    label = check_name(label, NODE_LABELS)
    return f"UNWIND $rows AS row MATCH (n:{label} {{uid: row.uid}}) SET n += row.props" + _typed("n", dates, times)


def existing_rels(start_label: str, rel_type: str, end_label: str) -> str:
    """Every ``rel_type`` relationship leaving the $uids start nodes, with its id, end uid and properties."""
    start_label, end_label = check_name(start_label, NODE_LABELS), check_name(end_label, NODE_LABELS)
    rel_type = check_name(rel_type, REL_TYPES)
    return (f"UNWIND $uids AS uid MATCH (a:{start_label} {{uid: uid}})-[r:{rel_type}]->(b:{end_label}) "
            "RETURN uid AS start, elementId(r) AS rid, b.uid AS end, properties(r) AS props")


def create_rels(start_label: str, rel_type: str, end_label: str, dates: tuple[str, ...] = (),
                times: tuple[str, ...] = ()) -> str:
    """Create one ``rel_type`` relationship per $rows item {start, end, props}."""
    start_label, end_label = check_name(start_label, NODE_LABELS), check_name(end_label, NODE_LABELS)
    rel_type = check_name(rel_type, REL_TYPES)
    return (f"UNWIND $rows AS row MATCH (a:{start_label} {{uid: row.start}}) MATCH (b:{end_label} {{uid: row.end}}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props" + _typed("r", dates, times))


def update_rels(dates: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> str:
    """Set the changed properties of relationships found by element id."""
    return "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.rid SET r += row.props" + _typed("r", dates, times)
DELETE_RELS = "UNWIND $rids AS rid MATCH ()-[r]->() WHERE elementId(r) = rid DELETE r"

# -- reporting lines already in the database (for cycle checks) ------------------------------------
OPEN_SOLID_MANAGERS = (
    "UNWIND $uids AS uid MATCH (p:Person {uid: uid})-[r:REPORTS_TO]->(m:Person) "
    "WHERE r.until IS NULL AND coalesce(r.kind, 'solid') = 'solid' RETURN p.uid AS person, m.uid AS manager"
)

# -- exports -------------------------------------------------------------------------------------

def export_page(label: str) -> str:
    """A page of ``label`` nodes after uid $after matching every $filters entry, in uid order."""
    label = check_name(label, NODE_LABELS)
    return (f"MATCH (n:{label}) WHERE n.uid > $after AND {readable('n', label)} "
            "AND all(k IN keys($filters) WHERE toString(n[k]) = $filters[k]) "
            f"RETURN {public_properties('n')} AS props ORDER BY n.uid LIMIT $limit")


# The graph export leaves credentials in the database: no token or session node (nor its link to a user),
# no password hash; a restored graph's users get a password again with `crn users set-password`.
# audit: nor the audit trail (its entries are not records; `crn audit export` exports it).
_NOT_AUDIT = " AND ".join(f"NOT n:{label}" for label in AUDIT_LABELS)
GRAPH_NODES_PAGE = (
    # ops: the schema's version record (:Migration) is not data: a restore records its own by migrating
    f"MATCH (n) WHERE elementId(n) > $after AND {not_secret_node('n')} AND {_NOT_AUDIT} AND NOT n:Migration "
    f"AND {readable('n')} RETURN elementId(n) AS id, "
    f"labels(n) AS labels, {public_properties('n')} AS props ORDER BY elementId(n) LIMIT $limit"
)
GRAPH_RELS_PAGE = (
    f"MATCH (a)-[r]->(b) WHERE elementId(r) > $after AND NOT type(r) IN {list(SECRET_REL_TYPES)!r} "
    f"AND {not_secret_node('a')} AND {not_secret_node('b')} AND {readable('a')} AND {readable('b')} "
    "RETURN elementId(r) AS id, type(r) AS type, "
    "elementId(a) AS start, elementId(b) AS end, properties(r) AS props ORDER BY elementId(r) LIMIT $limit"
)
# Labels and types of a graph file are formatted in after check_name (plain identifiers, backquoted):
# Neo4j 5.26 caches the plan of `CREATE (a)-[:$($type)]->(b)` with the first type it saw, so dynamic
# types/labels cannot be used for this.

def graph_create_nodes(labels: list[str]) -> str:
    """Create nodes with exactly ``labels`` from $rows {id, props}; returns old id -> new elementId."""
    label_text = "".join(f":`{check_name(label)}`" for label in labels)
    return (f"UNWIND $rows AS row CREATE (n{label_text}) SET n = row.props "
            "RETURN row.id AS old, elementId(n) AS new")


def graph_create_rels(rel_type: str) -> str:
    """Create ``rel_type`` relationships from $rows {start, end, props} (element ids of this database)."""
    return ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.start MATCH (b) WHERE elementId(b) = row.end "
            f"CREATE (a)-[r:`{check_name(rel_type)}`]->(b) SET r = row.props")


COUNT_NODES = f"MATCH (n) WHERE {_NOT_AUDIT} AND NOT n:Migration RETURN count(n) AS n"  # ops: not the version record

# -- dedupe and merge ----------------------------------------------------------------------------
# enforce (issue 13): duplicates among the records the viewer may read; merges of records they may change
DEDUPE_PEOPLE = (
    f"MATCH (p:Person) WHERE {readable('p', 'Person')} RETURN p.uid AS uid, p.name AS name, p.email AS email, p.emails AS emails, "
    "p.phones AS phones"
)
DEDUPE_COMPANIES = (
    f"MATCH (c:Company) WHERE {readable('c', 'Company')} RETURN c.uid AS uid, c.name AS name, c.legal_name AS legal_name, c.domain AS domain, "
    "c.country AS country, c.city AS city"
)
MERGE_LOAD = (
    "CALL () { MATCH (n:Person) WHERE n.uid IN $uids RETURN n UNION MATCH (n:Company) WHERE n.uid IN $uids RETURN n } "
    f"WITH n WHERE {readable('n')} RETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props, "
    f"{writable('n')} AS writable"
)
MERGEABLE_LABELS = ("Person", "Company")


def merge_rel_types(label: str) -> str:
    """The relationship types touching $b, by direction (to move them type by type)."""
    label = check_name(label, MERGEABLE_LABELS)
    return (f"MATCH (b:{label} {{uid: $b}}) "
            "RETURN COLLECT { MATCH (b)-[r]->() RETURN DISTINCT type(r) } AS out, "
            "COLLECT { MATCH ()-[r]->(b) RETURN DISTINCT type(r) } AS inc")


def merge_move_out(label: str, rel_type: str) -> str:
    """Re-create every ``rel_type`` relationship leaving $b as leaving $a (same properties), then drop it."""
    label, rel_type = check_name(label, MERGEABLE_LABELS), check_name(rel_type)
    return (f"MATCH (b:{label} {{uid: $b}})-[r:`{rel_type}`]->(x) WHERE x.uid IS NULL OR x.uid <> $a "
            f"MATCH (a:{label} {{uid: $a}}) CREATE (a)-[n:`{rel_type}`]->(x) SET n = properties(r) DELETE r "
            "RETURN count(n) AS moved")


def merge_move_in(label: str, rel_type: str) -> str:
    """Re-create every ``rel_type`` relationship entering $b as entering $a, then drop it."""
    label, rel_type = check_name(label, MERGEABLE_LABELS), check_name(rel_type)
    return (f"MATCH (x)-[r:`{rel_type}`]->(b:{label} {{uid: $b}}) WHERE x.uid IS NULL OR x.uid <> $a "
            f"MATCH (a:{label} {{uid: $a}}) CREATE (x)-[n:`{rel_type}`]->(a) SET n = properties(r) DELETE r "
            "RETURN count(n) AS moved")


def merge_finish(label: str) -> str:
    """Update the survivor, record the merge as a :MergeRecord and delete $b with its remaining (a-b) ties."""
    label = check_name(label, MERGEABLE_LABELS)
    return (f"MATCH (a:{label} {{uid: $a}}), (b:{label} {{uid: $b}}) SET a += $props "
            "CREATE (m:MergeRecord {uid: $record_uid, survivor: $a, merged: $b, label: $label, at: datetime(), "
            "actor: $actor, merged_props: $merged_props, score: $score}) "
            "CREATE (m)-[:MERGED_INTO]->(a) DETACH DELETE b RETURN m.uid AS record")


# -- ownership already in the graph (for the "above 100%" check) -----------------------------------
OPEN_PARENT_SHARES = (
    "UNWIND $uids AS uid MATCH (c:Company {uid: uid})-[r:SUBSIDIARY_OF]->(p:Company) WHERE r.until IS NULL "
    "RETURN uid AS child, p.uid AS parent, coalesce(r.share, r.share_min, 0.0) AS share"
)
