"""Batched reads for 360° views: every function takes a list of uids and costs one round trip.

These are the building blocks of the GraphQL DataLoaders (and of any other reader that must not
issue a query per row): nodes by uid, related lists with their edge properties, pages of related
lists with totals, filtered lists, parent and reporting chains, family roll-ups and the network
canvas. Values come back as plain Python (``date``/``datetime`` instead of Neo4j temporal types).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crn.graph import db
from crn.graph.queries import views as q
from crn.graph.secrets import strip

NODE_LABELS = q.NODE_LABELS
RELATIONS = tuple(q.RELATIONS)
RELATION_FILTERS = tuple(q.RELATION_FILTERS)
LIST_FILTERS = q.LIST_FILTERS
LIST_SORTS = q.LIST_SORTS
JSON_PROPERTIES = ("stage_history", "preferences", "strength_parts")


def native(value: Any) -> Any:
    """Neo4j temporal values to Python ones, recursively through lists and dicts."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    return value


def props(node: dict[str, Any] | None) -> dict[str, Any] | None:
    """A node's or relationship's properties as Python values; JSON-string properties decoded, credentials
    (password and token hashes) left out, so no reader above the graph layer ever holds one."""
    if node is None:
        return None
    out = strip(native(node))
    for key in JSON_PROPERTIES:
        if isinstance(out.get(key), str):
            try:
                out[key] = json.loads(out[key])
            except ValueError:
                pass
    return out


@dataclass(frozen=True)
class Related:
    """One row of a related list: the other node, its label and the relationship's properties."""

    node: dict[str, Any]
    label: str
    rel: dict[str, Any] | None = None


@dataclass(frozen=True)
class Page:
    """A page of a list: the rows and the total number of rows the list holds."""

    total: int
    items: list[Any] = field(default_factory=list)


def _label(labels: list[str]) -> str:
    return next((l for l in labels if l in NODE_LABELS), labels[0] if labels else "")


def _related(item: dict) -> Related:
    return Related(node=props(item["node"]), label=_label(item["labels"]), rel=props(item["rel"]))


def nodes_by_uid(label: str, uids: list[str]) -> dict[str, dict[str, Any]]:
    """{uid: properties} of the ``label`` nodes among ``uids`` (missing uids are absent)."""
    if label not in NODE_LABELS:
        raise ValueError(f"unknown label {label!r}")
    rows = db.read(q.NODES_BY_UID[label], uids=list(uids))
    return {row["uid"]: props(row["node"]) for row in rows}


