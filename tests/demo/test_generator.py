"""The demo generator is pure and deterministic, and plants what it says it plants (no database)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from crn.demo.generator import SIZES, DemoGenerator
from crn.graph.models import COMMITTEE_ROLES

AS_OF = date(2026, 6, 30)


def _materialise(size: str = "small", seed: int = 7, batch_size: int = 10_000):
    gen = DemoGenerator(size, seed, AS_OF)
    return gen, list(gen.batches(batch_size))


@pytest.fixture(scope="module")
def small():
    return _materialise()


@pytest.fixture(scope="module")
def medium():
    return _materialise("medium", 7, batch_size=20_000)


def _rows(batches, kind_filter):
    return [row for b in batches if kind_filter(b.kind) for row in b.rows]


def test_same_seed_same_network_including_uids(small):
    _, first = small
    _, again = _materialise()
    assert [(b.kind, b.rows) for b in first] == [(b.kind, b.rows) for b in again]


def test_batch_size_changes_chunking_not_content(small):
    _, first = small
    _, chunked = _materialise(batch_size=500)
    assert max(len(b.rows) for b in chunked) <= 500

    def content(batches):
        return sorted((str(b.kind), repr(sorted(r.items()))) for b in batches for r in b.rows)

    assert content(first) == content(chunked)


def test_different_seeds_differ(small):
    _, first = small
    _, other = _materialise(seed=8)
    uids = {r["uid"] for b in first if not b.is_relationship for r in b.rows}
    other_uids = {r["uid"] for b in other if not b.is_relationship for r in b.rows}
    assert not uids & other_uids
    names = sorted(r["name"] for r in _rows(first, lambda k: k == "Company"))
    assert names != sorted(r["name"] for r in _rows(other, lambda k: k == "Company"))


def test_uids_and_unique_properties_are_unique(small):
    _, batches = small
    nodes = _rows(batches, lambda k: isinstance(k, str))
    assert len({r["uid"] for r in nodes}) == len(nodes)
    assert all(len(r["uid"]) == 32 for r in nodes)
    for kind, key in (("Person", "email"), ("User", "email"), ("Company", "domain"), ("Order", "number"),
                      ("Product", "sku")):
        values = [r[key] for r in _rows(batches, lambda k, kind=kind: isinstance(k, str) and k.split(":")[0] == kind)]
        assert len(values) == len(set(values)), kind


def test_nodes_come_before_relationships_that_use_them():
    gen = DemoGenerator("small", 7, AS_OF)
    seen: set[str] = set()
    for batch in gen.batches(300):
        if batch.is_relationship:
            missing = [r for r in batch.rows if r["a"] not in seen or r["b"] not in seen]
            assert not missing, batch.kind
        else:
            seen.update(r["uid"] for r in batch.rows)


def test_sizes_are_roughly_as_promised(small, medium):
    gen, batches = small
    nodes = sum(len(b.rows) for b in batches if not b.is_relationship)
    assert 1_600 <= nodes <= 3_000
    medium_nodes = sum(len(b.rows) for b in medium[1] if not b.is_relationship)
    assert 80_000 <= medium_nodes <= 130_000
    # large is the same recipe, ten times the medium one
    assert SIZES["large"].families == 10 * SIZES["medium"].families


def test_answer_file_shape(small):
    gen, batches = small
    answers = gen.answers
    assert set(answers) >= {"deals", "families", "joint_ventures", "implicit_groups", "cycle", "decaying_relationships"}
    deal_uids = {r["uid"] for r in _rows(batches, lambda k: k == "Deal")}
    assert set(answers["deals"]) == deal_uids
    for deal in answers["deals"].values():
        roles = Counter(deal["committee"].values())
        assert set(roles) <= set(COMMITTEE_ROLES)
        assert roles["economic_buyer"] == 1 and roles["champion"] == 1
        assert set(deal["declared"]) <= set(deal["committee"])
    companies = {r["uid"] for r in _rows(batches, lambda k: isinstance(k, str) and k.startswith("Company"))}
    members = [m for fam in answers["families"].values() for m in fam["members"]]
    assert len(members) == len(set(members)) and set(members) <= companies
    assert all(root in fam["members"] for root, fam in answers["families"].items())
    assert len(answers["cycle"]) == 3 and set(answers["cycle"]) <= set(members)
    assert len({_family_of(answers, c) for c in answers["cycle"]}) == 3
    assert answers["joint_ventures"] and all(len(jv["owners"]) == 2 for jv in answers["joint_ventures"])
    assert {g["kind"] for g in answers["implicit_groups"]} == {"common_minority_owner", "shared_board_member"}
    assert all(len(g["companies"]) >= 2 for g in answers["implicit_groups"])


def _family_of(answers, company):
    return next(root for root, fam in answers["families"].items() if company in fam["members"])


def test_some_families_have_a_foreign_domestic_ultimate(medium):
    gen, _ = medium
    differing = [fam for root, fam in gen.answers["families"].items()
                 if any(d != root for d in fam["domestic_ultimate"].values())]
    assert differing


def test_committees_follow_the_org_chart(small):
    gen, batches = small
    people = {r["uid"]: r for r in _rows(batches, lambda k: isinstance(k, str) and k.startswith("Person"))}
    for deal in gen.answers["deals"].values():
        by_role = defaultdict(list)
        for uid, role in deal["committee"].items():
            by_role[role].append(people[uid])
        assert by_role["economic_buyer"][0]["seniority"] in ("c_level", "vp")
        champion = by_role["champion"][0]
        assert champion["seniority"] in ("manager", "director")
        assert champion["department"] == deal["sponsor_department"]
        for evaluator in by_role["technical_evaluator"]:
            assert evaluator["department"] in ("IT", "Engineering")
        for buyer in by_role["procurement"]:
            assert buyer["department"] == "Procurement"


def test_champions_engage_more_than_economic_buyers_and_staff(medium):
    gen, batches = medium
    involved = Counter()
    about_deal = {}
    for b in batches:
        if b.kind == ("Interaction", "INVOLVED", "Person"):
            for r in b.rows:
                involved[r["b"]] += 1
        if b.kind == ("Interaction", "ABOUT", "Deal"):
            for r in b.rows:
                about_deal[r["a"]] = r["b"]
    per_role = defaultdict(list)
    for deal in gen.answers["deals"].values():
        for uid, role in deal["committee"].items():
            per_role[role].append(involved[uid])
    members = {uid for d in gen.answers["deals"].values() for uid in d["committee"]}
    staff = [involved[r["uid"]] for b in batches if b.kind == "Person" for r in b.rows
             if r["seniority"] == "staff" and r["uid"] not in members]
    mean = {role: sum(v) / len(v) for role, v in per_role.items()}
    assert mean["champion"] > 2 * mean["economic_buyer"]
    assert mean["economic_buyer"] > sum(staff) / len(staff)


def test_declared_roles_are_the_only_committee_edges(small, medium):
    gen, batches = small
    edges = _rows(batches, lambda k: k == ("Person", "ON_COMMITTEE", "Deal"))
    declared = {(p, d) for d, deal in gen.answers["deals"].items() for p in deal["declared"]}
    assert {(e["a"], e["b"]) for e in edges} == declared
    assert all(e["p"]["declared"] is True and e["p"]["confidence"] == 1.0 for e in edges)
    assert all(e["p"]["role"] == gen.answers["deals"][e["b"]]["committee"][e["a"]] for e in edges)
    deals = medium[0].answers["deals"]
    ratio = sum(1 for d in deals.values() if d["declared"]) / len(deals)
    assert 0.2 <= ratio <= 0.4


def test_customer_label_marks_won_deals_and_orders(small):
    gen, batches = small
    won = {gen.answers["deals"][r["a"]]["company"] for r in _rows(batches, lambda k: k == ("Deal", "FOR", "Company"))
           if gen.answers["deals"][r["a"]]["stage"] == "closed_won"}
    ordered = {r["b"] for b in batches if b.is_relationship and b.kind[1] == "PLACED_BY" for r in b.rows}
    customers = {r["uid"] for r in _rows(batches, lambda k: k in ("Company:Customer", "Person:Customer"))}
    assert customers == won | ordered


def test_timeline_spans_two_years_and_ends_before_as_of(small):
    _, batches = small
    times = [r["at"] for r in _rows(batches, lambda k: k == "Interaction")]
    assert max(times).date() < AS_OF
    assert (max(times) - min(times)).days > 600


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown size"):
        DemoGenerator("huge", 1)
