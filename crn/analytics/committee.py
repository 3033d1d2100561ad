"""Buying committees: inferred roles with confidence and evidence, coverage, gaps and single-thread risk."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx

__all__ = [
    "DEFAULT_TEMPLATE", "ROLE_CAPS", "ROLE_ORDER", "SENIORITY_LEVEL", "Member", "Coverage", "Gap", "SingleThreadRisk",
    "role_scores", "infer_committee", "committee_coverage", "committee_gaps", "single_thread_risks",
]

DEFAULT_TEMPLATE = ("economic_buyer", "decision_maker", "champion", "technical_evaluator")
#: how many members of each role a committee holds at most (declared roles are never capped)
ROLE_CAPS = {"economic_buyer": 1, "decision_maker": 1, "champion": 1, "technical_evaluator": 1,
             "procurement": 1, "influencer": 1, "user": 2, "blocker": 1}
SENIORITY_LEVEL = {"c_level": 1.0, "vp": 0.85, "director": 0.65, "manager": 0.45, "staff": 0.2, "unknown": 0.3}

_FINANCE = ("cfo", "finance", "financial", "budget", "controller", "treasur", "comptroller")
_EXECUTIVE = ("ceo", "chief executive", "president", "managing director", "general manager", "owner", "founder")
_TECHNICAL = ("cto", "cio", "engineer", "architect", "technical", "technology", "developer", "security",
              "infrastructure", "data", "it ", " it", "devops", "software", "systems")
_PROCUREMENT = ("procurement", "purchasing", "sourcing", "buyer", "vendor", "supply")
_HEAD = ("head", "chief", "vp", "vice president", "director")


@dataclass
class Member:
    """A committee member: role, confidence in [0, 1], whether declared, and the evidence."""

    person: Hashable
    role: str
    confidence: float
    declared: bool = False
    evidence: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    """Whether a template role is covered, and by whom."""

    role: str
    covered: bool
    member: Hashable | None = None


@dataclass
class Gap:
    """A missing role (or single-threading) with the best candidates ``(person, score)``."""

    role: str
    reason: str
    candidates: list[tuple[Hashable, float]] = field(default_factory=list)


@dataclass
class SingleThreadRisk:
    """Losing ``via`` cuts every path from our team to the people in ``lost``."""

    via: Hashable
    lost: list[Hashable]
    explanation: str


def _has(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


def _centrality(G: nx.Graph) -> tuple[dict, dict]:
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    if U.number_of_edges() == 0:
        zero = {n: 0.0 for n in U}
        return zero, zero
    pagerank = nx.pagerank(U, weight="weight")
    betweenness = nx.betweenness_centrality(U, normalized=True)
    top_pr = max(pagerank.values()) or 1.0
    return {n: v / top_pr for n, v in pagerank.items()}, betweenness


def role_scores(G: nx.DiGraph, *, sponsor: Hashable | None = None) -> dict[Hashable, dict[str, tuple[float, list[str]]]]:
    """Score every person of an account for every committee role, with the evidence for each score.

    Parameters
    ----------
    G : networkx.DiGraph
        The account's people. Nodes: ``name``, ``title``, ``seniority``, ``department``,
        ``engagement`` (strength of our best tie, 0..1), ``deal_touches`` / ``deal_meetings``
        (interactions about the deal, of which meetings), ``past_roles`` (``{role: count}`` in
        earlier deals). Edges: ``relation`` REPORTS_TO (person -> manager), KNOWS or MET (co-attended
        meetings), with an optional ``weight``.
    sponsor : node, optional
        The deal's sponsor (declared champion); default: the person most engaged on the deal.

    Returns
    -------
    dict
        ``{person: {role: (score, evidence)}}`` with scores in [0, 1].

    Notes
    -----
    Signals, each in [0, 1]: seniority, department and title keywords (finance, executive,
    technical, procurement), org-chart position (head of the sponsor's department, manager of the
    sponsor, span of control), engagement on the deal and with our team, and centrality in the
    account's internal network (PageRank [1]_ and betweenness [2]_ over reporting lines, KNOWS ties
    and meeting co-attendance). On a deal, a technical evaluator is the technical person most
    engaged on it and decision makers meet rather than write; people nobody engaged on the deal
    score at most a third. A role held in past deals adds 0.3.

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). The PageRank citation ranking:
       bringing order to the web. Stanford InfoLab Technical Report 1999-66.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of
       Mathematical Sociology 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("cfo", title="CFO", seniority="c_level", department="Finance", engagement=0.1)
    >>> G.add_node("eng", title="Lead Engineer", seniority="staff", department="IT", engagement=0.2)
    >>> G.add_edge("eng", "cfo", relation="REPORTS_TO")
    >>> s = role_scores(G)
    >>> max(s["cfo"], key=lambda r: s["cfo"][r][0]), max(s["eng"], key=lambda r: s["eng"][r][0])
    ('economic_buyer', 'technical_evaluator')
    """
    # Phase 1: org chart (reporting lines only), centrality (all internal ties), the deal's sponsor.
    lines = nx.DiGraph((u, v) for u, v, r in G.edges(data="relation") if r == "REPORTS_TO")
    lines.add_nodes_from(G)
    span = {n: len(nx.ancestors(lines, n)) for n in lines}  # reports below (edges point upwards)
    pagerank, betweenness = _centrality(G)
    touches = {n: int(G.nodes[n].get("deal_touches") or 0) for n in G}
    on_deal = any(touches.values())
    most_touches = max(touches.values(), default=0) or 1
    if sponsor is None and len(G):
        sponsor = max(G, key=lambda n: (touches[n], G.nodes[n].get("engagement") or 0.0, str(n)))
    sponsor_dept = G.nodes[sponsor].get("department") if sponsor in G else None
    sponsor_chain = set(nx.descendants(lines, sponsor)) if sponsor in lines else set()
    biggest_span = max(span.values(), default=0) or 1
    scores: dict[Hashable, dict[str, tuple[float, list[str]]]] = {}
    for person, data in G.nodes(data=True):
        title = f" {(data.get('title') or '').lower()} "
        dept = data.get("department") or ""
        seniority = data.get("seniority") or "unknown"
        level = SENIORITY_LEVEL.get(seniority, 0.3)
        senior = seniority in ("c_level", "vp")
        engagement = float(data.get("engagement") or 0.0)
        share_of_touches = touches[person] / most_touches
        in_dept = bool(dept) and dept == sponsor_dept
        finance = _has(title, _FINANCE) or dept == "Finance"
        executive = _has(title, _EXECUTIVE) or dept == "Executive"
        technical = _has(title, _TECHNICAL) or dept in ("IT", "Engineering")
        procurement = _has(title, _PROCUREMENT) or dept == "Procurement"
        top = lines.out_degree(person) == 0 and span[person] > 0
        reach = span[person] / biggest_span
        central = 0.5 * pagerank.get(person, 0.0) + 0.5 * min(1.0, 2 * betweenness.get(person, 0.0))
        base = [f"title {data.get('title') or '?'} ({seniority}{', ' + dept if dept else ''})"]
        if touches[person]:
            base.append(f"{touches[person]} interaction(s) about the deal")
        role: dict[str, tuple[float, list[str]]] = {}

        def put(name: str, value: float, why: list[str]) -> None:
            role[name] = (max(0.0, min(1.0, value)), base + why)

        # Phase 2: one score per role, with the signals that raised it.
        put("economic_buyer",
            senior * (0.95 if finance else 0.9 if executive else 0.8 if in_dept else 0.5) + (not senior) * 0.2 * level
            + 0.05 * top,
            (["budget owner: finance head" if finance else "chief executive" if executive
              else "head of the sponsoring department"] if senior else [])
            + ([f"top of the org chart ({span[person]} reports below)"] if top else []))
        put("decision_maker",
            (0.85 if senior and in_dept else 0.75 if seniority == "director" and in_dept
             else 0.6 if person in sponsor_chain else 0.35 * level) + 0.1 * (reach > 0.3)
            + 0.1 * (int(data.get("deal_meetings") or 0) / touches[person] if touches[person] else 0.0),
            (["manager of the sponsor"] if person in sponsor_chain else [])
            + (["leads the sponsoring department"] if in_dept and seniority in ("c_level", "vp", "director") else []))
        put("champion",
            (0.55 * share_of_touches + 0.3 * (seniority in ("director", "manager")) + 0.15 * in_dept) if on_deal
            else 0.6 * engagement + 0.2 * (seniority in ("director", "manager", "vp")) + 0.2 * (person == sponsor),
            [f"engagement with our team {engagement:.2f}", *(["deal sponsor"] if person == sponsor else [])])
        put("technical_evaluator",
            technical * ((0.6 + 0.3 * min(1.0, touches[person] / 4)) if on_deal else 0.8)
            * (1.0 if seniority in ("director", "manager", "staff") else 0.5) + 0.1 * engagement,
            ["technical role"] if technical else [])
        put("procurement", procurement * (0.85 if seniority in ("director", "manager", "staff") else 0.4),
            ["procurement role"] if procurement else [])
        put("blocker",
            0.55 * (on_deal and not in_dept and seniority in ("director", "vp") and not executive
                    and not procurement),
            ["senior leader outside the sponsoring department"])
        put("influencer",
            max(0.6 * (in_dept and seniority in ("director", "manager")), 0.7 * central + 0.3 * engagement),
            [f"central in the account (pagerank {pagerank.get(person, 0.0):.2f}, "
             f"betweenness {betweenness.get(person, 0.0):.2f})"])
        put("user", 0.6 * (in_dept and seniority == "staff") + 0.2 * engagement,
            ["staff of the sponsoring department"] if in_dept and seniority == "staff" else [])
        # Phase 3: nobody engaged them on this deal; roles held in earlier deals.
        if on_deal and not touches[person]:
            role = {r: (v / 3, why + ["not engaged on this deal"]) for r, (v, why) in role.items()}
        for past, count in (data.get("past_roles") or {}).items():
            if past in role and count:
                value, why = role[past]
                role[past] = (min(1.0, value + 0.3), why + [f"{past} in {count} past deal(s)"])
        scores[person] = role
    return scores


#: the order roles are filled in (the scarcest, most decisive first)
ROLE_ORDER = ("economic_buyer", "decision_maker", "champion", "technical_evaluator", "procurement", "blocker",
              "influencer", "user")


def infer_committee(
    G: nx.DiGraph,
    *,
    declared: dict[Hashable, str] | None = None,
    min_confidence: float = 0.5,
    caps: dict[str, int] | None = None,
) -> list[Member]:
    """The buying committee: declared members, then the best-scoring people for each open role.

    Parameters
    ----------
    G : networkx.DiGraph
        The account's people (see :func:`role_scores`).
    declared : dict, optional
        ``{person: role}`` declared by users; they always win (confidence 1).
    min_confidence : float, default 0.5
        Inferred members need at least this score.
    caps : dict, optional
        Members per role (default :data:`ROLE_CAPS`); declared members count against them.

    Returns
    -------
    list of Member
        Declared members first, then inferred ones in :data:`ROLE_ORDER`.

    Notes
    -----
    Roles are filled one after the other in :data:`ROLE_ORDER`, each by the free people with the
    highest scores at or above ``min_confidence``. The sponsor is the declared champion when there
    is one.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("cfo", title="CFO", seniority="c_level")
    >>> G.add_node("dev", title="Software Engineer", seniority="staff", engagement=0.9)
    >>> [(m.person, m.role, m.declared) for m in infer_committee(G, declared={"dev": "champion"})]
    [('dev', 'champion', True), ('cfo', 'economic_buyer', False)]
    """
    declared = {p: r for p, r in (declared or {}).items()}
    caps = dict(ROLE_CAPS if caps is None else caps)
    sponsor = next((p for p, r in declared.items() if r == "champion" and p in G), None)
    scores = role_scores(G, sponsor=sponsor)
    members = [Member(p, r, 1.0, True, ["declared by a user"]) for p, r in declared.items()]
    taken = set(declared)
    for role in declared.values():
        caps[role] = max(0, caps.get(role, 0) - 1)
    for role in ROLE_ORDER:
        ranked = sorted(((roles[role][0], p) for p, roles in scores.items() if p not in taken and role in roles),
                        key=lambda x: (-x[0], str(x[1])))
        for score, person in ranked[:max(0, caps.get(role, 0))]:
            if score < min_confidence:
                break
            members.append(Member(person, role, round(score, 4), False, scores[person][role][1]))
            taken.add(person)
    return members


def committee_coverage(members: list[Member], template: Iterable[str] = DEFAULT_TEMPLATE) -> list[Coverage]:
    """Which template roles the committee covers (by its most confident member in that role).

    Parameters
    ----------
    members : list of Member
        From :func:`infer_committee`.
    template : iterable of str, default :data:`DEFAULT_TEMPLATE`
        The roles a healthy committee has.

    Returns
    -------
    list of Coverage
        One per template role, in template order.

    Examples
    --------
    >>> committee_coverage([Member("a", "champion", 0.9)], ["champion", "economic_buyer"])
    [Coverage(role='champion', covered=True, member='a'), Coverage(role='economic_buyer', covered=False, member=None)]
    """
    best: dict[str, Member] = {}
    for m in members:
        if m.role not in best or (m.declared, m.confidence) > (best[m.role].declared, best[m.role].confidence):
            best[m.role] = m
    return [Coverage(r, r in best, best[r].person if r in best else None) for r in template]


def committee_gaps(
    G: nx.DiGraph, members: list[Member], template: Iterable[str] = DEFAULT_TEMPLATE, *,
    risks: list[SingleThreadRisk] | None = None, top: int = 3,
) -> list[Gap]:
    """Uncovered template roles and single-threading, each with the best candidates.

    Parameters
    ----------
    G : networkx.DiGraph
        The account's people (see :func:`role_scores`).
    members : list of Member
        From :func:`infer_committee`.
    template : iterable of str
        Roles to cover.
    risks : list of SingleThreadRisk, optional
        From :func:`single_thread_risks`; each adds a ``single_threaded`` gap.
    top : int, default 3
        Candidates per gap.

    Returns
    -------
    list of Gap
        Candidates are people not yet on the committee with a positive score, best first.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("cfo", title="CFO", seniority="c_level")
    >>> [(g.role, g.reason, [c for c, _ in g.candidates]) for g in committee_gaps(G, [], ["economic_buyer"])]
    [('economic_buyer', 'no economic buyer engaged', ['cfo'])]
    """
    scores = role_scores(G)
    on = {m.person for m in members}
    gaps = []
    for c in committee_coverage(members, template):
        if c.covered:
            continue
        ranked = sorted(((p, round(s[c.role][0], 4)) for p, s in scores.items()
                         if p not in on and c.role in s and s[c.role][0] > 0),
                        key=lambda x: (-x[1], str(x[0])))
        gaps.append(Gap(c.role, f"no {c.role.replace('_', ' ')} engaged", ranked[:top]))
    for risk in risks or []:
        gaps.append(Gap("single_threaded", risk.explanation, []))
    return gaps


def single_thread_risks(G: nx.Graph, team: Iterable[Hashable], targets: Iterable[Hashable]) -> list[SingleThreadRisk]:
    """People (ours or theirs) whose loss cuts every path from our team to a decision maker.

    Parameters
    ----------
    G : networkx.Graph
        The relationship network (users and people; any ties).
    team : iterable
        Our users on the account.
    targets : iterable
        The decision makers (economic buyer, decision makers...).

    Returns
    -------
    list of SingleThreadRisk
        One per cut person, with every target lost, sorted by the number lost.

    Notes
    -----
    A single point of failure is a node whose removal disconnects a virtual node tied to the whole
    team from a target: a vertex cut of size one (by Menger's theorem, there is then only one
    independent path [1]_). Every such node lies on every path, so only the inner nodes of one
    shortest path are tested. A target reached only through one user makes that user the cut.

    References
    ----------
    .. [1] Even, S., & Tarjan, R. E. (1975). Network flow and testing graph connectivity. SIAM
       Journal on Computing 4(4), 507-518. https://doi.org/10.1137/0204043

    Examples
    --------
    >>> G = nx.Graph([("us1", "alice"), ("us2", "alice"), ("alice", "cfo"), ("cfo", "ceo"), ("us2", "ceo")])
    >>> [(r.via, r.lost) for r in single_thread_risks(G, ["us1", "us2"], ["cfo", "ceo"])]
    []
    >>> G.remove_edge("us2", "ceo")
    >>> [(r.via, r.lost) for r in single_thread_risks(G, ["us1", "us2"], ["cfo", "ceo"])]
    [('alice', ['ceo', 'cfo']), ('cfo', ['ceo'])]
    """
    team = [t for t in team if t in G]
    src = ("__team__",)
    H = nx.Graph(G.edges)
    H.add_nodes_from(G.nodes)
    H.add_edges_from((src, t) for t in team)
    lost_by: dict[Hashable, list[Hashable]] = {}
    if not team:
        return []
    reachable = nx.node_connected_component(H, src)
    for target in targets:
        if target not in reachable or target in team:
            continue
        # every cut vertex lies on every path, so checking the shortest path's inner nodes finds them all
        for v in nx.shortest_path(H, src, target)[1:-1]:
            rest = nx.restricted_view(H, [v], [])
            if not nx.has_path(rest, src, target):
                lost_by.setdefault(v, []).append(target)

    def name(n) -> str:
        return str(G.nodes[n].get("name") or n) if n in G else str(n)

    risks = [SingleThreadRisk(v, sorted(lost, key=str),
                              f"if {name(v)} leaves, we lose our only path to {', '.join(name(t) for t in sorted(lost, key=str))}")
             for v, lost in lost_by.items()]
    return sorted(risks, key=lambda r: (-len(r.lost), str(r.via)))
