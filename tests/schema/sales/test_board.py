"""pipelineBoard over GraphQL: totals and weighted amounts per currency, filters incl. the family, paging a
column, moving a deal with dealUpdate (history recorded), and viewers refused."""

from __future__ import annotations

from crn.crm import records
from crn.schema.base import encode_id
from tests.crm.test_board import make_pipeline

BOARD = """query Board($filter: BoardFilter, $stages: [DealStage!], $first: Int, $after: String) {
  pipelineBoard(filter: $filter, stages: $stages, first: $first, after: $after) {
    stage count totals { currency count amount weighted }
    deals { totalCount pageInfo { hasNextPage endCursor }
            edges { node { id name amount currency stage expectedClose company { name } owners { name } } } } } }"""

MOVE = """mutation Move($id: ID!, $stage: String!) { dealUpdate(id: $id, input: {stage: $stage}) {
  __typename ... on DealUpdateSuccess { deal { id stage stageHistory } }
  ... on DealUpdateError { errors { code message field } } } }"""


def _columns(api, **variables) -> dict[str, dict]:
    return {c["stage"]: c for c in api.data(BOARD, variables)["pipelineBoard"]}


def _totals(column: dict) -> dict[str, tuple]:
    return {t["currency"]: (t["count"], t["amount"], round(t["weighted"], 6)) for t in column["totals"]}


def test_board_totals_weighted_amounts_and_currency_groups(api):
    make_pipeline()
    cols = _columns(api)
    assert list(cols) == ["QUALIFICATION", "DISCOVERY", "PROPOSAL", "NEGOTIATION", "CLOSED_WON", "CLOSED_LOST"]
    q = cols["QUALIFICATION"]
    assert q["count"] == 3 and q["deals"]["totalCount"] == 3
    assert _totals(q) == {"EUR": (1, 500.0, 200.0), "USD": (2, 3000.0, 1000.0)}
    assert _totals(cols["NEGOTIATION"]) == {"USD": (1, 4000.0, 2800.0)}
    assert _totals(cols["CLOSED_WON"]) == {"USD": (1, 3000.0, 3000.0)}
    card = q["deals"]["edges"][0]["node"]
    assert card["name"] == "Board d1" and card["company"]["name"] == "Board P"
    assert card["owners"] == [{"name": "Board owner U1"}] and card["expectedClose"] == "2026-01-15"


def test_board_filters_owner_period_company_and_family(api):
    ids = make_pipeline()
    gid = encode_id
    mine = _columns(api, filter={"owner": gid("User", ids["U1"])})
    assert {s: c["count"] for s, c in mine.items() if c["count"]} == {"QUALIFICATION": 2, "DISCOVERY": 1,
                                                                        "CLOSED_WON": 1}
    west = _columns(api, filter={"team": "West"})
    assert {s: c["count"] for s, c in west.items() if c["count"]} == {"QUALIFICATION": 1, "NEGOTIATION": 1,
                                                                        "CLOSED_LOST": 1}
    period = _columns(api, filter={"closeFrom": "2026-02-01", "closeTo": "2026-03-31"})
    assert {s: c["count"] for s, c in period.items() if c["count"]} == {"QUALIFICATION": 1, "NEGOTIATION": 1}
    company = _columns(api, filter={"company": gid("Company", ids["S"])})
    assert _totals(company["QUALIFICATION"]) == {"EUR": (1, 500.0, 200.0), "USD": (1, 2000.0, 500.0)}
    family = _columns(api, filter={"company": gid("Company", ids["P"]), "family": True})
    assert {s: c["count"] for s, c in family.items() if c["count"]} == {"QUALIFICATION": 3, "CLOSED_WON": 1}
    assert _totals(family["QUALIFICATION"]) == {"EUR": (1, 500.0, 200.0), "USD": (2, 3000.0, 1000.0)}
    body = api.gql(BOARD, {"filter": {"family": True}})
    assert body["errors"][0]["extensions"]["code"] == "invalid_filter"


def test_a_column_pages_with_its_own_cursor(api):
    make_pipeline()
    first = api.data(BOARD, {"stages": ["QUALIFICATION"], "first": 2})["pipelineBoard"]
    assert len(first) == 1 and first[0]["deals"]["pageInfo"]["hasNextPage"]
    names = [e["node"]["name"] for e in first[0]["deals"]["edges"]]
    rest = api.data(BOARD, {"stages": ["QUALIFICATION"], "first": 2,
                            "after": first[0]["deals"]["pageInfo"]["endCursor"]})["pipelineBoard"][0]
    assert names + [e["node"]["name"] for e in rest["deals"]["edges"]] == ["Board d1", "Board d3", "Board d2"]
    assert not rest["deals"]["pageInfo"]["hasNextPage"]
    # a cursor belongs to its column; pages above the limit are refused
    other = api.gql(BOARD, {"stages": ["DISCOVERY"], "after": first[0]["deals"]["pageInfo"]["endCursor"]})
    assert other["errors"][0]["extensions"]["code"] == "invalid_cursor"
    assert api.gql(BOARD, {"first": 101})["errors"][0]["extensions"]["code"] == "page_size_exceeded"


def test_moving_a_deal_records_history_and_changes_the_board(api):
    ids = make_pipeline()
    deal = encode_id("Deal", ids["d2"])
    moved = api.data(MOVE, {"id": deal, "stage": "proposal"})["dealUpdate"]
    assert moved["__typename"] == "DealUpdateSuccess"
    assert [h["stage"] for h in moved["deal"]["stageHistory"]] == ["qualification", "proposal"]
    cols = _columns(api)
    assert cols["QUALIFICATION"]["count"] == 2 and _totals(cols["PROPOSAL"]) == {"USD": (1, 2000.0, 500.0)}
    refused = api.data(MOVE, {"id": deal, "stage": "nowhere"})["dealUpdate"]
    assert refused["__typename"] == "DealUpdateError" and refused["errors"][0]["field"] == "stage"


def test_a_viewer_sees_the_board_but_cannot_move_a_deal(api, viewer_api):
    ids = make_pipeline()
    assert _columns(viewer_api)["QUALIFICATION"]["count"] == 3
    body = viewer_api.gql(MOVE, {"id": encode_id("Deal", ids["d1"]), "stage": "discovery"})
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert records.get_record("Deal", ids["d1"])["stage"] == "qualification"
    assert _columns(api)["QUALIFICATION"]["count"] == 3
