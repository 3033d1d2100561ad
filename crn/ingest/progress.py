"""How far the imports running in this process are: phase and rows, per user, for a page to poll.

An import runs inside one request (``importFile``); the page that sent it names it with an id of its own
choosing and asks ``importProgress(id)`` meanwhile. Only the user who started an import can read its
progress (the key is ``(user, id)``), entries expire after :data:`TTL_SECONDS`, and at most
:data:`MAX_JOBS` are kept (the oldest go first), so a client cannot grow this table without bound.

Progress lives in the memory of the process running the import: behind several server processes a poll
may reach another one and see nothing (the import's own answer still arrives).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

PHASES = ("read", "validate", "write", "done")
TTL_SECONDS = 3600
MAX_JOBS = 1000
JOB_ID_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class BadJobId(ValueError):
    """A progress id that is not 8-64 letters, digits, '-' or '_'."""


@dataclass
class JobProgress:
    """One import: its phase (read, validate, write, done), rows done and total in that phase."""

    phase: str
    done: int
    total: int
    updated: float

    @property
    def step(self) -> int:
        """1-based index of the phase among :data:`PHASES`."""
        return PHASES.index(self.phase) + 1


_lock = threading.Lock()
_jobs: OrderedDict[tuple[str, str], JobProgress] = OrderedDict()


def check_id(job_id: str) -> str:
    """``job_id`` when it is a valid progress id, else :class:`BadJobId`."""
    if not JOB_ID_RE.match(job_id or ""):
        raise BadJobId("a progress id is 8 to 64 letters, digits, '-' or '_' (e.g. a random UUID)")
    return job_id


def _expire(now: float) -> None:
    while _jobs:
        key, job = next(iter(_jobs.items()))
        if job.updated > now - TTL_SECONDS and len(_jobs) <= MAX_JOBS:
            return
        del _jobs[key]


def report(owner: str, job_id: str, phase: str, done: int, total: int) -> None:
    """Record where import ``job_id`` of user ``owner`` is."""
    assert phase in PHASES, f"unknown import phase {phase!r}"
    now = time.monotonic()
    with _lock:
        _jobs.pop((owner, job_id), None)
        _jobs[(owner, job_id)] = JobProgress(phase, done, total, now)  # newest last
        _expire(now)


def reporter(owner: str, job_id: str):
    """A ``progress`` callback for :func:`crn.ingest.importer.run_import` that records into this table."""
    return lambda phase, done, total: report(owner, job_id, phase, done, total)


def progress_of(owner: str, job_id: str) -> JobProgress | None:
    """The progress of ``owner``'s import ``job_id`` (None: unknown, expired or someone else's)."""
    with _lock:
        _expire(time.monotonic())
        return _jobs.get((owner, job_id))


def clear() -> None:
    """Forget every job (tests)."""
    with _lock:
        _jobs.clear()
