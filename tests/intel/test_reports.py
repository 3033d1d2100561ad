"""The influence report rendered in every format, printing its scope, date and parameters."""

import csv
import io
import json

import pytest

from crn.intel.reports import build_and_render
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_html_has_charts_scope_date_and_parameters(world):
    out = build_and_render("company:C", "html", now=scenario.NOW)
    assert out.startswith("<!doctype html>")
    assert "Scope: company:C" in out and "Generated: 2026-01-01" in out and "decay_days=90" in out
    assert out.count("data:image/png;base64,") >= 2
    assert "Single-threaded accounts" in out and "Chad" in out


def test_json_md_and_csv(world):
    data = json.loads(build_and_render("company:C", "json", now=scenario.NOW))
    assert data["scope"] == "company:C" and len(data["people"]) == 5 and data["parameters"]["limit"] == 50
    md = build_and_render("company:C", "md", now=scenario.NOW)
    assert md.startswith("# Influence report: company:C") and "| Gamma | 5 | 1 | 20% |" in md
    rows = list(csv.reader(io.StringIO(build_and_render("company:C", "csv", now=scenario.NOW))))
    assert ["#", "Scope: company:C"] in rows
    assert any(r[:2] == ["Coverage", "Gamma"] for r in rows)


def test_bad_format_or_scope_is_an_error(world):
    assert build_and_render("company:C", "pdf").code == "invalid_format"
    assert build_and_render("nowhere", "md").code == "invalid_scope"
