"""Neo4j subgraphs -> networkx graphs for the analytics: one query per analysis, bounded to its scope."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from crn.graph import db
from crn.graph.queries import intel as q

__all__ = [
    "AccountNetwork", "native", "corporate_family", "company_affiliations", "ownership_graph", "company_names",
    "relationship_network", "account_network", "all_interactions", "interactions_of_participants",
    "influence_network", "scope_histories", "node_types", "company_people", "team_for_targets",
    "all_active_users",
]


def native(value: Any) -> Any:
    """Neo4j temporal values as Python ones (``date``, ``datetime``); anything else unchanged."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _parts(raw: Any) -> dict | None:
    if raw is None or isinstance(raw, dict):
        return raw
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return None


def corporate_family(uid: str, *, now: dt.datetime | None = None) -> tuple[nx.DiGraph, dict[str, dict]] | None:
    """The ownership component around a company and each member's roll-up figures (one query).

    Returns ``(G, metrics)``: ``G`` has child -> parent edges with share, share_min, share_max,
    since, until, kind and nodes with name and country; ``metrics`` maps uid -> figures. None when
    the company does not exist.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    won_since = (now - dt.timedelta(days=365)).date()
    rows = db.read(q.CORPORATE_FAMILY, uid=uid, now=now, won_since=won_since)
    if not rows:
        return None
    G = nx.DiGraph()
    metrics: dict[str, dict] = {}
    for row in rows:
        G.add_node(row["uid"], name=row["name"], country=row["country"])
    for row in rows:
        for p in row["parents"]:
            data = {k: native(p[k]) for k in ("share", "share_min", "share_max", "since", "until", "kind")}
            if p["parent"] in G:
                G.add_edge(row["uid"], p["parent"], **data)
        figures = {k: row[k] for k in ("deals", "open_pipeline", "weighted_pipeline", "won_revenue_12m",
                                       "open_tickets", "sla_breaches", "contacts", "known_contacts")}
        figures["last_interaction_at"] = native(row["last_interaction_at"])
        metrics[row["uid"]] = figures
    return G, metrics


def company_affiliations(threshold: float = 0.5) -> list[tuple[str, str, str, str]]:
    """``(binder, label, kind, company)`` rows: board seats, executives, minority owners (one query)."""
    return [(r["binder"], r["label"], r["kind"], r["company"]) for r in db.read(q.AFFILIATIONS, threshold=threshold)]


def ownership_graph() -> nx.DiGraph:
    """Every ownership link in force, child -> parent (one query)."""
    G = nx.DiGraph()
    for r in db.read(q.ALL_OWNERSHIP):
        G.add_edge(r["child"], r["parent"], share=r["share"], share_min=r["share_min"], share_max=r["share_max"],
                   kind=r["kind"])
    return G


def company_names(uids: list[str]) -> dict[str, dict]:
    """``{uid: {"name", "country"}}`` for the given companies."""
    return {r["uid"]: {"name": r["name"], "country": r["country"]} for r in db.read(q.COMPANY_NAMES, uids=list(uids))}


def node_types(uids: list[str]) -> dict[str, dict]:
    """``{uid: {"type", "name"}}`` for users, people, companies and deals."""
    return {r["uid"]: {"type": r["type"], "name": r["name"]} for r in db.read(q.NODE_TYPES, uids=list(uids))}


def company_people(uid: str) -> list[str]:
    """The current employees of a company."""
    return [r["uid"] for r in db.read(q.COMPANY_PEOPLE, uid=uid)]


def team_for_targets(targets: list[str]) -> list[str]:
    """The users on the account teams of the targets' current employers."""
    return [r["uid"] for r in db.read(q.ACCOUNT_TEAM_OF_PEOPLE, targets=list(targets))]


def all_active_users() -> list[str]:
    """Every active user."""
    return [r["uid"] for r in db.read(q.ALL_ACTIVE_USERS)]


def relationship_network(sources: list[str], targets: list[str], *, depth: int = 4) -> nx.Graph:
    """The relationship network within ``depth`` edges of the sources or of the targets (one query).

    Nodes: users, people and companies (``type``, ``name``, ``title``); edges: KNOWS (strength,
    parts, last_interaction_at), REPORTS_TO (reporter), WORKS_AT and BOARD_MEMBER_OF (since, until).
    A path of up to ``2 * depth`` edges between a source and a target lies inside this union of balls.
    """
    depth = max(1, min(q.MAX_DEPTH, int(depth)))
    rows = db.read(q.NETWORK_BY_DEPTH[depth], sources=list(sources), targets=list(targets))
    G = nx.Graph()
    for row in rows:
        G.add_node(row["uid"], type=row["type"], name=row["name"], title=row["title"])
    for row in rows:
        a = row["uid"]
        for tie in row["ties"]:
            b = tie["to"]
            if b not in G or a == b:
                continue
            data = _edge_data(a, tie)
            if G.has_edge(a, b) and _rank(G.edges[a, b]) >= _rank(data):
                continue  # keep the stronger of parallel ties
            G.add_edge(a, b, **data)
    return G


def _edge_data(a: str, tie: dict) -> dict:
    relation = tie["type"]
    data: dict[str, Any] = {"relation": relation}
    if relation == "KNOWS":
        parts = _parts(tie.get("parts"))
        data.update(strength=tie.get("strength"), parts=parts)
        last = (parts or {}).get("last_interaction_at")
        if last:
            try:
                data["last_interaction_at"] = dt.datetime.fromisoformat(last)
            except ValueError:
                pass
    elif relation == "REPORTS_TO":
        data.update(reporter=a, kind=tie.get("kind"), until=native(tie.get("until")))
    else:
        data.update(since=native(tie.get("since")), until=native(tie.get("until")))
    return data


