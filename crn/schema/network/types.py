"""GraphQL types of the graph as a whole: the network canvas (nodes, edges, a subgraph) and search hits."""

from __future__ import annotations

import strawberry

from crn.crm import views
from crn.schema.base import JSON, ClientError, encode_id
from crn.schema.common import jsonable
from crn.schema.workers import run_db


@strawberry.type(description="A node on the network canvas.")
class NetworkNode:
    id: strawberry.ID
    type: str
    label: str
    subtitle: str | None = None
    uid: str | None = None


@strawberry.type(description="A relationship on the network canvas; source/target are node ids.")
class NetworkEdge:
    id: str
    source: strawberry.ID
    target: strawberry.ID
    type: str
    label: str | None = None
    properties: JSON | None = None


@strawberry.type(description="A subgraph for the canvas; `truncated` when the limit cut it.")
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool


@strawberry.type(description="One full-text search hit.")
class SearchResult:
    id: strawberry.ID
    uid: str
    type: str
    name: str
    detail: str | None
    score: float


_NODE_LABEL = {"Company": ("name", "industry"), "Person": ("name", "title"), "User": ("name", "role"),
               "Deal": ("name", "stage"), "Ticket": ("subject", "status"), "Interaction": ("subject", "kind"),
               "Product": ("name", "category"), "Order": ("number", "status")}
_EDGE_LABEL = {"WORKS_AT": "title", "ON_COMMITTEE": "role", "ACCOUNT_TEAM": "role", "BOARD_MEMBER_OF": "role",
               "REPORTS_TO": "kind", "SUBSIDIARY_OF": "share", "OWNS_SHARE": "share", "KNOWS": "strength"}


async def network_of(uid: str, depth: int, limit: int) -> Network | None:
    """The canvas around a node (depth 1..3, limit 1..1000 nodes)."""
    if not 1 <= depth <= 3:
        raise ClientError("`depth` must be 1, 2 or 3", "invalid_depth")
    if not 1 <= limit <= 1000:
        raise ClientError("`limit` must be between 1 and 1000", "invalid_limit")
    net = await run_db(views.network, uid, depth, limit)
    if net is None:
        return None
    ids: dict[str, str] = {}
    nodes = []
    for label, node in net.nodes:
        gid = encode_id(label, node["uid"])
        ids[node["uid"]] = gid
        name_key, sub_key = _NODE_LABEL.get(label, ("name", None))
        sub = node.get(sub_key) if sub_key else None
        nodes.append(NetworkNode(id=strawberry.ID(gid), uid=node["uid"], type=label,
                                 label=str(node.get(name_key) or node["uid"]),
                                 subtitle=None if sub is None else str(sub)))
    edges = []
    for e in net.edges:
        if e["source"] not in ids or e["target"] not in ids:
            continue
        key = _EDGE_LABEL.get(e["type"])
        value = (e["properties"] or {}).get(key) if key else None
        edges.append(NetworkEdge(id=e["id"], source=strawberry.ID(ids[e["source"]]),
                                 target=strawberry.ID(ids[e["target"]]), type=e["type"],
                                 label=None if value is None else str(value),
                                 properties=jsonable(e["properties"])))
    return Network(nodes=nodes, edges=edges, truncated=net.truncated)
