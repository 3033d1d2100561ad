"""Fixtures for GraphQL tests: an HTTP client with a token, and a typical account built with UNWIND batches."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.schema.base import encode_id
from tests.cypher import ACCOUNT, CONTACTS, DEALS, INTERACTIONS, STRUCTURE, TICKETS


@dataclass
class Api:
    """Posts GraphQL documents to the app as one user."""

    client: TestClient
    token: str

    def post(self, query: str, variables: dict | None = None, **headers):
        return self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                headers={"Authorization": f"Bearer {self.token}", **headers})

    def gql(self, query: str, variables: dict | None = None) -> dict:
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict | None = None) -> dict:
        body = self.gql(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


def _api(role: str) -> Api:
    auth.create_user(f"{role}@test.io", role.title(), "longenough", role)
    return Api(TestClient(create_app()), auth.create_token(f"{role}@test.io"))


@pytest.fixture(autouse=True)
def _verify_every_token(monkeypatch):
    """Round-trip counts in these tests include the token look-up: check the token on every request."""
    monkeypatch.setenv("CRN_TOKEN_CACHE_SECONDS", "0")


@pytest.fixture
def api(clean_db) -> Api:
    """An admin's client on an empty database."""
    return _api("admin")


@pytest.fixture
def viewer_api(api) -> Api:
    """A viewer's client (same database as ``api``)."""
    return _api("viewer")


def make_account(db, prefix: str = "x", contacts: int = 20, deals: int = 5, tickets: int = 10,
                 interactions: int = 50) -> dict[str, str]:
    """A company with a parent and a subsidiary, contacts reporting to a CEO, deals, tickets and a timeline.

    Returns the global ids of the interesting records.
    """
    db.write_many([
        (ACCOUNT, {"prefix": prefix}),
        (CONTACTS, {"prefix": prefix, "n": contacts}),
        (STRUCTURE, {"prefix": prefix}),
        (DEALS, {"prefix": prefix, "n": deals, "contacts": contacts}),
        (TICKETS, {"prefix": prefix, "n": tickets, "contacts": contacts}),
        (INTERACTIONS, {"prefix": prefix, "n": interactions, "contacts": contacts}),
    ])
    return {"company": encode_id("Company", prefix + "acct"), "parent": encode_id("Company", prefix + "parent"),
            "grand": encode_id("Company", prefix + "grand"), "boss": encode_id("Person", prefix + "p0"),
            "person": encode_id("Person", prefix + "p1"), "deal": encode_id("Deal", prefix + "d0"),
            "user": encode_id("User", prefix + "user")}


COMPANY_360 = """
query Company360($id: ID!) {
  company(id: $id) {
    id uid name legalName domain industry country city employees annualRevenue currency tier lifecycle tags
    parents { share shareMin shareMax kind since until company { id name } }
    subsidiaries { share kind company { id name } }
    parentChain { id name }
    ultimateParent { id name }
    contacts(first: 100) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor properties node { id name title manager { id name } directReports { id name } } }
    }
    deals(first: 100) {
      totalCount
      edges { node { id name stage status amount committee { role declared confidence person { id name title } } } }
    }
    tickets(first: 100) { totalCount edges { node { id subject status slaState slaBreached raisedBy { id name } } } }
    interactions(first: 100) {
      totalCount edges { node { id kind at subject participants { role person { id name } user { id name } } } }
    }
    accountTeam { role user { id name email } }
    boardMembers { id name }
    familyRollup { companies openPipeline weightedPipeline wonRevenue12m openTickets slaBreaches contacts lastInteractionAt }
  }
}
"""