def _rank(data: dict) -> float:
    if data["relation"] == "KNOWS":
        return float(data.get("strength") or 0.3)
    return {"REPORTS_TO": 0.6, "WORKS_AT": 0.5 if data.get("until") is None else 0.3}.get(data["relation"], 0.4)


@dataclass
class AccountNetwork:
    """An account's people (``people``: org chart + internal ties + engagement), our team, every tie
    between our team and them (``network``) and the roles declared on the deal."""

    company: str
    company_name: str
    deal: str | None
    people: nx.DiGraph
    team: list[str]
    network: nx.Graph
    declared: dict[str, str] = field(default_factory=dict)


def account_network(*, deal: str | None = None, company: str | None = None) -> AccountNetwork | None:
    """Everything a buying committee needs for a deal or an account, in one query; None if unknown."""
    row = db.read_one(q.ACCOUNT_NETWORK, deal=deal, company=company)
    if row is None:
        return None
    people = nx.DiGraph()
    network = nx.Graph()
    declared: dict[str, str] = {}
    for p in row["people"]:
        past: dict[str, int] = {}
        for role in p["past_roles"]:
            past[role] = past.get(role, 0) + 1
        people.add_node(p["uid"], name=p["name"], title=p["title"], seniority=p["seniority"],
                        department=p["department"], past_roles=past, engagement=0.0, interactions=0,
                        deal_touches=p["deal_touches"], deal_meetings=p["deal_meetings"])
        network.add_node(p["uid"], type="Person", name=p["name"], title=p["title"])
        if p["declared"]:
            declared[p["uid"]] = p["declared"]
    team = []
    for u in row["team"]:
        team.append(u["uid"])
        network.add_node(u["uid"], type="User", name=u["name"])
    for t in row["internal"]:
        if t["a"] == t["b"]:
            continue
        people.add_edge(t["a"], t["b"], relation=t["type"], weight=float(t["strength"] or 0.5))
        network.add_edge(t["a"], t["b"], relation=t["type"], strength=t["strength"], reporter=t["a"])
    for t in row["external"]:
        a, b = t["a"], t["b"]
        network.add_node(a, type=t["a_type"], name=t["a_name"])
        parts = _parts(t["parts"])
        network.add_edge(a, b, relation="KNOWS", strength=t["strength"], parts=parts)
        if t["a_type"] == "User":
            node = people.nodes[b]
            node["engagement"] = max(node["engagement"], float(t["strength"] or 0.0))
            if a not in team:
                team.append(a)  # anyone of ours who knows them is on the team for reachability
        for u in t["via_users"]:
            network.add_node(u["uid"], type="User", name=u["name"])
            network.add_edge(u["uid"], a, relation="KNOWS", strength=u["strength"])
    for m in row["meetings"]:
        present = m["present"]
        if m["with_us"]:
            for p in present:
                people.nodes[p]["interactions"] += 1
        if m["kind"] in ("meeting", "visit", "call") and 1 < len(present) <= 8:
            for i, a in enumerate(present):
                for b in present[i + 1:]:
                    if a != b and not people.has_edge(a, b) and not people.has_edge(b, a):
                        people.add_edge(a, b, relation="MET", weight=0.5)
    return AccountNetwork(row["company"], row["company_name"], row["deal"], people, team, network, declared)


def all_interactions() -> list[tuple]:
    """``(at, kind, direction, users, people)`` for every interaction (one query)."""
    return [(native(r["at"]), r["kind"], r["direction"], r["users"], r["people"]) for r in db.read(q.ALL_INTERACTIONS)]


def interactions_of_participants(uid: str) -> list[tuple]:
    """The interactions shared by the participants of one interaction, restricted to them."""
    return [(native(r["at"]), r["kind"], r["direction"], r["users"], r["people"])
            for r in db.read(q.INTERACTIONS_OF_PARTICIPANTS, uid=uid)]


def influence_network(scope: str, companies: list[str]) -> tuple[nx.Graph, dict[str, dict]]:
    """The people of a scope (``"all"`` or some companies) with their ties and our users (one query).

    Returns ``(G, jobs)``; ``jobs`` maps a person to ``{"company", "company_uid"}``.
    """
    row = db.read_one(q.INFLUENCE_NETWORK, scope=scope, companies=list(companies))
    G = nx.Graph()
    jobs: dict[str, dict] = {}
    if row is None:
        return G, jobs
    for p in row["people"]:
        G.add_node(p["uid"], type="Person", name=p["name"], title=p["title"])
    for j in row["jobs"]:
        jobs.setdefault(j["p"], {"company": j["company"], "company_uid": j["company_uid"]})
        G.nodes[j["p"]]["company"] = j["company"]
    for u in row["users"]:
        G.add_node(u["uid"], type="User", name=u["name"])
    for t in row["ties"]:
        if t["a"] in G and t["b"] in G and t["a"] != t["b"]:
            G.add_edge(t["a"], t["b"], relation=t["type"], weight=float(t["strength"] or 0.3))
    return G, jobs


def scope_histories(scope: str, companies: list[str]) -> list[dict]:
    """User-person interaction histories in a scope: ``{user, user_name, person, person_name, touches}``."""
    rows = db.read(q.SCOPE_HISTORIES, scope=scope, companies=list(companies))
    for r in rows:
        r["touches"] = [(native(t["at"]), t["kind"], t["direction"]) for t in r["touches"]]
    return rows
