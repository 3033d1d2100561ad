"""Automation cannot be used to escalate or exfiltrate: attacks through the GraphQL rule mutations and the
real outbox → worker → SMTP/webhook path (issue 10, item 2).

Each test is an attack a manager (or a demoted author) could try; it fails if the hole reopens.
"""

from __future__ import annotations

import json

import pytest

from crn import auth
from crn.automation.worker import Worker
from crn.config import get_settings
from crn.graph import db
from crn.graph.queries import automation as q
from crn.schema.base import encode_id
from tests.automation.conftest import automation, smtp_server, webhook_server  # noqa: F401 - fixtures

RULE_SAVE = """
mutation Save($rule: JSON!) {
  ruleSave(rule: $rule) {
    __typename
    ... on RuleSaveSuccess { rule { id version } }
    ... on RuleSaveError { errors { code message field } }
  }
}
"""

LINK = """
mutation Link($input: LinkInput!) {
  link(input: $input) { __typename ... on LinkError { errors { code message } } }
}
"""

USER_UPDATE = """
mutation Demote($id: ID!, $input: UserInput!) { userUpdate(id: $id, input: $input) { __typename } }
"""

COMPANY_CREATE = """
mutation New($input: CompanyInput!) { companyCreate(input: $input) { __typename } }
"""


def _uid(email: str) -> str:
    return auth.get_user(email).uid


def _save(api, rule: dict) -> dict:
    return api.data(RULE_SAVE, {"rule": rule})["ruleSave"]


def _codes(result: dict) -> list[str]:
    assert result["__typename"] == "RuleSaveError", result
    return [e["code"] for e in result["errors"]]


def _link_own_deal(api, email: str, deal_uid: str = "d1") -> None:
    out = api.data(LINK, {"input": {"type": "DEAL_OWNER", "fromId": encode_id("User", _uid(email)),
                                    "toId": encode_id("Deal", deal_uid)}})["link"]
    assert out["__typename"] == "LinkSuccess", out


def _runs(rule_id: str) -> list[dict]:
    return db.read(q.RULE_RUNS, rule_id=rule_id, limit=50)


def _role(email: str) -> str:
    return db.read_one("MATCH (u:User {email: $e}) RETURN u.role AS role", e=email)["role"]


def _plant_legacy_rule(rule: dict, author: str | None, purpose: str | None = None) -> None:
    """Store a rule as a save before this fix would have (no authority checks), through the store's query;
    ``purpose`` None is a rule saved before rules had one (it counts as marketing)."""
    db.write(q.SAVE_RULE, id=rule["id"], name=rule["name"], active=True, trigger_kind=rule["trigger"]["kind"],
             definition=json.dumps(rule, sort_keys=True, separators=(",", ":")), now=None, actor=author,
             purpose=purpose)


ESCALATE = {"id": "escalate", "name": "make me admin", "trigger": {"kind": "linked", "label": "OWNS"},
            "actions": [{"type": "update_field", "params": {"field": "role", "value": "admin"}}]}


@pytest.fixture
def deal(admin_api, automation):  # noqa: F811 - pytest fixture from tests.automation.conftest
    db.write("CREATE (:Deal {uid: 'd1', name: 'Big deal', status: 'open', stage: 'proposal'})")
    return "d1"


# ---- saving: what a manager may not store --------------------------------------------------------------

def test_manager_cannot_save_a_rule_that_sets_a_users_role(manager_api, deal):
    codes = _codes(_save(manager_api, ESCALATE))
    assert "forbidden_field" in codes


@pytest.mark.parametrize("field", ["role", "active", "uid", "created_at", "updated_at", "updated_by",
                                   "password_hash", "hash"])
