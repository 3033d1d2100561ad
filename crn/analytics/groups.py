"""Implicit company groups: companies tied by shared directors, executives or common minority owners."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

__all__ = ["TIE_WEIGHTS", "Tie", "PossibleGroup", "tie_graph", "implicit_groups"]

#: how much one shared binder of each kind ties two companies together
TIE_WEIGHTS = {"board": 1.0, "executive": 1.0, "owner": 0.8}


@dataclass(frozen=True)
class Tie:
    """Why two companies look related: ``binder`` (a person or owner) of ``kind`` links both."""

    a: Hashable
    b: Hashable
    kind: str
    binder: Hashable
    label: str


@dataclass
class PossibleGroup:
    """A community of companies with the ties that bind them and its internal tie weight."""

    companies: list[Hashable]
    ties: list[Tie] = field(default_factory=list)
    weight: float = 0.0


def tie_graph(affiliations: Iterable[tuple[Hashable, str, str, Hashable]], *, max_fanout: int = 25) -> nx.Graph:
    """Company graph from affiliations ``(binder, label, kind, company)``.

    Parameters
    ----------
    affiliations : iterable of tuple
        ``(binder id, binder label, kind, company)`` with kind in :data:`TIE_WEIGHTS` (``board``: sits
        on the board, ``executive``: C-level or VP there, ``owner``: holds a stake below control).
    max_fanout : int, default 25
        Binders tied to more companies are ignored (a fund holding 300 stakes binds nothing).

    Returns
    -------
    networkx.Graph
        Companies as nodes; an edge per related pair with ``weight`` (sum of tie weights) and
        ``ties`` (list of :class:`Tie`).

    Examples
    --------
    >>> G = tie_graph([("p1", "Ann", "board", "A"), ("p1", "Ann", "board", "B"), ("o", "Fund", "owner", "B")])
    >>> list(G.edges(data="weight"))
    [('A', 'B', 1.0)]
    """
    by_binder: dict[tuple[Hashable, str], tuple[str, set]] = {}
    for binder, label, kind, company in affiliations:
        by_binder.setdefault((binder, kind), (label, set()))[1].add(company)
    G = nx.Graph()
    for (binder, kind), (label, companies) in sorted(by_binder.items(), key=lambda kv: str(kv[0])):
        if len(companies) > max_fanout:
            continue
        for a, b in combinations(sorted(companies, key=str), 2):
            if not G.has_edge(a, b):
                G.add_edge(a, b, weight=0.0, ties=[])
            G.edges[a, b]["weight"] += TIE_WEIGHTS.get(kind, 0.5)
            G.edges[a, b]["ties"].append(Tie(a, b, kind, binder, label))
    return G


def implicit_groups(G: nx.Graph, *, seed: int = 7, resolution: float = 1.0, min_size: int = 2) -> list[PossibleGroup]:
    """Possible groups: communities of the tie graph, each with the ties inside it.

    Parameters
    ----------
    G : networkx.Graph
        A graph from :func:`tie_graph`.
    seed : int, default 7
        Seed of the Louvain method (same seed, same groups).
    resolution : float, default 1.0
        Louvain resolution: above 1 favours smaller groups.
    min_size : int, default 2
        Smallest group reported.

    Returns
    -------
    list of PossibleGroup
        Largest internal weight first; companies sorted.

    Notes
    -----
    Communities come from the Louvain modularity method [1]_ on the weighted tie graph; a group is
    reported only with its binding ties, so a strategist can judge it.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of
       communities in large networks. J. Stat. Mech. P10008.
       https://doi.org/10.1088/1742-5468/2008/10/P10008

    Examples
    --------
    >>> aff = [("p1", "Ann", "board", "A"), ("p1", "Ann", "board", "B"),
    ...        ("p2", "Bob", "executive", "C"), ("p2", "Bob", "executive", "D")]
    >>> [g.companies for g in implicit_groups(tie_graph(aff))]
    [['A', 'B'], ['C', 'D']]
    """
    if G.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    groups = []
    for community in communities:
        if len(community) < min_size:
            continue
        sub = G.subgraph(community)
        ties = [t for _, _, data in sorted(sub.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
                for t in data["ties"]]
        weight = sum(w for _, _, w in sub.edges(data="weight"))
        groups.append(PossibleGroup(sorted(community, key=str), ties, weight))
    return sorted(groups, key=lambda g: (-g.weight, str(g.companies[0])))
