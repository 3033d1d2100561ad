"""Automatic header recognition (English, HubSpot, Salesforce, Chinese) and explicit map files."""

from __future__ import annotations

import pytest

from crn.ingest.mapping import MappingError, detect_mapping, load_map_file
from tests.ingest.helpers import fixture


def test_chinese_headers():
    m = detect_mapping("orgchart", ["工号", "姓名", "邮箱", "电话", "职位", "部门", "上级", "公司", "入职日期"])
    assert m.columns == {"id": "工号", "name": "姓名", "email": "邮箱", "phones": "电话", "title": "职位",
                         "department": "部门", "manager": "上级", "company": "公司", "since": "入职日期"}
    companies = detect_mapping("companies", ["公司", "母公司", "持股比例"])
    assert companies.columns == {"name": "公司", "parent": "母公司", "share": "持股比例"}


def test_hubspot_and_salesforce_exports():
    hub = detect_mapping("contacts", ["Record ID", "First Name", "Last Name", "Email", "Job Title",
                                      "Associated Company", "Create Date"])
    assert hub.source == "hubspot"
    assert hub.columns["id"] == "Record ID" and hub.columns["first_name"] == "First Name"
    assert hub.columns["company"] == "Associated Company"
    assert hub.unused == ["Create Date"]
    sf = detect_mapping("contacts", ["Id", "FirstName", "LastName", "Email", "Title", "Department", "ReportsToId",
                                     "AccountId"])
    assert sf.source == "salesforce"
    assert sf.columns["manager"] == "ReportsToId" and sf.columns["company_id"] == "AccountId"


def test_map_file_overrides_and_is_checked(tmp_path):
    explicit = load_map_file(fixture("orgchart_map.yaml"))
    m = detect_mapping("orgchart", ["Personalnummer", "Mitarbeiter", "Mail", "Chef", "Firma"], explicit)
    assert m.source == "sap"
    assert m.columns == {"id": "Personalnummer", "name": "Mitarbeiter", "email": "Mail", "manager": "Chef",
                         "company": "Firma"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  shoe_size: Mail\n")
    with pytest.raises(MappingError, match="shoe_size"):
        detect_mapping("orgchart", ["Mail"], load_map_file(bad))
    missing = tmp_path / "missing.yaml"
    missing.write_text("email: Mailadresse\n")
    with pytest.raises(MappingError, match="Mailadresse"):
        detect_mapping("orgchart", ["Mail"], load_map_file(missing))


def test_a_chosen_mapping_is_exclusive_and_one_field_per_column():
    from crn.ingest.mapping import MappingError, chosen_mapping, detect_mapping

    chosen = chosen_mapping({"Email": "name", "Name": None, "Extra": ""})
    assert chosen == {"columns": {"name": "Email"}, "exclusive": True}
    mapping = detect_mapping("contacts", ["Email", "Name", "Extra"], chosen)
    assert mapping.columns == {"name": "Email"}  # "Name" would be recognised, but the person chose otherwise
    assert mapping.unused == ["Name", "Extra"] and mapping.headers == ["Email", "Name", "Extra"]
    with pytest.raises(MappingError, match="chosen for two columns"):
        chosen_mapping({"A": "email", "B": "email"})