def test_update_field_refuses_protected_fields_even_for_admins(admin_api, deal, field):
    rule = {"id": "set-it", "name": "x", "trigger": {"kind": "updated", "label": "Deal"},
            "actions": [{"type": "update_field", "params": {"field": field, "value": "x"}}]}
    result = _save(admin_api, rule)
    assert _codes(result) == ["forbidden_field"]
    assert "update_field" in result["errors"][0]["message"] and result["errors"][0]["field"] == \
        "actions.0.params.field"


def test_update_field_allows_a_declared_field_of_the_trigger_label(manager_api, deal):
    ok = {"id": "deal-prob", "name": "x", "trigger": {"kind": "updated", "label": "Deal"},
          "actions": [{"type": "update_field", "params": {"field": "probability", "value": 0.5}}]}
    assert _save(manager_api, ok)["__typename"] == "RuleSaveSuccess"
    # a field of another label is not a field of a deal
    wrong = {**ok, "id": "deal-tier", "actions": [{"type": "update_field", "params": {"field": "tier",
                                                                                     "value": "gold"}}]}
    assert _codes(_save(manager_api, wrong)) == ["forbidden_field"]


@pytest.mark.parametrize("label", ["User", "ApiToken", "Session"])
def test_users_tokens_and_sessions_are_never_rule_subjects(admin_api, deal, label):
    for kind in ("created", "updated", "deleted", "manual"):
        rule = {"id": f"on-{label.lower()}", "name": "x", "trigger": {"kind": kind, "label": label},
                "actions": [{"type": "send_email", "params": {"to": "a@b.io", "subject": "s"}}]}
        assert _codes(_save(admin_api, rule)) == ["forbidden_subject"], (label, kind)


def test_only_admins_save_rules_that_call_webhooks(admin_api, manager_api, deal):
    rule = {"id": "hook", "name": "x", "trigger": {"kind": "created", "label": "Company"},
            "actions": [{"type": "call_webhook", "params": {"url": "https://example.com/hook"}}]}
    result = _save(manager_api, rule)
    assert _codes(result) == ["forbidden_action"]
    assert "admin" in result["errors"][0]["message"] and result["errors"][0]["field"] == "actions.0.type"
    assert _save(admin_api, rule)["__typename"] == "RuleSaveSuccess"


RULE_SET_ACTIVE = """
mutation On($id: String!, $active: Boolean!) {
  ruleSetActive(id: $id, active: $active) {
    __typename ... on RuleChangeError { errors { code message field } }
  }
}
"""


def test_a_manager_cannot_switch_on_an_admins_webhook_rule(admin_api, manager_api, deal):
    """The rule would run with the admin's authority: switching it on needs the right to save it."""
    rule = {"id": "hook", "name": "x", "trigger": {"kind": "created", "label": "Company"},
            "actions": [{"type": "call_webhook", "params": {"url": "https://example.com/hook"}}]}
    assert _save(admin_api, rule)["__typename"] == "RuleSaveSuccess"
    assert admin_api.data(RULE_SET_ACTIVE, {"id": "hook", "active": False})["ruleSetActive"]["__typename"] == \
        "RuleChangeSuccess"
    refused = manager_api.data(RULE_SET_ACTIVE, {"id": "hook", "active": True})["ruleSetActive"]
    assert refused["__typename"] == "RuleChangeError"
    assert [e["code"] for e in refused["errors"]] == ["forbidden_action"]
    assert db.read_one("MATCH (r:Rule {id: 'hook'}) RETURN r.active AS active")["active"] is False
    # switching off stays open to managers (it only ever stops work); the admin may switch it on again
    assert admin_api.data(RULE_SET_ACTIVE, {"id": "hook", "active": True})["ruleSetActive"]["__typename"] == \
        "RuleChangeSuccess"
    assert manager_api.data(RULE_SET_ACTIVE, {"id": "hook", "active": False})["ruleSetActive"]["__typename"] == \
        "RuleChangeSuccess"


