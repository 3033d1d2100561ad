"""Cypher for reads: nodes by uid, related lists (plain and paged), lists with filters, 360° roll-ups.

Every query takes a list of uids (``UNWIND $uids``) so a DataLoader answers a whole level of a GraphQL
selection in one round trip. Labels, relationship patterns, filters and sort keys come from the fixed
whitelists below; user values always travel as parameters.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from crn.graph.models.catalog import RECORDS, FieldSpec
from crn.graph.queries.access import readable

NODE_LABELS = tuple(RECORDS)

# enforce (issue 13): every read below keeps only what the bound viewer may read (crn.graph.access);
# a record the viewer cannot read reads exactly as a missing one.
NODES_BY_UID = {
    label: (f"UNWIND $uids AS uid MATCH (n:{label} {{uid: uid}}) WHERE {readable('n', label)} "
            "RETURN uid, properties(n) AS node")
    for label in NODE_LABELS
}

ANY_NODE_BY_UID = f"""
UNWIND $uids AS uid
MATCH (n {{uid: uid}}) WHERE {readable('n')}
RETURN uid, properties(n) AS node, [l IN labels(n) WHERE l IN $labels][0] AS label
"""

_OPEN_TICKET = "['open', 'pending']"

# name -> (start label, body yielding rows of `r` (relationship or null) and `o` (other node), order by)
RELATIONS: dict[str, tuple[str, str, str]] = {
    "company_parents": ("Company", "MATCH (s)-[r:SUBSIDIARY_OF]->(o:Company)", "coalesce(r.share, r.share_max, 0) DESC, o.name"),
    "company_subsidiaries": ("Company", "MATCH (s)<-[r:SUBSIDIARY_OF]-(o:Company)", "o.name"),
    "company_board_members": ("Company", "MATCH (s)<-[r:BOARD_MEMBER_OF]-(o:Person)", "o.name"),
    "company_account_team": ("Company", "MATCH (s)<-[r:ACCOUNT_TEAM]-(o:User)", "r.role, o.name"),
    "company_partners": ("Company", "MATCH (s)-[r:PARTNER_OF]-(o:Company)", "o.name"),
    "company_suppliers": ("Company", "MATCH (s)<-[r:SUPPLIES]-(o:Company)", "o.name"),
    "company_customers": ("Company", "MATCH (s)-[r:SUPPLIES]->(o:Company)", "o.name"),
    "company_competitors": ("Company", "MATCH (s)-[r:COMPETES_WITH]-(o:Company)", "o.name"),
    "company_shareholders": ("Company", "MATCH (s)<-[r:OWNS_SHARE]-(o:Person)", "r.share DESC, o.name"),
    "company_orders": ("Company", "MATCH (s)<-[r:PLACED_BY]-(o:Order)", "o.placed_at DESC"),
    "company_contacts": ("Company", "MATCH (s)<-[r:WORKS_AT]-(o:Person)", "o.name, o.uid"),
    "company_deals": ("Company", "MATCH (s)<-[r:FOR]-(o:Deal)", "o.expected_close DESC, o.name, o.uid"),
    "company_tickets": ("Company", "MATCH (s)<-[r:FOR]-(o:Ticket)", "o.opened_at DESC, o.uid"),
    "company_interactions": (
        "Company",
        "CALL (s) { MATCH (o:Interaction)-[:ABOUT]->(s) RETURN o "
        "UNION MATCH (o:Interaction)-[:INVOLVED]->(:Person)-[:WORKS_AT]->(s) RETURN o } WITH null AS r, o",
        "o.at DESC, o.uid",
    ),
    "person_employments": ("Person", "MATCH (s)-[r:WORKS_AT]->(o:Company)", "r.until IS NULL DESC, r.since DESC"),
    "person_managers": ("Person", "MATCH (s)-[r:REPORTS_TO]->(o:Person)", "r.kind DESC, o.name"),
    "person_reports": ("Person", "MATCH (s)<-[r:REPORTS_TO]-(o:Person)", "o.name"),
    "person_deals": ("Person", "MATCH (s)-[r:ON_COMMITTEE]->(o:Deal)", "o.expected_close DESC, o.name"),
    "person_known_by": ("Person", "MATCH (s)<-[r:KNOWS]-(o:User)", "r.strength DESC, o.name"),
    "person_knows": ("Person", "MATCH (s)-[r:KNOWS]-(o:Person)", "r.strength DESC, o.name"),
    "person_boards": ("Person", "MATCH (s)-[r:BOARD_MEMBER_OF]->(o:Company)", "o.name"),
    "person_shareholdings": ("Person", "MATCH (s)-[r:OWNS_SHARE]->(o:Company)", "r.share DESC"),
    "person_orders": ("Person", "MATCH (s)<-[r:PLACED_BY]-(o:Order)", "o.placed_at DESC"),
    "person_tickets": ("Person", "MATCH (s)<-[r:RAISED_BY]-(o:Ticket)", "o.opened_at DESC, o.uid"),
    "person_interactions": ("Person", "MATCH (s)<-[r:INVOLVED]-(o:Interaction)", "o.at DESC, o.uid"),
    "user_account_team": ("User", "MATCH (s)-[r:ACCOUNT_TEAM]->(o:Company)", "o.name"),
    "user_deals": ("User", "MATCH (s)-[r:OWNS]->(o:Deal)", "o.expected_close DESC, o.name"),
    "user_knows": ("User", "MATCH (s)-[r:KNOWS]->(o:Person)", "r.strength DESC, o.name"),
    "user_tickets": ("User", "MATCH (s)-[r:ASSIGNED]->(o:Ticket)", "o.opened_at DESC"),
    "user_managers": ("User", "MATCH (s)-[r:REPORTS_TO]->(o:User)", "o.name"),
    "deal_company": ("Deal", "MATCH (s)-[r:FOR]->(o:Company)", "o.name"),
    "deal_committee": ("Deal", "MATCH (s)<-[r:ON_COMMITTEE]-(o:Person)", "r.declared DESC, r.confidence DESC, o.name"),
    "deal_owners": ("Deal", "MATCH (s)<-[r:OWNS]-(o:User)", "o.name"),
    "deal_interactions": ("Deal", "MATCH (s)<-[r:ABOUT]-(o:Interaction)", "o.at DESC, o.uid"),
    "ticket_company": ("Ticket", "MATCH (s)-[r:FOR]->(o:Company)", "o.name"),
    "ticket_raised_by": ("Ticket", "MATCH (s)-[r:RAISED_BY]->(o:Person)", "o.name"),
    "ticket_assignees": ("Ticket", "MATCH (s)<-[r:ASSIGNED]-(o:User)", "o.name"),
    "ticket_interactions": ("Ticket", "MATCH (s)<-[r:ABOUT]-(o:Interaction)", "o.at DESC"),
    "interaction_participants": ("Interaction", "MATCH (s)-[r:INVOLVED]->(o) WHERE o:Person OR o:User", "o.name"),
    "interaction_deals": ("Interaction", "MATCH (s)-[r:ABOUT]->(o:Deal)", "o.name"),
    "interaction_tickets": ("Interaction", "MATCH (s)-[r:ABOUT]->(o:Ticket)", "o.subject"),
    "interaction_companies": ("Interaction", "MATCH (s)-[r:ABOUT]->(o:Company)", "o.name"),
    "order_items": ("Order", "MATCH (s)-[r:CONTAINS]->(o:Product)", "o.name"),
    "order_person": ("Order", "MATCH (s)-[r:PLACED_BY]->(o:Person)", "o.name"),
    "order_company": ("Order", "MATCH (s)-[r:PLACED_BY]->(o:Company)", "o.name"),
    "product_orders": ("Product", "MATCH (s)<-[r:CONTAINS]-(o:Order)", "o.placed_at DESC"),
}

# Filters a paged relation accepts: name -> condition over r/o with the parameter $<name>.
RELATION_FILTERS: dict[str, str] = {
    "current": "($current IS NULL OR $current = (r.until IS NULL OR r.until > date()))",
    "status": "($status IS NULL OR o.status = $status)",
    "open": f"($open IS NULL OR $open = (o.status IN {_OPEN_TICKET}))",
}

_OTHER_LABEL = re.compile(r"\(o:([A-Za-z]+)\)")


@cache
def other_label(name: str) -> str | None:
    """The label of the rows' node ``o`` of relation ``name`` (None when the body allows several).

    >>> other_label("company_contacts"), other_label("interaction_participants")
    ('Person', None)
    """
    found = set(_OTHER_LABEL.findall(RELATIONS[name][1]))
    return found.pop() if len(found) == 1 else None


def visible_rows(name: str, var: str = "o") -> str:
    """The condition keeping the rows of relation ``name`` whose other node the viewer may read."""
    return readable(var, other_label(name))


_ITEM = "{rel: CASE WHEN r IS NULL THEN null ELSE properties(r) END, node: properties(o), labels: labels(o)}"


@cache
def related(name: str) -> str:
    """All rows of relation ``name`` for each uid in $uids (small, bounded lists)."""
    start, body, order = RELATIONS[name]
    return f"""
