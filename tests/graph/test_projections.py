"""Projections: each analysis reads its scope in one query and builds the expected networkx graph."""

import datetime as dt

import pytest

from crn.graph import projections
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_corporate_family_is_the_ownership_component_in_one_query(world):
    with world.count_round_trips() as n:
        G, metrics = projections.corporate_family("C", now=scenario.NOW)
    assert n[0] == 1
    assert set(G) == {"A", "B", "C", "D", "E", "J", "X"}  # P and Q are another component
    assert G.edges["D", "C"]["share"] == 0.3
    assert G.edges["E", "A"]["until"] == dt.date(2020, 1, 1)
    assert metrics["C"]["open_pipeline"] == 100000.0
    assert metrics["C"]["weighted_pipeline"] == 50000.0
    assert metrics["C"]["won_revenue_12m"] == 5000.0
    assert (metrics["C"]["open_tickets"], metrics["C"]["sla_breaches"]) == (1, 1)
    assert (metrics["C"]["contacts"], metrics["C"]["known_contacts"]) == (5, 1)
    assert metrics["C"]["last_interaction_at"] == scenario.NOW - dt.timedelta(days=1)
    assert projections.corporate_family("nope") is None


def test_relationship_network_holds_people_companies_and_typed_ties(world):
    with world.count_round_trips() as n:
        G = projections.relationship_network(["alice"], ["cora"], depth=2)
    assert n[0] == 1
    assert G.nodes["C"]["type"] == "Company" and G.nodes["alice"]["type"] == "User"
    assert G.edges["alice", "chad"]["relation"] == "KNOWS" and G.edges["alice", "chad"]["strength"] == 0.8
    assert G.edges["hugo", "cora"]["relation"] == "REPORTS_TO" and G.edges["hugo", "cora"]["reporter"] == "hugo"
    assert G.edges["cora", "C"]["relation"] == "WORKS_AT"
    assert "bob" not in G  # Bob is neither a source nor within reach of the target through ties


def test_account_network_for_a_deal(world):
    with world.count_round_trips() as n:
        account = projections.account_network(deal="deal1")
    assert n[0] == 1
    assert account.company == "C" and account.deal == "deal1"
    assert set(account.people) == {"cora", "hugo", "chad", "erin", "pam"}
    assert account.people.nodes["chad"]["deal_touches"] == 5
    assert account.people.nodes["cora"]["deal_meetings"] == 2
    assert account.people.nodes["chad"]["engagement"] == 0.8
    assert sorted(account.team) == ["alice", "bob"]
    assert account.people.edges["chad", "hugo"]["relation"] in ("REPORTS_TO", "KNOWS")
    assert projections.account_network(deal="missing") is None


def test_interaction_histories(world):
    rows = projections.all_interactions()
    assert len(rows) == 11
    at, kind, direction, users, people = sorted(rows, key=lambda r: r[0])[-1]
    assert (kind, direction, users, people) == ("email", "inbound", ["alice"], ["chad"])
    shared = projections.interactions_of_participants("i-cora-2")
    assert len(shared) == 2 and all(r[4] == ["cora"] for r in shared)


def test_influence_network_of_a_company(world):
    G, jobs = projections.influence_network("companies", ["C"])
    assert set(jobs) == {"cora", "hugo", "chad", "erin", "pam"}
    assert G.nodes["alice"]["type"] == "User"
    assert G.has_edge("alice", "chad") and G.has_edge("erin", "chad")