def test_only_admins_save_rules_triggered_by_links_from_users(admin_api, manager_api, deal):
    rule = {"id": "owner-notice", "name": "x", "trigger": {"kind": "linked", "label": "OWNS"},
            "actions": [{"type": "send_email", "params": {"to": "{{record.email}}", "subject": "yours"}}]}
    assert _codes(_save(manager_api, rule)) == ["forbidden_action"]
    assert _save(admin_api, rule)["__typename"] == "RuleSaveSuccess"


@pytest.mark.parametrize("placeholder", ["record.password_hash", "before.password_hash", "after.hash",
                                         "row.password_hash", "event.before.password_hash"])
def test_templates_cannot_name_a_secret(admin_api, deal, placeholder):
    rule = {"id": "leak", "name": "x", "trigger": {"kind": "created", "label": "Company"},
            "actions": [{"type": "send_email", "params": {"to": "a@b.io", "subject": "s",
                                                          "body": f"{{{{ {placeholder} }}}}"}}]}
    result = _save(admin_api, rule)
    assert _codes(result) == ["forbidden_variable"]
    assert result["errors"][0]["field"] == "actions.0.params.body"


# ---- running: the author's authority, checked again at delivery ----------------------------------------

def test_a_stored_escalation_rule_cannot_make_its_author_admin(manager_api, deal, automation):  # noqa: F811
    """A rule saved before the fix (no save checks) still cannot change a user when it runs."""
    _plant_legacy_rule(ESCALATE, author=_uid("manager@test.io"))
    _link_own_deal(manager_api, "manager@test.io")
    Worker(clock=automation).run_once()
    assert _role("manager@test.io") == "manager"
    runs = _runs("escalate")
    assert runs and all(r["outcome"] == "dead" for r in runs)
    assert "forbidden" in runs[0]["error"]


def test_an_operator_rule_cannot_act_on_a_user_either(manager_api, deal, automation):  # noqa: F811
    """Even an operator (CLI) rule that passes the save checks does not change the user a link starts at."""
    from crn.automation import store

    rule = {"id": "rename", "name": "x", "trigger": {"kind": "linked", "label": "OWNS"},
            "actions": [{"type": "update_field", "params": {"field": "name", "value": "pwned"}}]}
    saved, errors = store.save_rule(rule, actor="cli")
    assert errors == [] and saved
    _link_own_deal(manager_api, "manager@test.io")
    Worker(clock=automation).run_once()
    assert db.read_one("MATCH (u:User {email: 'manager@test.io'}) RETURN u.name AS n")["n"] == "Manager"
    runs = _runs("rename")
    assert [r["outcome"] for r in runs] == ["dead"] and "forbidden_subject" in runs[0]["error"]


EMAIL_ON_COMPANY = {"id": "hello", "name": "x", "trigger": {"kind": "created", "label": "Company"},
                    "actions": [{"type": "send_email", "params": {"to": "admin@test.io",  # staff: not marketing
                                                                  "subject": "New: {{record.name}}"}}]}


def _create_company(api, name: str) -> None:
    assert api.data(COMPANY_CREATE, {"input": {"name": name}})["companyCreate"]["__typename"] == \
        "CompanyCreateSuccess"


def test_an_active_authors_rule_runs(manager_api, deal, automation, smtp_server):  # noqa: F811
    assert _save(manager_api, EMAIL_ON_COMPANY)["__typename"] == "RuleSaveSuccess"
    _create_company(manager_api, "Acme")
    assert Worker(clock=automation).run_once()["success"] == 1
    assert [m["Subject"] for m in smtp_server.to("admin@test.io")] == ["New: Acme"]


@pytest.mark.parametrize("change,code", [({"active": False}, "author_inactive"),
                                         ({"role": "viewer"}, "author_forbidden")])
