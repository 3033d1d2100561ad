"""Warm-introduction paths: the k best paths from our team to a person, each hop explained."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

__all__ = ["RELATION_STRENGTH", "PathHop", "IntroPath", "edge_strength", "intro_paths"]

#: strength of ties that carry no measured strength of their own (KNOWS edges carry theirs)
RELATION_STRENGTH = {
    "KNOWS": 0.3,  # only when the edge has no computed strength
    "REPORTS_TO": 0.6,
    "WORKS_AT": 0.5,  # current colleagues (person - company - person)
    "WORKS_AT_FORMER": 0.3,  # former colleagues whose stints overlapped
    "BOARD_MEMBER_OF": 0.4,
}
_EPS = 1e-6


@dataclass
class PathHop:
    """One step of an introduction: who to whom, through which relation, how strong, and why."""

    frm: Hashable
    to: Hashable
    relation: str
    strength: float
    parts: dict | None = None
    last_interaction_at: Any = None
    via: Hashable | None = None
    explanation: str = ""


@dataclass
class IntroPath:
    """A path from one of our users to the target: ``cost = -sum(log strength)``, ``strength = exp(-cost)``."""

    cost: float
    strength: float
    hops: list[PathHop] = field(default_factory=list)

    @property
    def nodes(self) -> list[Hashable]:
        """The people on the path, source first."""
        return [self.hops[0].frm] + [h.to for h in self.hops] if self.hops else []


def edge_strength(data: dict) -> float:
    """Strength in (0, 1] of one projected edge (for a person-company edge: of that half of the tie).

    Parameters
    ----------
    data : dict
        Edge attributes: ``relation`` (a relationship type), ``strength`` (KNOWS), ``until``
        (a past employment is former).

    Returns
    -------
    float
        KNOWS: its stored strength (default :data:`RELATION_STRENGTH`); REPORTS_TO: 0.6; a
        WORKS_AT or BOARD_MEMBER_OF edge is half of a colleague tie, so it returns the square root of
        the tie strength (two halves multiply back to the tie).

    Examples
    --------
    >>> edge_strength({"relation": "KNOWS", "strength": 0.8})
    0.8
    >>> round(edge_strength({"relation": "WORKS_AT"}) ** 2, 6)
    0.5
    """
    relation = data.get("relation")
    if relation == "KNOWS":
        s = data.get("strength")
        return max(_EPS, min(1.0, float(s))) if s is not None else RELATION_STRENGTH["KNOWS"]
    if relation == "WORKS_AT":
        key = "WORKS_AT_FORMER" if data.get("until") is not None else "WORKS_AT"
        return math.sqrt(RELATION_STRENGTH[key])
    if relation == "BOARD_MEMBER_OF":
        return math.sqrt(RELATION_STRENGTH["BOARD_MEMBER_OF"])
    return RELATION_STRENGTH.get(relation, 0.2)


def _overlap(a: dict, b: dict) -> bool:
    """Whether two dated stints (since/until, None = open) overlap."""
    a_since, a_until, b_since, b_until = a.get("since"), a.get("until"), b.get("since"), b.get("until")
    starts_before_b_ends = a_since is None or b_until is None or a_since <= b_until
    b_starts_before_a_ends = b_since is None or a_until is None or b_since <= a_until
    return starts_before_b_ends and b_starts_before_a_ends


def _label(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("name") or node)


def _explain_direct(G: nx.Graph, a: Hashable, b: Hashable, data: dict, strength: float) -> PathHop:
    relation = data.get("relation")
    if relation == "KNOWS":
        last = data.get("last_interaction_at")
        when = f", last interaction {last:%Y-%m-%d}" if hasattr(last, "strftime") else ""
        text = f"{_label(G, a)} knows {_label(G, b)} (strength {strength:.2f}{when})"
    elif relation == "REPORTS_TO":
        lower = data.get("reporter", a)
        upper = b if lower == a else a
        text = f"{_label(G, lower)} reports to {_label(G, upper)}"
    else:
        text = f"{_label(G, a)} is tied to {_label(G, b)} ({relation})"
    return PathHop(a, b, relation, strength, data.get("parts"), data.get("last_interaction_at"), None, text)


def _explain_via(G: nx.Graph, a: Hashable, company: Hashable, b: Hashable) -> PathHop | None:
    left, right = G.edges[a, company], G.edges[company, b]
    kinds = {left.get("relation"), right.get("relation")}
    strength = edge_strength(left) * edge_strength(right)
    name = _label(G, company)
    if kinds == {"WORKS_AT"}:
        if not _overlap(left, right):
            return None  # worked there at different times: they never met there
        former = left.get("until") is not None or right.get("until") is not None
        relation = "FORMER_COLLEAGUE" if former else "COLLEAGUE"
        text = f"{_label(G, a)} and {_label(G, b)} {'worked' if former else 'work'} together at {name}"
    elif kinds == {"BOARD_MEMBER_OF"}:
        relation, text = "BOARD_PEER", f"{_label(G, a)} and {_label(G, b)} sit on the board of {name}"
    else:
        board = a if left.get("relation") == "BOARD_MEMBER_OF" else b
        other = b if board == a else a
        relation, text = "BOARD_AND_STAFF", f"{_label(G, board)} is on the board of {name}, where {_label(G, other)} works"
    return PathHop(a, b, relation, strength, None, None, company, text)


def _collapse(G: nx.Graph, nodes: list[Hashable]) -> list[PathHop] | None:
    hops, i = [], 0
    while i < len(nodes) - 1:
        a, b = nodes[i], nodes[i + 1]
        if G.nodes[b].get("type") == "Company":
            if i + 2 >= len(nodes):
                return None
            hop = _explain_via(G, a, b, nodes[i + 2])
            if hop is None:
                return None
            hops.append(hop)
            i += 2
        else:
            data = G.edges[a, b]
            hops.append(_explain_direct(G, a, b, data, edge_strength(data)))
            i += 1
    return hops


def intro_paths(
    G: nx.Graph,
    sources: Iterable[Hashable],
    targets: Iterable[Hashable],
    *,
    k: int = 3,
    max_hops: int = 4,
    max_candidates: int = 500,
) -> list[IntroPath]:
    """The k best introduction paths from any source to any target.

    Parameters
    ----------
    G : networkx.Graph
        The relationship network: nodes with ``type`` (User, Person, Company) and ``name``; edges
        with ``relation`` (KNOWS, REPORTS_TO, WORKS_AT, BOARD_MEMBER_OF) and their attributes
        (``strength``, ``parts``, ``last_interaction_at``; ``since``/``until`` on WORKS_AT).
        Companies are hubs: a person - company - person step is one hop (colleagues, board peers).
    sources : iterable
        Where paths start (one user, or everyone on the team).
    targets : iterable
        Where paths end (one person, or everyone at a company).
    k : int, default 3
        How many paths.
    max_hops : int, default 4
        Longest path, in hops between people.
    max_candidates : int, default 500
        Stop after examining this many candidate paths (bounds the time on dense graphs).

    Returns
    -------
    list of IntroPath
        Best (lowest cost) first; each hop explained.

    Notes
    -----
    The cost of a path is the sum of ``-log(strength)`` of its hops, so the cheapest path is the one
    whose strengths have the largest product. Candidates come in order of cost from Yen's k-shortest
    loopless paths [1]_ (``networkx.shortest_simple_paths``) between a virtual node tied to every source
    and one tied to every target; colleague hops through a company whose stints did not overlap,
    paths longer than ``max_hops``, paths through another target, and paths through the same people
    as a better one (by a weaker relation) are skipped.

    References
    ----------
    .. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network. Management Science
       17(11), 712-716. https://doi.org/10.1287/mnsc.17.11.712

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("u", "a", relation="KNOWS", strength=0.9)
    >>> G.add_edge("a", "t", relation="KNOWS", strength=0.8)
    >>> G.add_edge("u", "t", relation="KNOWS", strength=0.5)
    >>> [(p.nodes, round(p.strength, 2)) for p in intro_paths(G, ["u"], ["t"], k=2)]
    [(['u', 'a', 't'], 0.72), (['u', 't'], 0.5)]
    """
    sources = [s for s in sources if s in G]
    targets = [t for t in targets if t in G]
    if not sources or not targets or k < 1:
        return []
    # Phase 1: keep only nodes that can lie on a short enough path (each hop is at most 2 edges).
    src, dst = ("__source__",), ("__target__",)
    H = nx.Graph()
    H.add_edges_from((src, s) for s in sources)
    H.add_edges_from((t, dst) for t in targets)
    cutoff = 2 * max_hops + 2
    reach_s = nx.multi_source_dijkstra_path_length(G, set(sources), cutoff=cutoff - 1, weight=None)
    reach_t = nx.multi_source_dijkstra_path_length(G, set(targets), cutoff=cutoff - 1, weight=None)
    keep = {n for n, d in reach_s.items() if n in reach_t and d + reach_t[n] <= 2 * max_hops}
    sub = G.subgraph(keep)
    H.add_edges_from(sub.edges)
    for node in keep:
        H.nodes[node].update(G.nodes[node])

    def cost(u, v, _):
        if u in (src, dst) or v in (src, dst):
            return 0.0
        return -math.log(edge_strength(G.edges[u, v]))

    # Phase 2: candidates in cost order (Yen); keep valid ones within max_hops.
    target_set = set(targets)
    seen: set[tuple] = set()
    found: list[IntroPath] = []
    try:
        candidates = nx.shortest_simple_paths(H, src, dst, weight=cost)
        for examined, path in enumerate(candidates):
            if examined >= max_candidates or len(found) >= k:
                break
            people = path[1:-1]
            if any(H.nodes[n].get("type") == "Company" for n in (people[0], people[-1])):
                continue
            if len(people) - 1 > 2 * max_hops or any(n in target_set for n in people[:-1]):
                continue  # too long, or reaches a target before its end (a shorter path covers it)
            hops = _collapse(G, people)
            if not hops or len(hops) > max_hops:
                continue
            key = tuple([hops[0].frm] + [h.to for h in hops])
            if key in seen:
                continue  # the same people through a weaker relation: the better one is already listed
            seen.add(key)
            total = sum(-math.log(max(h.strength, _EPS)) for h in hops)
            found.append(IntroPath(total, math.exp(-total), hops))
    except nx.NetworkXNoPath:
        pass
    return found
