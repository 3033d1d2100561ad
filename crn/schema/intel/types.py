"""GraphQL types of relationship intelligence; each is built from a crn.intel result by a small function."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON

from crn.analytics.paths import IntroPath as IntroPathResult
from crn.intel.committees import BuyingCommittee as CommitteeResult
from crn.intel.families import CorporateFamily as FamilyResult
from crn.intel.influence import InfluenceReport as InfluenceResult
from crn.intel.redact import current as redactor
from crn.intel.strength import StrengthExplanation as StrengthResult
from crn.schema.accounts.types import Company, FamilyRollup
from crn.schema.base import encode_id
from crn.schema.common import build
from crn.schema.people.types import Person


# enforce (issue 13): every company, person and path node an analysis names goes through the answer's redactor
# (crn.intel.redact): records the viewer cannot read are named by what is shown instead, under a placeholder uid.

def _company(uid: str, name: str | None, country: str | None = None) -> Company:
    r = redactor()
    shown = r.shows(uid)
    return build(Company, {"uid": r.uid(uid), "name": r.name(uid, name or uid) if shown else r.name(uid, name),
                           "country": country if shown else None})


def _person(uid: str, info: dict | None) -> Person:
    info, r = info or {}, redactor()
    if not r.shows(uid):
        return build(Person, {"uid": r.uid(uid), "name": r.name(uid, info.get("name"))})
    return build(Person, {"uid": uid, "name": r.name(uid, info.get("name")) or uid, "title": info.get("title")})


def _path_node(uid: str, kind: str, name: str | None) -> "PathNode":
    r = redactor()
    shown = r.shows(uid)
    return PathNode(id=strawberry.ID(encode_id(kind, r.uid(uid))), uid=r.uid(uid),
                    name=(r.name(uid, name) or uid) if shown else r.name(uid, name), type=kind)


@strawberry.type(description="A direct ownership link in force on the as-of date (child SUBSIDIARY_OF parent).")
class FamilyEdge:
    child_id: strawberry.ID
    parent_id: strawberry.ID
    share: float | None
    share_min: float | None
    share_max: float | None
    kind: str | None
    since: date | None
    until: date | None


@strawberry.type(description="A company of a corporate family with its place, share, control and roll-up.")
class FamilyMember:
    company: Company
    depth: int
    effective_share: float
    effective_share_min: float
    effective_share_max: float
    controlled: bool
    is_joint_venture: bool
    parent_id: strawberry.ID | None
    rollup: FamilyRollup
    coverage: float = strawberry.field(description="Share of the contacts below this company that we know.")


@strawberry.type(description="An owner of a joint venture and its share.")
class JointVentureOwner:
    company: Company
    share: float


@strawberry.type(description="A company with several owners and no single controller.")
class JointVenture:
    company: Company
    owners: list[JointVentureOwner]


@strawberry.type(description="A member with no deals or contacts while its siblings buy.")
class Whitespace:
    company: Company
    missing: list[str]
    buying_siblings: list[Company]


@strawberry.type(description="A corporate family: ultimates, members with roll-ups, links, cycles and JVs.")
class CorporateFamily:
    ultimate_parent: Company
    domestic_ultimate: Company
    nodes: list[FamilyMember]
    edges: list[FamilyEdge]
    cycles: list[list[strawberry.ID]]
    joint_ventures: list[JointVenture]
    whitespace: list[Whitespace]
    as_of: date | None
    threshold: float
    weighted: bool


def corporate_family_of(f: FamilyResult) -> CorporateFamily:
    """The GraphQL view of a family."""
    cid = lambda uid: strawberry.ID(encode_id("Company", redactor().uid(uid)))  # noqa: E731
    nodes = []
    for n in f.nodes:
        r = n.rollup
        rollup = FamilyRollup(companies=r.companies, open_pipeline=r.open_pipeline, weighted_pipeline=r.weighted_pipeline,
                              won_revenue_12m=r.won_revenue_12m, open_tickets=round(r.open_tickets),
                              sla_breaches=round(r.sla_breaches), contacts=round(r.contacts),
                              last_interaction_at=r.last_interaction_at)
        nodes.append(FamilyMember(company=_company(n.uid, n.name, n.country), depth=n.depth,
                                  effective_share=n.effective_share, effective_share_min=n.share_min,
                                  effective_share_max=n.share_max, controlled=n.controlled,
                                  is_joint_venture=n.is_joint_venture, parent_id=cid(n.parent) if n.parent else None,
                                  rollup=rollup, coverage=r.coverage))
    return CorporateFamily(
        ultimate_parent=_company(f.ultimate_parent["uid"], f.ultimate_parent["name"]),
        domestic_ultimate=_company(f.domestic_ultimate["uid"], f.domestic_ultimate["name"]),
        nodes=nodes,
        edges=[FamilyEdge(child_id=cid(e.child), parent_id=cid(e.parent), share=e.share, share_min=e.share_min,
                          share_max=e.share_max, kind=e.kind, since=e.since, until=e.until) for e in f.edges],
        cycles=[[cid(u) for u in c] for c in f.cycles],
        joint_ventures=[JointVenture(company=_company(j["company"], j["name"]),
                                     owners=[JointVentureOwner(company=_company(o["uid"], o["name"]), share=o["share"])
                                             for o in j["owners"]]) for j in f.joint_ventures],
        whitespace=[Whitespace(company=_company(w["company"], w["name"]), missing=w["missing"],
                               buying_siblings=[_company(s, f.names.get(s)) for s in w["buying_siblings"]])
                    for w in f.whitespace],
        as_of=f.as_of, threshold=f.threshold, weighted=f.weighted)


@strawberry.type(description="A node on an intro path: one of our users, a person or a company.")
class PathNode:
    id: strawberry.ID
    uid: str
    name: str
    type: str


@strawberry.type(description="One step of an introduction, explained.")
class PathHop:
    from_: PathNode = strawberry.field(name="from")
    to: PathNode
    via: PathNode | None
    relation: str
    strength: float
    parts: JSON | None
    last_interaction_at: datetime | None
    explanation: str


@strawberry.type(description="A warm-introduction path: cost = -sum(log strength), strength = exp(-cost).")
class IntroPath:
    cost: float
    strength: float
    hops: list[PathHop]


def intro_path_of(path: IntroPathResult, nodes: dict[str, dict]) -> IntroPath:
    """The GraphQL view of one path; ``nodes`` maps uid -> {type, name}."""
    def node(uid):
        info = nodes.get(uid) or {}
        return _path_node(uid, info.get("type") or "Person", info.get("name"))

    return IntroPath(cost=path.cost, strength=path.strength, hops=[
        PathHop(from_=node(h.frm), to=node(h.to), via=node(h.via) if h.via else None, relation=h.relation,
                strength=h.strength, parts=h.parts,
                last_interaction_at=h.last_interaction_at if isinstance(h.last_interaction_at, datetime) else None,
                explanation=redactor().text(h.explanation)) for h in path.hops])


@strawberry.type(description="A member of an inferred buying committee, with its evidence.")
class CommitteeMemberInference:
    person: Person
    role: str
    confidence: float
    declared: bool
    evidence: list[str]


@strawberry.type(description="Whether a role of the template is covered, and by whom.")
class CommitteeCoverage:
    role: str
    covered: bool
    member: Person | None


@strawberry.type(description="Someone who could fill a gap and the best way to reach them.")
class GapCandidate:
    person: Person
    score: float
    path: IntroPath | None


@strawberry.type(description="A missing role or a single-threaded relationship, with the best candidates.")
class CommitteeGap:
    role: str
    reason: str
    candidates: list[GapCandidate]


@strawberry.type(description="Losing `via` cuts every path from our team to the people in `lost`.")
class SingleThreadRisk:
    via: PathNode
    lost: list[str]
    lost_people: list[Person]
    explanation: str


@strawberry.type(description="The buying committee of a deal or an account: members, coverage, gaps, risks.")
class BuyingCommittee:
    company: Company
    members: list[CommitteeMemberInference]
    coverage: list[CommitteeCoverage]
    gaps: list[CommitteeGap]
    single_thread_risks: list[SingleThreadRisk]
    template: list[str]


def buying_committee_of(c: CommitteeResult, company_name: str | None = None) -> BuyingCommittee:
    """The GraphQL view of a committee."""
    people = c.people
    name = lambda uid: (people.get(uid) or {}).get("name") or uid  # noqa: E731
    nodes = {uid: {"type": info.get("type") or "Person", "name": info.get("name")} for uid, info in people.items()}

    def path_node(uid):
        return _path_node(uid, nodes.get(uid, {}).get("type") or "Person", (people.get(uid) or {}).get("name"))

    return BuyingCommittee(
        company=_company(c.company, company_name),
        members=[CommitteeMemberInference(person=_person(m.person, people.get(m.person)), role=m.role,
                                          confidence=m.confidence, declared=m.declared,
                                          evidence=[redactor().text(e) for e in m.evidence])
                 for m in c.members],
        coverage=[CommitteeCoverage(role=cv.role, covered=cv.covered,
                                    member=_person(cv.member, people.get(cv.member)) if cv.member else None)
                  for cv in c.coverage],
        gaps=[CommitteeGap(role=g.role, reason=g.reason, candidates=[
            GapCandidate(person=_person(x.person, people.get(x.person)), score=x.score,
                         path=intro_path_of(x.path, nodes) if x.path else None) for x in candidates])
              for g, candidates in c.gaps],
        single_thread_risks=[SingleThreadRisk(via=path_node(r.via), lost=[redactor().name(t, name(t)) for t in r.lost],
                                              lost_people=[_person(t, people.get(t)) for t in r.lost],
                                              explanation=redactor().text(r.explanation)) for r in c.risks],
        template=c.template)


@strawberry.type(description="A person's influence: centralities, combined score, broker flag and the reason.")
class InfluenceScore:
    person: Person
    company: str | None
    pagerank: float
    betweenness: float
    score: float
    is_broker: bool
    reason: str


@strawberry.type(description="An account reached through one contact or one user only.")
class SingleThreadedAccount:
    company: Company
    known: int
    users: int
    explanation: str


@strawberry.type(description="A relationship whose strength dropped over the report's period.")
class DecayingRelationship:
    user_name: str
    person: Person
    before: float
    after: float
    drop: float


@strawberry.type(description="Share of an account's contacts someone of ours knows.")
class AccountCoverage:
    company: Company
    contacts: int
    known: int
    coverage: float


@strawberry.type(description="The influence report of a scope (company:<uid>, family:<uid> or all).")
class InfluenceReport:
    scope: str
    generated_at: datetime
    parameters: JSON
    people: list[InfluenceScore]
    brokers: list[InfluenceScore]
    single_threaded: list[SingleThreadedAccount]
    decay: list[DecayingRelationship]
    coverage: list[AccountCoverage]


def influence_report_of(r: InfluenceResult) -> InfluenceReport:
    """The GraphQL view of an influence report."""
    def score(p):
        return InfluenceScore(person=_person(p.uid, {"name": p.name}), company=redactor().text(p.company),
                              pagerank=p.pagerank, betweenness=p.betweenness, score=p.score, is_broker=p.is_broker,
                              reason=redactor().text(p.reason))

    return InfluenceReport(
        scope=r.scope, generated_at=r.generated_at, parameters=r.parameters,
        people=[score(p) for p in r.people], brokers=[score(p) for p in r.brokers],
        single_threaded=[SingleThreadedAccount(company=_company(s["company"], s["name"]), known=s["known"],
                                               users=s["users"], explanation=redactor().text(s["explanation"]))
                         for s in r.single_threaded],
        decay=[DecayingRelationship(user_name=d["user_name"], person=_person(d["person"], {"name": d["person_name"]}),
                                    before=d["before"], after=d["after"], drop=d["drop"]) for d in r.decay],
        coverage=[AccountCoverage(company=_company(c["company"], c["name"]), contacts=c["contacts"], known=c["known"],
                                  coverage=c["coverage"]) for c in r.coverage])


@strawberry.type(description="Relationship strength between two nodes, computed live from shared interactions.")
class StrengthExplanation:
    score: float
    recency: float
    frequency: float
    reciprocity: float
    channel: float
    interactions: int
    last_interaction_at: datetime | None
    stored: float | None = strawberry.field(description="The score stored on KNOWS at the last refresh.")
    stored_at: datetime | None


def strength_of(e: StrengthResult) -> StrengthExplanation:
    """The GraphQL view of a strength explanation."""
    s = e.strength
    return StrengthExplanation(score=s.score, recency=s.recency, frequency=s.frequency, reciprocity=s.reciprocity,
                               channel=s.channel, interactions=s.interactions, last_interaction_at=s.last_interaction_at,
                               stored=e.stored, stored_at=e.stored_at)


@strawberry.type(description="One tie binding two companies of a possible group: who or what binds them (a shared "
                             "director, executive or minority owner) and of which kind.")
class GroupTie:
    from_id: strawberry.ID
    to_id: strawberry.ID
    kind: str
    binder: str
    explanation: str


@strawberry.type(description="Companies that look like one group without an ownership link, and why.")
class PossibleGroup:
    companies: list[Company]
    ties: list[str]
    weight: float
    links: list[GroupTie] = strawberry.field(default_factory=list, description="The same ties, structured.")