def test_a_rule_stops_when_its_author_loses_the_right(admin_api, manager_api, deal, automation,  # noqa: F811
                                                     smtp_server, change, code):  # noqa: F811
    assert _save(manager_api, EMAIL_ON_COMPANY)["__typename"] == "RuleSaveSuccess"
    out = admin_api.data(USER_UPDATE, {"id": encode_id("User", _uid("manager@test.io")), "input": change})
    assert out["userUpdate"]["__typename"] == "UserUpdateSuccess"
    _create_company(admin_api, "Acme")
    counts = Worker(clock=automation).run_once()
    assert counts["success"] == 0 and counts["dead"] == 1
    assert smtp_server.messages == []
    run = _runs("hello")[0]
    assert run["outcome"] == "dead" and code in run["error"]
    # an admin saving the same definition takes the rule over: it runs with the admin's authority
    assert _save(admin_api, EMAIL_ON_COMPANY)["rule"]["version"] == 2
    _create_company(admin_api, "Initech")
    assert Worker(clock=automation).run_once()["success"] == 1
    assert [m["Subject"] for m in smtp_server.messages] == ["New: Initech"]


def test_a_rule_stops_when_its_author_is_gone(manager_api, deal, automation, smtp_server):  # noqa: F811
    assert _save(manager_api, EMAIL_ON_COMPANY)["__typename"] == "RuleSaveSuccess"
    db.write("MATCH (u:User {email: 'manager@test.io'}) DETACH DELETE u")
    from crn.crm import records

    assert records.create_record("Company", {"name": "Acme"}, actor=None).ok
    assert Worker(clock=automation).run_once()["dead"] == 1
    assert smtp_server.messages == [] and "author_missing" in _runs("hello")[0]["error"]


def test_a_webhook_rule_stops_when_its_admin_author_is_demoted(admin_api, deal, automation,  # noqa: F811
                                                              webhook_server, monkeypatch):  # noqa: F811
    recorder, url = webhook_server
    rule = {"id": "hook", "name": "x", "trigger": {"kind": "created", "label": "Company"},
            "actions": [{"type": "call_webhook", "params": {"url": url}}]}
    other = _save(admin_api, {**rule, "id": "hook-kept"})
    assert other["__typename"] == "RuleSaveSuccess"
    # a second admin writes the rule that is later demoted
    auth.create_user("admin2@test.io", "Admin Two", "longenough", "admin")
    from tests.schema.conftest import Api
    admin2 = Api(admin_api.client, auth.create_token("admin2@test.io"))
    assert _save(admin2, rule)["__typename"] == "RuleSaveSuccess"
    admin_api.data(USER_UPDATE, {"id": encode_id("User", _uid("admin2@test.io")), "input": {"role": "manager"}})
    _create_company(admin_api, "Acme")
    Worker(clock=automation).run_once()
    assert len(recorder.requests) == 1  # only the rule of the admin who is still an admin
    assert recorder.requests[0]["json"]["rule"]["id"] == "hook-kept"
    run = _runs("hook")[0]
    assert run["outcome"] == "dead" and "author_forbidden" in run["error"]


# ---- secrets never leave: plant them, then look for them everywhere ------------------------------------

def _planted_secrets() -> list[str]:
    """Every credential hash in the database (passwords, API tokens, sessions), plus a planted marker."""
    from crn.auth import sessions

    sessions.create_session(auth.get_user("manager@test.io"), ttl_seconds=3600)
    db.write("MATCH (u:User {email: 'manager@test.io'}) SET u.hash = 'planted-user-hash-0451'")
    rows = db.read("MATCH (n) WHERE n.password_hash IS NOT NULL OR n.hash IS NOT NULL "
                   "RETURN coalesce(n.password_hash, n.hash) AS s UNION "
                   "MATCH (n:User) WHERE n.hash IS NOT NULL RETURN n.hash AS s")
    secrets = sorted({r["s"] for r in rows})
    assert len(secrets) >= 6  # 3 password hashes, 3 token hashes, a session hash, the marker
    return secrets


