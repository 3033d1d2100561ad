"""Cypher for validated record writes (crn.crm.records): labels and property names come from whitelists."""

from __future__ import annotations

from functools import cache

from crn.graph.models.catalog import RECORDS
from crn.graph.queries.access import readable, writable
from crn.graph.secrets import public_properties

_NODE = public_properties("n")  # records never carry a credential out of the database

LABELS = tuple(RECORDS)
UNIQUE_PROPERTIES = {label: tuple(f.prop for f in r.fields if f.unique and f.name != "uid")
                     for label, r in RECORDS.items()}


def _check(label: str) -> str:
    if label not in LABELS:  # a whitelist, not an assert: it guards text formatted into Cypher
        raise ValueError(f"unknown label {label!r}")
    return label


@cache
def create(label: str) -> str:
    """Create a ``label`` node with $props (uid and stamps included by the caller)."""
    return f"CREATE (n:{_check(label)}) SET n = $props RETURN {_NODE} AS node"


@cache
def get(label: str) -> str:
    """A node's properties by uid, when the viewer may read it (enforce, issue 13), and whether they may change
    it (``writable``)."""
    return (f"MATCH (n:{_check(label)} {{uid: $uid}}) WHERE {readable('n', label)} "
            f"RETURN {_NODE} AS node, {writable('n', label)} AS writable")


@cache
def update(label: str) -> str:
    """Merge $props into a node (null values remove the property)."""
    return f"MATCH (n:{_check(label)} {{uid: $uid}}) SET n += $props RETURN {_NODE} AS node"


@cache
def delete(label: str) -> str:
    """Delete a node and its relationships."""
    return f"MATCH (n:{_check(label)} {{uid: $uid}}) DETACH DELETE n RETURN count(*) AS deleted"


@cache
def by_external_id(label: str) -> str:
    """The uid of the ``label`` node carrying external id $external_id."""
    return f"MATCH (n:{_check(label)}) WHERE $external_id IN n.external_ids RETURN n.uid AS uid LIMIT 1"


@cache
def taken(label: str, prop: str) -> str:
    """Another node of ``label`` already holding $value in the unique property ``prop``."""
    if prop not in UNIQUE_PROPERTIES.get(label, ()):
        raise ValueError(f"{prop} is not unique on {label}")
    return f"MATCH (n:{_check(label)} {{{prop}: $value}}) WHERE n.uid <> $uid RETURN n.uid AS uid LIMIT 1"


# What still hangs on a company or a person: history that a delete would drop.
DEPENDENTS = {
    "Company": """
MATCH (n:Company {uid: $uid})
RETURN COUNT { (n)<-[:FOR]-(:Deal) } AS deals, COUNT { (n)<-[:FOR]-(:Ticket) } AS tickets,
       COUNT { (n)<-[:ABOUT]-(:Interaction) } AS interactions, COUNT { (n)<-[:PLACED_BY]-(:Order) } AS orders
""",
    "Person": """
MATCH (n:Person {uid: $uid})
RETURN COUNT { (n)-[:ON_COMMITTEE]->(:Deal) } AS deals, COUNT { (n)<-[:RAISED_BY]-(:Ticket) } AS tickets,
       COUNT { (n)<-[:INVOLVED]-(:Interaction) } AS interactions, COUNT { (n)<-[:PLACED_BY]-(:Order) } AS orders
""",
}

MARK_DEAL_CUSTOMER = """
MATCH (d:Deal {uid: $uid})-[:FOR]->(c:Company)
SET c:Customer
"""
