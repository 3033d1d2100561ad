"""Ownership on hand-checked graphs: products and sums, ranges, thresholds, as-of dates, JVs, cycles."""

import datetime as dt

import networkx as nx
import pytest

from crn.analytics.ownership import (
    Share, controlled_companies, cross_holdings, direct_controller, domestic_ultimate, edge_share,
    effective_ownership, joint_ventures, ultimate_parent,
)


def diamond() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from([("A", {"country": "US"}), ("B", {"country": "FR"}), ("C", {"country": "FR"}),
                      ("D", {"country": "FR"})])
    G.add_edge("B", "A", share=0.6)
    G.add_edge("C", "A", share=0.4)
    G.add_edge("D", "B", share=0.5)
    G.add_edge("D", "C", share=0.5)
    return G


def test_effective_share_is_the_sum_over_paths_of_the_products():
    shares = effective_ownership(diamond(), "A")
    assert shares["D"].share == pytest.approx(0.6 * 0.5 + 0.4 * 0.5)  # 0.5
    assert shares["B"].share == pytest.approx(0.6)
    assert "A" not in shares


def test_ranges_are_carried_as_products_of_minima_and_maxima():
    G = nx.DiGraph()
    G.add_edge("B", "A", share_min=0.25, share_max=0.5)
    G.add_edge("C", "B", share=0.8)
    c = effective_ownership(G, "A")["C"]
    assert (c.share, c.share_min, c.share_max) == pytest.approx((0.375 * 0.8, 0.2, 0.4))


def test_missing_shares_follow_the_documented_defaults():
    assert edge_share({"kind": "branch"}) == Share(1.0, 1.0, 1.0)
    assert edge_share({}) == Share(1.0, 0.5, 1.0)


def test_max_depth_cuts_long_paths():
    G = nx.DiGraph([("B", "A"), ("C", "B")])
    nx.set_edge_attributes(G, 1.0, "share")
    assert set(effective_ownership(G, "A", max_depth=1)) == {"B"}


def test_as_of_date_filters_edges_by_since_and_until():
    G = nx.DiGraph()
    G.add_edge("B", "A", share=1.0, since=dt.date(2020, 1, 1), until=dt.date(2023, 1, 1))
    assert "B" in effective_ownership(G, "A", as_of=dt.date(2021, 6, 1))
    assert effective_ownership(G, "A", as_of=dt.date(2019, 12, 31)) == {}
    assert effective_ownership(G, "A", as_of=dt.date(2023, 1, 1)) == {}  # until is exclusive


def test_control_threshold_is_strict_by_default_and_configurable():
    G = nx.DiGraph()
    G.add_edge("B", "A", share=0.5)
    assert controlled_companies(G, "A") == set()
    assert controlled_companies(G, "A", inclusive=True) == {"B"}
    assert controlled_companies(G, "A", threshold=0.2) == {"B"}
    assert direct_controller(G, "B") is None
    assert direct_controller(G, "B", threshold=0.2) == "A"


def test_control_aggregates_stakes_of_controlled_vehicles():
    G = diamond()  # A controls B (60%); B holds 50% of D, C (not controlled) holds the other 50%
    assert controlled_companies(G, "A") == {"B"}
    G.edges["D", "B"]["share"] = 0.6
    assert controlled_companies(G, "A") == {"B", "D"}


def test_ultimate_and_domestic_ultimate():
    G = diamond()
    G.edges["D", "B"]["share"] = 0.6
    assert ultimate_parent(G, "D") == "A"
    assert domestic_ultimate(G, "D") == "B"  # B is the highest French company in D's control chain
    assert ultimate_parent(G, "C") == "C"  # 40% is no control


def test_joint_venture_lists_every_owner_with_its_share():
    G = nx.DiGraph()
    G.add_edge("J", "A", share=0.4)
    G.add_edge("J", "B", share=0.35)
    G.add_edge("J", "C", share=0.25)
    jvs = joint_ventures(G)
    assert [(j.company, j.owners) for j in jvs] == [("J", [("A", 0.4), ("B", 0.35), ("C", 0.25)])]
    assert ultimate_parent(G, "J") == "J"


def test_cycles_are_reported_and_nothing_loops():
    G = nx.DiGraph()
    G.add_edge("P", "Q", share=0.6)
    G.add_edge("Q", "P", share=0.6)
    G.add_edge("R", "P", share=1.0)
    assert cross_holdings(G) == [["P", "Q"]]
    shares = effective_ownership(G, "P")
    assert shares["Q"].share == pytest.approx(0.6)
    assert shares["R"].share == pytest.approx(1.0)  # the cycle back to P is not followed
    assert ultimate_parent(G, "R") in {"P", "Q"}
    assert controlled_companies(G, "P") == {"Q", "R"}
