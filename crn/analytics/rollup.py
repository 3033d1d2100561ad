"""Corporate-family trees, roll-ups at every level (in full or weighted by share) and whitespace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from crn.analytics.ownership import Share, active_graph, controlled_companies, edge_share, effective_ownership

__all__ = ["ADDITIVE_METRICS", "FamilyMember", "Rollup", "Whitespace", "family_tree", "rollup", "whitespace"]

#: metrics that add up over a family (``last_interaction_at`` takes the maximum instead)
ADDITIVE_METRICS = (
    "open_pipeline", "weighted_pipeline", "won_revenue_12m", "open_tickets", "sla_breaches",
    "contacts", "known_contacts", "deals",
)


@dataclass
class FamilyMember:
    """One company of a family: its depth below the root, the root's effective share in it, and
    whether the root controls it; ``parent`` is its main parent inside the family (largest stake)."""

    company: Hashable
    depth: int
    effective_share: Share
    controlled: bool
    parent: Hashable | None


@dataclass
class Rollup:
    """A company's figures consolidated with everything below it (``companies`` counted)."""

    companies: int = 0
    open_pipeline: float = 0.0
    weighted_pipeline: float = 0.0
    won_revenue_12m: float = 0.0
    open_tickets: float = 0.0
    sla_breaches: float = 0.0
    contacts: float = 0.0
    known_contacts: float = 0.0
    deals: float = 0.0
    last_interaction_at: Any = None

    @property
    def coverage(self) -> float:
        """Share of the contacts that some user of ours knows (0 when there are no contacts)."""
        return self.known_contacts / self.contacts if self.contacts else 0.0


@dataclass(frozen=True)
class Whitespace:
    """A family member where we sell nothing (``missing``) while ``buying_siblings`` do."""

    company: Hashable
    missing: list[str] = field(default_factory=list)
    buying_siblings: list[Hashable] = field(default_factory=list)


def family_tree(
    G: nx.DiGraph, root: Hashable, *, threshold: float = 0.5, inclusive: bool = False,
    as_of: dt.date | None = None,
) -> list[FamilyMember]:
    """The companies below ``root``, with depth, effective share, control and main parent.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent).
    root : node
        The top of the family (usually the ultimate parent).
    threshold : float, default 0.5
        Control threshold (see :func:`crn.analytics.ownership.controlled_companies`).
    inclusive : bool, default False
        Whether a stake equal to the threshold is enough for control.
    as_of : datetime.date, optional
        Only edges active on that date count.

    Returns
    -------
    list of FamilyMember
        The root first (depth 0, share 1), then by depth and name of node.

    Notes
    -----
    Depth is the fewest ownership edges from the root; the main parent is the in-family parent with
    the largest stake (ties broken by node order) so the family prints as a tree even when a company
    has several parents.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=0.6)
    >>> G.add_edge("C", "B", share=0.3)
    >>> [(m.company, m.depth, m.effective_share.share, m.controlled, m.parent) for m in family_tree(G, "A")]
    [('A', 0, 1.0, True, None), ('B', 1, 0.6, True, 'A'), ('C', 2, 0.18, False, 'B')]
    """
    H = active_graph(G, as_of)
    # Phase 1: shares and control from the root's point of view.
    shares = effective_ownership(H, root)
    control = controlled_companies(H, root, threshold=threshold, inclusive=inclusive)
    # Phase 2: depths by breadth-first search downwards.
    depths = nx.single_source_shortest_path_length(H.reverse(copy=False), root)
    members = [FamilyMember(root, 0, Share(1.0, 1.0, 1.0), True, None)]
    for company in sorted((c for c in depths if c != root), key=lambda c: (depths[c], str(c))):
        parents = [p for p in H.successors(company) if p in depths]
        parent = max(parents, key=lambda p: (edge_share(H.edges[company, p]).share, str(p))) if parents else None
        share = shares.get(company, Share(0.0, 0.0, 0.0)).rounded(9)
        members.append(FamilyMember(company, depths[company], share, company in control, parent))
    return members


