"""IntelQuery: the relationship-intelligence fields the root Query inherits; resolvers stay thin."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from crn.intel import IntelError, committees, families, influence, paths, redact, strength
from crn.schema.base import ClientError, decode_id, encode_id
from crn.schema.intel import types as t
from crn.schema.permissions import AdminForWholeNetwork, IsAdmin, IsAuthenticated
from crn.schema.workers import run_db

AUTH = [IsAuthenticated]


def _ok(result):
    """Results pass through; expected failures become client errors with their code (not-found -> None)."""
    if isinstance(result, IntelError):
        if result.code == "not_found":
            return None
        raise ClientError(f"{result.field}: {result.message}" if result.field else result.message, result.code)
    return result


@strawberry.type
class IntelQuery:
    @strawberry.field(permission_classes=AUTH, description="The corporate family of a company: ultimate and "
                      "domestic ultimate parents, members with effective shares, control and roll-ups, JVs, cycles.")
    async def corporate_family(self, company_id: strawberry.ID, as_of: date | None = None, threshold: float = 0.5,
                               weighted: bool = False) -> t.CorporateFamily | None:
        _, uid = decode_id(company_id, "Company")
        if not await run_db(redact.readable, uid, "Company"):
            return None  # enforce (issue 13): a company you cannot read reads as a missing one
        result = _ok(await run_db(families.corporate_family, uid, as_of=as_of, threshold=threshold,
                                  weighted=weighted))
        return await run_db(redact.redacting, t.corporate_family_of, result) if result else None

    @strawberry.field(permission_classes=AUTH, description="The buying committee of a deal, or of an account "
                      "without a deal: members with evidence, coverage against the template, gaps, single-thread risks.")
    async def buying_committee(self, deal_id: strawberry.ID | None = None, company_id: strawberry.ID | None = None,
                               template: list[str] | None = None) -> t.BuyingCommittee | None:
        deal = decode_id(deal_id, "Deal")[1] if deal_id else None
        company = decode_id(company_id, "Company")[1] if company_id else None
        for uid, label in ((deal, "Deal"), (company, "Company")):
            if uid and not await run_db(redact.readable, uid, label):
                return None  # enforce (issue 13)
        result = _ok(await run_db(committees.buying_committee, deal=deal, company=company, template=template))
        return await run_db(redact.redacting, t.buying_committee_of, result) if result else None

    @strawberry.field(permission_classes=AUTH, description="The k best warm-introduction paths to a person or to "
                      "anyone at a company, from a user (default: you) or, with team, from anyone on the account team.")
    async def intro_paths(self, info: Info, to_id: strawberry.ID, from_id: strawberry.ID | None = None, k: int = 3,
                          max_hops: int = 4, team: bool = False) -> list[t.IntroPath]:
        to_label, to = decode_id(to_id, ("Person", "Company"))
        source_label, source = decode_id(from_id, ("User", "Person")) if from_id else ("User", info.context.user.uid)
        for uid, label in ((to, to_label), (source, source_label)):
            if not await run_db(redact.readable, uid, label):
                return []  # enforce (issue 13): no path to (or from) someone you cannot read
        result = _ok(await run_db(paths.intro_paths, to, from_user=source, team=team, k=k,
                                  max_hops=max_hops))
        if not result:
            return []
        return await run_db(redact.redacting, lambda: [t.intro_path_of(p, result.nodes) for p in result.paths])

    @strawberry.field(permission_classes=[AdminForWholeNetwork], description="Influence report of a scope: "
                      "company:<uid>, family:<uid> or all (admins only).")
    async def influence(self, info: Info, scope: str, limit: int = 50) -> t.InfluenceReport | None:
        if not 1 <= limit <= 500:
            raise ClientError("`limit` must be between 1 and 500", "invalid_limit")
        kind, _, scoped = scope.partition(":")
        if kind in ("company", "family") and scoped and not await run_db(redact.readable, scoped, "Company"):
            return None  # enforce (issue 13)
        result = _ok(await run_db(influence.influence_report, scope, limit=limit,
                                        half_life_days=info.context.settings.strength_half_life_days))
        return await run_db(redact.redacting, t.influence_report_of, result) if result else None

    @strawberry.field(permission_classes=AUTH, description="Relationship strength between a user or person and a "
                      "person, explained part by part.")
    async def relationship_strength(self, info: Info, a_id: strawberry.ID, b_id: strawberry.ID
                                    ) -> t.StrengthExplanation:
        a_label, a = decode_id(a_id, ("User", "Person"))
        b_label, b = decode_id(b_id, ("User", "Person"))
        for uid, label in ((a, a_label), (b, b_label)):
            if not await run_db(redact.readable, uid, label):
                raise ClientError(f"no {label.lower()} with id {encode_id(label, uid)}", "not_found")  # enforce
        return t.strength_of(await run_db(strength.explain_strength, a, b,
                                              half_life_days=info.context.settings.strength_half_life_days))

    @strawberry.field(permission_classes=[IsAdmin], description="Possible groups: companies tied by shared "
                      "directors, executives or minority owners, found by community detection, with the ties "
                      "(admins only: it runs over the whole network).")
    async def possible_groups(self, threshold: float = 0.5, seed: int = 7) -> list[t.PossibleGroup]:
        groups = await run_db(families.possible_groups, threshold=threshold, seed=seed)
        return [t.PossibleGroup(companies=[t._company(c["uid"], c["name"]) for c in g.companies],
                                ties=[x["explanation"] for x in g.ties], weight=g.weight,
                                links=[t.GroupTie(from_id=encode_id("Company", x["a"]), to_id=encode_id("Company", x["b"]),
                                                  kind=x["kind"], binder=str(x["label"]), explanation=x["explanation"])
                                       for x in g.ties]) for g in groups]
