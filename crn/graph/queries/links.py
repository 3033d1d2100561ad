"""Cypher for validated relationship writes (crn.crm.links); patterns built from the LINKS whitelist."""

from __future__ import annotations

from functools import cache

from crn.graph.queries.access import readable, writable


def _labels(labels: tuple[str, ...]) -> str:
    return "|".join(labels)


@cache
def endpoints(from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> str:
    """Both ends of a prospective link: found when they exist and the viewer may read them (enforce, issue 13),
    and whether the viewer may change each (``*_writable``; records that are not protected always are) and
    whether it is a protected record (``*_protected``)."""
    protected = "any(acl_label IN labels({v}) WHERE acl_label IN $protected)"
    return f"""
OPTIONAL MATCH (a:{_labels(from_labels)} {{uid: $from_uid}}) WHERE {readable('a')}
OPTIONAL MATCH (b:{_labels(to_labels)} {{uid: $to_uid}}) WHERE {readable('b')}
RETURN a IS NOT NULL AS from_found, b IS NOT NULL AS to_found,
       a IS NOT NULL AND {writable('a')} AS from_writable, b IS NOT NULL AND {writable('b')} AS to_writable,
       a IS NOT NULL AND {protected.format(v='a')} AS from_protected
"""


@cache
def would_cycle(rel_type: str, solid_only: bool) -> str:
    """True when linking $from_uid -> $to_uid would close a loop of ``rel_type`` (incl. a self-loop)."""
    condition = "WHERE all(r IN relationships(p) WHERE coalesce(r.kind, 'solid') = 'solid')" if solid_only else ""
    return f"""
MATCH (a {{uid: $from_uid}}), (b {{uid: $to_uid}})
RETURN a = b OR EXISTS {{ MATCH p = (b)-[:{rel_type}*1..50]->(a) {condition} }} AS cycle
"""


@cache
def link(rel_type: str, from_labels: tuple[str, ...], to_labels: tuple[str, ...], single: bool,
         open_stint: bool) -> str:
    """Create or update the link; ``single`` drops the start node's other links of that type,
    ``open_stint`` (employment) updates the open stint or starts a new one, keeping closed ones."""
    head = f"MATCH (a:{_labels(from_labels)} {{uid: $from_uid}}), (b:{_labels(to_labels)} {{uid: $to_uid}})\n"
    drop = (f"CALL (a, b) {{ OPTIONAL MATCH (a)-[old:{rel_type}]->(x) WHERE x <> b DELETE old }}\n"
            if single else "")
    if open_stint:
        body = (f"OPTIONAL MATCH (a)-[open:{rel_type}]->(b) WHERE open.until IS NULL\n"
                f"WITH a, b, head(collect(open)) AS open\n"
                f"CALL (a, b, open) {{ WITH a, b, open WHERE open IS NULL CREATE (a)-[r:{rel_type}]->(b) RETURN r\n"
                f"  UNION WITH open WHERE open IS NOT NULL RETURN open AS r }}\n")
    else:
        body = f"MERGE (a)-[r:{rel_type}]->(b)\n"
    return head + drop + body + "SET r += $props\nRETURN properties(r) AS rel"


@cache
def unlink(rel_type: str, from_labels: tuple[str, ...], to_labels: tuple[str, ...]) -> str:
    """Delete every ``rel_type`` link from $from_uid to $to_uid."""
    return f"""
MATCH (a:{_labels(from_labels)} {{uid: $from_uid}})-[r:{rel_type}]->(b:{_labels(to_labels)} {{uid: $to_uid}})
DELETE r
RETURN count(*) AS removed
"""


@cache
def mark_customer(to_labels: tuple[str, ...]) -> str:
    """Give the end node of an order link the :Customer label."""
    return f"MATCH (b:{_labels(to_labels)} {{uid: $to_uid}}) SET b:Customer"


MARK_WON_DEAL_CUSTOMER = """
MATCH (d:Deal {uid: $from_uid, status: 'won'})-[:FOR]->(c:Company)
SET c:Customer
"""
