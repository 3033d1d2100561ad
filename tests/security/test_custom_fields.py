"""Attacks on custom fields: names and filters that try to reach Cypher, non-admins changing definitions, limits
at their edges, and values that try to bypass a field's rules."""

from __future__ import annotations

from crn.crm import fields
from crn.graph import db

DEFINE = """mutation($input: CustomFieldInput!) { customFieldDefine(input: $input) { __typename
  ... on CustomFieldError { errors { code field } } } }"""
LIST = "query($filter: CompanyFilter) { companies(filter: $filter) { totalCount } }"
CREATE = """mutation($input: CompanyInput!) { companyCreate(input: $input) { __typename
  ... on CompanyCreateError { errors { code field } } } }"""


def _define(api, **input):
    return api.data(DEFINE, {"input": input})["customFieldDefine"]


def test_a_field_name_cannot_carry_cypher(admin_api):
    for name in ("x} RETURN 1 //", "a`b", "name DETACH DELETE n", "Region", "1st", "a" * 41):
        result = _define(admin_api, recordType="Company", kind="text", captionEn="X", name=name)
        assert result["errors"] == [{"code": "invalid_name", "field": "name"}], name
    assert _define(admin_api, recordType="Company) DETACH DELETE (n", kind="text", captionEn="X")["errors"][0][
        "code"] == "not_customizable"
    assert db.read_one("MATCH (f:FieldDefinition) RETURN count(f) AS n")["n"] == 0


def test_filters_on_custom_fields_are_checked_names_and_parameters(admin_api):
    fields.forget()
    _define(admin_api, recordType="Company", kind="text", captionEn="Region")
    admin_api.data(CREATE, {"input": {"name": "Acme", "custom": {"region": "north"}}})
    hostile = [{"name": "region} OR true //", "op": "in", "value": ["x"]},
               {"name": "region", "op": "in) OR (true", "value": ["x"]},
               {"name": "region", "op": "contains", "value": "' OR 1=1 //"}]
    for condition in hostile[:2]:
        body = admin_api.gql(LIST, {"filter": {"custom": [condition]}})
        assert body["data"] is None and body["errors"], condition
    assert admin_api.data(LIST, {"filter": {"custom": [hostile[2]]}})["companies"]["totalCount"] == 0  # a value
    assert admin_api.data(LIST, {"filter": {"custom": [{"name": "region", "op": "in", "value": ["north"]}]}})[
        "companies"]["totalCount"] == 1


def test_only_admins_define_change_remove_restore_or_purge(admin_api, manager_api, viewer_api):
    _define(admin_api, recordType="Deal", kind="text", captionEn="Segment")
    for api in (manager_api, viewer_api):
        for document in ('mutation { customFieldDefine(input: {recordType: "Deal", kind: "text", captionEn: "Y"}) { __typename } }',
                         'mutation { customFieldChange(recordType: "Deal", name: "segment", input: {required: true}) { __typename } }',
                         'mutation { customFieldRemove(recordType: "Deal", name: "segment") { __typename } }',
                         'mutation { customFieldRestore(recordType: "Deal", name: "segment") { __typename } }',
                         'mutation { customFieldPurge(recordType: "Deal", name: "segment") { __typename } }'):
            assert api.gql(document)["data"] is None, document
    row = db.read_one("MATCH (f:FieldDefinition {name: 'segment'}) RETURN f.version AS v, f.status AS s")
    assert row == {"v": 1, "s": "active"}


def test_option_and_caption_limits_hold_at_their_edges(admin_api):
    ok = [{"value": "v" * 100, "en": "e" * 100, "zh": "中" * 100}]
    assert _define(admin_api, recordType="Ticket", kind="choice", captionEn="C" * 80, name="edge", options=ok)[
        "__typename"] == "CustomFieldSuccess"
    too_long = [{"value": "v" * 101}]
    assert _define(admin_api, recordType="Ticket", kind="choice", captionEn="C", name="over", options=too_long)[
        "errors"] == [{"code": "too_long", "field": "options"}]
    assert _define(admin_api, recordType="Ticket", kind="text", captionEn="C" * 81, name="cap")["errors"] == [
        {"code": "too_long", "field": "captionEn"}]
    many = [{"value": f"o{i}"} for i in range(201)]
    assert _define(admin_api, recordType="Ticket", kind="choice", captionEn="M", name="many", options=many)[
        "errors"] == [{"code": "too_many_options", "field": "options"}]
    assert _define(admin_api, recordType="Ticket", kind="choice", captionEn="M", name="many", options=many[:200])[
        "__typename"] == "CustomFieldSuccess"


def test_custom_values_obey_the_field_and_cannot_write_other_properties(admin_api):
    fields.forget()
    _define(admin_api, recordType="Company", kind="choice", captionEn="Tier two", name="tier_two",
            options=[{"value": "a"}])
    sneaky = admin_api.data(CREATE, {"input": {"name": "X", "custom": {"tier_two": "b"}}})["companyCreate"]
    assert sneaky["errors"] == [{"code": "invalid_choice", "field": "tierTwo"}]
    for key in ("uid", "updated_by", "password_hash", "cf_tier_two", "name"):
        body = admin_api.data(CREATE, {"input": {"name": "Y", "custom": {key: "z"}}})["companyCreate"]
        assert body["__typename"] == "CompanyCreateError", key
        assert body["errors"][0]["code"] == "unknown_field" and body["errors"][0]["field"].startswith("custom."), key
    assert db.read_one("MATCH (c:Company) RETURN count(c) AS n")["n"] == 0
