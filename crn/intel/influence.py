"""Influence analysis of a scope: key people, brokers, single-threaded accounts, decay and coverage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from crn.analytics.influence import influence_scores
from crn.analytics.strength import Touch, relationship_strength
from crn.config import STRENGTH_HALF_LIFE_DAYS_DEFAULT
from crn.graph import projections
from crn.intel import IntelError

__all__ = ["InfluencePerson", "InfluenceReport", "parse_scope", "influence_report"]

#: above this many nodes betweenness is estimated from a sample of pivots
EXACT_BETWEENNESS_LIMIT = 2000
#: pivots of the betweenness estimate above that size (each costs one breadth-first search of the network)
BETWEENNESS_PIVOTS = 64


@dataclass
class InfluencePerson:
    """One ranked person with the reason for the rank."""

    uid: str
    name: str
    company: str | None
    pagerank: float
    betweenness: float
    score: float
    is_broker: bool
    reason: str


@dataclass
class InfluenceReport:
    """Everything the influence report prints, with its scope, date and parameters."""

    scope: str
    generated_at: dt.datetime
    parameters: dict
    people: list[InfluencePerson] = field(default_factory=list)
    brokers: list[InfluencePerson] = field(default_factory=list)
    single_threaded: list[dict] = field(default_factory=list)
    decay: list[dict] = field(default_factory=list)
    coverage: list[dict] = field(default_factory=list)
    network_size: dict = field(default_factory=dict)


def parse_scope(scope: str) -> tuple[str, str | None] | IntelError:
    """``"company:<uid>"``, ``"family:<uid>"`` or ``"all"`` -> ``(kind, uid)``."""
    if scope == "all":
        return "all", None
    kind, _, uid = scope.partition(":")
    if kind not in ("company", "family") or not uid:
        return IntelError("invalid_scope", "scope must be company:<uid>, family:<uid> or all", "scope")
    return kind, uid


def influence_report(
    scope: str, *, limit: int = 50, decay_days: int = 90, min_drop: float = 0.1, seed: int = 7,
    now: dt.datetime | None = None, half_life_days: float = STRENGTH_HALF_LIFE_DAYS_DEFAULT,
) -> InfluenceReport | IntelError:
    """Build the influence report of a scope (company, corporate family or the whole network)."""
    parsed = parse_scope(scope)
    if isinstance(parsed, IntelError):
        return parsed
    kind, uid = parsed
    now = now or dt.datetime.now(dt.timezone.utc)
    companies: list[str] = []
    if kind == "company":
        companies = [uid]
    elif kind == "family":
        family = projections.corporate_family(uid, now=now)
        if family is None:
            return IntelError("not_found", f"no company with uid {uid}", "scope")
        companies = list(family[0].nodes)
    mode = "all" if kind == "all" else "companies"
    G, jobs = projections.influence_network(mode, companies)
    if kind == "company" and not jobs and not projections.company_names([uid]):
        return IntelError("not_found", f"no company with uid {uid}", "scope")
    report = InfluenceReport(scope, now, {"limit": limit, "decay_days": decay_days, "min_drop": min_drop,
                                          "seed": seed, "half_life_days": half_life_days})
    report.network_size = {"people": len(jobs), "users": sum(1 for _, d in G.nodes(data=True) if d.get("type") == "User"),
                           "ties": G.number_of_edges()}
    # Phase 1: key people and brokers (our users shape the network but are not ranked).
    people = {n for n, d in G.nodes(data=True) if d.get("type") == "Person"}
    sample = BETWEENNESS_PIVOTS if G.number_of_nodes() > EXACT_BETWEENNESS_LIMIT else None
    scores = influence_scores(G, seed=seed, sample=sample, include=people)
    ranked = [InfluencePerson(s.node, G.nodes[s.node].get("name") or s.node, (jobs.get(s.node) or {}).get("company"),
                              s.pagerank, s.betweenness, s.score, s.is_broker, s.reason) for s in scores]
    report.people = ranked[:limit]
    report.brokers = [p for p in ranked if p.is_broker][:limit]
    # Phase 2: accounts we reach through one person or one user only, and coverage per account.
    by_company: dict[str, dict] = {}
    for person, job in jobs.items():
        entry = by_company.setdefault(job["company_uid"], {"company": job["company_uid"], "name": job["company"],
                                                           "contacts": 0, "known": set(), "users": set()})
        entry["contacts"] += 1
        users = {n for n in G.neighbors(person) if G.nodes[n].get("type") == "User"}
        if users:
            entry["known"].add(person)
            entry["users"] |= users
    for entry in sorted(by_company.values(), key=lambda e: e["name"] or ""):
        known, users = sorted(entry["known"]), sorted(entry["users"])
        report.coverage.append({"company": entry["company"], "name": entry["name"], "contacts": entry["contacts"],
                                "known": len(known), "coverage": len(known) / entry["contacts"] if entry["contacts"] else 0.0})
        if len(known) == 1 or len(users) == 1:
            via = G.nodes[known[0]]["name"] if len(known) == 1 else G.nodes[users[0]]["name"]
            report.single_threaded.append({
                "company": entry["company"], "name": entry["name"], "known": len(known), "users": len(users),
                "explanation": f"all our access to {entry['name']} goes through {via}"})
    # Phase 3: relationships whose strength dropped over the period.
    half_life = half_life_days
    then = now - dt.timedelta(days=decay_days)
    for h in projections.scope_histories(mode, companies):
        touches = [Touch(at, k, d or "outbound") for at, k, d in h["touches"]]
        before = relationship_strength(touches, now=then, half_life_days=half_life).score
        after = relationship_strength(touches, now=now, half_life_days=half_life).score
        if before - after >= min_drop:
            report.decay.append({"user": h["user"], "user_name": h["user_name"], "person": h["person"],
                                 "person_name": h["person_name"], "before": round(before, 4),
                                 "after": round(after, 4), "drop": round(before - after, 4)})
    report.decay.sort(key=lambda d: -d["drop"])
    report.decay = report.decay[:limit]
    return report
