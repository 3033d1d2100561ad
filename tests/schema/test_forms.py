"""recordForm / linkForm: the forms the UI builds are the model's declaration, field for field."""

import pytest

from dataclasses import replace

from crn.crm import links, records
from crn.graph.models.catalog import RECORDS, FieldSpec
from crn.graph.models.fields import Options
from crn.schema.common import camel

FORM = """query($type: RecordType!, $id: ID) { recordForm(type: $type, id: $id) { type id
  fields { name key kind required default value labelEn labelZh choices { value labelEn labelZh } } } }"""
CREATE = """mutation($input: CompanyInput!) { companyCreate(input: $input) {
  ... on CompanyCreateSuccess { company { id } } } }"""


@pytest.mark.parametrize("label", ["Company", "Person", "Deal", "Ticket"])
def test_the_form_is_the_declaration(api, label):
    form = api.data(FORM, {"type": label.upper()})["recordForm"]
    declared = {f.name: f for f in RECORDS[label].fields if f.form and f.writable}
    assert [f["key"] for f in form["fields"]] == list(declared)
    for f in form["fields"]:
        field = declared[f["key"]]
        assert f["name"] == camel(f["key"]) and f["kind"] == field.kind
        assert f["required"] == field.required and f["default"] == field.default
        assert [c["value"] for c in f["choices"]] == list(field.choices)
        assert (f["labelEn"], f["labelZh"]) == field.caption
        assert f["value"] is None


def test_choices_carry_both_languages(api):
    fields = {f["key"]: f for f in api.data(FORM, {"type": "DEAL"})["recordForm"]["fields"]}
    assert fields["stage"]["choices"][0] == {"value": "qualification", "labelEn": "Qualification", "labelZh": "资格确认"}
    assert fields["name"]["required"] and fields["name"]["labelZh"] == "名称"


def _with_field(monkeypatch, label: str, field: FieldSpec) -> None:
    monkeypatch.setitem(RECORDS, label, RECORDS[label].with_fields((field,)))


def test_a_field_added_to_the_declaration_shows_up(api, monkeypatch):
    _with_field(monkeypatch, "Company", FieldSpec("stock_symbol", "str", ("Stock symbol", "股票代码"), prop="stock_symbol",
                                                  options=Options(("AAA", "AAA", "甲"), ("BBB", "BBB", "乙"))))
    fields = api.data(FORM, {"type": "COMPANY"})["recordForm"]["fields"]
    added = [f for f in fields if f["key"] == "stock_symbol"]
    assert added == [{"name": "stockSymbol", "key": "stock_symbol", "kind": "str", "required": False, "default": None,
                      "value": None, "labelEn": "Stock symbol", "labelZh": "股票代码",
                      "choices": [{"value": "AAA", "labelEn": "AAA", "labelZh": "甲"},
                                  {"value": "BBB", "labelEn": "BBB", "labelZh": "乙"}]}]


def test_a_choice_in_the_declaration_is_validated(api, monkeypatch):
    industry = RECORDS["Company"].field("industry")
    monkeypatch.setitem(RECORDS, "Company", replace(RECORDS["Company"], fields=tuple(
        replace(f, options=Options(("Software", "Software", "软件"))) if f is industry else f
        for f in RECORDS["Company"].fields)))
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
