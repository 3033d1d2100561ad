"""Mutations over HTTP: typed results, nothing changed on failure, viewers refused, errors masked."""

import logging

from crn.crm import records
from crn.graph import db
from crn.schema.base import encode_id

CREATE = """mutation($input: CompanyInput!) { companyCreate(input: $input) {
  __typename
  ... on CompanyCreateSuccess { company { id uid name domain updatedBy } }
  ... on CompanyCreateError { errors { code message field } } } }"""

LINK = """mutation($input: LinkInput!) { link(input: $input) {
  __typename
  ... on LinkSuccess { link { type fromId toId properties } }
  ... on LinkError { errors { code message field } } } }"""


def count(label: str) -> int:
    return db.read_one(f"MATCH (n:{label}) RETURN count(n) AS n")["n"]


def test_create_update_delete_company(api):
    me = api.data("{ me { uid } }")["me"]["uid"]
    created = api.data(CREATE, {"input": {"name": "Acme", "domain": "acme.com", "annualRevenue": 5.0}})
    company = created["companyCreate"]["company"]
    assert company["name"] == "Acme" and company["updatedBy"] == me
    updated = api.data("""mutation($id: ID!) { companyUpdate(id: $id, input: {tier: "key", legalName: null}) {
                            ... on CompanyUpdateSuccess { company { tier name } } } }""", {"id": company["id"]})
    assert updated["companyUpdate"]["company"] == {"tier": "key", "name": "Acme"}
    deleted = api.data("""mutation($id: ID!) { companyDelete(id: $id) { __typename
                            ... on CompanyDeleteSuccess { deletedId } } }""", {"id": company["id"]})
    assert deleted["companyDelete"] == {"__typename": "CompanyDeleteSuccess", "deletedId": company["id"]}
    assert count("Company") == 0


def test_validation_errors_are_typed_and_change_nothing(api):
    result = api.data(CREATE, {"input": {"name": "Acme", "domain": "not a domain"}})["companyCreate"]
    assert result == {"__typename": "CompanyCreateError", "errors": [
        {"code": "invalid_domain", "message": "'not a domain' is not a domain such as acme.com", "field": "domain"}]}
    assert count("Company") == 0
    api.data(CREATE, {"input": {"name": "Acme", "domain": "acme.com"}})
    dup = api.data(CREATE, {"input": {"name": "Other", "domain": "ACME.com"}})["companyCreate"]
    assert dup["errors"][0]["code"] == "duplicate_domain" and count("Company") == 1
    missing = api.data("""mutation($id: ID!) { personUpdate(id: $id, input: {name: "X"}) {
                            ... on PersonUpdateError { errors { code field } } } }""",
                       {"id": encode_id("Person", "missing")})
    assert missing["personUpdate"]["errors"] == [{"code": "not_found", "field": "id"}]


def test_links_with_cycle_check(api):
    ids = [api.data(CREATE, {"input": {"name": n}})["companyCreate"]["company"]["id"] for n in ("A", "B")]
    ok = api.data(LINK, {"input": {"type": "SUBSIDIARY", "fromId": ids[1], "toId": ids[0],
                                   "properties": {"share": 0.75, "since": "2021-03-01"}}})["link"]
    assert ok["link"] == {"type": "SUBSIDIARY_OF", "fromId": ids[1], "toId": ids[0],
                          "properties": ok["link"]["properties"]}
    assert ok["link"]["properties"]["share"] == 0.75 and ok["link"]["properties"]["since"] == "2021-03-01"
    cycle = api.data(LINK, {"input": {"type": "SUBSIDIARY", "fromId": ids[0], "toId": ids[1]}})["link"]
    assert cycle["__typename"] == "LinkError" and cycle["errors"][0]["code"] == "cycle"
    bad = api.data(LINK, {"input": {"type": "SUBSIDIARY", "fromId": ids[0], "toId": ids[1],
                                    "properties": {"share": 2}}})["link"]
    assert bad["errors"][0] == {"code": "invalid_share", "message": "share must be between 0 and 1 (a fraction)",
                                "field": "properties.share"}
    wrong_type = api.gql(LINK, {"input": {"type": "EMPLOYMENT", "fromId": ids[0], "toId": ids[1]}})
    assert wrong_type["errors"][0]["extensions"]["code"] == "invalid_id"
    unlinked = api.data("""mutation($f: ID!, $t: ID!) { unlink(input: {type: SUBSIDIARY, fromId: $f, toId: $t}) {
                             ... on UnlinkSuccess { removed } } }""", {"f": ids[1], "t": ids[0]})
    assert unlinked["unlink"] == {"removed": 1}


def test_deal_stage_and_upsert(api):
    deal = api.data("""mutation { dealUpsert(externalId: "crm:7", input: {name: "Big", stage: "proposal"}) {
                         ... on DealUpsertSuccess { deal { id stage status } } } }""")["dealUpsert"]["deal"]
    again = api.data("""mutation { dealUpsert(externalId: "crm:7", input: {stage: "closed_lost"}) {
                          ... on DealUpsertSuccess { deal { id stage status stageHistory } } } }""")
    again = again["dealUpsert"]["deal"]
    assert again["id"] == deal["id"] and again["status"] == "lost"
    assert [h["stage"] for h in again["stageHistory"]] == ["proposal", "closed_lost"]
    assert count("Deal") == 1


def test_viewers_cannot_mutate(api, viewer_api):
    body = viewer_api.gql(CREATE, {"input": {"name": "Acme"}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert count("Company") == 0
    assert viewer_api.data("{ me { role } }") == {"me": {"role": "viewer"}}


def test_unexpected_errors_are_masked_and_logged(api, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail: MATCH (n) boom")

    monkeypatch.setattr(records, "create_record", broken)
    with caplog.at_level(logging.ERROR, logger="crn.graphql"):
        body = api.gql(CREATE, {"input": {"name": "Acme"}})
    error = body["errors"][0]
    assert error["message"] == "Unexpected error; it has been logged."
    assert "secret" not in str(body) and error["extensions"] == {"code": "internal_error"}
    assert any("secret detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)
