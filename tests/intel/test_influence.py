"""The influence report's data: ranking, single-threaded accounts, decay, coverage, scopes."""

import datetime as dt

import pytest

from crn.intel.influence import influence_report
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_company_scope(world):
    report = influence_report("company:C", now=scenario.NOW)
    assert report.people[0].uid in ("chad", "hugo")
    assert {p.uid for p in report.people} == {"cora", "hugo", "chad", "erin", "pam"}
    assert report.coverage == [{"company": "C", "name": "Gamma", "contacts": 5, "known": 1, "coverage": 0.2}]
    assert report.single_threaded[0]["explanation"] == "all our access to Gamma goes through Chad"


def test_decay_over_the_period(world):
    later = scenario.NOW + dt.timedelta(days=200)
    report = influence_report("family:A", now=later, decay_days=150)
    assert {d["person"] for d in report.decay} >= {"chad"}
    assert all(d["before"] - d["after"] >= 0.1 for d in report.decay)


def test_scopes_and_errors(world):
    assert influence_report("all", now=scenario.NOW).network_size["people"] == 5
    assert influence_report("galaxy:1").code == "invalid_scope"
    assert influence_report("family:nope").code == "not_found"
