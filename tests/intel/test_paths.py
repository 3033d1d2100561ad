"""Intro paths end to end from Neo4j: explained hops, team sources, company targets, errors."""

import pytest

from crn.intel import IntelError
from crn.intel.paths import intro_paths
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_paths_to_the_cfo_in_order(world):
    result = intro_paths("cora", from_user="alice", k=3)
    assert [p.nodes for p in result.paths] == [["alice", "chad", "cora"], ["alice", "chad", "hugo", "cora"],
                                               ["alice", "chad", "erin", "cora"]]
    # 0.8 * 0.5 (colleagues); 0.8 * 0.6 (knows) * 0.6 (reports to); 0.8 * 0.6 (reports to) * 0.5
    assert [round(p.strength, 4) for p in result.paths] == [0.4, 0.288, 0.24]
    first = result.paths[0]
    assert first.hops[0].explanation == "Alice knows Chad (strength 0.80)"
    assert first.hops[1].explanation == "Chad and Cora work together at Gamma"
    assert result.nodes["cora"] == {"type": "Person", "name": "Cora"}


def test_team_paths_to_a_company_end_at_the_first_person_there(world):
    result = intro_paths("C", team=True, k=2)
    assert result.paths[0].nodes == ["alice", "chad"]
    assert set(result.sources) == {"alice", "bob"}


def test_bad_arguments_are_errors(world):
    assert intro_paths("cora").code == "missing_source"
    assert intro_paths("nobody", from_user="alice").code == "not_found"
    assert intro_paths("cora", from_user="alice", k=0) == IntelError("invalid_k", "k must be between 1 and 10", "k")
    assert intro_paths("cora", from_user="bob").paths == []
