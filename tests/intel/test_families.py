"""Corporate families end to end: ultimates, shares, JVs, cycles, as-of dates, roll-ups, groups."""

import datetime as dt

import pytest

from crn.intel import IntelError
from crn.intel.families import corporate_family, possible_groups
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_family_of_a_subsidiary(world):
    f = corporate_family("D", now=scenario.NOW)
    assert f.ultimate_parent == {"uid": "A", "name": "Alpha Holding"}
    assert f.domestic_ultimate["uid"] == "A"
    assert f.node("D").effective_share == pytest.approx(0.6 * 0.5 + 0.6 * 1.0 * 0.3)
    assert f.node("D").controlled  # B controls 50% + C (controlled) 30%
    assert f.node("J").is_joint_venture and not f.node("J").controlled
    assert f.joint_ventures[0]["owners"] == [{"uid": "A", "name": "Alpha Holding", "share": 0.5},
                                            {"uid": "X", "name": "Xeno", "share": 0.5}]
    assert f.node("E") is None  # sold in 2020: not in the family today
    assert f.node("A").rollup.open_pipeline == 100000.0
    assert f.node("A").rollup.won_revenue_12m == 5000.0
    assert f.node("A").rollup.contacts == 5 and f.node("A").rollup.coverage == pytest.approx(0.2)
    assert [w["company"] for w in f.whitespace] == ["D"]


def test_domestic_ultimate_stops_at_the_border(world):
    world.write("MATCH (c:Company {uid: 'B'}) SET c.country = 'FR'")
    f = corporate_family("C", now=scenario.NOW)
    assert (f.ultimate_parent["uid"], f.domestic_ultimate["uid"]) == ("A", "B")


def test_as_of_and_threshold_change_the_family(world):
    before = corporate_family("E", as_of=dt.date(2015, 1, 1), now=scenario.NOW)
    assert before.ultimate_parent["uid"] == "A"
    assert corporate_family("E", now=scenario.NOW).ultimate_parent["uid"] == "E"
    strict = corporate_family("C", threshold=0.7, now=scenario.NOW)
    assert strict.ultimate_parent["uid"] == "B"  # 60% is not control above 70%


def test_weighted_rollup(world):
    f = corporate_family("A", weighted=True, now=scenario.NOW)
    assert f.node("A").rollup.open_pipeline == pytest.approx(0.6 * 100000.0)


def test_cycle_is_reported_without_looping(world):
    f = corporate_family("P", now=scenario.NOW)
    assert f.cycles == [["P", "Q"]]
    assert {n.uid for n in f.nodes} <= {"P", "Q"}


def test_errors_are_data(world):
    assert corporate_family("nope") == IntelError("not_found", "no company with uid nope", "companyId")
    assert corporate_family("A", threshold=2).code == "invalid_threshold"


def test_possible_groups_from_shared_directors(world):
    world.write("""CREATE (p:Person {uid: 'dir', name: 'Dina'})
                   WITH p MATCH (c:Company) WHERE c.uid IN ['X', 'P']
                   CREATE (p)-[:BOARD_MEMBER_OF]->(c)""")
    groups = possible_groups()
    xp = next(g for g in groups if {c["uid"] for c in g.companies} >= {"X", "P"})
    assert any(t["kind"] == "board" and t["label"] == "Dina" for t in xp.ties)
    assert "Dina (board) links" in xp.ties[0]["explanation"] or any("Dina" in t["explanation"] for t in xp.ties)