UNWIND $uids AS uid
MATCH (s:{start} {{uid: uid}}) WHERE {readable('s', start)}
CALL (s) {{ {body} WITH r, o WHERE {visible_rows(name)} WITH r, o ORDER BY {order} RETURN collect({_ITEM}) AS items }}
RETURN uid, items
"""


@cache
def related_page(name: str, filters: tuple[str, ...] = (), reverse: bool = False) -> str:
    """One page ($skip, $limit) of relation ``name`` per uid in $uids, with its total count."""
    start, body, order = RELATIONS[name]
    where = " AND ".join([visible_rows(name)] + [RELATION_FILTERS[f] for f in filters])
    if reverse:
        order = ", ".join(_flip(part) for part in order.split(","))
    return f"""
UNWIND $uids AS uid
MATCH (s:{start} {{uid: uid}}) WHERE {readable('s', start)}
CALL (s) {{ {body} WITH r, o WHERE {where} RETURN count(o) AS total }}
CALL (s) {{ {body} WITH r, o WHERE {where} WITH r, o ORDER BY {order} SKIP $skip LIMIT $limit
            RETURN collect({_ITEM}) AS items }}
RETURN uid, total, items
"""


def _flip(part: str) -> str:
    part = part.strip()
    if part.endswith(" DESC"):
        return part[:-5] + " ASC"
    if part.endswith(" ASC"):
        return part[:-4] + " DESC"
    return part + " DESC"


# ---- list queries -------------------------------------------------------------------------------

def range_names(f: FieldSpec) -> tuple[str, str]:
    """The (lower, upper) bound filter names of a range field: ``opened_after``/``opened_before`` for
    ``opened_at``, ``expected_close_from``/``_to`` for a date, ``amount_min``/``_max`` for a number.

    >>> range_names(RECORDS["Ticket"].field("opened_at")), range_names(RECORDS["Deal"].field("amount"))
    (('opened_after', 'opened_before'), ('amount_min', 'amount_max'))
    """
    if f.kind == "datetime":
        stem = f.name[:-3] if f.name.endswith("_at") else f.name
        return f"{stem}_after", f"{stem}_before"
    if f.kind == "date":
        return f"{f.name}_from", f"{f.name}_to"
    return f"{f.name}_min", f"{f.name}_max"


def field_filters(f: FieldSpec) -> dict[str, str]:
    """The list filters a field declares (see ``filter`` in crn.graph.models.fields): name -> condition over
    ``o`` with the parameter of that name."""
    p = f"o.{f.prop}"
    if f.filter == "in":
        return {f.name: f"{p} IN ${f.name}"}
    if f.filter == "contains":
        return {f"{f.name}_contains": f"toLower({p}) CONTAINS toLower(${f.name}_contains)"}
    if f.filter == "has":
        name = f.name[:-1] if f.name.endswith("s") else f"{f.name}_has"
        return {name: f"${name} IN {p}"}
    if f.filter == "range":
        low, high = range_names(f)
        upper = "<=" if f.kind in ("date", "int", "float", "money") else "<"
        return {low: f"{p} >= ${low}", high: f"{p} {upper} ${high}"}
    return {}


# Filters that follow a relationship or a computed state rather than one field of the record.
RELATION_LIST_FILTERS: dict[str, dict[str, str]] = {
    "Company": {"customer": "$customer = (o:Customer)",
                "owner": "EXISTS { (:User {uid: $owner})-[:ACCOUNT_TEAM]->(o) }"},
    "Person": {"company": "EXISTS { (o)-[w:WORKS_AT]->(:Company {uid: $company}) WHERE w.until IS NULL }"},
    "Deal": {"owner": "EXISTS { (:User {uid: $owner})-[:OWNS]->(o) }",
             "company": "EXISTS { (o)-[:FOR]->(:Company {uid: $company}) }"},
    "Ticket": {"company": "EXISTS { (o)-[:FOR]->(:Company {uid: $company}) }",
               "assignee": "EXISTS { (:User {uid: $assignee})-[:ASSIGNED]->(o) }",
               "sla_breached": "$sla_breached = (o.sla_due_at IS NOT NULL AND o.sla_due_at < coalesce(o.resolved_at, datetime()))"},
}

# label -> filter name -> condition over `o` with parameter $<name>: the fields' own, then the relational ones
LIST_FILTERS: dict[str, dict[str, str]] = {
    label: {**{k: v for f in record.fields for k, v in field_filters(f).items()}, **RELATION_LIST_FILTERS.get(label, {})}
    for label, record in RECORDS.items()
}

# label -> sort key -> property expression, for the fields declared sortable
LIST_SORTS: dict[str, dict[str, str]] = {
    label: {f.name: f"o.{f.prop}" for f in record.fields if f.sort} for label, record in RECORDS.items()
}


CUSTOM_OPS = {"in": "{p} IN ${v}", "contains": "toLower({p}) CONTAINS toLower(${v})", "min": "{p} >= ${v}",
              "max": "{p} <= ${v}", "has": "${v} IN {p}", "equals": "{p} = ${v}"}
_CUSTOM_PROP = re.compile(r"^cf_[a-z][a-z0-9_]{0,39}$")


def custom_conditions(custom: tuple[tuple[str, str], ...]) -> list[str]:
    """Conditions on custom properties: (``cf_<name>``, op) pairs, the i-th value in parameter ``$custom_<i>``."""
    out = []
    for i, (prop, op) in enumerate(custom):
        if not _CUSTOM_PROP.match(prop) or op not in CUSTOM_OPS:  # guards text formatted into Cypher
            raise ValueError(f"not a custom filter: {prop} {op}")
        out.append(CUSTOM_OPS[op].format(p=f"o.{prop}", v=f"custom_{i}"))
    return out


@cache
def list_nodes(label: str, filters: tuple[str, ...], sort: str, descending: bool,
               custom: tuple[tuple[str, str], ...] = ()) -> str:
    """A page ($skip, $limit) of ``label`` nodes matching the named filters and custom conditions, sorted,
    with the total."""
    where = " AND ".join([readable("o", label)] + [LIST_FILTERS[label][f] for f in filters]
                         + custom_conditions(custom))
    order = f"{LIST_SORTS[label][sort]} {'DESC' if descending else 'ASC'}, o.uid"
    return f"""