def any_nodes_by_uid(uids: list[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """{uid: (label, properties)} for crn nodes of any label."""
    rows = db.read(q.ANY_NODE_BY_UID, uids=list(uids), labels=list(NODE_LABELS))
    return {row["uid"]: (row["label"], props(row["node"])) for row in rows if row["label"]}


def related(name: str, uids: list[str]) -> dict[str, list[Related]]:
    """{uid: [Related]} for the named relation (see ``crn.graph.queries.views.RELATIONS``)."""
    rows = db.read(q.related(name), uids=list(uids))
    return {row["uid"]: [_related(i) for i in row["items"]] for row in rows}


def related_page(name: str, uids: list[str], skip: int, limit: int, reverse: bool = False,
                 **filters: Any) -> dict[str, Page]:
    """{uid: Page[Related]}: rows skip..skip+limit of the named relation (reversed order when asked)."""
    names = tuple(sorted(filters))
    unknown = set(names) - set(RELATION_FILTERS)
    if unknown:
        raise ValueError(f"unknown relation filters {sorted(unknown)}")
    rows = db.read(q.related_page(name, names, reverse), uids=list(uids), skip=skip, limit=limit, **filters)
    return {row["uid"]: Page(row["total"], [_related(i) for i in row["items"]]) for row in rows}


def list_nodes(label: str, filters: dict[str, Any], sort: str, descending: bool, skip: int, limit: int,
               custom: tuple[tuple[str, str, Any], ...] = ()) -> Page:
    """A filtered, sorted page of ``label`` nodes (filter and sort names from LIST_FILTERS/LIST_SORTS;
    ``custom`` conditions as (custom property, op, value), checked by :func:`crn.crm.fields.check_filters`)."""
    filters = {k: v for k, v in filters.items() if v is not None}
    unknown = set(filters) - set(LIST_FILTERS[label])
    if unknown or sort not in LIST_SORTS[label]:
        raise ValueError(f"unknown filters {sorted(unknown)} or sort {sort!r} for {label}")
    query = q.list_nodes(label, tuple(sorted(filters)), sort, descending, tuple((p, op) for p, op, _ in custom))
    row = db.read_one(query, skip=skip, limit=limit, **filters,
                      **{f"custom_{i}": value for i, (_, _, value) in enumerate(custom)})
    return Page(row["total"], [props(n) for n in row["items"]])


def parent_chains(uids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """{uid: [parent, grandparent, ..., ultimate parent]} along current majority-owned links."""
    return {row["uid"]: [props(n) for n in row["chain"]] for row in db.read(q.PARENT_CHAINS, uids=list(uids))}


def reporting_chains(uids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """{uid: [manager, their manager, ..., top]} along current solid reporting lines."""
    return {row["uid"]: [props(n) for n in row["chain"]] for row in db.read(q.REPORTING_CHAINS, uids=list(uids))}


def family_rollups(uids: list[str]) -> dict[str, dict[str, Any]]:
    """{uid: totals over the company and every company below it}: companies, open and weighted pipeline,
    won revenue of the last 12 months, open tickets, SLA breaches, current contacts, last interaction."""
    rows = db.read(q.FAMILY_ROLLUPS, uids=list(uids))
    return {row["uid"]: native({k: v for k, v in row.items() if k != "uid"}) for row in rows}


@dataclass(frozen=True)
class Network:
    """A subgraph for the canvas: nodes (label, properties), edges and whether the limit cut it."""

    nodes: list[tuple[str, dict[str, Any]]]
    edges: list[dict[str, Any]]
    truncated: bool


def network(uid: str, depth: int = 1, limit: int = 200) -> Network | None:
    """The neighbourhood of a node up to ``depth`` hops (1..3), at most ``limit`` nodes besides it."""
    depth = max(1, min(3, depth))
    row = db.read_one(q.network(depth), uid=uid, limit=limit, limit_plus_one=limit + 1)
    if row is None:
        return None
    nodes = [(_label(n["labels"]), props(n["node"])) for n in row["nodes"]]
    edges = [dict(e, properties=props(e["properties"])) for e in row["edges"]]
    return Network(nodes=nodes, edges=edges, truncated=row["truncated"])


@dataclass(frozen=True)
class View:
    """A node and what a look-ahead plan fetched below it: ``values`` by plan key (list[Related] for
    relations, Page for pages, list of properties for chains, a dict for roll-ups) and, for relations
    and pages, ``below``: the View of each row (same order as the rows)."""

    node: dict[str, Any] | None
    values: dict[str, Any] = field(default_factory=dict)
    below: dict[str, list[View]] = field(default_factory=dict)


def _unpack(node: dict | None, plan: tuple, sub: dict[str, Any]) -> View:
    values: dict[str, Any] = {}
    below: dict[str, list[View]] = {}
    for key, kind, _name, _args, subplan, _fields in plan:
        raw = sub[key]
        if kind in ("parent_chain", "reporting_chain"):
            values[key] = [props(n) for n in raw]
        elif kind == "family_rollup":
            values[key] = native(raw)
        else:
            items = [_related(i) for i in raw]
            values[key] = Page(sub[f"t_{key}"], items) if kind == "page" else items
            below[key] = [_unpack(item.node, subplan, i["sub"]) for item, i in zip(items, raw)]
    return View(node, values, below)


def view(label: str, uid: str, plan: tuple, params: dict[str, Any]) -> View | None:
    """The ``label`` node ``uid`` and everything ``plan`` asks below it, in one round trip (see
    ``crn.graph.queries.views.compile_view``); None when there is no such node."""
    if label not in NODE_LABELS:
        raise ValueError(f"unknown label {label!r}")
    rows = db.read_plain(q.compile_view(label, plan), uid=uid, **params)
    if not rows:
        return None
    return _unpack(props(rows[0]["node"]), plan, rows[0]["sub"])
