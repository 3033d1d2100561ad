"""Reading CSV (delimiters, BOM, GB18030), XLSX, JSON and JSON Lines; writing safe exports."""

from __future__ import annotations

import csv

import pytest

from crn.ingest.formats import FormatError, decode, read_table, safe_cell, write_table
from tests.ingest.helpers import fixture


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_any_delimiter(tmp_path, delimiter):
    path = tmp_path / "x.csv"
    path.write_text(delimiter.join(["name", "email", "title"]) + "\n" +
                    delimiter.join(["Ann Lee", "ann@x.example", "CFO"]) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.rows == [(2, {"name": "Ann Lee", "email": "ann@x.example", "title": "CFO"})]


def test_utf8_bom_and_gb18030_are_detected():
    hubspot = read_table(fixture("contacts_hubspot.csv"))
    assert hubspot.headers[0] == "Record ID"  # the BOM is not part of the first header
    chinese = read_table(fixture("orgchart_zh_gb18030.csv"))
    assert chinese.encoding == "gb18030"
    assert chinese.headers[:3] == ["工号", "姓名", "邮箱"]
    assert chinese.rows[0][1]["姓名"] == "王伟"


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(FormatError):
        decode(b"\xff\xfe\x00\x81\x30\x81")


def test_xlsx_json_and_jsonl():
    xlsx = read_table(fixture("companies.xlsx"))
    assert xlsx.rows[1] == (3, {"Account ID": "A2", "Account Name": "Umbrella Labs", "Website": "umbrella-labs.example",
                                "Industry": "Pharma", "BillingCountry": "US", "NumberOfEmployees": 1200,
                                "Parent Account ID": "A1", "持股比例": 0.8})
    deals = read_table(fixture("deals.json"))
    assert [n for n, _ in deals.rows] == [1, 2, 3, 4, 5]
    tickets = read_table(fixture("tickets.jsonl"))
    assert tickets.rows[3] == (4, {"__error__": "invalid JSON: Expecting value"})


def test_exports_neutralise_formulas(tmp_path):
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("Ann") == "Ann"
    path = tmp_path / "out.csv"
    write_table(path, ["name"], [{"name": "@evil"}, {"name": "ok"}], "csv")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows == [["name"], ["'@evil"], ["ok"]]