CALL () {{ MATCH (o:{label}) WHERE {where} RETURN count(o) AS total }}
CALL () {{ MATCH (o:{label}) WHERE {where} WITH o ORDER BY {order} SKIP $skip LIMIT $limit
           RETURN collect(properties(o)) AS items }}
RETURN total, items
"""


# ---- 360° roll-ups --------------------------------------------------------------------------------

# A chain stops at the first company (person) the viewer may not read: nothing above it is shown.
PARENT_CHAINS = f"""
UNWIND $uids AS uid
MATCH (c:Company {{uid: uid}}) WHERE {readable('c', 'Company')}
OPTIONAL MATCH path = (c)-[:SUBSIDIARY_OF*1..12]->(p:Company)
  WHERE all(r IN relationships(path) WHERE coalesce(r.share, r.share_min, 1.0) > 0.5
                                         AND (r.until IS NULL OR r.until > date()))
    AND all(n IN nodes(path) WHERE {readable('n', 'Company')})
WITH uid, path ORDER BY length(path) DESC
WITH uid, collect(path)[0] AS longest
RETURN uid, CASE WHEN longest IS NULL THEN [] ELSE [n IN tail(nodes(longest)) | properties(n)] END AS chain
"""

REPORTING_CHAINS = f"""
UNWIND $uids AS uid
MATCH (p:Person {{uid: uid}}) WHERE {readable('p', 'Person')}
OPTIONAL MATCH path = (p)-[:REPORTS_TO*1..15]->(m:Person)
  WHERE all(r IN relationships(path) WHERE coalesce(r.kind, 'solid') = 'solid'
                                         AND (r.until IS NULL OR r.until > date()))
    AND all(n IN nodes(path) WHERE {readable('n', 'Person')})
