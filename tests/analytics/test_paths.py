"""Intro paths: k paths in cost order, hop limits, colleagues through companies, overlap of stints."""

import datetime as dt
import math

import networkx as nx
import pytest

from crn.analytics.paths import intro_paths


def network() -> nx.Graph:
    G = nx.Graph()
    G.add_node("C", type="Company", name="Acme")
    for n in ("u", "a", "b", "c", "t"):
        G.add_node(n, type="User" if n == "u" else "Person", name=n.upper())
    G.add_edge("u", "a", relation="KNOWS", strength=0.9)
    G.add_edge("a", "t", relation="KNOWS", strength=0.5)       # u-a-t: 0.45
    G.add_edge("u", "b", relation="KNOWS", strength=0.8)
    G.add_edge("b", "c", relation="KNOWS", strength=0.9)
    G.add_edge("c", "t", relation="REPORTS_TO", reporter="c")  # u-b-c-t: 0.8*0.9*0.6 = 0.432
    G.add_edge("b", "C", relation="WORKS_AT")
    G.add_edge("t", "C", relation="WORKS_AT")                  # u-b-(Acme)-t: 0.8*0.5 = 0.4
    return G


def test_k_paths_come_in_order_of_strength_with_exact_values():
    paths = intro_paths(network(), ["u"], ["t"], k=3)
    assert [p.nodes for p in paths] == [["u", "a", "t"], ["u", "b", "c", "t"], ["u", "b", "t"]]
    assert [round(p.strength, 6) for p in paths] == [0.45, 0.432, 0.4]
    assert paths[1].cost == pytest.approx(-math.log(0.432))
    assert paths[2].hops[1].relation == "COLLEAGUE" and paths[2].hops[1].via == "C"
    assert paths[1].hops[2].explanation == "C reports to T"


def test_max_hops_drops_longer_paths():
    paths = intro_paths(network(), ["u"], ["t"], k=5, max_hops=2)
    assert [p.nodes for p in paths] == [["u", "a", "t"], ["u", "b", "t"]]


def test_former_colleagues_need_overlapping_stints():
    G = network()
    G.remove_edge("a", "t")
    G.remove_edge("c", "t")
    G.edges["b", "C"].update(since=dt.date(2010, 1, 1), until=dt.date(2012, 1, 1))
    G.edges["t", "C"].update(since=dt.date(2015, 1, 1))
    assert intro_paths(G, ["u"], ["t"]) == []
    G.edges["t", "C"].update(since=dt.date(2011, 1, 1))
    (path,) = intro_paths(G, ["u"], ["t"])
    assert path.hops[1].relation == "FORMER_COLLEAGUE"
    # one former stint (half strength sqrt(0.3)) and one current stint (sqrt(0.5))
    assert path.strength == pytest.approx(0.8 * math.sqrt(0.3 * 0.5))
    G.edges["t", "C"].update(until=dt.date(2013, 1, 1))
    assert intro_paths(G, ["u"], ["t"])[0].strength == pytest.approx(0.8 * 0.3)  # both former


def test_team_sources_and_company_targets():
    G = network()
    G.add_node("v", type="User", name="V")
    G.add_edge("v", "t", relation="KNOWS", strength=0.7)
    best = intro_paths(G, ["u", "v"], ["t", "a"], k=1)[0]
    assert best.nodes == ["u", "a"]


def test_unknown_nodes_give_no_paths():
    assert intro_paths(network(), ["nobody"], ["t"]) == []
