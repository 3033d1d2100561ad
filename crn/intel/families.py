"""Corporate families (group-level accounts): tree, control, ultimates, JVs, cycles, roll-ups, groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from crn.analytics import groups, ownership, rollup
from crn.graph import projections
from crn.intel import IntelError

__all__ = ["FamilyNode", "FamilyEdge", "CorporateFamily", "PossibleGroup", "corporate_family", "possible_groups"]


@dataclass
class FamilyNode:
    """A family member as shown: depth below the ultimate parent, effective share, control, roll-up."""

    uid: str
    name: str
    country: str | None
    depth: int
    effective_share: float
    share_min: float
    share_max: float
    controlled: bool
    is_joint_venture: bool
    parent: str | None
    rollup: rollup.Rollup


@dataclass
class FamilyEdge:
    """A direct ownership link (child -> parent) in force on the as-of date."""

    child: str
    parent: str
    share: float | None
    share_min: float | None
    share_max: float | None
    kind: str | None
    since: dt.date | None
    until: dt.date | None


@dataclass
class CorporateFamily:
    """The group a company belongs to, everything a strategist asks about it, and the options used."""

    company: str
    ultimate_parent: dict
    domestic_ultimate: dict
    nodes: list[FamilyNode]
    edges: list[FamilyEdge]
    cycles: list[list[str]]
    joint_ventures: list[dict]
    whitespace: list[dict]
    as_of: dt.date | None
    threshold: float
    weighted: bool
    names: dict[str, str] = field(default_factory=dict)

    def node(self, uid: str) -> FamilyNode | None:
        """The member with this uid, if any."""
        return next((n for n in self.nodes if n.uid == uid), None)


def corporate_family(
    company: str, *, as_of: dt.date | None = None, threshold: float = 0.5, inclusive: bool = False,
    weighted: bool = False, now: dt.datetime | None = None,
) -> CorporateFamily | IntelError:
    """The corporate family of ``company``: rooted at its ultimate parent, with roll-ups at every level.

    ``threshold``/``inclusive`` define control (default: more than 50%); ``as_of`` (default today)
    keeps the ownership links in force that day; ``weighted`` consolidates figures by effective share instead of in full.
    """
    if not 0.0 <= threshold <= 1.0:
        return IntelError("invalid_threshold", "threshold must be between 0 and 1", "threshold")
    projected = projections.corporate_family(company, now=now)
    if projected is None:
        return IntelError("not_found", f"no company with uid {company}", "companyId")
    G, metrics = projected
    as_of = as_of or (now or dt.datetime.now(dt.timezone.utc)).date()  # ended links never count today
    options = {"threshold": threshold, "inclusive": inclusive, "as_of": as_of}
    H = ownership.active_graph(G, as_of)
    # Phase 1: who is at the top, globally and at home.
    top = ownership.ultimate_parent(H, company, threshold=threshold, inclusive=inclusive)
    domestic = ownership.domestic_ultimate(H, company, threshold=threshold, inclusive=inclusive)
    # Phase 2: the tree below the top, its roll-ups, JVs, cycles and whitespace.
    members = rollup.family_tree(H, top, **options)
    rollups = rollup.rollup(H, members, metrics, weighted=weighted)
    jvs = ownership.joint_ventures(H, threshold=threshold, inclusive=inclusive)
    jv_set = {j.company for j in jvs}
    names = {n: G.nodes[n].get("name") or n for n in G}
    nodes = [FamilyNode(m.company, names[m.company], G.nodes[m.company].get("country"), m.depth,
                        m.effective_share.share, m.effective_share.share_min, m.effective_share.share_max,
                        m.controlled, m.company in jv_set, m.parent, rollups[m.company]) for m in members]
    in_family = {m.company for m in members}
    edges = [FamilyEdge(c, p, d.get("share"), d.get("share_min"), d.get("share_max"), d.get("kind"),
                        d.get("since"), d.get("until"))
             for c, p, d in H.edges(data=True) if c in in_family]
    cycles = ownership.cross_holdings(H)
    whitespace = [{"company": w.company, "name": names[w.company], "missing": w.missing,
                   "buying_siblings": w.buying_siblings} for w in rollup.whitespace(members, metrics)]
    return CorporateFamily(
        company=company,
        ultimate_parent={"uid": top, "name": names[top]},
        domestic_ultimate={"uid": domestic, "name": names[domestic]},
        nodes=nodes, edges=edges, cycles=cycles,
        joint_ventures=[{"company": j.company, "name": names[j.company],
                         "owners": [{"uid": o, "name": names.get(o, o), "share": s} for o, s in j.owners]}
                        for j in jvs if j.company in in_family or any(o in in_family for o, _ in j.owners)],
        whitespace=whitespace, as_of=as_of, threshold=threshold, weighted=weighted, names=names,
    )


@dataclass
class PossibleGroup:
    """Companies that look like one group without an ownership link, and why."""

    companies: list[dict]
    ties: list[dict]
    weight: float


def possible_groups(*, threshold: float = 0.5, seed: int = 7, max_fanout: int = 25) -> list[PossibleGroup]:
    """Implicit groups across the whole network: shared directors, executives, minority owners.

    Ties between companies of the same controlled family are dropped (the family already groups
    them); each group comes with the ties that bind it.
    """
    affiliations = projections.company_affiliations(threshold)
    G = groups.tie_graph(affiliations, max_fanout=max_fanout)
    # Ties inside one controlled family say nothing new: keep only ties across families.
    owners = projections.ownership_graph()
    top = {c: ownership.ultimate_parent(owners, c, threshold=threshold) if c in owners else c for c in G}
    G.remove_edges_from([(a, b) for a, b in list(G.edges) if top[a] == top[b]])
    G.remove_nodes_from([n for n in list(G) if G.degree(n) == 0])
    found = groups.implicit_groups(G, seed=seed)
    uids = sorted({c for g in found for c in g.companies})
    names = projections.company_names(uids) if uids else {}

    def label(uid: Any) -> str:
        return (names.get(uid) or {}).get("name") or str(uid)

    return [PossibleGroup([{"uid": c, "name": label(c)} for c in g.companies],
                          [{"a": t.a, "b": t.b, "kind": t.kind, "binder": t.binder, "label": t.label,
                            "explanation": f"{t.label} ({t.kind}) links {label(t.a)} and {label(t.b)}"}
                           for t in g.ties], g.weight) for g in found]
