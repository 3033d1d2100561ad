"""The 360° look-ahead answers exactly what the per-request DataLoaders answer, in fewer round trips."""

import pytest

from crn.graph import db
from crn.schema import lookahead
from tests.schema.conftest import COMPANY_360, make_account

PERSON_360 = """
query Person360($id: ID!) {
  person(id: $id) {
    id name
    employments { title since until current company { id name parentChain { id } } }
    company { id name familyRollup { contacts openTickets } }
    manager { id name } directReports { id name manager { id } } dottedLine { id } reportingChain { id name }
    deals { role declared confidence deal { id name company { id } committee { role person { id } } } }
    knownBy { strength user { id name } }
    tickets(first: 5) { totalCount edges { cursor node { id slaState raisedBy { id } } } }
    interactions(last: 3) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id participants { role person { id } user { id } } }
    }
  }
}
"""

# the cursor is base64("cursor:company_contacts:1"): the second contact of a company's contacts
ALIASES = """
query Aliases($id: ID!) {
  company(id: $id) {
    name
    first: contacts(first: 3) { edges { node { id manager { id } } } }
    second: contacts(first: 2, after: "Y3Vyc29yOmNvbXBhbnlfY29udGFjdHM6MQ==") { edges { cursor node { id } } }
    all: contacts(current: null, last: 4) { totalCount nodes { id } }
    open: deals(first: 2, status: OPEN) { totalCount nodes { id status } }
    ...More
  }
}
fragment More on Company { tickets(open: true) { totalCount nodes { id status } } ultimateParent { id } }
"""


async def _plain(info, label, uid, loaders):
    return await loaders.node(label).load(uid)


@pytest.mark.parametrize("document, key", [(COMPANY_360, "company"), (PERSON_360, "person"),
                                           (ALIASES, "company")])
def test_lookahead_matches_dataloaders(api, monkeypatch, document, key):
    ids = make_account(db, prefix="la", contacts=30, deals=6, tickets=12, interactions=40)
    variables = {"id": ids[key if key == "company" else "person"]}
    before = db.total_round_trips()
    fast = api.data(document, variables)
    fast_trips = db.total_round_trips() - before
    monkeypatch.setattr(lookahead, "fetch", _plain)
    before = db.total_round_trips()
    slow = api.data(document, variables)
    slow_trips = db.total_round_trips() - before
    assert fast == slow
    assert fast[key] is not None
    assert fast_trips == 2 < slow_trips  # authentication + the one compiled query


def test_lookahead_leaves_bad_page_arguments_to_the_resolver(api):
    ids = make_account(db, prefix="lb", contacts=5, deals=1, tickets=1, interactions=2)
    body = api.gql("query($id: ID!) { company(id: $id) { contacts(first: 1000) { totalCount } } }",
                   {"id": ids["company"]})
    assert body["errors"][0]["extensions"]["code"] == "page_size_exceeded"
