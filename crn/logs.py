"""Logging setup and the request id: plain text or one JSON object per line (CRN_LOG_FORMAT=json).

The request id is a context variable: the web server sets it per request (from the client's ``X-Request-ID``
when that is a plain token, else a new one; answered in ``X-Request-ID``), the database threads of the request
inherit it, the automation outbox stores it with each item the request enqueues, and the worker sets it again
while it delivers that item. Every log record carries it as ``request_id``.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

__all__ = ["JsonFormatter", "configure", "new_request_id", "request_context", "request_id", "valid_request_id"]

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("crn_request_id", default=None)
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
FORMATS = ("text", "json")


def request_id() -> str | None:
    """The id of the request (or outbox delivery) this context works for, if any."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_request_id(value: str | None) -> str | None:
    """``value`` when it is a plain token (letters, digits, ``._:-``, at most 128), else None.

    >>> valid_request_id("abc-123"), valid_request_id("a b"), valid_request_id("x" * 129)
    ('abc-123', None, None)
    """
    return value if value and _VALID.fullmatch(value) else None


@contextmanager
def request_context(rid: str | None) -> Iterator[None]:
    """Run the block with ``rid`` as the request id (None: none)."""
    token = _request_id.set(rid)
    try:
        yield
    finally:
        _request_id.reset(token)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, exc (traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", None) or _request_id.get()}
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure(log_format: str = "text", level: int = logging.INFO) -> None:
    """Install crn's handler on the root logger (replacing earlier ones), in ``log_format``."""
    if log_format not in FORMATS:
        raise SystemExit(f"CRN_LOG_FORMAT={log_format!r} is not one of {', '.join(FORMATS)}; set it to json or text")
    handler = logging.StreamHandler()
    handler.addFilter(_RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # uvicorn's own handlers would bypass ours
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # its retries are reported by our own errors
