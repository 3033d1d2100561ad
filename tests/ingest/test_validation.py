"""Cell parsers: e-mails, domains, dates, numbers, shares and formula injection."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from crn.ingest import validation as v


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+HYPERLINK(\"x\")", "-2+3+cmd|x", "=1+1"])
def test_formula_injection_is_rejected(value):
    with pytest.raises(v.CellError, match="formula"):
        v.check_formula(value)


@pytest.mark.parametrize("value", ["+49 30 1234567", "-5", "-1.5", "Ann", "a=b"])
def test_numbers_and_text_are_not_formulas(value):
    v.check_formula(value)


def test_email_domain_and_phone():
    assert v.parse_email(" Ann@X.Example ") == "ann@x.example"
    for bad in ("ann", "ann@", "ann@x", "a b@x.example"):
        with pytest.raises(v.CellError):
            v.parse_email(bad)
    assert v.parse_domain("https://www.Acme.com/about") == "acme.com"
    with pytest.raises(v.CellError):
        v.parse_domain("not a domain")
    assert v.parse_phone(13800138000.0) == "13800138000"
    with pytest.raises(v.CellError):
        v.parse_phone("12")


def test_dates_and_datetimes():
    assert v.parse_date("2024-03-01") == date(2024, 3, 1)
    assert v.parse_date("2019年5月1日") == date(2019, 5, 1)
    assert v.parse_date("01.03.2024") == date(2024, 3, 1)
    assert v.parse_date(datetime(2024, 3, 1, 9)) == date(2024, 3, 1)
    with pytest.raises(v.CellError):
        v.parse_date("2021-13-45")
    assert v.parse_datetime("2026-01-05T09:30:00Z") == datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
    assert v.parse_datetime("2026-01-06") == datetime(2026, 1, 6, tzinfo=timezone.utc)


def test_numbers_and_shares():
    assert v.parse_float("250,000") == 250000.0
    assert v.parse_float("¥1,200.5") == 1200.5
    assert v.parse_int(1200.0) == 1200
    with pytest.raises(v.CellError):
        v.parse_float("lots")
    assert v.parse_share("51%") == 0.51
    assert v.parse_share(0.6) == 0.6
    assert v.parse_share("30") == 0.3
    with pytest.raises(v.CellError):
        v.parse_share("130%")
    assert v.parse_share_range("25-50%") == (0.25, 0.5)
