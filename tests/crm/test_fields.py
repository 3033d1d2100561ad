"""crn.crm.fields: custom fields defined at run time are validated, stored, versioned, imported, exported and
offered to automation like the model's own fields; removing keeps the data, purging deletes it."""

from __future__ import annotations

import csv

import pytest

from crn.automation import rules, vocabulary
from crn.crm import fields, records
from crn.crm.validation import OperationError
from crn.graph import db
from crn.ingest.exporter import export_entities
from crn.ingest.importer import run_import


@pytest.fixture
def cf(clean_db):
    fields.forget()
    yield fields
    fields.forget()


def _codes(exc: pytest.ExceptionInfo) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in exc.value.errors]


def test_a_defined_field_is_validated_and_stored_on_the_node(cf):
    cf.define("Company", "region", "choice", {"caption_en": "Region", "caption_zh": "大区",
                                              "options": [{"value": "north", "en": "North", "zh": "华北"},
                                                          {"value": "south", "en": "South", "zh": "华南"}],
                                              "required": True}, "admin1")
    cf.define("Company", "credit_limit", "money", {"caption_en": "Credit limit", "currency": "cny"}, "admin1")
    missing = records.create_record("Company", {"name": "Acme"}, "u1")
    assert [(e.code, e.field) for e in missing.errors] == [("required", "region")]
    wrong = records.create_record("Company", {"name": "Acme", "region": "west", "credit_limit": "lots"}, "u1")
    assert {(e.code, e.field) for e in wrong.errors} == {("invalid_value", "credit_limit")}
    wrong = records.create_record("Company", {"name": "Acme", "region": "west"}, "u1")
    assert [(e.code, e.field) for e in wrong.errors] == [("invalid_choice", "region")]
    made = records.create_record("Company", {"name": "Acme", "region": "north", "credit_limit": "2500.5"}, "u1")
    assert made.ok and made.record["cf_region"] == "north" and made.record["cf_credit_limit"] == 2500.5
    stored = db.read_one("MATCH (c:Company {uid: $uid}) RETURN c.cf_region AS r", uid=made.record["uid"])
    assert stored["r"] == "north"
    assert records.update_record("Company", made.record["uid"], {"region": None}, "u1").errors[0].code == "required"
    form = {f.name: f for f in records.record_form("Company", made.record["uid"])}
    assert form["region"].label == ("Region", "大区") and form["region"].value == "north"
    assert form["region"].choices[1] == ("south", ("South", "华南")) and form["credit_limit"].kind == "money"


def test_definitions_refuse_bad_input_with_named_fields(cf):
    with pytest.raises(OperationError) as exc:
        cf.define("Company", "name", "text", {"caption_en": "Name"}, "a")
    assert _codes(exc) == [("name_taken", "name")]
    with pytest.raises(OperationError) as exc:
        cf.define("User", "x", "text", {"caption_en": "X"}, "a")
    assert _codes(exc) == [("not_customizable", "recordType")]
    with pytest.raises(OperationError) as exc:
        cf.define("Deal", "Bad Name!", "text", {"caption_en": "X"}, "a")
    assert _codes(exc) == [("invalid_name", "name")]
    with pytest.raises(OperationError) as exc:
        cf.define("Deal", "size", "choice", {"caption_en": ""}, "a")
    assert _codes(exc) == [("required", "captionEn"), ("options_required", "options")]
    with pytest.raises(OperationError) as exc:
        cf.define("Deal", "size", "blob", {"caption_en": "Size"}, "a")
    assert _codes(exc) == [("invalid_kind", "kind")]
    # a name comes from the English caption when none is given
    assert cf.define("Deal", None, "number", {"caption_en": "Seats requested"}, "a").name == "seats_requested"


