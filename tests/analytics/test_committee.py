"""Committees: declared roles win, role inference, coverage, gaps, single-thread risk as graph cuts."""

import networkx as nx

from crn.analytics.committee import (
    committee_coverage, committee_gaps, infer_committee, single_thread_risks,
)


def account() -> nx.DiGraph:
    G = nx.DiGraph()
    people = [("cfo", "CFO", "c_level", "Finance", 2), ("vp", "VP Operations", "vp", "Operations", 3),
              ("mgr", "Operations Manager", "manager", "Operations", 9), ("dev", "Engineer", "staff", "IT", 3),
              ("buy", "Buyer", "manager", "Procurement", 1), ("ops", "Clerk", "staff", "Operations", 0)]
    for uid, title, seniority, dept, touches in people:
        G.add_node(uid, name=uid, title=title, seniority=seniority, department=dept, deal_touches=touches)
    G.add_edge("mgr", "vp", relation="REPORTS_TO")
    G.add_edge("vp", "cfo", relation="REPORTS_TO")
    G.add_edge("ops", "mgr", relation="REPORTS_TO")
    return G


def roles(members):
    return {m.person: m.role for m in members}


def test_inferred_roles_on_a_hand_built_account():
    assert roles(infer_committee(account())) == {
        "cfo": "economic_buyer", "vp": "decision_maker", "mgr": "champion", "dev": "technical_evaluator",
        "buy": "procurement"}


def test_declared_roles_always_win():
    members = infer_committee(account(), declared={"cfo": "blocker"})
    assert members[0].person == "cfo" and members[0].declared and members[0].confidence == 1.0
    assert roles(members)["cfo"] == "blocker"
    assert roles(members)["vp"] == "economic_buyer"  # the next budget owner


def test_coverage_and_gaps_with_candidates():
    members = [m for m in infer_committee(account()) if m.role != "technical_evaluator"]
    coverage = committee_coverage(members)
    assert [c.covered for c in coverage] == [True, True, True, False]
    (gap,) = committee_gaps(account(), members)
    assert gap.reason == "no technical evaluator engaged"
    assert gap.candidates[0][0] == "dev"


def test_single_thread_risk_names_the_cut_person():
    G = nx.Graph([("alice", "bob_contact"), ("bob_contact", "cfo"), ("bob_contact", "vp"), ("carol", "vp")])
    risks = single_thread_risks(G, ["alice", "carol"], ["cfo", "vp"])
    assert [(r.via, r.lost) for r in risks] == [("bob_contact", ["cfo"])]
    assert risks[0].explanation == "if bob_contact leaves, we lose our only path to cfo"


def test_a_lone_user_is_the_cut():
    G = nx.Graph([("alice", "cfo")])
    G.add_node("bob")
    assert [(r.via, r.lost) for r in single_thread_risks(G, ["alice", "bob"], ["cfo"])] == [("alice", ["cfo"])]
