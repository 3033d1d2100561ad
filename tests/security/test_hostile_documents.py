"""Hostile GraphQL documents: every one is refused before it runs, with a clear error code.

Deep nesting, alias bombs, fragment bombs and cycles, huge lists, cursor tricks and expensive fields inside
lists. For each document the suite asserts that the response has no data, that the first error carries the
expected ``extensions.code``, and that the request made no more Neo4j round trips than a request that
runs nothing (``{ __typename }``: the token look-up) — so nothing of the document executed. It also checks
the server answered each in bounded time (a fragment bomb must not keep a validator busy).
"""

from __future__ import annotations

import base64
import time

import pytest

from crn.graph import db
from tests.schema.conftest import Api

COMPANY = base64.b64encode(b"Company:nope").decode()


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _nested(levels: int, inner: str) -> str:
    for _ in range(levels):
        inner = f"parents {{ company {{ {inner} }} }}"
    return inner


def _connections(chain: list[str], size: int, leaf: str = "id") -> str:
    """Connections nested in the order given, each asking ``size`` items: ``companies > contacts > ...``."""
    inner = leaf
    for field in reversed(chain):
        inner = f"{field}(first: {size}) {{ edges {{ node {{ {inner} }} }} }}"
    return f"{{ {inner} }}"


def _fragment_bomb(levels: int, spreads: int, leaf: str = "name") -> str:
    fragments = [f"fragment F{levels} on User {{ {leaf} }}"]
    for i in range(levels - 1, -1, -1):
        fragments.append(f"fragment F{i} on User {{ " + " ".join(f"...F{i + 1}" for _ in range(spreads)) + " }")
    return "{ me { ...F0 } } " + " ".join(fragments)


