"""Login throttling: failed attempts per key (an account or a client address) with exponential backoff.

The counts live in the memory of one server process: they reset when it restarts and are not shared
between processes (run one web process, or put a rate limit in the reverse proxy as well).

>>> t = Throttle(free_failures=2, base_seconds=1, max_seconds=8, clock=lambda: 100.0)
>>> t.fail("a"); t.retry_after("a")
0.0
>>> t.fail("a"); t.retry_after("a")
1.0
>>> t.fail("a"); t.retry_after("a")
2.0
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Throttle:
    """Failures per key; once a key has ``free_failures`` failures, its next attempt waits
    ``base_seconds`` × 2^(failures − free_failures) after the last failure, at most ``max_seconds``.

    ``begin`` checks and counts an attempt in one step (the login uses it, so parallel guesses cannot
    all pass the check before the first fails); ``forgive`` gives a counted attempt back.
    A key's record is forgotten ``max_seconds`` after its last failure, and ``reset`` forgets it at once
    (a successful login resets the account's count, never the address's). At most ``max_keys`` keys are
    kept: past that, the stalest half is dropped.
    """

    def __init__(self, free_failures: int, base_seconds: float, max_seconds: float, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if free_failures < 1 or base_seconds <= 0 or max_seconds < base_seconds:
            raise ValueError("login throttling needs at least 1 free failure and 0 < backoff <= maximum backoff: "
                             "check CRN_LOGIN_ACCOUNT_FAILURES, CRN_LOGIN_ADDRESS_FAILURES, "
                             "CRN_LOGIN_BACKOFF_SECONDS and CRN_LOGIN_BACKOFF_MAX_SECONDS")
        self.free_failures, self.base_seconds, self.max_seconds = free_failures, base_seconds, max_seconds
        self.max_keys, self._clock = max_keys, clock
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (failures, time of the last one)
        self._lock = threading.Lock()

    def _delay(self, failures: int) -> float:
        beyond = failures - self.free_failures
        if beyond < 0:
            return 0.0
        return min(self.base_seconds * (2 ** min(beyond, 60)), self.max_seconds)

    def retry_after(self, key: str) -> float:
        """Seconds the key must still wait before its next attempt (0 = go ahead)."""
        with self._lock:
            entry = self._failures.get(key)
        if entry is None:
            return 0.0
        failures, last = entry
        return max(0.0, last + self._delay(failures) - self._clock())

    def fail(self, key: str) -> None:
        """Count a failed attempt."""
        with self._lock:
            self._count(key, self._clock())

    def begin(self, key: str) -> float:
        """Start an attempt: 0 when it may go ahead, else the seconds to wait (like ``retry_after``).

        An attempt that goes ahead is counted as failed at once, in the same lock as the check, so
        attempts made in parallel cannot all pass the check before the first one fails; give it back with
        ``forgive`` when it succeeds (or ``reset`` the key).
        """
        now = self._clock()
        with self._lock:
            entry = self._failures.get(key)
            if entry is not None:
                failures, last = entry
                wait = last + self._delay(failures) - now
                if wait > 0:
                    return wait
            self._count(key, now)
        return 0.0

    def forgive(self, key: str) -> None:
        """Take back one attempt counted by ``begin`` (it succeeded, or never reached the check)."""
        with self._lock:
            entry = self._failures.get(key)
            if entry is None:
                return
            failures, last = entry
            if failures <= 1:
                del self._failures[key]
            else:
                self._failures[key] = (failures - 1, last)

    def _count(self, key: str, now: float) -> None:
        failures, last = self._failures.get(key, (0, now))
        if now - last > self.max_seconds:
            failures = 0  # quiet for long enough: start again
        self._failures[key] = (failures + 1, now)
        if len(self._failures) > self.max_keys:
            self._prune(now)

    def reset(self, key: str) -> None:
        """Forget the key's failures (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, now: float) -> None:
        stale = [k for k, (_, last) in self._failures.items() if now - last > self.max_seconds]
        for key in stale:
            del self._failures[key]
        if len(self._failures) > self.max_keys:
            keep = sorted(self._failures.items(), key=lambda item: item[1][1])[len(self._failures) // 2:]
            self._failures = dict(keep)
