"""Cypher for loading the demo network: UNWIND batches of thousands of rows per statement.

Labels and relationship types are interpolated only from the fixed whitelists below (never from
data); every value travels as a parameter. Nodes are created or merged on ``uid`` (unique index), and
relationships find their ends through that same index.

A first load uses ``CREATE`` (fast); the loader switches to the ``MERGE`` statements as soon as it finds
any node of the network already present, so loading the same size and seed twice adds nothing.
"""

from __future__ import annotations

from functools import lru_cache

from neomodel import DateProperty, DateTimeProperty

from crn.graph.models import ALL_MODELS, NODE_LABELS

CUSTOMER_LABEL = "Customer"
REL_TYPES = (
    "SUBSIDIARY_OF", "PARTNER_OF", "SUPPLIES", "COMPETES_WITH", "WORKS_AT", "REPORTS_TO", "OWNS_SHARE",
    "BOARD_MEMBER_OF", "KNOWS", "ACCOUNT_TEAM", "FOR", "ON_COMMITTEE", "OWNS", "RAISED_BY", "ASSIGNED",
    "INVOLVED", "ABOUT", "PLACED_BY", "CONTAINS",
)


# Temporal values travel as ISO-8601 strings (the driver packs Python datetimes slowly) and become
# native Neo4j ``datetime``/``date`` values in the statement; which fields are which comes from the models.
_DATETIME_FIELDS = {m.__name__: tuple(name for name, prop in m.defined_properties(aliases=False, rels=False).items()
                                      if isinstance(prop, DateTimeProperty)) for m in ALL_MODELS}
_DATE_FIELDS = {m.__name__: tuple(name for name, prop in m.defined_properties(aliases=False, rels=False).items()
                                  if isinstance(prop, DateProperty)) for m in ALL_MODELS}
REL_DATE_FIELDS = ("since", "until")


def _temporal_sets(label: str) -> str:
    parts = [f"n.{f} = datetime(row.{f})" for f in _DATETIME_FIELDS[label]]
    parts += [f"n.{f} = date(row.{f})" for f in _DATE_FIELDS[label]]
    return ", " + ", ".join(parts) if parts else ""


_REL_TEMPORAL = ", " + ", ".join(f"r.{f} = date(row.p.{f})" for f in REL_DATE_FIELDS)


def _node_kind(kind: str) -> tuple[str, list[str]]:
    """("Company:Customer") -> ("Company", ["Customer"]), refusing anything off the whitelist."""
    primary, *extra = kind.split(":")
    if primary not in NODE_LABELS or any(label != CUSTOMER_LABEL for label in extra):
        raise ValueError(f"not a crn node kind: {kind!r}")
    return primary, extra


def _rel_kind(a_label: str, rtype: str, b_label: str) -> None:
    if a_label not in NODE_LABELS or b_label not in NODE_LABELS or rtype not in REL_TYPES:
        raise ValueError(f"not a crn relationship kind: {(a_label, rtype, b_label)!r}")


@lru_cache(maxsize=None)
def count_existing(kind: str) -> str:
    """How many of ``$uids`` already exist with this node kind's primary label."""
    primary, _ = _node_kind(kind)
    return f"UNWIND $uids AS uid MATCH (n:{primary} {{uid: uid}}) RETURN count(n) AS n"


@lru_cache(maxsize=None)
def create_nodes(kind: str) -> str:
    """Create one node per row; the row is the node's full property map."""
    primary, extra = _node_kind(kind)
    return f"UNWIND $rows AS row CREATE (n:{':'.join([primary, *extra])}) SET n = row{_temporal_sets(primary)}"


@lru_cache(maxsize=None)
def merge_nodes(kind: str) -> str:
    """Create or update one node per row, matched on uid."""
    primary, extra = _node_kind(kind)
    labels = "".join(f" SET n:{label}" for label in extra)
    return f"UNWIND $rows AS row MERGE (n:{primary} {{uid: row.uid}}) SET n += row{_temporal_sets(primary)}{labels}"


@lru_cache(maxsize=None)
def create_relationships(a_label: str, rtype: str, b_label: str) -> str:
    """Create one relationship per row ``{a, b, p}`` between existing nodes found by uid."""
    _rel_kind(a_label, rtype, b_label)
    return (f"UNWIND $rows AS row MATCH (a:{a_label} {{uid: row.a}}) MATCH (b:{b_label} {{uid: row.b}}) "
            f"CREATE (a)-[r:{rtype}]->(b) SET r = row.p{_REL_TEMPORAL}")


@lru_cache(maxsize=None)
def merge_relationships(a_label: str, rtype: str, b_label: str) -> str:
    """Create or update one relationship per row ``{a, b, p}`` (at most one per type and pair)."""
    _rel_kind(a_label, rtype, b_label)
    return (f"UNWIND $rows AS row MATCH (a:{a_label} {{uid: row.a}}) MATCH (b:{b_label} {{uid: row.b}}) "
            f"MERGE (a)-[r:{rtype}]->(b) SET r = row.p{_REL_TEMPORAL}")


ANY_CRN_NODE = f"RETURN EXISTS {{ MATCH (n:{'|'.join(NODE_LABELS)}) }} AS found"

# Counts come from Neo4j's count store (no scan): one row per label and per relationship type.
COUNT_NODES_BY_LABEL = " UNION ALL ".join(
    f"MATCH (n:{label}) RETURN '{label}' AS kind, count(n) AS n" for label in (*NODE_LABELS, CUSTOMER_LABEL)
)
COUNT_RELATIONSHIPS_BY_TYPE = " UNION ALL ".join(
    f"MATCH ()-[r:{rtype}]->() RETURN '{rtype}' AS kind, count(r) AS n" for rtype in REL_TYPES
)
