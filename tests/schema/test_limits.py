"""Hostile documents are refused with a clear error before execution (no database work)."""

from crn.graph import db


def _refused(api, query: str, variables: dict | None = None) -> str:
    before = db.total_round_trips()
    response = api.post(query, variables)
    body = response.json()
    assert body.get("data") is None, body
    # only the authentication look-up touched the database: the document never ran
    assert db.total_round_trips() - before == 1
    return body["errors"][0]["message"]


def test_depth_50_is_refused(api):
    inner = "name"
    for _ in range(25):
        inner = f"parents {{ company {{ {inner} }} }}"
    message = _refused(api, f'{{ company(id: "x") {{ {inner} }} }}')
    assert "exceeds maximum operation depth of 12" in message


def test_thousand_aliases_are_refused(api):
    aliases = " ".join(f"a{i}: name" for i in range(1000))
    # 3,000 tokens: the parser stops first
    assert "more than 2000 tokens" in _refused(api, f"{{ me {{ {aliases} }} }}")


def test_thousand_aliases_are_refused_even_with_a_large_token_budget(api, monkeypatch):
    from starlette.testclient import TestClient

    from crn.app import create_app

    monkeypatch.setenv("CRN_MAX_TOKENS", "100000")
    api.client = TestClient(create_app())
    aliases = " ".join(f"a{i}: name" for i in range(1000))
    assert _refused(api, f"{{ me {{ {aliases} }} }}") == "1000 aliases found. Allowed: 30"


def test_fragment_expanded_aliases_are_refused(api):
    fragment = "fragment F on User { " + " ".join(f"n{i}: name" for i in range(20)) + " }"
    query = "{ a: me { ...F } b: me { ...F } c: me { ...F } } " + fragment
    message = _refused(api, query)
    assert "aliases found. Allowed: 30" in message


def test_token_flood_is_refused(api):
    fields = " ".join("name" for _ in range(3000))
    message = _refused(api, f"{{ me {{ {fields} }} }}")
    assert "token" in message.lower()


def test_huge_page_is_refused(api):
    message = _refused(api, '{ companies(first: 1000000) { totalCount } }')
    assert message == "Requesting 1000000 records on the connection exceeds the `first` limit of 100 records."


def test_huge_page_through_a_variable_is_refused_before_any_query(api):
    before = db.total_round_trips()
    body = api.gql("query($n: Int) { companies(last: $n) { totalCount } }", {"n": 1000000})
    assert db.total_round_trips() - before == 1
    assert body["errors"][0]["extensions"]["code"] == "page_size_exceeded"


def test_introspection_is_off_outside_dev(api):
    message = _refused(api, "{ __schema { types { name } } }")
    assert "introspection has been disabled" in message
    message = _refused(api, '{ __type(name: "Company") { name fields { name } } }')
    assert "`__type` may only ask for `name` and `kind`" in message
    assert api.data('{ __type(name: "Company") { name kind } }') == {"__type": {"name": "Company", "kind": "OBJECT"}}


def test_introspection_and_graphiql_in_dev(clean_db, monkeypatch):
    from starlette.testclient import TestClient

    from crn import auth
    from crn.app import create_app

    monkeypatch.setenv("CRN_DEV", "1")
    client = TestClient(create_app())
    assert "graphiql" in client.get("/graphql", headers={"Accept": "text/html"}).text.lower()
    auth.create_user("d@x.io", "Dev", "longenough", "viewer")
    token = auth.create_token("d@x.io")
    body = client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_no_graphiql_outside_dev(api):
    response = api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code in (401, 404)