WITH uid, path ORDER BY length(path) DESC
WITH uid, collect(path)[0] AS longest
RETURN uid, CASE WHEN longest IS NULL THEN [] ELSE [n IN tail(nodes(longest)) | properties(n)] END AS chain
"""

# The family of a company: itself and every company below it (current SUBSIDIARY_OF links). Roll-ups count
# only what the viewer may read (amounts of deals they cannot see are never summed into a figure they see).
_FAMILY_BODY = f"""
CALL (c) {{
  MATCH (m:Company)-[:SUBSIDIARY_OF*0..12]->(c)
  WHERE {readable('m', 'Company')}
  RETURN collect(DISTINCT m) AS members
}}
CALL (members) {{
  UNWIND members AS m
  OPTIONAL MATCH (m)<-[:FOR]-(d:Deal) WHERE {readable('d', 'Deal')}
  RETURN sum(CASE WHEN d.status = 'open' THEN d.amount ELSE 0 END) AS open_pipeline,
         sum(CASE WHEN d.status = 'open' THEN d.amount * coalesce(d.probability, 0) ELSE 0 END) AS weighted_pipeline,
         sum(CASE WHEN d.status = 'won' AND d.closed_at >= date() - duration('P12M') THEN d.amount ELSE 0 END)
           AS won_revenue_12m
}}
CALL (members) {{
  UNWIND members AS m
  OPTIONAL MATCH (m)<-[:FOR]-(t:Ticket) WHERE t.status IN {_OPEN_TICKET} AND {readable('t', 'Ticket')}
  RETURN count(t) AS open_tickets,
         count(CASE WHEN t.sla_due_at < datetime() THEN 1 END) AS sla_breaches
}}
CALL (members) {{
  UNWIND members AS m
  OPTIONAL MATCH (m)<-[w:WORKS_AT]-(p:Person) WHERE (w.until IS NULL OR w.until > date()) AND {readable('p', 'Person')}
  RETURN count(DISTINCT p) AS contacts
}}
CALL (members) {{
  UNWIND members AS m
  OPTIONAL MATCH (m)<-[:ABOUT]-(i:Interaction) WHERE {readable('i', 'Interaction')}
  RETURN max(i.at) AS last_about
}}
CALL (members) {{
  UNWIND members AS m
  OPTIONAL MATCH (m)<-[:WORKS_AT]-(:Person)<-[:INVOLVED]-(i:Interaction) WHERE {readable('i', 'Interaction')}
  RETURN max(i.at) AS last_involved
}}
"""

_FAMILY_MAP = ("{companies: size(members), open_pipeline: open_pipeline, weighted_pipeline: weighted_pipeline, "
               "won_revenue_12m: won_revenue_12m, open_tickets: open_tickets, sla_breaches: sla_breaches, "
               "contacts: contacts, last_interaction_at: CASE WHEN last_about IS NULL OR last_involved > last_about "
               "THEN last_involved ELSE last_about END}")

FAMILY_ROLLUPS = f"""
UNWIND $uids AS uid
MATCH (c:Company {{uid: uid}}) WHERE {readable('c', 'Company')}
{_FAMILY_BODY}RETURN uid, size(members) AS companies, open_pipeline, weighted_pipeline, won_revenue_12m, open_tickets,
       sla_breaches, contacts,
       CASE WHEN last_about IS NULL OR last_involved > last_about THEN last_involved ELSE last_about END
         AS last_interaction_at
