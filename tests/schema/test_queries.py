"""The read side: 360° views, connections, lists with filters, search, node/nodes, network."""

from crn.graph import db
from crn.schema.base import encode_id
from tests.schema.conftest import COMPANY_360, make_account


def test_company_360(api):
    ids = make_account(api_db(), contacts=12, deals=6, tickets=4, interactions=30)
    company = api.data(COMPANY_360, {"id": ids["company"]})["company"]
    assert company["name"] == "Acme" and company["id"] == ids["company"]
    assert company["parents"] == [{"share": 0.8, "shareMin": None, "shareMax": None, "kind": "subsidiary",
                                   "since": "2020-01-01", "until": None,
                                   "company": {"id": ids["parent"], "name": "Parent Group"}}]
    assert [s["company"]["name"] for s in company["subsidiaries"]] == ["Acme Labs"]
    assert company["parentChain"] == [{"id": ids["parent"], "name": "Parent Group"}]
    assert company["ultimateParent"]["name"] == "Parent Group"
    contacts = company["contacts"]
    assert contacts["totalCount"] == 12 and len(contacts["edges"]) == 12
    boss = next(e["node"] for e in contacts["edges"] if e["node"]["id"] == ids["boss"])
    assert boss["manager"] is None and len(boss["directReports"]) == 11
    other = next(e for e in contacts["edges"] if e["node"]["id"] == ids["person"])
    assert other["node"]["manager"]["id"] == ids["boss"]
    assert other["properties"]["title"] == "Engineer" and other["properties"]["since"] == "2021-01-01"
    assert company["deals"]["totalCount"] == 6
    assert all(e["node"]["committee"][0]["role"] == "champion" for e in company["deals"]["edges"])
    assert company["tickets"]["totalCount"] == 4
    states = {e["node"]["status"]: e["node"]["slaState"] for e in company["tickets"]["edges"]}
    assert states == {"open": "breached", "closed": "breached"}
    timeline = [e["node"]["at"] for e in company["interactions"]["edges"]]
    assert len(timeline) == 30 and timeline == sorted(timeline, reverse=True)
    assert company["accountTeam"] == [{"role": "account_manager",
                                       "user": {"id": ids["user"], "name": "Sam Seller", "email": "xsam@us.io"}}]
    assert [b["name"] for b in company["boardMembers"]] == ["Person 0"]
    rollup = company["familyRollup"]
    assert rollup["companies"] == 2 and rollup["contacts"] == 12 and rollup["openTickets"] == 2
    assert rollup["openPipeline"] == 2000.0 and rollup["weightedPipeline"] == 1000.0
    assert rollup["wonRevenue12m"] == 2000.0 and rollup["slaBreaches"] == 2
    assert rollup["lastInteractionAt"] is not None


def api_db():
    return db


