"""Through what a change came: ui (session cookie), api (bearer token), cli, import, rule; and the entries of
logins, failed logins, logouts, tokens and exports (never a password, never a token's secret)."""

from __future__ import annotations

import pytest

import json

from starlette.testclient import TestClient
from typer.testing import CliRunner

from crn import audit, auth
from crn.app import create_app
from crn.graph import access, db

CREATE = 'mutation { companyCreate(input: {name: "%s"}) { __typename ... on CompanyCreateSuccess { company { uid } } } }'


def _rows(**where) -> list[dict]:
    rows = db.read("MATCH (a:AuditEntry) RETURN a {.*} AS a ORDER BY a.seq")
    return [{**r["a"], "payload": json.loads(r["a"]["payload"])} for r in rows
            if all(r["a"].get(k) == v for k, v in where.items())]


def test_ui_and_api_channels_logins_logouts_and_failed_logins(clean_db):
    user = auth.create_user("rep@test.io", "Rita Rep", "longenough", "manager")
    token = auth.create_token("rep@test.io", "laptop")
    client = TestClient(create_app())
    origin = {"Origin": "http://testserver"}
    assert client.post("/auth/login", json={"email": "rep@test.io", "password": "wrong-password"},
                       headers=origin).status_code == 401
    assert client.post("/auth/login", json={"email": "rep@test.io", "password": "longenough"},
                       headers=origin).status_code == 200
    assert client.post("/graphql", json={"query": CREATE % "Through the UI"}, headers=origin).status_code == 200
    assert client.post("/auth/logout", headers=origin).status_code == 200
    api = TestClient(create_app())
    assert api.post("/graphql", json={"query": CREATE % "Through the API"},
                    headers={"Authorization": f"Bearer {token}"}).status_code == 200

    [failed] = _rows(action="login_failed")
    assert failed["channel"] == "ui" and failed["payload"]["details"]["email"] == "rep@test.io"
    assert failed["payload"]["details"]["via"] == "password"
    [login] = _rows(action="login")
    assert (login["actor"], login["target"], login["channel"]) == (user.uid, user.uid, "ui")
    [logout] = _rows(action="logout")
    assert (logout["actor"], logout["channel"]) == (user.uid, "ui")
    by_ui, by_api = _rows(action="create", target_label="Company")
    assert (by_ui["channel"], by_ui["actor"], by_ui["payload"]["actor_name"]) == ("ui", user.uid, "Rita Rep")
    token_id = token.split("_")[1]
    assert (by_api["channel"], by_api["ref"], by_api["actor"]) == ("api", token_id, user.uid)
    stored = json.dumps(_rows())
    assert "longenough" not in stored and "wrong-password" not in stored and token.split("_", 2)[2] not in stored


def test_token_create_and_revoke_are_recorded_without_the_secret(clean_db):
    user = auth.create_user("ops@test.io", "Ops", "longenough", "admin")
    token = auth.create_token("ops@test.io", "ci", expires_days=30)
    assert auth.revoke_token(token) == 1
    created, revoked = _rows(action="token_create"), _rows(action="token_revoke")
    token_id = token.split("_")[1]
    assert [(r["target"], r["ref"]) for r in created + revoked] == [(user.uid, token_id)] * 2
    assert created[0]["payload"]["details"] == {"token_id": token_id, "name": "ci", "expires_days": 30}
    assert token.split("_", 2)[2] not in json.dumps(_rows())
    [made] = _rows(action="create", target_label="User")  # users made outside the record layer too
    assert {c["field"] for c in made["payload"]["changes"]} == {"email", "name", "role", "active"}


def test_cli_channel(clean_db, monkeypatch):
    from crn.cli import app

    monkeypatch.setenv("CRN_ADMIN_PASSWORD", "admin-password-1")
    result = CliRunner().invoke(app, ["users", "ensure-admin"])
    assert result.exit_code == 0, result.output
    [made] = _rows(action="create", target_label="User")
    assert made["channel"] == "cli" and made["payload"]["actor_name"].startswith("crn CLI")
    exported = CliRunner().invoke(app, ["audit", "export", "--out", str(clean_db and "/dev/null")])
    assert exported.exit_code == 0, exported.output
    [export] = _rows(action="export")
    assert export["channel"] == "cli" and export["payload"]["details"]["what"] == "audit trail"


def test_cli_verify_reports_the_first_broken_entry(clean_db):
    from crn.cli import app

    audit.install()
    from crn.crm import records

    with access.bound(access.SYSTEM):
        uid = records.create_record("Company", {"name": "Acme"}, None).record["uid"]
        records.update_record("Company", uid, {"city": "Lyon"}, None)
    ok = CliRunner().invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "audit trail OK: 2 entries verified" in ok.output, ok.output
    db.write("MATCH (a:AuditEntry {seq: 2}) SET a.payload = replace(a.payload, 'Lyon', 'Nice')")
    broken = CliRunner().invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "BROKEN at entry 2" in broken.output, broken.output