HOSTILE: list[tuple[str, str, dict | None, str]] = [
    # -- deep nesting
    ("depth 50 through parents", f'{{ company(id: "{COMPANY}") {{ {_nested(25, "name")} }} }}', None, "query_too_deep"),
    ("depth 13 (one past the limit)", f'{{ company(id: "{COMPANY}") {{ {_nested(6, "name")} }} }}', None,
     "query_too_deep"),
    ("depth through fragments", f'{{ company(id: "{COMPANY}") {{ ...A }} }} '
     f'fragment A on Company {{ {_nested(4, "...B")} }} fragment B on Company {{ {_nested(4, "name")} }}', None,
     "query_too_deep"),
    ("400 nested inline fragments", "{ me { " + "... on User { " * 400 + "name" + " }" * 400 + " } }", None,
     "query_too_deep"),
    # -- alias bombs
    ("31 aliases (one past the limit)", "{ me { " + " ".join(f"a{i}: name" for i in range(31)) + " } }", None,
     "too_many_aliases"),
    ("1000 aliases", "{ me { " + " ".join(f"a{i}: name" for i in range(1000)) + " } }", None, "too_many_tokens"),
    ("aliases multiplied by a fragment", "{ a: me { ...F } b: me { ...F } c: me { ...F } } fragment F on User { "
     + " ".join(f"n{i}: name" for i in range(20)) + " }", None, "too_many_aliases"),
    ("25 aliased canvases", "{ " + " ".join(f'n{i}: neighbourhood(id: "{COMPANY}", depth: 3, limit: 1000) '
                                             "{ truncated }" for i in range(25)) + " }", None, "query_too_expensive"),
    ("aliased heavy analytics", "{ " + " ".join(f'f{i}: corporateFamily(companyId: "{COMPANY}") {{ cycles }} '
                                                f'i{i}: influence(scope: "company:x") {{ scope }}'
                                                for i in range(10)) + " }", None, "query_too_expensive"),
    # -- fragment bombs and cycles
    ("fragment bomb 10^8", _fragment_bomb(8, 10), None, "too_many_fields"),
    ("fragment bomb 3^12", _fragment_bomb(12, 3), None, "too_many_fields"),
    ("fragment bomb of heavy fields", "{ me { ...F0 } } fragment F0 on User { " + " ".join(
        f"d{i}: deals {{ ...F1 }}" for i in range(5)) + " } fragment F1 on Deal { " + " ".join(
        f"c{i}: company {{ network(depth: 3, limit: 1000) {{ truncated }} }}" for i in range(5)) + " }", None,
     "query_too_expensive"),
    ("fragment cycle", "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }", None,
     "fragment_cycle"),
    ("fragment spreading itself", "{ me { ...A } } fragment A on User { name ...A }", None, "fragment_cycle"),
    ("cycle through a field", "{ me { ...A } } fragment A on User { deals { owners { ...A } } }", None,
     "fragment_cycle"),
    # -- huge lists
    ("first: 1000000", "{ companies(first: 1000000) { totalCount } }", None, "page_size_exceeded"),
    ("last: 1000000 through a variable", "query($n: Int) { companies(last: $n) { totalCount } }", {"n": 1000000},
     "page_size_exceeded"),
    ("nested first: 101", f'{{ company(id: "{COMPANY}") {{ contacts(first: 101) {{ totalCount }} }} }}', None,
     "page_size_exceeded"),
    ("negative first", "{ companies(first: -1) { totalCount } }", None, "invalid_page_size"),
    ("negative last through a variable", "query($n: Int) { people(last: $n) { totalCount } }", {"n": -3},
     "invalid_page_size"),
    ("first: 100 nested 3 levels", _connections(["companies", "contacts", "tickets"], 100), None,
     "query_too_expensive"),
    ("first: 100 nested 3 levels through deals", _connections(["companies", "deals", "interactions"], 100), None,
     "query_too_expensive"),
    ("first: 30 nested 3 levels, aliased 5 times", "{ " + " ".join(
        f"a{i}: " + _connections(["companies", "contacts", "interactions"], 30)[2:-2] for i in range(5)) + " }", None,
     "query_too_expensive"),
    ("first: 100 nested through variables", "query($n: Int) { companies(first: $n) { nodes { "
     "contacts(first: $n) { nodes { tickets(first: $n) { nodes { subject } } } } } } }", {"n": 100},
     "query_too_expensive"),
    ("unsized relation lists 5 deep", f'{{ company(id: "{COMPANY}") {{ '
     + "partners { " * 5 + "name" + " }" * 5 + " } }", None, "query_too_expensive"),
    # -- cursor tricks (refused whatever connection they are sent to)
    ("cursor not base64", '{ companies(after: "%%%garbage%%%") { totalCount } }', None, "invalid_cursor"),
    ("cursor of something else", f'{{ companies(after: "{_cursor("hello")}") {{ totalCount }} }}', None,
     "invalid_cursor"),
    ("negative cursor", f'{{ companies(before: "{_cursor("cursor:list:Company:-5")}") {{ totalCount }} }}', None,
     "invalid_cursor"),
    ("cursor past 2^31", f'{{ companies(after: "{_cursor("cursor:list:Company:99999999999999999999")}") '
     "{ totalCount } }", None, "invalid_cursor"),
    ("garbled cursor through a variable", "query($c: String) { people(before: $c) { totalCount } }",
     {"c": _cursor("cursor:list:Person:1;DROP")}, "invalid_cursor"),
    ("another list's cursor", f'{{ companies(after: "{_cursor("cursor:list:Person:5")}") {{ totalCount }} }}',
     None, "invalid_cursor"),
    ("a nested connection's cursor on a list", f'{{ people(after: "{_cursor("cursor:company_contacts:5")}") '
     "{ totalCount } }", None, "invalid_cursor"),
    ("garbled cursor on a nested connection", f'{{ company(id: "{COMPANY}") {{ contacts(after: "@@") '
     "{ totalCount } } }", None, "invalid_cursor"),
    # -- expensive fields inside lists
    ("network of every company of a page", "{ companies(first: 100) { nodes { network(depth: 2, limit: 500) "
     "{ truncated } } } }", None, "query_too_expensive"),
    ("family roll-up of 100 companies, three times", "{ " + " ".join(
        f"p{i}: companies(first: 100) {{ nodes {{ familyRollup {{ companies }} }} }}" for i in range(3)) + " }", None,
     "query_too_expensive"),
    ("networks of all contacts", f'{{ company(id: "{COMPANY}") {{ contacts(first: 100) {{ nodes {{ '
     "network(depth: 1, limit: 500) { truncated } } } } }", None, "query_too_expensive"),
    ("a canvas past the limit", f'{{ neighbourhood(id: "{COMPANY}", depth: 50, limit: 100000) {{ truncated }} }}',
     None, "query_too_expensive"),
    ("whole-network analytics in aliases", "{ " + " ".join(f"g{i}: possibleGroups {{ weight }}"
                                                           for i in range(2)) + " }", None, "query_too_expensive"),
    # -- and the plain floods
    ("token flood", "{ me { " + " ".join("name" for _ in range(3000)) + " } }", None, "too_many_tokens"),
    ("introspection", "{ __schema { types { name fields { name } } } }", None, "introspection_disabled"),
    ("repeated directives", "{ me @include(if: true) @include(if: true) { name } }", None, "invalid_document"),
]


