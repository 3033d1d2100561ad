"""Task mutations and myOpenTasks over GraphQL: typed errors, ordering, pagination, viewers refused."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crn.graph import db

CREATE = """mutation($input: TaskInput!) { taskCreate(input: $input) { __typename
  ... on TaskSuccess { task { uid title status assigneeUid subjectUid } }
  ... on TaskError { errors { code field } } } }"""
MY = """query($first: Int, $after: String) { myOpenTasks(first: $first, after: $after) { totalCount
  pageInfo { hasNextPage endCursor } nodes { uid title overdue } } }"""


def iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).isoformat()


def create(api, title: str, due: timedelta | None = None) -> str:
    result = api.data(CREATE, {"input": {"title": title, "dueAt": iso(due) if due is not None else None}})
    return result["taskCreate"]["task"]["uid"]


def test_my_open_tasks_overdue_first_then_due_date_with_pages(api):
    later = create(api, "later", timedelta(days=3))
    overdue = create(api, "overdue", timedelta(days=-2))
    soon = create(api, "soon", timedelta(hours=5))
    page = api.data(MY, {"first": 2})["myOpenTasks"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    assert [(n["uid"], n["overdue"]) for n in page["nodes"]] == [(overdue, True), (soon, False)]
    rest = api.data(MY, {"first": 2, "after": page["pageInfo"]["endCursor"]})["myOpenTasks"]
    assert [n["uid"] for n in rest["nodes"]] == [later] and not rest["pageInfo"]["hasNextPage"]


def test_complete_snooze_reopen_assign_and_typed_errors(api):
    uid = create(api, "call back", timedelta(days=1))
    done = api.data('mutation($u: String!) { taskComplete(uid: $u) { ... on TaskSuccess { task { status } } } }',
                    {"u": uid})
    assert done["taskComplete"]["task"]["status"] == "done"
    assert api.data(MY)["myOpenTasks"]["totalCount"] == 0
    api.data('mutation($u: String!) { taskReopen(uid: $u) { __typename } }', {"u": uid})
    snooze = 'mutation($u: String!, $t: DateTime!) { taskSnooze(uid: $u, until: $t) { __typename ' \
             '... on TaskError { errors { code field } } } }'
    past = api.data(snooze, {"u": uid, "t": iso(timedelta(hours=-1))})["taskSnooze"]
    assert past == {"__typename": "TaskError", "errors": [{"code": "invalid_value", "field": "until"}]}
    assert api.data(snooze, {"u": uid, "t": iso(timedelta(days=7))})["taskSnooze"]["__typename"] == "TaskSuccess"
    assert api.data(MY)["myOpenTasks"]["totalCount"] == 0
    assert db.read_one("MATCH (t:Task {uid: $u}) RETURN t.snoozed_until IS NOT NULL AS s", u=uid)["s"]
    bad = api.data('mutation($u: String!) { taskAssign(uid: $u, assignee: "ghost") { ... on TaskError '
                   '{ errors { code field } } } }', {"u": uid})
    assert bad["taskAssign"]["errors"] == [{"code": "not_found", "field": "assignee"}]
    missing = api.data(CREATE, {"input": {"title": " "}})["taskCreate"]
    assert missing == {"__typename": "TaskError", "errors": [{"code": "required", "field": "title"}]}


def test_viewers_cannot_change_tasks(api, viewer_api):
    uid = create(api, "mine", timedelta(days=1))
    for document in ('mutation($u: String!) { taskComplete(uid: $u) { __typename } }',
                     'mutation($u: String!) { taskReopen(uid: $u) { __typename } }'):
        refused = viewer_api.gql(document, {"u": uid})
        assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    refused = viewer_api.gql(CREATE, {"input": {"title": "x"}})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    assert db.read_one("MATCH (t:Task {uid: $u}) RETURN t.status AS s", u=uid)["s"] == "open"
    assert db.read_one("MATCH (t:Task) RETURN count(t) AS n")["n"] == 1
    assert viewer_api.data(MY)["myOpenTasks"]["totalCount"] == 0


LOG = """mutation($input: InteractionLogInput!) { interactionLog(input: $input) { __typename
  ... on InteractionLogSuccess { interaction { id kind subject } }
  ... on InteractionLogError { errors { code field } } } }"""


def test_interaction_log_links_participants_atomically(api, viewer_api):
    from crn.schema.base import encode_id

    db.write("CREATE (:Person {uid: 'p1', name: 'Pia'}), (:Deal {uid: 'd1', name: 'D'})")
    me = api.data("{ me { id } }")["me"]["id"]
    ok = api.data(LOG, {"input": {"kind": "call", "subject": "Intro", "participants": [me, encode_id("Person", "p1")],
                                  "about": [encode_id("Deal", "d1")]}})["interactionLog"]
    assert ok["__typename"] == "InteractionLogSuccess" and ok["interaction"]["kind"] == "call"
    assert db.read_one("MATCH (i:Interaction)-[:INVOLVED]->(x) RETURN count(x) AS n")["n"] == 2
    bad = api.data(LOG, {"input": {"kind": "call", "participants": [encode_id("Person", "ghost")]}})["interactionLog"]
    assert bad == {"__typename": "InteractionLogError", "errors": [{"code": "not_found", "field": "participants.0"}]}
    refused = viewer_api.gql(LOG, {"input": {"kind": "note", "participants": [encode_id("Person", "p1")]}})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    assert db.read_one("MATCH (i:Interaction) RETURN count(i) AS n")["n"] == 1
