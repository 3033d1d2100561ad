"""Buying committees from Neo4j: inferred roles with evidence, declared roles, gaps, risks."""

import pytest

from crn.intel.committees import buying_committee
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def roles(result):
    return {m.person: m.role for m in result.members}


def test_committee_of_a_deal(world):
    result = buying_committee(deal="deal1")
    assert roles(result) == {"cora": "economic_buyer", "hugo": "decision_maker", "chad": "champion",
                             "erin": "technical_evaluator"}
    assert all(c.covered for c in result.coverage)
    cora = next(m for m in result.members if m.person == "cora")
    assert "budget owner: finance head" in cora.evidence
    # Bob (on the team) knows nobody: Alice, then Chad, then Hugo carry every path to the deciders
    assert [(r.via, r.lost) for r in result.risks] == [("alice", ["cora", "hugo"]), ("chad", ["cora", "hugo"]),
                                                       ("hugo", ["cora"])]
    assert result.risks[1].explanation == "if Chad leaves, we lose our only path to Cora, Hugo"


def test_declared_roles_win_and_gaps_get_candidates_with_paths(world):
    world.write("""MATCH (p:Person {uid: 'erin'}), (d:Deal {uid: 'deal1'})
                   CREATE (p)-[:ON_COMMITTEE {role: 'user', declared: true, confidence: 1.0}]->(d)""")
    world.write("""MATCH (c:Company {uid: 'C'}), (chad:Person {uid: 'chad'})
                   CREATE (i:Person {uid: 'ivan', name: 'Ivan', title: 'Solution Architect', seniority: 'manager',
                                     department: 'IT'})-[:WORKS_AT {department: 'IT'}]->(c)
                   CREATE (chad)-[:KNOWS {strength: 0.5}]->(i)""")
    result = buying_committee(deal="deal1")
    erin = next(m for m in result.members if m.person == "erin")
    assert erin.declared and erin.role == "user"
    gap, candidates = next((g, c) for g, c in result.gaps if g.role == "technical_evaluator")
    assert gap.reason == "no technical evaluator engaged"
    # technical, not engaged on the deal: 0.6 (no deal touches), a third of it as nobody engaged him
    assert candidates[0].person == "ivan" and candidates[0].score == pytest.approx(0.6 / 3, abs=1e-4)
    assert candidates[0].path.nodes == ["alice", "chad", "ivan"]


def test_account_without_deal_and_errors(world):
    result = buying_committee(company="C")
    assert result.deal is None and "cora" in roles(result)
    assert buying_committee().code == "invalid_arguments"
    assert buying_committee(deal="nope").code == "not_found"
    assert buying_committee(deal="deal1", template=["wizard"]).code == "invalid_template"