def _baseline(api: Api) -> int:
    """Round trips of a request that executes nothing of its own (the token look-up)."""
    api.data("{ __typename }")
    before = db.total_round_trips()
    api.data("{ __typename }")
    return db.total_round_trips() - before


@pytest.mark.parametrize("name,document,variables,code", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_document_is_refused_before_execution(admin_api, name, document, variables, code):
    baseline = _baseline(admin_api)
    before, started = db.total_round_trips(), time.monotonic()
    body = admin_api.post(document, variables).json()
    elapsed = time.monotonic() - started
    assert body.get("data") is None, body
    assert body["errors"][0].get("extensions", {}).get("code") == code, body["errors"][0]
    assert db.total_round_trips() - before == baseline, "the document reached the database"
    assert elapsed < 5, f"{name} took {elapsed:.1f} s to refuse"


def test_every_hostile_document_is_refused(admin_api, capsys):
    """The whole suite in one go: the count of documents refused before execution equals the count sent."""
    baseline = _baseline(admin_api)
    refused = []
    for name, document, variables, code in HOSTILE:
        before = db.total_round_trips()
        body = admin_api.post(document, variables).json()
        if (body.get("data") is None and body["errors"][0].get("extensions", {}).get("code") == code
                and db.total_round_trips() - before == baseline):
            refused.append(name)
    with capsys.disabled():
        print(f"\nhostile documents refused before execution: {len(refused)} of {len(HOSTILE)}")
    assert len(refused) == len(HOSTILE) >= 40, sorted({h[0] for h in HOSTILE} - set(refused))


def test_expanded_fields_count_every_spread_and_each_unused_fragment_once():
    from graphql import parse

    from crn.schema.limits import expanded_fields

    assert expanded_fields(parse("{ me { ...A ...A } } fragment A on User { name email }")) == 1 + 2 * 2
    assert expanded_fields(parse("{ me { name } } fragment U on User { name deals { name } }")) == 2 + 3
    assert expanded_fields(parse(_fragment_bomb(8, 10))) == 1 + 10**8


def test_the_expanded_field_limit_holds_at_its_edge(admin_api, monkeypatch):
    from starlette.testclient import TestClient

    from crn.app import create_app

    document = "{ me { ...F ...F } } fragment F on User { name email }"  # 1 + 2 x 2 = 5 fields
    monkeypatch.setenv("CRN_MAX_FIELDS", "5")
    assert Api(TestClient(create_app()), admin_api.token).data(document)["me"]["name"] == "Admin"
    monkeypatch.setenv("CRN_MAX_FIELDS", "4")
    body = Api(TestClient(create_app()), admin_api.token).post(document).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "too_many_fields"
    assert body["errors"][0]["message"].startswith("The document holds 5 field selections once its fragments are "
                                                   "expanded; the limit is 4 (CRN_MAX_FIELDS).")
