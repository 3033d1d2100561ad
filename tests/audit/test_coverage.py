"""Every GraphQL mutation, performed once over HTTP, leaves audit entries: audited mutations / mutations = 1.0.

The mutations are enumerated from the schema, so a new mutation without a case here (or without an audit entry)
fails this test. A mutation that changes nothing in the graph would be listed in NO_GRAPH_CHANGE with its reason.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from graphql import get_named_type

from crn.config import get_settings
from crn.graph import db
from crn.schema.base import encode_id
from crn.schema.schema import build_schema

# Mutations that change nothing in the graph, with the reason (none today).
NO_GRAPH_CHANGE: dict[str, str] = {}

RULE = {"id": "audit-coverage", "name": "Task for key accounts",
        "trigger": {"kind": "updated", "label": "Company", "fields": ["tier"]},
        "actions": [{"type": "create_task", "params": {"title": "QBR with {{record.name}}",
                                                        "assignee": "{{event.actor}}"}}]}


def _schema():
    return build_schema(get_settings())._schema


def _mutation_fields() -> list[str]:
    return sorted(_schema().mutation_type.fields)


def _errors_fragment(name: str) -> str:
    named = get_named_type(_schema().mutation_type.fields[name].type)
    members = getattr(named, "types", None) or [named]
    return " ".join(f"... on {m.name} {{ errors {{ code message field }} }}" for m in members
                    if "errors" in m.fields and m.name.endswith("Error"))


def _head() -> int:
    row = db.read_one("MATCH (h:AuditHead) RETURN h.seq AS seq")
    return row["seq"] if row else 0


class Run:
    """Performs mutations one at a time, counting the audit entries each appends."""

    def __init__(self, api) -> None:
        self.api, self.entries = api, {}

    def __call__(self, name: str, args: str, selection: str = "", variables: dict | None = None,
                 signature: str = "") -> dict:
        document = (f"mutation{signature} {{ {name}{args} {{ __typename {selection} "
                    f"{_errors_fragment(name)} }} }}")
        before = _head()
        data = self.api.data(document, variables or {})[name]
        assert not data["__typename"].endswith("Error"), (name, data)
        self.entries[name] = self.entries.get(name, 0) + (_head() - before)
        return data


def test_every_mutation_kind_performed_once_is_audited(api):
    from tests.schema.ingest.test_mutations import upload

    run = Run(api)
    me = db.read_one("MATCH (u:User {email: 'admin@test.io'}) RETURN u.uid AS uid")["uid"]
    colleague = db.write("CREATE (u:User {uid: 'u-colleague', name: 'Colleague', email: 'c@test.io', "
                            "role: 'viewer', active: true}) RETURN u.uid AS uid")[0]["uid"]
    # records: create, update, upsert of each type
    company = run("companyCreate", '(input: {name: "Acme", country: "DE"})',
                  "... on CompanyCreateSuccess { company { id uid } }")["company"]
    run("companyUpdate", f'(id: "{company["id"]}", input: {{city: "Berlin"}})')
    run("companyUpsert", '(externalId: "crm:c1", input: {name: "Upserted Co"})')
    person = run("personCreate", '(input: {name: "Ann Lee", email: "ann@acme.test"})',
                 "... on PersonCreateSuccess { person { id uid } }")["person"]
    run("personUpdate", f'(id: "{person["id"]}", input: {{title: "CTO"}})')
    run("personUpsert", '(externalId: "crm:p1", input: {name: "Bo Li"})')
    run("userUpdate", f'(id: "{encode_id("User", colleague)}", input: {{title: "Rep"}})')
    deal = run("dealCreate", '(input: {name: "Big deal", amount: 100})',
               "... on DealCreateSuccess { deal { id uid } }")["deal"]
    run("dealUpdate", f'(id: "{deal["id"]}", input: {{amount: 200}})')
    run("dealUpsert", '(externalId: "crm:d1", input: {name: "Other deal"})')
    product = run("productCreate", '(input: {name: "Widget", sku: "W-1"})',
                  "... on ProductCreateSuccess { product { id uid } }")["product"]
    run("productUpdate", f'(id: "{product["id"]}", input: {{price: 9.5}})')
    run("productUpsert", '(externalId: "crm:w2", input: {name: "Gadget", sku: "W-2"})')
    at = datetime.now(timezone.utc).isoformat()
    order = run("orderCreate", f'(input: {{number: "O-1", placedAt: "{at}"}})',
                "... on OrderCreateSuccess { order { id uid } }")["order"]
    run("orderUpdate", f'(id: "{order["id"]}", input: {{total: 10}})')
    run("orderUpsert", f'(externalId: "crm:o2", input: {{number: "O-2", placedAt: "{at}"}})')
    ticket = run("ticketCreate", '(input: {subject: "Help"})',
                 "... on TicketCreateSuccess { ticket { id uid } }")["ticket"]
    run("ticketUpdate", f'(id: "{ticket["id"]}", input: {{priority: "high"}})')
    run("ticketUpsert", '(externalId: "crm:t2", input: {subject: "Other"})')
    interaction = run("interactionCreate", f'(input: {{kind: "call", subject: "Hello", at: "{at}"}})',
                      "... on InteractionCreateSuccess { interaction { id uid } }")["interaction"]
    run("interactionUpdate", f'(id: "{interaction["id"]}", input: {{summary: "Went well"}})')
    run("interactionUpsert", f'(externalId: "crm:i2", input: {{kind: "email", subject: "Hi", at: "{at}"}})')
    run("interactionLog", f'(input: {{participants: ["{person["id"]}"], subject: "Met", kind: "meeting"}})')
    # links
    run("link", f'(input: {{type: EMPLOYMENT, fromId: "{person["id"]}", toId: "{company["id"]}"}})')
    run("unlink", f'(input: {{type: EMPLOYMENT, fromId: "{person["id"]}", toId: "{company["id"]}"}})')
    run("ticketAssign", f'(id: "{ticket["id"]}", assignee: "{encode_id("User", colleague)}")')
    # rules
    run("ruleSave", "(rule: $rule)", signature="($rule: JSON!)", variables={"rule": RULE})
    run("ruleSetActive", f'(id: "{RULE["id"]}", active: false)')
    run("ruleDelete", f'(id: "{RULE["id"]}")')
    # tasks
    task = run("taskCreate", '(input: {title: "Call back"})', "... on TaskSuccess { task { uid } }")["task"]
    until = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    run("taskSnooze", f'(uid: "{task["uid"]}", until: "{until}")')
    run("taskAssign", f'(uid: "{task["uid"]}", assignee: "{colleague}")')
    run("taskComplete", f'(uid: "{task["uid"]}")')
    run("taskReopen", f'(uid: "{task["uid"]}")')
    # custom fields
    run("customFieldDefine", '(input: {recordType: "Company", kind: "text", captionEn: "Region", name: "region"})')
    run("customFieldChange", '(recordType: "Company", name: "region", input: {captionZh: "地区"})')
    run("customFieldRemove", '(recordType: "Company", name: "region")')
    run("customFieldRestore", '(recordType: "Company", name: "region")')
    api.data('mutation { customFieldRemove(recordType: "Company", name: "region") { __typename } }')
    run("customFieldPurge", '(recordType: "Company", name: "region")')
    # saved views
    view = run("savedViewCreate", '(input: {list: COMPANIES, name: "Mine", params: {}})',
               "... on SavedViewSuccess { view { uid } }")["view"]
    run("savedViewDelete", f'(uid: "{view["uid"]}")')
    # access (issue 13): teams, members, territories, sharing rules, defaults, the personal-data flag, owners
    changed = "... on AccessChanged { uid }"
    region = run("teamCreate", '(name: "EMEA")', changed)["uid"]
    team = run("teamCreate", f'(name: "DACH", parent: "{region}")', changed)["uid"]
    run("teamUpdate", f'(uid: "{team}", name: "DACH sales")')
    colleague_id = encode_id("User", colleague)
    run("accessMemberAdd", f'(group: "{team}", userId: "{colleague_id}")')
    run("accessMemberRemove", f'(group: "{team}", userId: "{colleague_id}")')
    territory = run("territoryCreate", '(input: {name: "Germany", countries: ["DE"]})', changed)["uid"]
    run("territoryUpdate", f'(uid: "{territory}", input: {{name: "Germany", countries: ["DE", "AT"]}})')
    rule = run("sharingRuleCreate", f'(input: {{recordType: COMPANY, name: "German accounts", team: "{team}", '
               'level: READ, field: "country", values: ["DE"]})', changed)["uid"]
    run("sharingRuleDelete", f'(uid: "{rule}")')
    run("territoryDelete", f'(uid: "{territory}")')
    run("orgDefaultSet", "(recordType: DEAL, level: READ)")
    run("personalDataSet", f'(userId: "{colleague_id}", allowed: true)')
    run("recordOwnerSet", f'(id: "{company["id"]}", ownerId: "{colleague_id}")')
    run("teamDelete", f'(uid: "{team}")')
    # personal-data rights (privacy, issue 13 §3): consent, the data-subject export, the erasure
    run("personConsentSet", f'(id: "{person["id"]}", channel: EMAIL, granted: true, source: "signup form")')
    run("personExport", f'(id: "{person["id"]}")')
    run("personErase", f'(id: "{person["id"]}", confirm: "Ann Lee")')
    # an import (multipart)
    before = _head()
    response = upload(api, "companies", "companies.csv", b"name,domain\nImported Co,imported.test\n")
    assert response.json()["data"]["importFile"]["__typename"] == "ImportFileSuccess", response.text
    run.entries["importFile"] = _head() - before
    # deletes
    for kind, record in (("interaction", interaction), ("ticket", ticket), ("order", order), ("product", product),
                         ("deal", deal), ("person", person), ("company", company)):
        run(f"{kind}Delete", f'(id: "{record["id"]}", force: true)')
    # the caller's own password, last (it ends the caller's sessions; the token stays)
    run("passwordChange", '(currentPassword: "longenough", newPassword: "longenough-2")')

    mutations = [m for m in _mutation_fields() if m not in NO_GRAPH_CHANGE]
    missing = sorted(set(mutations) - set(run.entries))
    assert not missing, f"mutations with no case in this test (add one, or list it in NO_GRAPH_CHANGE): {missing}"
    unaudited = sorted(m for m in mutations if run.entries[m] < 1)
    assert not unaudited, f"mutations that left no audit entry: {unaudited}"
    assert sum(1 for m in mutations if run.entries[m] >= 1) / len(mutations) == 1.0

    # through the API (the fixture made its user and token as "system"; the import's record changes come through
    # "import"), by the token's user, and the chain verifies
    rows = db.read("MATCH (a:AuditEntry) RETURN a.channel AS channel, a.actor AS actor, a.action AS action, "
                   "a.payload AS payload ORDER BY a.seq")
    assert {r["channel"] for r in rows} == {"system", "api", "import"}
    assert {r["actor"] for r in rows if r["channel"] == "api"} == {me}
    assert {r["action"] for r in rows if r["channel"] == "import"} == {"create", "import"}
    verdict = api.data("{ auditVerify { ok checked firstBroken } }")["auditVerify"]
    assert verdict["ok"] and verdict["checked"] == len(rows), verdict
    assert "longenough" not in json.dumps(rows)  # no password, ever
