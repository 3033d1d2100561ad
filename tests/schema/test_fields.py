"""Custom fields over GraphQL: admins define them; records write them in `custom`, read typed `customFields`
and filter on them with `custom` conditions — without restarting the server; viewers and managers only read."""

from __future__ import annotations

from crn.crm import fields

DEFINE = """mutation($input: CustomFieldInput!) { customFieldDefine(input: $input) { __typename
  ... on CustomFieldSuccess { field { name kind captionZh status version options { value labelZh } } }
  ... on CustomFieldError { errors { code field message } } } }"""
CREATE = """mutation($input: CompanyInput!) { companyCreate(input: $input) { __typename
  ... on CompanyCreateSuccess { company { id name customFields { name kind captionEn text number date boolean choices } } }
  ... on CompanyCreateError { errors { code field } } } }"""
UPDATE = """mutation($id: ID!, $input: CompanyInput!) { companyUpdate(id: $id, input: $input) { __typename
  ... on CompanyUpdateSuccess { company { customFields(names: ["seats"]) { name number } } }
  ... on CompanyUpdateError { errors { code field } } } }"""
LIST = """query($filter: CompanyFilter) { companies(filter: $filter, first: 10) { totalCount edges { node { name } } } }"""


def _define(api, **input):
    return api.data(DEFINE, {"input": input})["customFieldDefine"]


def test_define_write_read_and_filter_without_a_restart(api):
    fields.forget()
    region = _define(api, recordType="Company", kind="choice", captionEn="Region", captionZh="大区",
                     options=[{"value": "north", "zh": "华北"}, {"value": "south", "zh": "华南"}])
    assert region["field"] == {"name": "region", "kind": "choice", "captionZh": "大区", "status": "active", "version": 1,
                               "options": [{"value": "north", "labelZh": "华北"}, {"value": "south", "labelZh": "华南"}]}
    _define(api, recordType="Company", kind="number", captionEn="Seats")
    _define(api, recordType="Company", kind="multi_choice", captionEn="Products owned", options=[{"value": "a"},
                                                                                                {"value": "b"}])
    made = api.data(CREATE, {"input": {"name": "Acme", "custom": {"region": "north", "seats": 40,
                                                                   "products_owned": ["a", "b"]}}})["companyCreate"]
    values = {v["name"]: v for v in made["company"]["customFields"]}
    assert values["region"]["text"] == "north" and values["region"]["kind"] == "choice"
    assert values["seats"]["number"] == 40.0 and values["products_owned"]["choices"] == ["a", "b"]
    api.data(CREATE, {"input": {"name": "Globex", "custom": {"region": "south", "seats": 5}}})
    bad = api.data(CREATE, {"input": {"name": "Bad", "custom": {"region": "west"}}})["companyCreate"]
    assert [(e["code"], e["field"]) for e in bad["errors"]] == [("invalid_choice", "region")]
    bad = api.data(CREATE, {"input": {"name": "Bad", "custom": {"nope": 1}}})["companyCreate"]
    assert [(e["code"], e["field"]) for e in bad["errors"]] == [("unknown_field", "custom.nope")]
    updated = api.data(UPDATE, {"id": made["company"]["id"], "input": {"custom": {"seats": 41}}})["companyUpdate"]
    assert updated["company"]["customFields"] == [{"name": "seats", "number": 41.0}]
    north = api.data(LIST, {"filter": {"custom": [{"name": "region", "op": "in", "value": ["north"]}]}})["companies"]
    assert [e["node"]["name"] for e in north["edges"]] == ["Acme"]
    big = api.data(LIST, {"filter": {"custom": [{"name": "seats", "op": "min", "value": 10}],
                                     "nameContains": "a"}})["companies"]
    assert [e["node"]["name"] for e in big["edges"]] == ["Acme"]
    has = api.data(LIST, {"filter": {"custom": [{"name": "products_owned", "op": "has", "value": "b"}]}})["companies"]
    assert has["totalCount"] == 1
    wrong = api.gql(LIST, {"filter": {"custom": [{"name": "seats", "op": "contains", "value": "x"}]}})
    assert "seats (number) filters with in, min, max, equals, not 'contains'" in wrong["errors"][0]["message"]


def test_define_errors_are_data_at_their_field(api):
    error = _define(api, recordType="Company", kind="choice", captionEn="")
    assert error["__typename"] == "CustomFieldError"
    assert [(e["code"], e["field"]) for e in error["errors"]] == [("required", "captionEn"),
                                                                 ("options_required", "options")]
    assert _define(api, recordType="User", kind="text", captionEn="X")["errors"][0]["field"] == "recordType"


def test_only_admins_change_fields_everyone_reads_them(api, viewer_api):
    _define(api, recordType="Deal", kind="text", captionEn="Segment")
    assert [d["name"] for d in viewer_api.data("{ customFieldDefinitions(recordType: \"Deal\") { name } }")[
        "customFieldDefinitions"]] == ["segment"]
    refused = viewer_api.gql(DEFINE, {"input": {"recordType": "Deal", "kind": "text", "captionEn": "Sneaky"}})
    assert refused["data"] is None and "errors" in refused
    refused = viewer_api.gql('mutation { customFieldRemove(recordType: "Deal", name: "segment") { __typename } }')
    assert refused["data"] is None
    history = viewer_api.gql('{ customFieldHistory(recordType: "Deal", name: "segment") { version } }')
    assert history["data"] is None
    assert api.data('{ customFieldHistory(recordType: "Deal", name: "segment") { version change by } }')[
        "customFieldHistory"][0]["change"] == "defined"