"""

# ---- network canvas -------------------------------------------------------------------------------

NETWORK_REL_TYPES = ("WORKS_AT", "REPORTS_TO", "KNOWS", "SUBSIDIARY_OF", "ACCOUNT_TEAM", "BOARD_MEMBER_OF",
                     "ON_COMMITTEE", "FOR", "OWNS_SHARE", "PARTNER_OF", "SUPPLIES", "COMPETES_WITH", "OWNS")
_TYPES = "|".join(NETWORK_REL_TYPES)
_NETWORK_LABELS = "s:Company OR s:Person OR s:User OR s:Deal OR s:Ticket"


@cache
def network(depth: int) -> str:
    """Nodes within ``depth`` (1..3, a whitelist) hops of $uid over the canvas relationship types,
    at most $limit of them, and every canvas relationship among them."""
    if depth not in (1, 2, 3):  # formatted into Cypher: checked even under python -O
        raise ValueError("network depth is 1, 2 or 3")
    return f"""
MATCH (s {{uid: $uid}}) WHERE ({_NETWORK_LABELS}) AND {readable('s')}
CALL (s) {{
  MATCH path = (s)-[:{_TYPES}*1..{depth}]-(o)
  WHERE o <> s AND all(n IN nodes(path) WHERE {readable('n')})
  WITH DISTINCT o LIMIT $limit_plus_one
  RETURN collect(o) AS others
}}
WITH s, others[..$limit] AS kept, size(others) > $limit AS truncated
WITH [s] + kept AS ns, truncated
CALL (ns) {{
  UNWIND ns AS a
  MATCH (a)-[r:{_TYPES}]->(b)
  WHERE b IN ns
  RETURN collect(DISTINCT {{id: elementId(r), source: a.uid, target: b.uid, type: type(r),
                            properties: properties(r)}}) AS edges
}}
RETURN [n IN ns | {{node: properties(n), labels: labels(n)}}] AS nodes, edges, truncated
"""


# ---- 360° look-ahead: a whole selection in one query -------------------------------------------------
#
# ``compile_view(label, plan)`` turns a selection plan (built by the GraphQL layer from the requested
# fields) into ONE query, as Neo4j's own GraphQL library does: a CALL subquery per requested relation,
# nested for the relations requested on its rows. Relation bodies are the RELATIONS above with their
# variables renamed per level (s -> v<d>, r -> r<d+1>, o -> v<d+1>); every page's window and filter values
# travel as parameters named after the plan entry's key.
#
# A plan is a tuple of entries ``(key, kind, name, args, subplan, fields)``: kind "rel" (all rows of
# relation ``name``), "page" (args = (reverse, filter names); parameters $skip_<key>, $limit_<key>,
# $<key>_<filter>), "parent_chain", "reporting_chain" or "family_rollup" (name and args unused, no
# subplan). ``fields``: the property names to return for the rows' nodes (identifiers taken from the
# GraphQL types, never from the request), or None for all of them: returning only what was asked keeps
# the driver from decoding (costly) temporal values nobody reads.

_VARS = re.compile(r"\b([sro])\b")

_PARENT_CHAIN_OF = """
CALL ({v}) {{
  OPTIONAL MATCH path = ({v})-[:SUBSIDIARY_OF*1..12]->(:Company)
    WHERE all(rel IN relationships(path) WHERE coalesce(rel.share, rel.share_min, 1.0) > 0.5
                                             AND (rel.until IS NULL OR rel.until > date()))
      AND all(n IN nodes(path) WHERE """ + readable("n", "Company").replace("{", "{{").replace("}", "}}") + """)
  WITH path ORDER BY length(path) DESC LIMIT 1
  RETURN CASE WHEN path IS NULL THEN [] ELSE [n IN tail(nodes(path)) | properties(n)] END AS {out}
}}
"""

_REPORTING_CHAIN_OF = """
CALL ({v}) {{
  OPTIONAL MATCH path = ({v})-[:REPORTS_TO*1..15]->(:Person)
    WHERE all(rel IN relationships(path) WHERE coalesce(rel.kind, 'solid') = 'solid'
                                             AND (rel.until IS NULL OR rel.until > date()))
      AND all(n IN nodes(path) WHERE """ + readable("n", "Person").replace("{", "{{").replace("}", "}}") + """)
  WITH path ORDER BY length(path) DESC LIMIT 1
  RETURN CASE WHEN path IS NULL THEN [] ELSE [n IN tail(nodes(path)) | properties(n)] END AS {out}
}}
"""


def _rename(text: str, depth: int) -> str:
    names = {"s": f"v{depth}", "r": f"r{depth + 1}", "o": f"v{depth + 1}"}
    return _VARS.sub(lambda m: names[m.group(1)], text)


def _item(depth: int, plan: tuple, fields: tuple[str, ...] | None) -> str:
    sub = ", ".join(f"{key}: x_{key}" + (f", t_{key}: t_{key}" if kind == "page" else "")
                    for key, kind, *_ in plan)
    if fields is None:
        node = f"properties(v{depth})"
    else:
        if not all(f.isidentifier() for f in fields):
            raise ValueError(f"not property names: {fields!r}")
        node = f"v{depth} {{{', '.join('.' + f for f in fields)}}}"
    return (f"{{rel: CASE WHEN r{depth} IS NULL THEN null ELSE properties(r{depth}) END, "
            f"node: {node}, labels: labels(v{depth}), sub: {{{sub}}}}}")


def _calls(depth: int, plan: tuple) -> str:
    v, parts = f"v{depth}", []
    for key, kind, name, args, subplan, fields in plan:
        if kind == "parent_chain":
            parts.append(_PARENT_CHAIN_OF.format(v=v, out=f"x_{key}"))
            continue
        if kind == "reporting_chain":
            parts.append(_REPORTING_CHAIN_OF.format(v=v, out=f"x_{key}"))
            continue
        if kind == "family_rollup":
            parts.append(f"CALL ({v}) {{ WITH {v} AS c {_FAMILY_BODY} RETURN {_FAMILY_MAP} AS x_{key} }}\n")
            continue
        _, body, order = RELATIONS[name]
        body, inner = _rename(body, depth), _calls(depth + 1, subplan)
        row = f"r{depth + 1}, v{depth + 1}"
        body = f"{body} WITH {row} WHERE {visible_rows(name, f'v{depth + 1}')}"
        if kind == "rel":
            parts.append(f"CALL ({v}) {{ {body} WITH {row} ORDER BY {_rename(order, depth)}\n{inner}"
                         f"RETURN collect({_item(depth + 1, subplan, fields)}) AS x_{key} }}\n")
            continue
        reverse, filters = args
        if reverse:
            order = ", ".join(_flip(part) for part in order.split(","))
        where = " AND ".join(RELATION_FILTERS[f].replace(f"${f}", f"${key}_{f}") for f in filters) or "true"
        where = _rename(where, depth)
        parts.append(f"CALL ({v}) {{ {body} WITH {row} WHERE {where} RETURN count(v{depth + 1}) AS t_{key} }}\n")
        parts.append(f"CALL ({v}) {{ {body} WITH {row} WHERE {where} WITH {row} ORDER BY {_rename(order, depth)} "
                     f"SKIP $skip_{key} LIMIT $limit_{key}\n{inner}"
                     f"RETURN collect({_item(depth + 1, subplan, fields)}) AS x_{key} }}\n")
    return "".join(parts)


@lru_cache(maxsize=256)
def compile_view(label: str, plan: tuple) -> str:
    """One query for node $uid of ``label`` and everything ``plan`` asks below it (see above)."""
    if label not in NODE_LABELS:
        raise ValueError(f"unknown label {label!r}")
    sub = ", ".join(f"{key}: x_{key}" + (f", t_{key}: t_{key}" if kind == "page" else "")
                    for key, kind, *_ in plan)
    return f"MATCH (v0:{label} {{uid: $uid}}) WHERE {readable('v0', label)}\n{_calls(0, plan)}RETURN properties(v0) AS node, {{{sub}}} AS sub\n"
