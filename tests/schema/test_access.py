"""The access model over GraphQL: admins manage teams, territories, rules, defaults and the personal-data
permission (others are refused); owners are changed by those who may change the record; accessExplain."""

from __future__ import annotations

import pytest

from crn import auth
from crn.schema.base import encode_id

# enforce: these tests are about access, so they keep a fresh install's private defaults (tests/access.py)
pytestmark = pytest.mark.usefixtures("private_defaults")


TEAMS = "{ accessTeams { uid name parent members { id name } } }"
TEAM_CREATE = """mutation($name: String!, $parent: String) { teamCreate(name: $name, parent: $parent) {
  __typename ... on AccessChanged { uid } ... on AccessError { errors { code field message } } } }"""
MEMBER_ADD = """mutation($group: String!, $user: ID!) { accessMemberAdd(group: $group, userId: $user) {
  __typename ... on AccessError { errors { code } } } }"""
DEFAULT_SET = """mutation($t: ProtectedType!, $l: DefaultLevel!) { orgDefaultSet(recordType: $t, level: $l) {
  __typename ... on AccessChanged { uid } } }"""
EXPLAIN = """query($r: ID!, $u: ID) { accessExplain(recordId: $r, userId: $u) {
  recordName found canRead canWrite reasons { kind text write } notes } }"""
OWNER_SET = """mutation($id: ID!, $owner: ID!) { recordOwnerSet(id: $id, ownerId: $owner) {
  __typename ... on AccessError { errors { code field } } } }"""
RECORD_ACCESS = "query($id: ID!) { recordAccess(id: $id) { owner { name } canRead canWrite } }"
COMPANY_CREATE = """mutation($name: String!) { companyCreate(input: {name: $name}) {
  ... on CompanyCreateSuccess { company { id uid } } } }"""


def _me(api) -> dict:
    return api.data("{ me { id uid name } }")["me"]


def test_only_admins_manage_teams_defaults_and_permissions(api, viewer_api):
    created = api.data(TEAM_CREATE, {"name": "APAC"})["teamCreate"]
    assert created["__typename"] == "AccessChanged"
    child = api.data(TEAM_CREATE, {"name": "APAC Sales", "parent": created["uid"]})["teamCreate"]["uid"]
    viewer = _me(viewer_api)
    assert api.data(MEMBER_ADD, {"group": child, "user": viewer["id"]})["accessMemberAdd"]["__typename"] \
        == "AccessChanged"
    teams = {t["name"]: t for t in api.data(TEAMS)["accessTeams"]}
    assert teams["APAC Sales"]["parent"] == created["uid"]
    assert [m["name"] for m in teams["APAC Sales"]["members"]] == ["Viewer"]
    dup = api.data(TEAM_CREATE, {"name": "apac"})["teamCreate"]
    assert dup["errors"][0]["code"] == "duplicate_name"
    assert api.data(DEFAULT_SET, {"t": "DEAL", "l": "READ"})["orgDefaultSet"]["uid"] == "Deal"
    levels = {d["recordType"]: d["level"] for d in api.data("{ orgDefaults { recordType level } }")["orgDefaults"]}
    assert levels == {"Company": "private", "Person": "private", "Deal": "read", "Ticket": "private",
                      "Interaction": "private", "Order": "private"}
    for document, variables in ((TEAMS, None), ("{ orgDefaults { level } }", None), ("{ sharingRules { uid } }", None),
                                ("{ accessUsers { personalData } }", None), ("{ accessTerritories { uid } }", None),
                                (TEAM_CREATE, {"name": "Mine"}), (DEFAULT_SET, {"t": "COMPANY", "l": "READ_WRITE"}),
                                (MEMBER_ADD, {"group": child, "user": viewer["id"]})):
        body = viewer_api.gql(document, variables)
        assert body["errors"][0]["extensions"]["code"] == "forbidden", document
    assert len(api.data(TEAMS)["accessTeams"]) == 2