def rollup(
    G: nx.DiGraph,
    members: list[FamilyMember],
    metrics: Mapping[Hashable, Mapping[str, Any]],
    *,
    weighted: bool = False,
) -> dict[Hashable, Rollup]:
    """Consolidate each member's figures with all the companies below it.

    Parameters
    ----------
    G : networkx.DiGraph
        Ownership graph (child -> parent) the members came from.
    members : list of FamilyMember
        A family from :func:`family_tree`.
    metrics : mapping
        ``{company: {metric: value}}`` with any of :data:`ADDITIVE_METRICS` and
        ``last_interaction_at``; missing values count as zero (or None).
    weighted : bool, default False
        Weight each descendant's additive figures by the effective share the member holds in it
        (consolidation by share); otherwise each company below counts in full, once.

    Returns
    -------
    dict
        ``{company: Rollup}`` for every member.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("B", "A", share=0.5)
    >>> G.add_edge("C", "A", share=1.0)
    >>> members = family_tree(G, "A")
    >>> m = {"A": {"open_pipeline": 10}, "B": {"open_pipeline": 100}, "C": {"open_pipeline": 1}}
    >>> rollup(G, members, m)["A"].open_pipeline, rollup(G, members, m, weighted=True)["A"].open_pipeline
    (111.0, 61.0)
    """
    in_family = {m.company for m in members}
    sub = G.subgraph(in_family)
    result: dict[Hashable, Rollup] = {}
    for member in members:
        # Phase 1: who is below this member, and with which weight.
        if weighted:
            below = {c: s.share for c, s in effective_ownership(sub, member.company).items()}
        else:
            below = {c: 1.0 for c in nx.ancestors(sub, member.company)}  # ancestors in child->parent = descendants
        below[member.company] = 1.0
        # Phase 2: add up.
        total = Rollup(companies=len(below))
        for company, weight in below.items():
            figures = metrics.get(company, {})
            for name in ADDITIVE_METRICS:
                setattr(total, name, getattr(total, name) + weight * float(figures.get(name) or 0))
            last = figures.get("last_interaction_at")
            if last is not None and (total.last_interaction_at is None or last > total.last_interaction_at):
                total.last_interaction_at = last
        result[member.company] = total
    return result


def whitespace(members: list[FamilyMember], metrics: Mapping[Hashable, Mapping[str, Any]]) -> list[Whitespace]:
    """Family members with no deals or no contacts while a sibling buys from us.

    Parameters
    ----------
    members : list of FamilyMember
        A family from :func:`family_tree`.
    metrics : mapping
        ``{company: {"deals": n, "won_revenue_12m": x, "contacts": n, ...}}``.

    Returns
    -------
    list of Whitespace
        One entry per member with something missing whose siblings (same main parent) have deals or
        won revenue; ``missing`` lists ``"deals"`` and/or ``"contacts"``.

    Examples
    --------
    >>> G = nx.DiGraph([("B", "A"), ("C", "A")])
    >>> members = family_tree(G, "A")
    >>> whitespace(members, {"B": {"deals": 2, "contacts": 3}, "C": {"contacts": 1}})
    [Whitespace(company='C', missing=['deals'], buying_siblings=['B'])]
    """
    def buys(company) -> bool:
        figures = metrics.get(company, {})
        return bool(figures.get("deals") or figures.get("won_revenue_12m"))

    children: dict[Hashable, list[Hashable]] = {}
    for m in members:
        if m.parent is not None:
            children.setdefault(m.parent, []).append(m.company)
    found = []
    for m in members:
        if m.parent is None:
            continue
        figures = metrics.get(m.company, {})
        missing = [name for name in ("deals", "contacts") if not figures.get(name)]
        if not missing:
            continue
        buying = [s for s in children[m.parent] if s != m.company and buys(s)]
        if buying:
            found.append(Whitespace(m.company, missing, buying))
    return found
