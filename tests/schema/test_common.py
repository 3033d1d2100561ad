"""crn.schema.common: building types from rows, inputs to values, filters to parameters (pure; no database)."""

import asyncio
from datetime import date

import pytest

from crn.schema.accounts.inputs import CompanyFilter, CompanyInput
from crn.schema.accounts.types import Company
from crn.schema.base import ClientError, encode_id
from crn.schema.common import UNSET, build, camel, filter_params, jsonable, then, values
from crn.schema.sales.inputs import DealFilter
from crn.schema.sales.types import DealStage


def test_build_ignores_unknown_properties_and_fills_required_ones():
    company = build(Company, {"uid": "u1", "name": "Acme", "not_a_field": 1})
    assert (company.uid, company.name, company.country, company.id) == ("u1", "Acme", None, encode_id("Company", "u1"))
    assert build(Company, {"uid": "u2"}).name is None
    assert build(Company, None) is None


def test_values_keep_only_what_the_input_sets():
    assert values(CompanyInput(name="Acme", country=None)) == {"name": "Acme", "country": None}
    assert CompanyInput().tier is UNSET and values(CompanyInput()) == {}


def test_camel():
    assert [camel(n) for n in ("annual_revenue", "name", "", None)] == ["annualRevenue", "name", "", None]


def test_filter_params_decode_ids_and_enums():
    owner = encode_id("User", "u9")
    assert filter_params(CompanyFilter(country=["DE"], owner=owner)) == {"country": ["DE"], "owner": "u9"}
    assert filter_params(DealFilter(stage=[DealStage.PROPOSAL])) == {"stage": ["proposal"]}
    assert filter_params(None) == {}
    with pytest.raises(ClientError, match="expected User"):
        filter_params(CompanyFilter(owner=encode_id("Company", "c1")))


def test_then_is_plain_when_the_value_is_at_hand():
    assert then(2, lambda v: v * 3) == 6

    async def later():
        return 2
    assert asyncio.run(then(later(), lambda v: v * 3)) == 6


def test_jsonable():
    assert jsonable({"since": date(2024, 1, 2), "share": 0.5}) == {"since": "2024-01-02", "share": 0.5}
    assert jsonable(None) is None
