"""Saved views and the ticket queue over GraphQL: typed errors, owner-only views, SLA state, assignment."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crn.crm import records
from crn.graph import db
from crn.schema.base import encode_id

SAVE = """mutation($input: SavedViewInput!) { savedViewCreate(input: $input) { __typename
  ... on SavedViewSuccess { view { uid list name params } } ... on SavedViewError { errors { code field } } } }"""
MINE = "query($list: SavedViewList) { mySavedViews(list: $list) { uid list name params } }"
DELETE = """mutation($uid: String!) { savedViewDelete(uid: $uid) { __typename
  ... on SavedViewError { errors { code field } } } }"""


def test_saved_views_are_per_user_and_typed_errors(api, viewer_api):
    saved = api.data(SAVE, {"input": {"list": "TICKETS", "name": "Urgent", "params": {"priority": "urgent,high",
                                                                                      "sort": "sla_due_at"}}})
    view = saved["savedViewCreate"]["view"]
    assert view["list"] == "tickets" and view["params"] == {"priority": "urgent,high", "sort": "sla_due_at"}
    # a viewer keeps their own views (a preference, not a CRM record) and never sees the admin's
    assert viewer_api.data(SAVE, {"input": {"list": "PEOPLE", "name": "Mine", "params": {}}})[
        "savedViewCreate"]["__typename"] == "SavedViewSuccess"
    assert [v["name"] for v in viewer_api.data(MINE)["mySavedViews"]] == ["Mine"]
    assert [v["name"] for v in api.data(MINE, {"list": "TICKETS"})["mySavedViews"]] == ["Urgent"]
    assert api.data(MINE, {"list": "COMPANIES"})["mySavedViews"] == []
    refused = viewer_api.data(DELETE, {"uid": view["uid"]})["savedViewDelete"]
    assert refused == {"__typename": "SavedViewError", "errors": [{"code": "not_found", "field": "id"}]}
    bad = api.data(SAVE, {"input": {"list": "COMPANIES", "name": "", "params": {"stage": "x"}}})["savedViewCreate"]
    assert bad["errors"] == [{"code": "required", "field": "name"}, {"code": "unknown_field", "field": "params.stage"}]
    not_object = api.data(SAVE, {"input": {"list": "COMPANIES", "name": "x", "params": [1]}})["savedViewCreate"]
    assert not_object["errors"] == [{"code": "invalid_value", "field": "params"}]
    assert api.data(DELETE, {"uid": view["uid"]})["savedViewDelete"]["__typename"] == "SavedViewSuccess"
    assert api.data(MINE)["mySavedViews"] == []


QUEUE = """query($filter: TicketFilter, $sort: TicketSort, $first: Int, $after: String) {
  ticketQueue(filter: $filter, sort: $sort, first: $first, after: $after) { totalCount
  pageInfo { hasNextPage endCursor } edges { node { slaState ticket { id subject assignees { id } } } } } }"""
ASSIGN = """mutation($id: ID!, $assignee: ID) { ticketAssign(id: $id, assignee: $assignee) { __typename
  ... on TicketAssignSuccess { ticket { id assignees { id } } } ... on TicketAssignError { errors { code field } } } }"""


def test_ticket_queue_states_sorting_paging_and_assignment(api, viewer_api):
    now = datetime.now(timezone.utc)
    for subject, due in [("late", now - timedelta(hours=1)), ("soon", now + timedelta(hours=2)),
                         ("fine", now + timedelta(days=3)), ("none", None)]:
        records.create_record("Ticket", {"subject": subject, "sla_due_at": due}, None)
    page = api.data(QUEUE, {"sort": {"field": "SLA_DUE_AT", "direction": "ASC"}, "first": 3,
                            "filter": {"status": ["open"]}})["ticketQueue"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"]
    rows = [(e["node"]["ticket"]["subject"], e["node"]["slaState"]) for e in page["edges"]]
    assert rows == [("late", "BREACHED"), ("soon", "DUE_SOON"), ("fine", "OK")]
    breached = api.data(QUEUE, {"filter": {"slaBreached": True}})["ticketQueue"]
    assert [e["node"]["ticket"]["subject"] for e in breached["edges"]] == ["late"]

    ticket = page["edges"][0]["node"]["ticket"]["id"]
    me = api.data("{ me { id } }")["me"]["id"]
    done = api.data(ASSIGN, {"id": ticket, "assignee": me})["ticketAssign"]
    assert done["ticket"]["assignees"] == [{"id": me}]
    mine = api.data(QUEUE, {"filter": {"assignee": me}})["ticketQueue"]
    assert [e["node"]["ticket"]["id"] for e in mine["edges"]] == [ticket]
    ghost = api.data(ASSIGN, {"id": ticket, "assignee": encode_id("User", "ghost")})["ticketAssign"]
    assert ghost == {"__typename": "TicketAssignError", "errors": [{"code": "not_found", "field": "assignee"}]}
    refused = viewer_api.gql(ASSIGN, {"id": ticket, "assignee": None})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    assert db.read_one("MATCH (:User)-[r:ASSIGNED]->(:Ticket) RETURN count(r) AS n")["n"] == 1