def _no_secret_in(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret leaked through {where}"
    for name in ('"password_hash"', "'password_hash'", "password_hash:"):
        assert name not in text, f"password_hash named in {where}"


def test_secrets_never_reach_emails_webhooks_outbox_or_runs(admin_api, manager_api, deal, automation,  # noqa: F811
                                                            smtp_server, webhook_server):  # noqa: F811
    recorder, url = webhook_server
    secrets = _planted_secrets()
    # what an attacker wrote into rules before the fix: templates naming the secrets, a webhook with the record
    leak = {"id": "leak", "name": "x", "trigger": {"kind": "linked", "label": "OWNS"},
            "actions": [{"type": "send_email", "params": {
                "to": "thief@test.io", "subject": "{{record.password_hash}}",
                "body": "{{record.password_hash}} {{record.hash}} {{event.before.password_hash}} {{record}}"}},
                {"type": "call_webhook", "params": {"url": url}}]}
    # an operator rule, so authority is not what stops it; transactional, so consent is not either
    _plant_legacy_rule(leak, author=None, purpose="transactional")
    deleted = {"id": "leak-deleted", "name": "x", "trigger": {"kind": "deleted", "label": "User"},
               "actions": [{"type": "call_webhook", "params": {"url": url}}]}
    _plant_legacy_rule(deleted, author=None)
    _link_own_deal(manager_api, "manager@test.io")
    db.write("CREATE (:User {uid: 'gone', name: 'Gone', email: 'gone@test.io', password_hash: 'planted-gone-pw'})")
    from crn.crm import records

    assert records.delete_record("User", "gone", actor=None).ok
    secrets.append("planted-gone-pw")
    Worker(clock=automation).run_once()

    assert len(smtp_server.messages) == 1 and recorder.requests
    _no_secret_in(smtp_server.messages[0].as_string(), secrets, "an email")
    for request in recorder.requests:
        _no_secret_in(request["body"].decode(), secrets, "a webhook")
    by_rule = {r["json"]["rule"]["id"]: r["json"] for r in recorder.requests}
    assert by_rule["leak"]["record"]["email"] == "manager@test.io"  # the record still arrives, without secrets
    assert by_rule["leak-deleted"]["event"]["before"]["email"] == "gone@test.io"
    outbox = db.read("MATCH (o:OutboxItem) RETURN o.context AS c, o.params AS p, o.result AS r")
    _no_secret_in(json.dumps(outbox), secrets, "the outbox")
    _no_secret_in(json.dumps(_runs("leak") + _runs("leak-deleted"), default=str), secrets, "rule runs")


def test_secrets_never_reach_graphql(admin_api, manager_api, deal):
    secrets = _planted_secrets()
    manager = encode_id("User", _uid("manager@test.io"))
    _link_own_deal(manager_api, "manager@test.io")
    db.write("MATCH (u:User {email: 'manager@test.io'}) "
             "CREATE (u)-[:ACCOUNT_TEAM {role: 'account_manager'}]->(:Company {uid: 'c1', name: 'Acme'})")
    for doc, variables in (
        ("query($id: ID!) { node(id: $id) { ... on User { id name email role active } } }", {"id": manager}),
        ("query($id: ID!) { deal(id: $id) { owners { id name email role active } } }",
         {"id": encode_id("Deal", "d1")}),
        ("query($id: ID!) { company(id: $id) { accountTeam { role user { id name email } } network(depth: 2) { "
         "nodes { id label subtitle } edges { id type properties } } } }", {"id": encode_id("Company", "c1")}),
        ("{ automationVocabulary }", {}),
        ("query($id: ID!) { user(id: $id) { id name email deals { id name } } }", {"id": manager}),
    ):
        response = admin_api.post(doc, variables)
        assert response.status_code == 200
        _no_secret_in(response.text, secrets, f"GraphQL {doc[:40]}")


def test_secrets_never_reach_exports(admin_api, manager_api, deal, tmp_path):
    from typer.testing import CliRunner

    from crn.cli import app

    secrets = _planted_secrets()
    runner = CliRunner()
    outputs = []
    for args, name in ((["graph"], "graph.jsonl"), (["users", "--format", "json"], "users.json"),
                       (["users", "--format", "csv"], "users.csv")):
        target = tmp_path / name
        result = runner.invoke(app, ["export", *args, "--out", str(target)])
        assert result.exit_code == 0, result.output
        outputs.append(target.read_text(encoding="utf-8-sig"))
    for text in outputs:
        _no_secret_in(text, secrets, "an export")
    graph = [json.loads(line) for line in outputs[0].splitlines()]
    labels = {label for item in graph if item["type"] == "node" for label in item["labels"]}
    assert "User" in labels and not labels & {"ApiToken", "Session"}
    assert not {item["label"] for item in graph if item["type"] == "relationship"} & {"TOKEN_OF", "SESSION_OF"}


# ---- the CLI: the operator, or a named author -----------------------------------------------------------

def test_cli_rules_run_as_the_operator_or_the_named_author(manager_api, deal, automation, tmp_path):  # noqa: F811
    from typer.testing import CliRunner

    from crn.cli import app

    runner = CliRunner()
    hook = tmp_path / "hook.yaml"
    hook.write_text("id: cli-hook\nname: Hook\ntrigger: {kind: created, label: Company}\n"
                    "actions: [{type: call_webhook, params: {url: 'https://example.com/h'}}]\n")
    as_manager = runner.invoke(app, ["rules", "add", str(hook), "--author", "manager@test.io"])
    assert as_manager.exit_code == 1 and "forbidden_action" in as_manager.output
    auth.create_user("viewer@test.io", "Viewer", "longenough", "viewer")
    as_viewer = runner.invoke(app, ["rules", "add", str(hook), "--author", "viewer@test.io"])
    assert as_viewer.exit_code == 1 and "(forbidden)" in as_viewer.output
    unknown = runner.invoke(app, ["rules", "add", str(hook), "--author", "nobody@test.io"])
    assert unknown.exit_code == 1 and "no user" in unknown.output
    operator = runner.invoke(app, ["rules", "add", str(hook)])
    assert operator.exit_code == 0 and "Saved rule cli-hook" in operator.output
    assert db.read_one("MATCH (r:Rule {id: 'cli-hook'}) RETURN r.author AS a")["a"] == "cli"
    mail = tmp_path / "mail.yaml"
    mail.write_text("id: cli-mail\nname: Mail\ntrigger: {kind: created, label: Company}\n"
                    "actions: [{type: send_email, params: {to: a@test.io, subject: hi}}]\n")
    assert runner.invoke(app, ["rules", "add", str(mail), "--author", "manager@test.io"]).exit_code == 0
    assert db.read_one("MATCH (r:Rule {id: 'cli-mail'}) RETURN r.author AS a")["a"] == _uid("manager@test.io")


def test_a_manual_run_refuses_a_user(manager_api, deal, automation):  # noqa: F811
    from crn.automation import runs, store

    rule, errors = store.save_rule({"id": "by-hand", "name": "x", "trigger": {"kind": "manual"},
                                    "actions": [{"type": "update_field", "params": {"field": "name", "value": "x"}}]})
    assert errors == []
    with pytest.raises(ValueError, match="no record with uid"):
        runs.run_now(rule, get_settings(), uids=[_uid("manager@test.io")], actor="cli")


def test_the_vocabulary_lists_the_limits(viewer_api):
    limits = viewer_api.data("{ automationVocabulary }")["automationVocabulary"]["limits"]
    assert "User" in limits["protected_labels"] and "call_webhook" in limits["admin_only_actions"]
    assert "role" not in limits["updatable_fields"].get("User", []) and "User" not in limits["updatable_fields"]
    assert "probability" in limits["updatable_fields"]["Deal"]
    assert {"OWNS", "ACCOUNT_TEAM", "ASSIGNED"} <= set(limits["user_link_types"])