def test_territories_rules_and_personal_data_round_trip(api, viewer_api):
    team = api.data(TEAM_CREATE, {"name": "Support"})["teamCreate"]["uid"]
    territory = api.data("""mutation { territoryCreate(input: {name: "China", countries: ["cn"], tiers: ["key"]}) {
      ... on AccessChanged { uid } } }""")["territoryCreate"]["uid"]
    assert api.data("{ accessTerritories { uid countries tiers } }")["accessTerritories"] == [
        {"uid": territory, "countries": ["CN"], "tiers": ["key"]}]
    rule = api.data("""mutation($team: String!) { sharingRuleCreate(input: {recordType: COMPANY, name: "Key",
      team: $team, level: READ, field: "tier", values: ["key"]}) { __typename ... on AccessChanged { uid } } }""",
                    {"team": team})["sharingRuleCreate"]
    assert rule["__typename"] == "AccessChanged"
    rules = api.data("{ sharingRules { name recordType kind teamName level field values } }")["sharingRules"]
    assert rules == [{"name": "Key", "recordType": "Company", "kind": "criteria", "teamName": "Support",
                      "level": "read", "field": "tier", "values": ["key"]}]
    bad = api.data("""mutation($team: String!) { sharingRuleCreate(input: {recordType: DEAL, name: "x", team: $team,
      level: READ}) { ... on AccessError { errors { code } } } }""", {"team": team})["sharingRuleCreate"]
    assert bad["errors"][0]["code"] == "invalid_rule"
    viewer = _me(viewer_api)
    users = {u["user"]["name"]: u for u in api.data("{ accessUsers { user { id name } personalData "
                                                    "personalDataEffective } }")["accessUsers"]}
    assert (users["Viewer"]["personalData"], users["Viewer"]["personalDataEffective"]) == (None, False)
    api.data("mutation($u: ID!) { personalDataSet(userId: $u, allowed: true) { __typename } }", {"u": viewer["id"]})
    users = {u["user"]["name"]: u for u in api.data("{ accessUsers { user { name } personalDataEffective } }")
             ["accessUsers"]}
    assert users["Viewer"]["personalDataEffective"] is True and users["Admin"]["personalDataEffective"] is True


def test_owners_are_changed_by_those_who_may_change_the_record_and_explained(api, viewer_api):
    auth.create_user("manager@test.io", "Manager", "longenough", "manager")
    from starlette.testclient import TestClient

    from crn.app import create_app
    from tests.schema.conftest import Api

    manager_api = Api(TestClient(create_app()), auth.create_token("manager@test.io"))
    manager, viewer, admin = _me(manager_api), _me(viewer_api), _me(api)
    acme = manager_api.data(COMPANY_CREATE, {"name": "Acme"})["companyCreate"]["company"]
    assert manager_api.data(RECORD_ACCESS, {"id": acme["id"]})["recordAccess"] == {
        "owner": {"name": "Manager"}, "canRead": True, "canWrite": True}
    assert viewer_api.data(RECORD_ACCESS, {"id": acme["id"]})["recordAccess"] is None
    mine = manager_api.data(EXPLAIN, {"r": acme["id"]})["accessExplain"]
    assert (mine["canRead"], mine["reasons"][0]["kind"], mine["recordName"]) == (True, "owner", "Acme")
    theirs = api.data(EXPLAIN, {"r": acme["id"], "u": viewer["id"]})["accessExplain"]
    assert (theirs["canRead"], theirs["reasons"], theirs["recordName"]) == (False, [], "Acme")
    assert "private" in theirs["notes"][0]
    refused = viewer_api.gql(EXPLAIN, {"r": acme["id"], "u": manager["id"]})
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"
    hidden = viewer_api.data(EXPLAIN, {"r": acme["id"]})["accessExplain"]
    assert (hidden["canRead"], hidden["recordName"], hidden["found"]) == (False, None, False)
    # the viewer role may not write at all; the manager hands the company to the admin, then cannot take it back
    assert viewer_api.gql(OWNER_SET, {"id": acme["id"], "owner": viewer["id"]})["errors"][0]["extensions"]["code"] \
        == "forbidden"
    assert manager_api.data(OWNER_SET, {"id": acme["id"], "owner": admin["id"]})["recordOwnerSet"]["__typename"] \
        == "AccessChanged"
    again = manager_api.data(OWNER_SET, {"id": acme["id"], "owner": manager["id"]})["recordOwnerSet"]
    assert again["errors"][0]["code"] == "not_found"
    assert api.data(RECORD_ACCESS, {"id": acme["id"]})["recordAccess"]["owner"]["name"] == "Admin"
    product = encode_id("Product", "p1")
    assert api.gql(RECORD_ACCESS, {"id": product})["errors"][0]["extensions"]["code"] == "invalid_id"
