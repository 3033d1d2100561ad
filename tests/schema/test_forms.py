"""recordForm / linkForm: the forms the UI builds are the model's declaration, field for field."""

import pytest

from crn.crm import links, records
from crn.schema.common import camel

FORM = """query($type: RecordType!, $id: ID) { recordForm(type: $type, id: $id) { type id
  fields { name key kind required default value labelEn labelZh choices { value labelEn labelZh } } } }"""
CREATE = """mutation($input: CompanyInput!) { companyCreate(input: $input) {
  ... on CompanyCreateSuccess { company { id } } } }"""


@pytest.mark.parametrize("label", ["Company", "Person", "Deal", "Ticket"])
def test_the_form_is_the_declaration(api, label):
    form = api.data(FORM, {"type": label.upper()})["recordForm"]
    expected = [name for name in records.FIELDS[label] if name not in records.NOT_IN_FORMS]
    assert [f["key"] for f in form["fields"]] == expected
    for f in form["fields"]:
        assert f["name"] == camel(f["key"]) and f["kind"] == records.FIELDS[label][f["key"]]
        assert f["required"] == (f["key"] in records.REQUIRED[label])
        assert f["default"] == records.DEFAULTS.get(label, {}).get(f["key"])
        assert [c["value"] for c in f["choices"]] == list(records.CHOICES.get(label, {}).get(f["key"], ()))
        assert (f["labelEn"], f["labelZh"]) == records.LABELS[f["key"]]
        assert f["value"] is None


def test_choices_carry_both_languages(api):
    fields = {f["key"]: f for f in api.data(FORM, {"type": "DEAL"})["recordForm"]["fields"]}
    assert fields["stage"]["choices"][0] == {"value": "qualification", "labelEn": "Qualification", "labelZh": "资格确认"}
    assert fields["name"]["required"] and fields["name"]["labelZh"] == "名称"


def test_a_field_added_to_the_declaration_shows_up(api, monkeypatch):
    monkeypatch.setitem(records.FIELDS, "Company", {**records.FIELDS["Company"], "stock_symbol": "str"})
    monkeypatch.setitem(records.CHOICES, "Company", {**records.CHOICES["Company"], "stock_symbol": ("AAA", "BBB")})
    fields = api.data(FORM, {"type": "COMPANY"})["recordForm"]["fields"]
    added = [f for f in fields if f["key"] == "stock_symbol"]
    assert added == [{"name": "stockSymbol", "key": "stock_symbol", "kind": "str", "required": False, "default": None,
                      "value": None, "labelEn": "Stock symbol", "labelZh": "Stock symbol",
                      "choices": [{"value": "AAA", "labelEn": "AAA", "labelZh": "AAA"},
                                  {"value": "BBB", "labelEn": "BBB", "labelZh": "BBB"}]}]


def test_a_choice_in_the_declaration_is_validated(api, monkeypatch):
    monkeypatch.setitem(records.CHOICES, "Company", {**records.CHOICES["Company"], "industry": ("Software",)})
    result = records.create_record("Company", {"name": "Acme", "industry": "Mining"}, None)
    assert [(e.code, e.field) for e in result.errors] == [("invalid_choice", "industry")]


def test_an_edit_form_holds_the_record_values(api):
    company = api.data(CREATE, {"input": {"name": "Acme", "domain": "acme.com", "employees": 40, "tags": ["a"]}})
    cid = company["companyCreate"]["company"]["id"]
    form = api.data(FORM, {"type": "COMPANY", "id": cid})["recordForm"]
    values = {f["name"]: f["value"] for f in form["fields"]}
    assert form["id"] == cid and values["name"] == "Acme" and values["domain"] == "acme.com"
    assert values["employees"] == 40 and values["tags"] == ["a"] and values["legalName"] is None
    missing = api.data(FORM, {"type": "COMPANY", "id": cid[:-4] + "eHg="})
    assert missing["recordForm"] is None
    wrong = api.gql(FORM, {"type": "DEAL", "id": cid})
    assert wrong["errors"][0]["extensions"]["code"] == "invalid_id"


def test_link_form_is_the_link_declaration(api):
    fields = api.data("{ linkForm(type: COMMITTEE) { key kind choices { value labelEn labelZh } } }")["linkForm"]
    assert [f["key"] for f in fields] == list(links.LINKS["committee"].properties)
    role = fields[0]
    assert [c["value"] for c in role["choices"]] == list(links.LINKS["committee"].choices["role"])
    assert {"value": "economic_buyer", "labelEn": "Economic buyer", "labelZh": "经济决策人"} in role["choices"]
    employment = api.data("{ linkForm(type: EMPLOYMENT) { key kind labelEn } }")["linkForm"]
    assert employment == [{"key": "title", "kind": "str", "labelEn": "Title"},
                          {"key": "department", "kind": "str", "labelEn": "Department"},
                          {"key": "since", "kind": "date", "labelEn": "Start date"},
                          {"key": "until", "kind": "date", "labelEn": "End date"}]


def test_viewers_may_read_forms(viewer_api):
    assert viewer_api.data(FORM, {"type": "TICKET"})["recordForm"]["fields"][0]["key"] == "subject"