def test_pagination_forward_and_backward(api):
    ids = make_account(db, contacts=7, deals=0, tickets=0, interactions=0)
    q = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { company(id: $id) {
             contacts(first: $first, after: $after, last: $last, before: $before) {
               totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { name } } } } }"""
    names, after = [], None
    while True:
        page = api.data(q, {"id": ids["company"], "first": 3, "after": after})["company"]["contacts"]
        names += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert names == sorted(names) and len(names) == 7
    tail = api.data(q, {"id": ids["company"], "last": 2})["company"]["contacts"]
    assert [e["node"]["name"] for e in tail["edges"]] == names[-2:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
    before = api.data(q, {"id": ids["company"], "last": 2, "before": tail["pageInfo"]["startCursor"]})
    assert [e["node"]["name"] for e in before["company"]["contacts"]["edges"]] == names[-4:-2]


def test_page_size_above_limit_is_refused(api):
    ids = make_account(db, contacts=1, deals=0, tickets=0, interactions=0)
    body = api.gql("query($id: ID!, $n: Int) { company(id: $id) { contacts(first: $n) { totalCount } } }",
                   {"id": ids["company"], "n": 101})
    assert body["data"] is None  # refused before the document runs (crn.schema.limits.CostModel)
    assert "exceeds the `first` limit of 100" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "page_size_exceeded"


def test_person_360(api):
    ids = make_account(db, contacts=5, deals=3, tickets=2, interactions=10)
    q = """query($id: ID!) { person(id: $id) { name email
             employments { title since until current company { id name } }
             company { name } manager { id } directReports { id } dottedLine { id } reportingChain { id name }
             deals { role declared confidence deal { id name stage status amount } }
             tickets(first: 10) { totalCount } interactions(first: 5) { totalCount edges { node { subject } } }
             knownBy { strength user { id name } } } }"""
    boss = api.data(q, {"id": ids["boss"]})["person"]
    assert boss["employments"] == [{"title": "CEO", "since": "2021-01-01", "until": None, "current": True,
                                    "company": {"id": ids["company"], "name": "Acme"}}]
    assert boss["knownBy"] == [{"strength": 0.9, "user": {"id": ids["user"], "name": "Sam Seller"}}]
    assert len(boss["directReports"]) == 4 and boss["reportingChain"] == []
    assert boss["deals"][0]["role"] == "champion"
    assert boss["interactions"]["totalCount"] == 2 and boss["tickets"]["totalCount"] == 1
    person = api.data(q, {"id": ids["person"]})["person"]
    assert person["manager"] == {"id": ids["boss"]} and person["reportingChain"] == [{"id": ids["boss"],
                                                                                      "name": "Person 0"}]


def test_deal_node_nodes_and_me(api):
    ids = make_account(db, contacts=2, deals=1, tickets=0, interactions=0)
    deal = api.data("""query($id: ID!) { deal(id: $id) { name status company { id name }
                       committee { role declared confidence person { id name title } } } }""",
                    {"id": ids["deal"]})["deal"]
    assert deal["company"]["name"] == "Acme" and deal["committee"][0]["person"]["id"] == ids["boss"]
    data = api.data("""query($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Company { name } }
                       nodes(ids: $ids) { id } me { name role } }""",
                    {"id": ids["company"], "ids": [ids["boss"], encode_id("Person", "missing"), ids["deal"]]})
    assert data["node"] == {"id": ids["company"], "name": "Acme"}
    assert data["nodes"] == [{"id": ids["boss"]}, None, {"id": ids["deal"]}]
    assert data["me"] == {"name": "Admin", "role": "admin"}


def test_bad_id_is_a_clear_error(api):
    body = api.gql('{ company(id: "bm9wZQ==") { name } }')
    assert body["errors"][0]["extensions"]["code"] == "invalid_id"
    person_id = encode_id("Person", "p")
    body = api.gql("query($id: ID!) { company(id: $id) { name } }", {"id": person_id})
    assert "expected Company" in body["errors"][0]["message"]


def test_lists_filter_and_sort(api):
    make_account(db, prefix="a", contacts=2, deals=6, tickets=0, interactions=0)
    data = api.data("""{ companies(filter: {country: ["DE"]}, sort: {field: NAME, direction: DESC}, first: 10) {
                           totalCount edges { node { name } } }
                         deals(filter: {status: [OPEN]}, first: 10) { totalCount }
                         wonDeals: deals(filter: {status: [WON], amountMin: 500}) { totalCount } }""")
    assert [e["node"]["name"] for e in data["companies"]["edges"]] == ["Parent Group", "Acme"]
    assert data["deals"]["totalCount"] == 2 and data["wonDeals"]["totalCount"] == 2


def test_search(api):
    make_account(db, contacts=1, deals=0, tickets=0, interactions=0)
    hits = api.data('{ search(text: "acm", types: [COMPANY]) { id uid type name detail score } }')["search"]
    assert {h["name"] for h in hits} == {"Acme", "Acme Labs"} and all(h["type"] == "Company" for h in hits)


def test_network_and_neighbourhood(api):
    ids = make_account(db, contacts=3, deals=1, tickets=0, interactions=0)
    net = api.data("""query($id: ID!) { company(id: $id) { network(depth: 1, limit: 500) {
                        truncated nodes { id type label subtitle } edges { id source target type label } } } }""",
                   {"id": ids["company"]})["company"]["network"]
    types = {n["type"] for n in net["nodes"]}
    assert {"Company", "Person", "User", "Deal"} <= types and not net["truncated"]
    node_ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in net["edges"])
    assert {"WORKS_AT", "SUBSIDIARY_OF", "ACCOUNT_TEAM", "FOR", "REPORTS_TO"} <= {e["type"] for e in net["edges"]}
    small = api.data("query($id: ID!) { neighbourhood(id: $id, limit: 2) { truncated nodes { id } } }",
                     {"id": ids["company"]})["neighbourhood"]
    assert small["truncated"] and len(small["nodes"]) == 3


def test_last_with_after_needs_before(api):
    ids = make_account(db, contacts=3, deals=0, tickets=0, interactions=0)
    page = api.data("query($id: ID!) { company(id: $id) { contacts(first: 1) { pageInfo { endCursor } } } }",
                    {"id": ids["company"]})
    cursor = page["company"]["contacts"]["pageInfo"]["endCursor"]
    body = api.gql("query($id: ID!, $c: String) { company(id: $id) { contacts(last: 1, after: $c) { totalCount } } }",
                   {"id": ids["company"], "c": cursor})
    assert body["errors"][0]["extensions"]["code"] == "invalid_pagination"
