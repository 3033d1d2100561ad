"""Cell parsers for imports: each turns a raw cell into a typed value or raises CellError with a reason."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from typing import Any

from crn.crm import validation as shared

EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
NUMBERISH_RE = re.compile(r"^[+-]?[\d\s().,/-]+$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y.%m.%d", "%Y%m%d", "%m/%d/%Y")
LIST_SPLIT_RE = re.compile(r"[;|，；]\s*")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]")
CHINESE_DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")


class CellError(ValueError):
    """A cell's value is invalid; ``str(exc)`` is the reason written to the error file."""


def is_blank(value: Any) -> bool:
    """True for None, empty strings and whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def check_formula(value: Any) -> None:
    """Reject spreadsheet formula injection: text starting with = or @, or + / - not followed by a number."""
    if not isinstance(value, str):
        return
    text = value.lstrip(" ")
    if not text:
        return
    if text[0] in ("=", "@", "\t", "\r") or (text[0] in "+-" and not NUMBERISH_RE.match(text)):
        raise CellError("looks like a spreadsheet formula (starts with = + - @); formulas are not imported")


def parse_text(value: Any) -> str:
    """Trimmed text."""
    return str(value).strip()


def parse_email(value: Any) -> str:
    """A lower-cased e-mail address."""
    text = str(value).strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    if not EMAIL_RE.match(text) or not shared.valid_email(text):  # the same rule as the API, plus ours
        raise CellError("not a valid e-mail address")
    return text


def parse_domain(value: Any) -> str:
    """A bare lower-case domain from a domain or a website URL (https://www.acme.com/x -> acme.com)."""
    text = str(value).strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text).split("/")[0].split(":")[0]
    if text.startswith("www."):
        text = text[4:]
    if not DOMAIN_RE.match(text) or not shared.valid_domain(text):
        raise CellError("not a valid domain or website")
    return text


def parse_date(value: Any) -> date:
    """A calendar date from ISO, common national formats, Chinese 2024年3月1日 or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if ISO_DATE_RE.match(text):  # the common case: one C-level parse instead of regexes and strptime
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CellError("not a valid date (use YYYY-MM-DD)") from None
    m = CHINESE_DATE_RE.match(text)
    if m:
        text = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if ISO_DATETIME_RE.match(text):
        return parse_datetime(text).date()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("not a valid date (use YYYY-MM-DD)")


def parse_datetime(value: Any) -> datetime:
    """A UTC timestamp from ISO 8601 (a bare date means midnight UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=timezone.utc)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return datetime.combine(parse_date(text), time(), tzinfo=timezone.utc)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _number_text(value: Any) -> str:
    text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "")
    for symbol in ("$", "€", "£", "¥", "￥"):
        text = text.replace(symbol, "")
    return text


def parse_float(value: Any) -> float:
    """A number; thousands separators and currency symbols are ignored."""
    if isinstance(value, bool):
        raise CellError("not a number")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(_number_text(value))
    except ValueError:
        raise CellError("not a number") from None


def parse_int(value: Any) -> int:
    """A whole number."""
    number = parse_float(value)
    if number != int(number):
        raise CellError("not a whole number")
    return int(number)


def parse_probability(value: Any) -> float:
    """A fraction 0..1 from 0.3, 30 or 30%."""
    return parse_share(value)


def parse_share(value: Any) -> float:
    """An ownership share as a fraction 0..1 from 0.51, 51 or 51%; above 100% is an error."""
    text = str(value).strip()
    percent = text.endswith("%")
    number = parse_float(text.rstrip("%")) if not isinstance(value, (int, float)) else float(value)
    if percent or number > 1:
        number = number / 100.0
    number = round(number, 10)
    if shared.check_share({"share": number}):
        raise CellError("share must be between 0% and 100%")
    return number


def parse_share_range(value: Any) -> tuple[float, float]:
    """An ownership band like '25-50%' -> (0.25, 0.5)."""
    text = str(value).strip().rstrip("%")
    m = re.match(r"^([\d.]+)\s*%?\s*(?:-|–|to|~|至)\s*([\d.]+)$", text)
    if not m:
        raise CellError("not a share range (use e.g. 25-50%)")
    low, high = parse_share(m.group(1) + "%"), parse_share(m.group(2) + "%")
    if low > high:
        raise CellError("share range minimum is above its maximum")
    return low, high


def parse_bool(value: Any) -> bool:
    """true/false, yes/no, 1/0, 是/否."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是", "x"):
        return True
    if text in ("0", "false", "no", "n", "否", ""):
        return False
    raise CellError("not true/false")


def parse_list(value: Any) -> list[str]:
    """Several values separated by ; or | (a JSON list is taken as is)."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if not is_blank(v)]
    return [part.strip() for part in LIST_SPLIT_RE.split(str(value)) if part.strip()]


def parse_phone(value: Any) -> str:
    """A phone number: digits with an optional leading + (spaces and punctuation kept as written)."""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if sum(c.isdigit() for c in text) < 5 or not NUMBERISH_RE.match(text):
        raise CellError("not a phone number")
    return text


def choice(options: tuple[str, ...], aliases: dict[str, str] | None = None):
    """A parser accepting one of ``options`` (case-insensitive, spaces as underscores) or an alias."""
    aliases = aliases or {}

    def parse(value: Any) -> str:
        text = str(value).strip().lower().replace(" ", "_").replace("-", "_")
        text = aliases.get(text, text)
        if text not in options:
            raise CellError(f"must be one of {', '.join(options)}")
        return text

    return parse


PARSERS = {
    "text": parse_text, "email": parse_email, "domain": parse_domain, "date": parse_date,
    "datetime": parse_datetime, "float": parse_float, "int": parse_int, "share": parse_share,
    "probability": parse_probability, "bool": parse_bool, "list": parse_list, "phone": parse_phone,
    "share_range": parse_share_range,
}
