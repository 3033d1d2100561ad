"""Clocks: the system clock in production, a movable one in tests, shared by the listener and the worker."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current UTC time."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to (tests move time with :meth:`advance`).

    Parameters: ``start`` the initial time (default: now, UTC).
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The clock's current time."""
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` (e.g. ``days=3``) and return the new time."""
        with self._lock:
            self._now = self._now + timedelta(**delta)
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``."""
        with self._lock:
            self._now = when


_clock: Clock = SystemClock()


def get_clock() -> Clock:
    """The process-wide clock automation uses."""
    return _clock


def set_clock(clock: Clock) -> Clock:
    """Replace the process-wide clock (tests); returns the previous one."""
    global _clock
    previous, _clock = _clock, clock
    return previous
