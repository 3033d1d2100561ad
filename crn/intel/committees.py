"""Buying committees of a deal or an account: members, coverage, gaps with intro paths, single-thread risk."""

from __future__ import annotations

from dataclasses import dataclass, field

from crn.analytics import committee as algo
from crn.analytics.paths import IntroPath, intro_paths
from crn.graph import projections
from crn.graph.models import COMMITTEE_ROLES
from crn.intel import IntelError

__all__ = ["BuyingCommittee", "GapCandidate", "buying_committee", "DECISION_ROLES"]

#: roles whose loss of access is a single-thread risk
DECISION_ROLES = ("economic_buyer", "decision_maker")


@dataclass
class GapCandidate:
    """Someone who could fill a gap, how well they fit, and the best way to reach them."""

    person: str
    score: float
    path: IntroPath | None


@dataclass
class BuyingCommittee:
    """The committee with its coverage, gaps and risks; ``people`` maps uid -> {name, title}."""

    company: str
    deal: str | None
    members: list[algo.Member]
    coverage: list[algo.Coverage]
    gaps: list[tuple[algo.Gap, list[GapCandidate]]]
    risks: list[algo.SingleThreadRisk]
    template: list[str]
    people: dict[str, dict] = field(default_factory=dict)


def buying_committee(
    *, deal: str | None = None, company: str | None = None, template: list[str] | None = None,
    min_confidence: float = 0.5,
) -> BuyingCommittee | IntelError:
    """Infer the buying committee of a deal (or of an account with no deal) in one projection query."""
    if (deal is None) == (company is None):
        return IntelError("invalid_arguments", "give either a deal or a company", "dealId")
    template = list(template or algo.DEFAULT_TEMPLATE)
    unknown = [r for r in template if r not in COMMITTEE_ROLES]
    if unknown:
        return IntelError("invalid_template", f"unknown role(s): {', '.join(unknown)}", "template")
    account = projections.account_network(deal=deal, company=company)
    if account is None:
        return IntelError("not_found", f"no {'deal' if deal else 'company'} with uid {deal or company}",
                          "dealId" if deal else "companyId")
    # Phase 1: members (declared roles win), coverage.
    members = algo.infer_committee(account.people, declared=account.declared, min_confidence=min_confidence)
    coverage = algo.committee_coverage(members, template)
    # Phase 2: single-thread risk between our team and the decision makers.
    deciders = [m.person for m in members if m.role in DECISION_ROLES]
    risks = algo.single_thread_risks(account.network, account.team, deciders)
    # Phase 3: gaps, each candidate with its best intro path from the team.
    gaps = []
    for gap in algo.committee_gaps(account.people, members, template, risks=risks):
        candidates = []
        for person, score in gap.candidates:
            found = intro_paths(account.network, account.team, [person], k=1, max_hops=4)
            candidates.append(GapCandidate(person, score, found[0] if found else None))
        gaps.append((gap, candidates))
    people = {n: {"name": d.get("name"), "title": d.get("title"), "type": d.get("type", "Person")}
              for n, d in account.network.nodes(data=True)}
    return BuyingCommittee(account.company, account.deal, members, coverage, gaps, risks, template, people)