def test_import_channel_and_the_run_entry(clean_db, tmp_path):
    from crn.ingest import importer

    audit.install()
    source = tmp_path / "companies.csv"
    source.write_text("name,domain\nAcme,acme.test\nGlobex,globex.test\n", encoding="utf-8")
    with access.bound(access.SYSTEM):
        summary = importer.run_import("companies", source, actor="u-importer")
    assert summary.written == 2
    created = _rows(action="create", target_label="Company")
    [run] = _rows(action="import")
    assert {r["channel"] for r in created} == {"import"} and {r["ref"] for r in created} == {run["ref"]}
    assert run["channel"] == "import" and run["actor"] == "u-importer"
    assert {k: run["payload"]["details"][k] for k in ("kind", "file", "read", "written", "skipped")} == {
        "kind": "companies", "file": "companies.csv", "read": 2, "written": 2, "skipped": 0}


def test_rule_channel_names_the_rule(clean_db, monkeypatch):
    import crn.automation
    from crn.automation import store
    from crn.automation.worker import Worker
    from crn.config import get_settings
    from crn.crm import events, records

    monkeypatch.setenv("CRN_AUTOMATION_RULES_TTL", "0")
    crn.automation.install(get_settings())
    audit.install()
    try:
        with access.bound(access.SYSTEM):
            rule, errors = store.save_rule({"id": "tier-new", "name": "New companies are in Lyon",
                                            "trigger": {"kind": "created", "label": "Company"},
                                            "actions": [{"type": "update_field",
                                                         "params": {"field": "city", "value": "Lyon"}}]})
            assert not errors, errors
            records.create_record("Company", {"name": "Acme"}, None)
            Worker(settings=get_settings()).run_once()
    finally:
        events.unsubscribe(crn.automation.LISTENER_NAME)
    [saved] = _rows(action="rule_create")
    assert saved["target"] == "tier-new"
    [changed] = _rows(action="update", target_label="Company")
    assert (changed["channel"], changed["ref"]) == ("rule", "tier-new")
    assert changed["payload"]["changes"] == [{"field": "city", "before": None, "after": "Lyon"}]


@pytest.mark.usefixtures("private_defaults")  # the viewer must not read the admin's company
def test_viewers_cannot_read_admin_only_entries(api, viewer_api):
    api.data(CREATE % "Admin's company")
    api.data('mutation { ruleSave(rule: {id: "r1", name: "R", trigger: {kind: "created", label: "Company"}, '
             'actions: [{type: "create_task", params: {title: "t", assignee: "admin@test.io"}}]}) { __typename } }')
    query = "{ auditTrail(first: 50) { total entries { action label } } }"
    everything = api.data(query)["auditTrail"]
    assert {"create", "rule_create", "token_create"} <= {e["action"] for e in everything["entries"]}
    seen = viewer_api.data(query)["auditTrail"]
    assert seen["entries"] == [] and seen["total"] is None  # a private company, a rule, users, tokens: admins only
    verify = viewer_api.gql("{ auditVerify { ok } }")
    assert verify["errors"][0]["extensions"]["code"] == "forbidden"
    assert api.data("{ auditVerify { ok checked } }")["auditVerify"]["ok"]
    csv = api.data("{ auditTrailCsv(filter: {action: \"create\", label: \"Company\"}) { rows contentBase64 } }")
    assert csv["auditTrailCsv"]["rows"] == 1
    bad = api.gql('{ auditTrail(filter: {channel: "fax"}) { total } }')
    assert bad["errors"][0]["extensions"]["code"] == "invalid_filter"


@pytest.mark.usefixtures("private_defaults")  # the viewer must not read the admin's company
def test_csv_download_over_http(api, viewer_api):
    api.data(CREATE % "Downloaded")
    response = api.client.get("/audit/export.csv?action=create&label=Company",
                              headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("seq,at,actor") and len(lines) == 2 and ",create,Company," in lines[1]
    assert response.headers["x-rows"] == "1"
    [export] = _rows(action="export")
    assert export["channel"] == "api" and export["payload"]["details"]["filter"] == {"action": "create",
                                                                                    "label": "Company"}
    viewer = viewer_api.client.get("/audit/export.csv", headers={"Authorization": f"Bearer {viewer_api.token}"})
    assert viewer.status_code == 200 and viewer.text.strip().splitlines()[1:] == []  # a private company: not theirs
    assert api.client.get("/audit/export.csv").status_code == 401
    bad = api.client.get("/audit/export.csv?from=yesterday", headers={"Authorization": f"Bearer {api.token}"})
    assert bad.status_code == 400 and "from='yesterday'" in bad.json()["error"]["message"]
