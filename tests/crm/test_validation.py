"""crn.crm.validation: field checks (pure; no database)."""

import doctest
from datetime import date, datetime, timezone

import pytest

from crn.crm import validation as v


def test_doctests():
    assert doctest.testmod(v).failed == 0


def test_checks_return_field_errors():
    assert v.check_email({"email": "x"}) == [v.FieldError("invalid_email", "'x' is not an email address", "email")]
    assert v.check_url({"site": "ftp://x"}, "site")[0].code == "invalid_url"
    assert v.check_range({"a": 2, "b": 1}, "a", "b")[0].field == "a"
    assert v.required({"name": "  "}, "name")[0].code == "required"
    assert v.check_share({"share": 0.0}) == [] and v.check_share({"share": -0.1})[0].code == "invalid_share"


def test_parsing_dates():
    assert v.parse_date("2024-02-29", "d") == date(2024, 2, 29)
    assert v.parse_datetime("2024-01-01T10:00:00Z", "t") == datetime(2024, 1, 1, 10, tzinfo=timezone.utc)
    with pytest.raises(v.OperationError) as info:
        v.parse_date("2024-02-30", "d")
    assert info.value.errors[0].code == "invalid_date"
