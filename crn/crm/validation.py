"""Field checks shared by every validated operation; each failure is a FieldError(code, message, field)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urlparse

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class FieldError:
    """An expected failure: a machine ``code``, a human ``message`` and the ``field`` at fault (or None)."""

    code: str
    message: str
    field: str | None = None


class OperationError(Exception):
    """Raised inside an operation to abort its transaction; carries the FieldErrors to return."""

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(e.message for e in self.errors))


def valid_email(value: str | None) -> bool:
    """True for something shaped like an email address.

    >>> valid_email("ada@example.com"), valid_email("ada@"), valid_email("a b@x.io")
    (True, False, False)
    """
    return bool(value) and bool(_EMAIL.match(value))


def valid_domain(value: str | None) -> bool:
    """True for a bare DNS name such as ``acme.com`` (no scheme, no path).

    >>> valid_domain("acme.co.uk"), valid_domain("http://acme.com"), valid_domain("acme")
    (True, False, False)
    """
    return bool(value) and bool(_DOMAIN.match(value.lower()))


def valid_url(value: str | None) -> bool:
    """True for an absolute http(s) URL.

    >>> valid_url("https://acme.com/x"), valid_url("acme.com")
    (True, False)
    """
    if not value:
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def required(values: dict[str, Any], *names: str) -> list[FieldError]:
    """An error for each name missing or blank in ``values``."""
    return [FieldError("required", f"{n} is required", n) for n in names
            if values.get(n) is None or (isinstance(values.get(n), str) and not values[n].strip())]


def check_email(values: dict[str, Any], name: str = "email") -> list[FieldError]:
    """Error when ``values[name]`` is set and not an email."""
    value = values.get(name)
    if value is not None and not valid_email(value):
        return [FieldError("invalid_email", f"{value!r} is not an email address", name)]
    return []


def check_domain(values: dict[str, Any], name: str = "domain") -> list[FieldError]:
    """Error when ``values[name]`` is set and not a bare domain."""
    value = values.get(name)
    if value is not None and not valid_domain(value):
        return [FieldError("invalid_domain", f"{value!r} is not a domain such as acme.com", name)]
    return []


def check_url(values: dict[str, Any], name: str) -> list[FieldError]:
    """Error when ``values[name]`` is set and not an http(s) URL."""
    value = values.get(name)
    if value is not None and not valid_url(value):
        return [FieldError("invalid_url", f"{value!r} is not an http(s) URL", name)]
    return []


def check_choice(values: dict[str, Any], name: str, choices: tuple[str, ...]) -> list[FieldError]:
    """Error when ``values[name]`` is set and not one of ``choices``."""
    value = values.get(name)
    if value is not None and value not in choices:
        return [FieldError("invalid_choice", f"{name} must be one of {', '.join(choices)}", name)]
    return []


def check_share(values: dict[str, Any], name: str = "share") -> list[FieldError]:
    """Error when a share is set and not within 0..1.

    >>> check_share({"share": 1.5})[0].code
    'invalid_share'
    """
    value = values.get(name)
    if value is not None and not (0.0 <= float(value) <= 1.0):
        return [FieldError("invalid_share", f"{name} must be between 0 and 1 (a fraction)", name)]
    return []


def check_range(values: dict[str, Any], low: str, high: str) -> list[FieldError]:
    """Error when both ends are set and ``low`` is after ``high``."""
    a, b = values.get(low), values.get(high)
    if a is not None and b is not None and a > b:
        return [FieldError("invalid_range", f"{low} must not be after {high}", low)]
    return []


def check_non_negative(values: dict[str, Any], name: str) -> list[FieldError]:
    """Error when a number is set and negative."""
    value = values.get(name)
    if value is not None and value < 0:
        return [FieldError("invalid_number", f"{name} must not be negative", name)]
    return []


def parse_date(value: Any, name: str) -> date | None:
    """A ``date`` from a date or an ISO string; raises OperationError with ``invalid_date``."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise OperationError(FieldError("invalid_date", f"{value!r} is not a date (YYYY-MM-DD)", name)) from exc


def parse_datetime(value: Any, name: str) -> datetime | None:
    """An aware UTC ``datetime`` from a datetime or ISO string; raises OperationError on bad input."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise OperationError(FieldError("invalid_datetime", f"{value!r} is not an ISO date-time", name)) from exc
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
