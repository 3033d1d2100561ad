"""Automation over GraphQL: rules CRUD for admins/managers, typed errors, dry runs, run history, myTasks."""

from __future__ import annotations

from crn.automation.worker import Worker
from crn.graph import db

SAVE = """mutation($rule: JSON!) { ruleSave(rule: $rule) { __typename
  ... on RuleSaveSuccess { rule { id version active triggerKind definition versions { version } } }
  ... on RuleSaveError { errors { code message field } } } }"""

RULE = {"id": "new-key-account", "name": "Task for new key accounts",
        "trigger": {"kind": "updated", "label": "Company", "fields": ["tier"]},
        "conditions": {"all": [{"name": "after.tier", "operator": "equal_to", "value": "key"}]},
        "actions": [{"type": "create_task", "params": {"title": "Plan a QBR with {{record.name}}",
                                                        "assignee": "{{event.actor}}"}}]}


def test_rules_crud_with_versions_and_typed_errors(api):
    saved = api.data(SAVE, {"rule": RULE})["ruleSave"]
    assert saved["__typename"] == "RuleSaveSuccess"
    assert saved["rule"]["version"] == 1 and saved["rule"]["triggerKind"] == "updated"
    changed = {**RULE, "name": "QBR task for new key accounts"}
    assert api.data(SAVE, {"rule": changed})["ruleSave"]["rule"]["versions"] == [{"version": 1}, {"version": 2}]
    bad = api.data(SAVE, {"rule": {**RULE, "actions": [{"type": "nope"}]}})["ruleSave"]
    assert bad == {"__typename": "RuleSaveError", "errors": [
        {"code": "unknown_action", "message": bad["errors"][0]["message"], "field": "actions.0.type"}]}
    off = api.data('mutation { ruleSetActive(id: "new-key-account", active: false) { __typename } }')
    assert off["ruleSetActive"]["__typename"] == "RuleChangeSuccess"
    assert api.data("{ rules { id active } }")["rules"] == [{"id": "new-key-account", "active": False}]
    missing = api.data('mutation { ruleDelete(id: "ghost") { ... on RuleChangeError { errors { code field } } } }')
    assert missing["ruleDelete"]["errors"] == [{"code": "not_found", "field": "id"}]
    api.data('mutation { ruleDelete(id: "new-key-account") { __typename } }')
    assert api.data("{ rules { id } }")["rules"] == []


def test_viewers_may_read_but_not_change_rules(api, viewer_api):
    api.data(SAVE, {"rule": RULE})
    # issue 13: a rule and its runs are visible to its author and to admins only
    assert [r["id"] for r in api.data("{ rules { id } }")["rules"]] == ["new-key-account"]
    assert viewer_api.data("{ rules { id } }")["rules"] == []
    refused = viewer_api.gql(SAVE, {"rule": {**RULE, "id": "other"}})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"


def test_an_api_change_fires_the_rule_and_the_task_shows_in_my_tasks(api):
    me = api.data("{ me { uid } }")["me"]["uid"]
    api.data(SAVE, {"rule": RULE})
    company = api.data('mutation { companyCreate(input: {name: "Acme"}) { ... on CompanyCreateSuccess '
                       '{ company { id } } } }')["companyCreate"]["company"]["id"]
    dry = api.data("query($r: JSON!) { ruleDryRun(rule: $r, sinceDays: 1) { fired { action } errors { code } } }",
                   {"r": {**RULE, "trigger": {"kind": "created", "label": "Company"}, "conditions": None}})
    assert dry["ruleDryRun"] == {"fired": [{"action": "create_task"}], "errors": []}
    api.data('mutation($id: ID!) { companyUpdate(id: $id, input: {tier: "key"}) { __typename } }', {"id": company})
    Worker().run_once()
    tasks = api.data("{ myTasks { title status ruleId } }")["myTasks"]
    assert tasks == [{"title": "Plan a QBR with Acme", "status": "open", "ruleId": "new-key-account"}]
    runs = api.data('{ ruleRuns(ruleId: "new-key-account") { outcome attempt action } }')["ruleRuns"]
    assert runs == [{"outcome": "success", "attempt": 1, "action": "create_task"}]
    assert db.read_one("MATCH (t:Task)-[:ASSIGNED_TO]->(u:User) RETURN u.uid AS u")["u"] == me


def test_the_vocabulary_is_listed(api):
    vocab = api.data("{ automationVocabulary }")["automationVocabulary"]
    assert {"send_email", "create_task", "call_webhook", "assign_owner"} <= {a["name"] for a in vocab["actions"]}
    assert {"champion_left", "subsidiary_deal_opened"} == {g["name"] for g in vocab["graph_triggers"]}


def test_rules_show_their_last_run_and_dry_run_by_id_within_bounded_days(api):
    api.data(SAVE, {"rule": RULE})
    other = {**RULE, "id": "quiet", "name": "Never fires"}
    api.data(SAVE, {"rule": other})
    query = "{ rules { id lastRun { outcome action } } }"
    assert api.data(query)["rules"] == [{"id": "new-key-account", "lastRun": None}, {"id": "quiet", "lastRun": None}]
    company = api.data('mutation { companyCreate(input: {name: "Acme"}) { ... on CompanyCreateSuccess '
                       '{ company { id } } } }')["companyCreate"]["company"]["id"]
    api.data('mutation($id: ID!) { companyUpdate(id: $id, input: {tier: "key"}) { __typename } }', {"id": company})
    Worker().run_once()
    assert api.data(query)["rules"][0] == {"id": "new-key-account",
                                           "lastRun": {"outcome": "success", "action": "create_task"}}
    assert api.data('{ rule(id: "new-key-account") { lastRun { outcome } } }')["rule"]["lastRun"] == \
        {"outcome": "success"}
    dry = "query($id: String, $days: Float!) { ruleDryRun(id: $id, sinceDays: $days) { fired { action alreadyDone " \
          "subjectLabel subjectName } note errors { code field } } }"
    stored = api.data(dry, {"id": "new-key-account", "days": 60})["ruleDryRun"]  # the longest window
    assert stored["errors"] == [] and [(f["action"], f["subjectLabel"], f["subjectName"]) for f in stored["fired"]] \
        == [("create_task", "Company", "Acme")]  # acting on nothing
    assert api.data('{ ruleRuns(ruleId: "new-key-account") { uid } }')["ruleRuns"].__len__() == 1
    for days in (60.5, 0, -1):
        refused = api.data(dry, {"id": "new-key-account", "days": days})["ruleDryRun"]
        assert refused["errors"] == [{"code": "invalid_since_days", "field": "sinceDays"}], days
    assert api.data(dry, {"id": "ghost", "days": 1})["ruleDryRun"]["errors"] == [{"code": "not_found", "field": "id"}]
    neither = api.data(dry, {"id": None, "days": 1})["ruleDryRun"]
    assert neither["errors"] == [{"code": "invalid_input", "field": "rule"}]
