"""Where the web server's database work runs: a thread pool sized on purpose, a cap per user, a timeout.

Every resolver hands its blocking work (domain operations that query Neo4j, analytics over projections)
to ``run_db`` instead of ``asyncio.to_thread``. That gives three promises in one place:

- the work runs on a pool of ``db_workers`` threads of its own (CRN_DB_WORKERS), not on the event
  loop's default executor or starlette's thread pool, which authentication and ``/healthz`` use;
- one user runs at most ``db_user_concurrency`` calls at once (CRN_DB_USER_CONCURRENCY); more wait for
  a slot, and past ``db_user_queue`` waiting calls (CRN_DB_USER_QUEUE) they are refused with
  ``too_many_requests``. With more workers than one user's slots, a user whose queries are slow can
  never take every worker: everyone else keeps ``db_workers - db_user_concurrency`` threads at least;
- every transaction the work runs gets ``query_timeout`` (CRN_QUERY_TIMEOUT) as its driver-side timeout.

The user is bound per request (``bind_user``, called when the GraphQL context is built) in a context
variable, which the resolvers' tasks and DataLoader batches inherit.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from crn.config import Settings, get_settings
from crn.graph import db
from crn.schema.base import ClientError

T = TypeVar("T")

_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("crn_db_user", default=None)


@dataclass
class _Slots:
    """One user's share of the pool on one event loop: a semaphore and the number of calls waiting."""

    semaphore: asyncio.Semaphore
    waiting: int = 0
    users: int = 0  # calls holding or waiting for a slot; the entry is dropped at 0


class DbWorkers:
    """The pool and the per-user slots (see the module docstring).

    Parameters: ``workers`` (threads), ``per_user`` (calls one user runs at once), ``queue`` (calls one
    user may have waiting), ``timeout`` (seconds per transaction).
    """

    def __init__(self, workers: int, per_user: int, queue: int, timeout: float) -> None:
        if workers <= per_user:
            raise SystemExit(f"CRN_DB_WORKERS={workers} must be larger than CRN_DB_USER_CONCURRENCY={per_user}, "
                             "so that one user cannot take every database worker")
        if per_user < 1 or queue < 0 or timeout <= 0:
            raise SystemExit("CRN_DB_USER_CONCURRENCY must be at least 1, CRN_DB_USER_QUEUE at least 0 and "
                             "CRN_QUERY_TIMEOUT above 0")
        self.workers, self.per_user, self.queue, self.timeout = workers, per_user, queue, timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crn-db")
        # semaphores belong to one event loop; a test client may run each request on a loop of its own
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str | None, _Slots]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> DbWorkers:
        return cls(settings.db_workers, settings.db_user_concurrency, settings.db_user_queue, settings.query_timeout)

    def _slots_of(self, loop: asyncio.AbstractEventLoop, user: str | None) -> _Slots:
        with self._lock:
            per_loop = self._slots.setdefault(loop, {})
            slots = per_loop.get(user)
            if slots is None:
                slots = per_loop[user] = _Slots(asyncio.Semaphore(self.per_user))
            slots.users += 1
            return slots

    def _release(self, loop: asyncio.AbstractEventLoop, user: str | None, slots: _Slots) -> None:
        with self._lock:
            slots.users -= 1
            if slots.users == 0:
                self._slots.get(loop, {}).pop(user, None)

    def _call(self, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        with db.timeout(self.timeout):
            return fn(*args, **kwargs)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on the pool, within the current user's slots and the query timeout."""
        loop = asyncio.get_running_loop()
        user = _user.get()
        slots = self._slots_of(loop, user)
        try:
            if slots.semaphore.locked():
                if slots.waiting >= self.queue:
                    raise ClientError(f"You already have {self.per_user} database calls running and {slots.waiting} "
                                      "waiting; wait for them to finish before sending more requests.",
                                      "too_many_requests")
                slots.waiting += 1
                try:
                    await slots.semaphore.acquire()
                finally:
                    slots.waiting -= 1
            else:
                await slots.semaphore.acquire()
            try:
                context = contextvars.copy_context()  # keeps the round-trip counter and the user
                return await loop.run_in_executor(self.pool, functools.partial(context.run, self._call, fn, args,
                                                                               kwargs))
            finally:
                slots.semaphore.release()
        finally:
            self._release(loop, user, slots)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


_workers: DbWorkers | None = None
_workers_lock = threading.Lock()


def configure(settings: Settings) -> DbWorkers:
    """(Re)build the process's workers from the settings (``create_app`` calls this)."""
    global _workers
    with _workers_lock:
        old, _workers = _workers, DbWorkers.from_settings(settings)
    if old is not None:
        old.pool.shutdown(wait=False)  # running calls finish; new ones go to the new pool
    return _workers


def workers() -> DbWorkers:
    """The process's workers (built from the environment on first use when no app configured them)."""
    return _workers or configure(get_settings())


def bind_user(uid: str | None) -> None:
    """Count this request's database calls against user ``uid`` (None: the anonymous share)."""
    _user.set(uid)


async def run_db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database work for the current request (see the module docstring)."""
    return await workers().run(fn, *args, **kwargs)


__all__ = ["DbWorkers", "bind_user", "configure", "run_db", "workers"]
