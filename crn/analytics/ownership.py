"""Corporate ownership: effective shares, control, ultimate parents, joint ventures and cross-holdings.

The ownership graph is a ``networkx.DiGraph`` whose edges point from a child company to an owner
(``child -> parent``, like ``SUBSIDIARY_OF``) with the attributes ``share``, ``share_min``,
``share_max`` (fractions in [0, 1], any may be missing), ``since``/``until`` (``datetime.date`` or
None) and ``kind``. Nodes may carry ``name`` and ``country``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

__all__ = [
    "Share",
    "JointVenture",
    "edge_share",
    "active_graph",
    "effective_ownership",
    "controlled_companies",
    "direct_controller",
    "ultimate_parent",
    "domestic_ultimate",
    "joint_ventures",
    "cross_holdings",
]

#: kinds of structural links that are wholly owned when no share is recorded
WHOLLY_OWNED_KINDS = ("branch", "division")


@dataclass(frozen=True)
class Share:
    """An ownership fraction with its known range: ``share`` is the best estimate."""

    share: float
    share_min: float
    share_max: float

    def rounded(self, digits: int = 6) -> Share:
        """The same share rounded (for display and exact comparisons)."""
        return Share(round(self.share, digits), round(self.share_min, digits), round(self.share_max, digits))


@dataclass(frozen=True)
class JointVenture:
    """A company with several owners and no single controller; ``owners`` are (owner, share) pairs."""

    company: Hashable
    owners: list[tuple[Hashable, float]] = field(default_factory=list)


def edge_share(data: dict) -> Share:
    """The share an ownership edge stands for, with its range.

    Parameters
    ----------
    data : dict
        Edge attributes (``share``, ``share_min``, ``share_max``, ``kind``).

    Returns
    -------
    Share
        Exact shares give a zero-width range; a range alone gives its midpoint; a branch or division
        without a share is wholly owned; a subsidiary without any figure is taken as controlled:
        estimate 1.0 within [0.5, 1.0].

    Examples
    --------
    >>> edge_share({"share": 0.6})
    Share(share=0.6, share_min=0.6, share_max=0.6)
    >>> edge_share({"share_min": 0.25, "share_max": 0.5})
    Share(share=0.375, share_min=0.25, share_max=0.5)
    >>> edge_share({"kind": "subsidiary"})
    Share(share=1.0, share_min=0.5, share_max=1.0)
    """
    share, lo, hi = data.get("share"), data.get("share_min"), data.get("share_max")
    if share is not None:
        return Share(float(share), float(lo if lo is not None else share), float(hi if hi is not None else share))
    if lo is not None or hi is not None:
        lo = float(lo if lo is not None else 0.0)
        hi = float(hi if hi is not None else 1.0)
        return Share((lo + hi) / 2, lo, hi)
    if data.get("kind") in WHOLLY_OWNED_KINDS:
        return Share(1.0, 1.0, 1.0)
    return Share(1.0, 0.5, 1.0)


def active_graph(G: nx.DiGraph, as_of: dt.date | None = None) -> nx.DiGraph:
    """The ownership edges in force on ``as_of`` (all edges when None).

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    as_of : datetime.date, optional
        Keep edges with ``since <= as_of`` (or no ``since``) and ``until > as_of`` (or no ``until``).

    Returns
    -------
    networkx.DiGraph
        A read-only subgraph view with every node and the active edges.

    Examples
    --------
    >>> import datetime as dt
    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=1.0, since=dt.date(2020, 1, 1), until=dt.date(2022, 1, 1))
    >>> G.add_edge("C", "A", share=1.0)
    >>> sorted(active_graph(G, dt.date(2023, 1, 1)).edges())
    [('C', 'A')]
    """
    if as_of is None:
        return G

    def keep(u, v) -> bool:
        data = G.edges[u, v]
        since, until = data.get("since"), data.get("until")
        return (since is None or since <= as_of) and (until is None or until > as_of)

    return nx.subgraph_view(G, filter_edge=keep)


def effective_ownership(
    G: nx.DiGraph, owner: Hashable, *, as_of: dt.date | None = None, max_depth: int | None = None
) -> dict[Hashable, Share]:
    """Effective share ``owner`` holds in each company below it.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    owner : node
        The owning company.
    as_of : datetime.date, optional
        Only edges active on that date count (see :func:`active_graph`).
    max_depth : int, optional
        Ignore paths longer than this many edges.

    Returns
    -------
    dict
        ``{company: Share}`` for every company reachable below ``owner`` (the owner itself excluded).
        Shares are capped at 1.

    Notes
    -----
    The effective share along one path is the product of the edge shares; over several paths the
    products are summed [1]_. Ranges are carried the same way (product of the minima, product of the
    maxima). Only simple paths are followed, so cross-holding cycles are counted once and never loop.

    References
    ----------
    .. [1] Vitali, S., Glattfelder, J. B., & Battiston, S. (2011). The network of global corporate
       control. PLoS ONE 6(10), e25995. https://doi.org/10.1371/journal.pone.0025995

    Examples
    --------
    A owns 60% of B and 100% of C; B owns 50% of D and C owns 30% of D:

    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=0.6)
    >>> G.add_edge("C", "A", share=1.0)
    >>> G.add_edge("D", "B", share=0.5)
    >>> G.add_edge("D", "C", share=0.3)
    >>> {k: v.rounded().share for k, v in sorted(effective_ownership(G, "A").items())}
    {'B': 0.6, 'C': 1.0, 'D': 0.6}
    """
    H = active_graph(G, as_of)
    totals: dict[Hashable, list[float]] = {}
    # Phase 1: depth-first over simple paths downwards (parent -> child is a predecessor in H).
    stack: list[tuple[Hashable, float, float, float, frozenset]] = [(owner, 1.0, 1.0, 1.0, frozenset([owner]))]
    while stack:
        node, s, lo, hi, seen = stack.pop()
        if max_depth is not None and len(seen) > max_depth:
            continue
        for child in H.predecessors(node):
            if child in seen:
                continue  # a cross-holding cycle: counted once, never looped
            share = edge_share(H.edges[child, node])
            cs, clo, chi = s * share.share, lo * share.share_min, hi * share.share_max
            acc = totals.setdefault(child, [0.0, 0.0, 0.0])
            acc[0] += cs
            acc[1] += clo
            acc[2] += chi
            stack.append((child, cs, clo, chi, seen | {child}))
    # Phase 2: cap at 1 (sums over cyclic paths can exceed it).
    return {c: Share(min(1.0, a[0]), min(1.0, a[1]), min(1.0, a[2])) for c, a in totals.items()}


def _exceeds(value: float, threshold: float, inclusive: bool) -> bool:
    return value >= threshold if inclusive else value > threshold


def controlled_companies(
    G: nx.DiGraph,
    owner: Hashable,
    *,
    threshold: float = 0.5,
    inclusive: bool = False,
    as_of: dt.date | None = None,
) -> set[Hashable]:
    """Companies ``owner`` controls, directly or through companies it controls.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    owner : node
        The owning company.
    threshold : float, default 0.5
        Control means holding more than this fraction (``>= threshold`` when ``inclusive``).
    inclusive : bool, default False
        Whether a stake equal to the threshold is enough (e.g. ``threshold=0.2, inclusive=True``).
    as_of : datetime.date, optional
        Only edges active on that date count.

    Returns
    -------
    set
        The controlled companies (the owner excluded).

    Notes
    -----
    Control is the fixed point of: a company is controlled when the shares held in it by the owner
    and by companies the owner already controls add up above the threshold (the usual "control
    chain" rule: stakes of controlled vehicles are aggregated, stakes of minority holdings are not).

    Examples
    --------
    A owns 40% of C directly and 100% of B, which owns 20% of C: together 60%, so A controls C.

    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=1.0)
    >>> G.add_edge("C", "A", share=0.4)
    >>> G.add_edge("C", "B", share=0.2)
    >>> sorted(controlled_companies(G, "A"))
    ['B', 'C']
    >>> sorted(controlled_companies(G, "A", threshold=0.7))
    ['B']
    """
    H = active_graph(G, as_of)
    controlled: set[Hashable] = set()
    group = {owner}
    changed = True
    while changed:
        changed = False
        candidates = {c for g in group for c in H.predecessors(g)} - group
        for c in candidates:
            held = sum(edge_share(H.edges[c, p]).share for p in H.successors(c) if p in group)
            if _exceeds(held, threshold, inclusive):
                controlled.add(c)
                group.add(c)
                changed = True
    return controlled


def direct_controller(
    G: nx.DiGraph, company: Hashable, *, threshold: float = 0.5, inclusive: bool = False,
    as_of: dt.date | None = None,
) -> Hashable | None:
    """The immediate parent controlling ``company`` (the largest stake above the threshold), or None.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    company : node
        The company whose controller is asked.
    threshold : float, default 0.5
        Control threshold.
    inclusive : bool, default False
        Whether a stake equal to the threshold is enough.
    as_of : datetime.date, optional
        Only edges active on that date count.

    Returns
    -------
    node or None
        The controlling parent; None for a top company or a joint venture.

    Notes
    -----
    When no single stake exceeds the threshold, the parent that controls the company together with
    the companies it controls (see :func:`controlled_companies`) is its controller.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=0.7)
    >>> G.add_edge("B", "X", share=0.3)
    >>> direct_controller(G, "B"), direct_controller(G, "A")
    ('A', None)
    >>> G.add_edge("D", "A", share=0.4)
    >>> G.add_edge("D", "B", share=0.2)
    >>> direct_controller(G, "D")
    'A'

    """
    H = active_graph(G, as_of)
    parents = {p: edge_share(H.edges[company, p]).share for p in H.successors(company)}
    best, best_share = None, -1.0
    for parent, share in parents.items():
        if _exceeds(share, threshold, inclusive) and share > best_share:
            best, best_share = parent, share
    if best is not None or len(parents) < 2:
        return best
    # No single stake is enough: a parent may still control through the companies it controls.
    for parent in sorted(parents, key=lambda p: (-parents[p], str(p))):
        group = controlled_companies(H, parent, threshold=threshold, inclusive=inclusive) | {parent}
        if company in group:
            return parent
    return None


def _control_chain(G: nx.DiGraph, company: Hashable, **options) -> list[Hashable]:
    chain, seen = [company], {company}
    while True:
        parent = direct_controller(G, chain[-1], **options)
        if parent is None or parent in seen:  # top reached, or a control cycle: stop, never loop
            return chain
        chain.append(parent)
        seen.add(parent)


def ultimate_parent(
    G: nx.DiGraph, company: Hashable, *, threshold: float = 0.5, inclusive: bool = False,
    as_of: dt.date | None = None,
) -> Hashable:
    """The global ultimate parent: the top of the chain of controlling parents.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    company : node
        The company asked about.
    threshold, inclusive, as_of
        As in :func:`direct_controller`.

    Returns
    -------
    node
        The highest controlling ancestor; ``company`` itself when nobody controls it.

    Notes
    -----
    The chain follows each company's direct controller; in a control cycle the walk stops at the
    first company already visited.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("C", "B", share=0.8)
    >>> G.add_edge("B", "A", share=0.9)
    >>> ultimate_parent(G, "C"), ultimate_parent(G, "C", threshold=0.85)
    ('A', 'C')
    """
    return _control_chain(G, company, threshold=threshold, inclusive=inclusive, as_of=as_of)[-1]


def domestic_ultimate(
    G: nx.DiGraph, company: Hashable, *, threshold: float = 0.5, inclusive: bool = False,
    as_of: dt.date | None = None,
) -> Hashable:
    """The domestic ultimate: the highest controlling ancestor in the company's own country.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent) whose nodes carry ``country``.
    company : node
        The company asked about.
    threshold, inclusive, as_of
        As in :func:`direct_controller`.

    Returns
    -------
    node
        The last company of the control chain whose country equals the company's; ``company``
        itself when no ancestor is in its country.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from([("C", {"country": "FR"}), ("B", {"country": "FR"}), ("A", {"country": "US"})])
    >>> G.add_edge("C", "B", share=1.0)
    >>> G.add_edge("B", "A", share=1.0)
    >>> domestic_ultimate(G, "C"), ultimate_parent(G, "C")
    ('B', 'A')
    """
    country = G.nodes[company].get("country")
    chain = _control_chain(G, company, threshold=threshold, inclusive=inclusive, as_of=as_of)
    domestic = company
    for node in chain:
        if G.nodes[node].get("country") == country:
            domestic = node
    return domestic


def joint_ventures(
    G: nx.DiGraph, *, threshold: float = 0.5, inclusive: bool = False, as_of: dt.date | None = None,
) -> list[JointVenture]:
    """Companies with two or more owners of which none controls them alone.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    threshold, inclusive, as_of
        As in :func:`direct_controller`.

    Returns
    -------
    list of JointVenture
        Sorted by company; owners by descending share. Edges of kind ``joint_venture`` mark a
        joint venture even when one stake exceeds the threshold.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("J", "A", share=0.5)
    >>> G.add_edge("J", "B", share=0.5)
    >>> G.add_edge("S", "A", share=0.9)
    >>> joint_ventures(G)
    [JointVenture(company='J', owners=[('A', 0.5), ('B', 0.5)])]
    """
    H = active_graph(G, as_of)
    found = []
    for company in sorted(H.nodes, key=str):
        parents = list(H.successors(company))
        if len(parents) < 2:
            continue
        declared = any(H.edges[company, p].get("kind") == "joint_venture" for p in parents)
        if declared or direct_controller(H, company, threshold=threshold, inclusive=inclusive) is None:
            owners = sorted(((p, edge_share(H.edges[company, p]).share) for p in parents),
                            key=lambda o: (-o[1], str(o[0])))
            found.append(JointVenture(company, owners))
    return found


def cross_holdings(G: nx.DiGraph, *, as_of: dt.date | None = None) -> list[list[Hashable]]:
    """Cross-holding cycles: groups of companies that own each other, directly or around a loop.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    as_of : datetime.date, optional
        Only edges active on that date count.

    Returns
    -------
    list of list
        Each strongly connected component with more than one company (or a company owning itself),
        members sorted; the list sorted by its first member.

    Notes
    -----
    Uses Tarjan's strongly connected components [1]_ (linear time), so cycles are reported, never
    followed.

    References
    ----------
    .. [1] Tarjan, R. (1972). Depth-first search and linear graph algorithms. SIAM Journal on
       Computing 1(2), 146-160. https://doi.org/10.1137/0201010

    Examples
    --------
    >>> G = nx.DiGraph([("A", "B"), ("B", "C"), ("C", "A"), ("D", "A")])
    >>> cross_holdings(G)
    [['A', 'B', 'C']]
    """
    H = active_graph(G, as_of)
    cycles = [sorted(c, key=str) for c in nx.strongly_connected_components(H)
              if len(c) > 1 or any(H.has_edge(n, n) for n in c)]
    return sorted(cycles, key=lambda c: str(c[0]))
