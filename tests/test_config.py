"""crn.config: Settings are built once, at a process's entry, and passed down; no request builds them again."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.automation import store
from crn.config import Settings, get_settings
from crn.graph import db
from tests.schema.conftest import COMPANY_360, make_account

ROOT = Path(__file__).resolve().parent.parent
# The places that may build Settings from the environment: a process's entries (and config.py itself).
ENTRY_POINTS = {"crn/config.py", "crn/app.py", "crn/cli.py"}
# Fallbacks for callers that pass no Settings (scripts, tests): each reads the environment once per call of a
# process-level operation, never per request (the callers in crn pass theirs). The list may only shrink.
NOT_YET_PASSED = {
    "crn/automation/worker.py",  # Worker(settings=None): a worker process's entry (`crn worker` passes its own)
    "crn/graph/db.py",  # connect(settings=None), once per process
    "crn/schema/workers.py",  # workers() before any create_app configured them
    "crn/schema/schema.py",  # sdl(): `crn schema export` and the schema test
    "crn/ingest/importer.py", "crn/ingest/formats.py",  # run_import / read_table without settings
    "crn/demo/loader.py",  # load(settings=None)
}


def test_a_request_path_builds_settings_zero_times(clean_db, monkeypatch):
    """A company 360° query (nine connections), a list, a login, cookie requests, a mutation that an active rule
    matches, an interaction (the strength listener), the intel queries and a file import: all on the app's one
    Settings."""
    monkeypatch.setenv("CRN_TOKEN_CACHE_SECONDS", "0")  # every request verifies its token (the full path)
    ids = make_account(clean_db, "s", contacts=10, deals=3, tickets=3, interactions=10)
    auth.create_user("admin@test.io", "Admin", "longenough", "admin")
    token = auth.create_token("admin@test.io")
    _, errors = store.save_rule({"id": "tag", "name": "tag",
                                 "trigger": {"kind": "created", "label": "Company"},
                                 "actions": [{"type": "add_to_segment", "params": {"segment": "new"}}]})
    assert errors == []
    settings = get_settings()
    app = create_app(settings)
    assert app.state.settings is settings

    counter = [0]
    original = Settings.__init__

    def counting(self, *args, **kwargs):
        counter[0] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(Settings, "__init__", counting)
    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(app) as client:
        def gql(query: str, variables: dict | None = None, **kwargs) -> dict:
            response = client.post("/graphql", json={"query": query, "variables": variables or {}}, **kwargs)
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            return body["data"]

        for _ in range(3):
            company = gql(COMPANY_360, {"id": ids["company"]}, headers=bearer)["company"]
            assert company["contacts"]["totalCount"] == 10
        assert gql("{ companies(first: 5) { totalCount } }", headers=bearer)["companies"]["totalCount"] >= 1
        created = gql('mutation { companyCreate(input: {name: "Acme"}) { __typename } }', headers=bearer)
        assert created["companyCreate"]["__typename"] == "CompanyCreateSuccess"
        assert clean_db.read_one("MATCH (o:OutboxItem) RETURN count(o) AS n")["n"] == 1  # the rule matched
        logged = gql("""mutation($input: InteractionLogInput!) { interactionLog(input: $input) { __typename } }""",
                     {"input": {"kind": "call", "participants": [ids["user"], ids["boss"]]}}, headers=bearer)
        assert logged["interactionLog"]["__typename"] == "InteractionLogSuccess"
        strength = gql("query($a: ID!, $b: ID!) { relationshipStrength(aId: $a, bId: $b) { interactions } }",
                       {"a": ids["user"], "b": ids["boss"]}, headers=bearer)
        assert strength["relationshipStrength"]["interactions"] >= 1
        assert gql('{ influence(scope: "company:sacct") { scope } }', headers=bearer)["influence"]
        operations = {"query": 'mutation($file: Upload!) { importFile(kind: "companies", file: $file) { __typename '
                               "... on ImportFileSuccess { written } } }", "variables": {"file": None}}
        upload = client.post("/graphql", headers=bearer, files={"0": ("c.csv", b"name,domain\nImported,imp.io\n",
                                                                     "text/csv")},
                             data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})})
        assert upload.json()["data"]["importFile"] == {"__typename": "ImportFileSuccess", "written": 1}, upload.text
        login = client.post("/auth/login", json={"email": "admin@test.io", "password": "longenough"})
        assert login.status_code == 200, login.text
        assert client.get("/auth/me").json()["user"]["email"] == "admin@test.io"  # by the session cookie
        by_cookie = client.get("/graphql", params={"query": "{ me { email } }"})
        assert by_cookie.json()["data"]["me"]["email"] == "admin@test.io"
    assert counter[0] == 0


def test_tests_give_other_settings_explicitly(clean_db):
    """A test that needs other settings builds them and passes them to create_app: nothing else is read."""
    auth.create_user("a@test.io", "A", "longenough", "admin")
    token = auth.create_token("a@test.io")
    client = TestClient(create_app(Settings(max_page_size=2)))
    response = client.post("/graphql", json={"query": "{ companies(first: 3) { totalCount } }"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.json()["errors"][0]["extensions"]["code"] == "page_size_exceeded"
    db.write("CREATE (:Company {uid: 'c1', name: 'C'})")
    other = TestClient(create_app(Settings(max_page_size=3)))
    response = other.post("/graphql", json={"query": "{ companies(first: 3) { totalCount } }"},
                          headers={"Authorization": f"Bearer {token}"})
    assert response.json()["data"]["companies"]["totalCount"] == 1


def _builders(path: Path) -> list[int]:
    """Lines of ``path`` that call get_settings() or Settings(...)."""
    tree = ast.parse(path.read_text())
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id in ("get_settings", "Settings")]


def test_only_entry_points_build_settings():
    """Everything below an entry point receives its Settings; a new get_settings() deep in crn fails here."""
    found = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / "crn").rglob("*.py"))
             if (lines := _builders(p))}
    allowed = ENTRY_POINTS | NOT_YET_PASSED
    assert {path: lines for path, lines in found.items() if path not in allowed and not path.startswith("crn/cli/")} \
        == {}


def test_settings_are_read_when_built_not_later(monkeypatch):
    """Settings hold what the environment said when they were built: changing it later changes nothing."""
    monkeypatch.setenv("CRN_MAX_PAGE_SIZE", "7")
    settings = get_settings()
    monkeypatch.setenv("CRN_MAX_PAGE_SIZE", "9")
    assert settings.max_page_size == 7 and get_settings().max_page_size == 9

