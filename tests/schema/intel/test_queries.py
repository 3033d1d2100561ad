"""The intelligence fields over GraphQL, with a real token and the hand-checked scenario."""

import pytest

from crn.schema.base import encode_id
from tests.intel import scenario


@pytest.fixture
def world(api):
    scenario.build(api_db())
    return api


def api_db():
    from crn.graph import db

    return db


def test_corporate_family(world):
    data = world.data("""query($id: ID!) { corporateFamily(companyId: $id) {
        ultimateParent { id name } domesticUltimate { name }
        nodes { company { uid name country } depth effectiveShare controlled isJointVenture
                rollup { openPipeline wonRevenue12m contacts } coverage }
        edges { childId parentId share kind } cycles jointVentures { company { name } owners { company { name } share } }
        whitespace { company { name } missing } } }""", {"id": encode_id("Company", "D")})["corporateFamily"]
    assert data["ultimateParent"] == {"id": encode_id("Company", "A"), "name": "Alpha Holding"}
    d = next(n for n in data["nodes"] if n["company"]["uid"] == "D")
    assert d["effectiveShare"] == pytest.approx(0.48) and d["controlled"] and d["depth"] == 2
    a = next(n for n in data["nodes"] if n["company"]["uid"] == "A")
    assert a["rollup"] == {"openPipeline": 100000.0, "wonRevenue12m": 5000.0, "contacts": 5}
    assert data["jointVentures"][0]["owners"][0]["share"] == 0.5
    assert data["whitespace"] == [{"company": {"name": "Delta"}, "missing": ["deals", "contacts"]}]


def test_buying_committee_and_intro_paths(world):
    data = world.data("""query($deal: ID!, $to: ID!, $me: ID!) {
        buyingCommittee(dealId: $deal) { members { person { name } role confidence declared evidence }
            coverage { role covered member { name } } singleThreadRisks { via { name type } lost explanation } }
        introPaths(fromId: $me, toId: $to, k: 2) { cost strength hops { from { name type } to { name }
            relation strength explanation } } }""",
        {"deal": encode_id("Deal", "deal1"), "to": encode_id("Person", "cora"), "me": encode_id("User", "alice")})
    roles = {m["person"]["name"]: m["role"] for m in data["buyingCommittee"]["members"]}
    assert roles == {"Cora": "economic_buyer", "Hugo": "decision_maker", "Chad": "champion",
                     "Erin": "technical_evaluator"}
    assert data["buyingCommittee"]["singleThreadRisks"][0]["via"] == {"name": "Alice", "type": "User"}
    first = data["introPaths"][0]
    assert first["strength"] == pytest.approx(0.4)
    assert [h["explanation"] for h in first["hops"]] == ["Alice knows Chad (strength 0.80)",
                                                         "Chad and Cora work together at Gamma"]


def test_influence_and_strength(world):
    data = world.data("""query($a: ID!, $b: ID!) {
        influence(scope: "company:C", limit: 3) { scope people { person { name } pagerank betweenness score isBroker reason }
            singleThreaded { company { name } explanation } coverage { company { name } coverage } }
        relationshipStrength(aId: $a, bId: $b) { score recency frequency reciprocity channel interactions } }""",
        {"a": encode_id("User", "alice"), "b": encode_id("Person", "hugo")})
    assert len(data["influence"]["people"]) == 3
    assert data["influence"]["coverage"] == [{"company": {"name": "Gamma"}, "coverage": 0.2}]
    s = data["relationshipStrength"]
    assert s["interactions"] == 3 and s["reciprocity"] == 1.0 and 0 < s["score"] <= 1


def test_errors_are_typed(world):
    body = world.gql('{ influence(scope: "galaxy:1") { scope } }')
    assert body["errors"][0]["extensions"]["code"] == "invalid_scope"
    body = world.gql('query($id: ID!) { corporateFamily(companyId: $id) { threshold } }',
                     {"id": encode_id("Company", "nope")})
    assert body["data"]["corporateFamily"] is None
