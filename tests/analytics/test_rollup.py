"""Family trees and roll-ups (in full and weighted) on a hand-checked family; whitespace."""

import datetime as dt

import networkx as nx
import pytest

from crn.analytics.rollup import family_tree, rollup, whitespace


def family() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_edge("B", "A", share=0.6)
    G.add_edge("C", "A", share=1.0)
    G.add_edge("D", "B", share=0.5)
    G.add_edge("D", "C", share=0.5)
    return G


METRICS = {
    "A": {"open_pipeline": 1.0, "contacts": 2, "known_contacts": 1, "last_interaction_at": dt.datetime(2025, 1, 1)},
    "B": {"open_pipeline": 10.0, "deals": 1, "contacts": 2, "known_contacts": 2},
    "C": {"open_pipeline": 100.0, "contacts": 0, "last_interaction_at": dt.datetime(2025, 6, 1)},
    "D": {"open_pipeline": 1000.0, "deals": 3, "contacts": 4, "known_contacts": 1},
}


def test_tree_depth_share_control_and_main_parent():
    members = {m.company: m for m in family_tree(family(), "A")}
    assert members["D"].depth == 2
    assert members["D"].effective_share.share == pytest.approx(0.8)  # 0.6*0.5 + 1.0*0.5
    assert members["D"].controlled  # B (controlled) 50% + C (controlled) 50% = 100%
    assert members["D"].parent == "C"  # tie on 0.5: the larger node name wins, deterministically


def test_full_rollup_counts_each_company_once():
    r = rollup(family(), family_tree(family(), "A"), METRICS)
    assert r["A"].open_pipeline == 1111.0
    assert r["A"].companies == 4
    assert r["B"].open_pipeline == 1010.0
    assert r["A"].last_interaction_at == dt.datetime(2025, 6, 1)
    assert r["A"].coverage == pytest.approx(4 / 8)


def test_weighted_rollup_multiplies_by_effective_share():
    r = rollup(family(), family_tree(family(), "A"), METRICS, weighted=True)
    assert r["A"].open_pipeline == pytest.approx(1 + 0.6 * 10 + 100 + 0.8 * 1000)
    assert r["B"].open_pipeline == pytest.approx(10 + 0.5 * 1000)


def test_whitespace_names_members_where_siblings_buy():
    spaces = whitespace(family_tree(family(), "A"), METRICS)
    assert [(w.company, w.missing, w.buying_siblings) for w in spaces] == [("C", ["deals", "contacts"], ["B"])]