def test_unique_fields_get_a_constraint_and_refuse_duplicates(cf):
    cf.define("Person", "employee_no", "text", {"caption_en": "Employee no.", "unique": True}, "a")
    assert "person_cf_employee_no_unique" in {r["name"] for r in db.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    records.create_record("Person", {"name": "Ada", "employee_no": "E1"}, "u")
    dup = records.create_record("Person", {"name": "Bob", "employee_no": "E1"}, "u")
    assert [(e.code, e.field) for e in dup.errors] == [("duplicate_employee_no", "employee_no")]
    # making a field unique over clashing values is refused with the clash named
    cf.define("Person", "badge", "text", {"caption_en": "Badge"}, "a")
    records.create_record("Person", {"name": "C", "badge": "B1"}, "u")
    records.create_record("Person", {"name": "D", "badge": "B1"}, "u")
    with pytest.raises(OperationError) as exc:
        cf.change("Person", "badge", {"unique": True}, "a")
    assert _codes(exc) == [("duplicate_values", "unique")] and "'B1'" in exc.value.errors[0].message


def test_remove_keeps_the_data_restore_brings_it_back_purge_deletes_it_and_history_stays(cf):
    cf.define("Ticket", "product_line", "text", {"caption_en": "Product line", "indexed": True}, "admin1")
    uid = records.create_record("Ticket", {"subject": "S", "product_line": "Pumps"}, "u").record["uid"]
    cf.change("Ticket", "product_line", {"caption_zh": "产品线"}, "admin2")
    cf.remove("Ticket", "product_line", "admin2")
    assert records.spec("Ticket").field("product_line") is None
    refused = records.update_record("Ticket", uid, {"product_line": "x"}, "u")
    assert refused.errors[0].code == "unknown_field"
    assert records.get_record("Ticket", uid)["cf_product_line"] == "Pumps"  # kept
    with pytest.raises(OperationError) as exc:
        cf.define("Ticket", "product_line", "text", {"caption_en": "Again"}, "a")
    assert _codes(exc) == [("name_taken", "name")]
    cf.restore("Ticket", "product_line", "admin1")
    assert records.spec("Ticket").field("product_line").caption == ("Product line", "产品线")
    with pytest.raises(OperationError) as exc:
        cf.purge("Ticket", "product_line", "admin1")
    assert _codes(exc) == [("remove_first", "name")]
    cf.remove("Ticket", "product_line", "admin1")
    assert cf.purge("Ticket", "product_line", "admin1")[1] == 1
    assert "cf_product_line" not in records.get_record("Ticket", uid)
    assert "ticket_cf_product_line_index" not in {r["name"] for r in db.read("SHOW INDEXES YIELD name RETURN name")}
    history = cf.history("Ticket", "product_line")
    assert [(v["change"], v["by"], v["version"]) for v in history] == [
        ("purged", "admin1", 6), ("removed", "admin1", 5), ("restored", "admin1", 4), ("removed", "admin2", 3),
        ("changed", "admin2", 2), ("defined", "admin1", 1)]
    # after a purge the name is free again
    assert cf.define("Ticket", "product_line", "text", {"caption_en": "Line"}, "a").version == 1


def test_import_maps_custom_fields_by_caption_in_either_language_and_export_names_them(cf, tmp_path):
    cf.define("Company", "region", "choice", {"caption_en": "Region", "caption_zh": "大区",
                                              "options": [{"value": "north", "zh": "华北"}, {"value": "south"}]}, "a")
    cf.define("Company", "founded", "date", {"caption_en": "Founded", "caption_zh": "成立日期"}, "a")
    src = tmp_path / "companies.csv"
    src.write_text("名称,大区,成立日期\nAcme,north,2001-02-03\nGlobex,west,2010-01-01\n", encoding="utf-8")
    summary = run_import("companies", src)
    assert summary.mapping.columns["region"] == "大区" and summary.mapping.columns["founded"] == "成立日期"
    assert [(e.row, e.column) for e in summary.errors] == [(3, "大区")]
    row = db.read_one("MATCH (c:Company {name: 'Acme'}) RETURN c.cf_region AS r, toString(c.cf_founded) AS f")
    assert row == {"r": "north", "f": "2001-02-03"}
    out = tmp_path / "out.csv"
    assert export_entities("companies", out, "csv", {"region": "north"}) == 1
    exported = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert exported[0]["region"] == "north" and "cf_region" not in exported[0]
    zh = tmp_path / "zh.csv"
    export_entities("companies", zh, "csv", headers="zh")
    assert "大区" in zh.read_text(encoding="utf-8-sig").splitlines()[0]


def test_automation_conditions_may_name_custom_fields(cf):
    cf.define("Deal", "segment", "text", {"caption_en": "Segment"}, "a")
    assert vocabulary.variables()["record.cf_segment"].label == "Deal Segment (custom)"
    assert "record.cf_segment" in {v["name"] for v in vocabulary.describe()["variables"]}
    good = rules.Group(all=[rules.Leaf(name="record.cf_segment", operator="equal_to", value="SMB")])
    assert rules._check_conditions(good, "conditions") == []
    cf.remove("Deal", "segment", "a")
    bad = rules._check_conditions(good, "conditions")
    assert [e.code for e in bad] == ["unknown_variable"]
