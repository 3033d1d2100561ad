"""Driver lifecycle and the read/write transaction helpers every Cypher query goes through.

Reads run in managed read transactions and writes in managed write transactions
(``execute_read`` / ``execute_write``), which retry transient errors and route correctly on a
cluster (``neo4j://``). A per-context counter of round trips lets tests assert the *shape* of
performance (e.g. a 360° view costs a constant number of queries).

Every transaction carries a driver-side timeout: ``query_timeout`` for work done for a web request
(``crn.schema.workers`` runs it inside ``timeout(...)``), ``bulk_timeout`` for everything else (imports,
the demo load, migrations, the automation worker). A transaction that runs out of time raises
``QueryTimeout``, which the API reports as ``query_timeout``; one that needs more memory than the server
allows transactions raises ``QueryTooLarge`` at once (``query_too_large``), instead of being retried.

While Neo4j is down or unreachable, nothing waits long: opening a connection is bounded by
CRN_DB_CONNECT_TIMEOUT, waiting for one from the pool by CRN_DB_ACQUIRE_TIMEOUT and the driver's retries
by CRN_DB_RETRY_SECONDS; then the call raises ``DatabaseUnavailable`` (the API's ``database_unavailable``,
503 with Retry-After). The driver reconnects by itself once the server answers again.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Query, unit_of_work
from neo4j.exceptions import (AuthError, ClientError, ConnectionAcquisitionTimeoutError, DriverError, Neo4jError,
                              ServiceUnavailable, SessionExpired)

from crn import metrics
from crn.config import BULK_TIMEOUT_DEFAULT, Settings, get_settings
from crn.graph import access

log = logging.getLogger(__name__)
T = TypeVar("T")

_driver: Driver | None = None
_driver_lock = threading.Lock()
_database: str = "neo4j"
_round_trips: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("crn_round_trips", default=None)
_global_round_trips = [0]
_timeout: contextvars.ContextVar[float | None] = contextvars.ContextVar("crn_tx_timeout", default=None)
_bulk_timeout = [BULK_TIMEOUT_DEFAULT]  # until connect(settings) sets the configured one (no env read at import)
_retry_seconds = [5.0]  # ops: CRN_DB_RETRY_SECONDS, set by connect(settings)
_uri = [""]  # ops: where the driver points, for the database_unavailable message
_settings: list[Settings | None] = [None]  # ops: the settings of the last connect(), kept until close()
# ops: connection failures the driver gives up on (after its bounded retries), reported as DatabaseUnavailable
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, ConnectionAcquisitionTimeoutError, OSError)
# ops: set when a call found Neo4j unavailable; until a call gets through again, each call first makes one quick
# attempt (no retries) and fails at once when that fails, so a request making several calls does not wait the
# driver's retries for each of them
_seen_down = [False]
_probe_seconds = [5.0]  # that quick attempt's bound: CRN_DB_ACQUIRE_TIMEOUT (a just-restarted server is slow to answer)


class DatabaseUnavailable(RuntimeError):
    """Neo4j cannot be reached or refused our credentials; the message says what to do."""


def _unavailable(exc: BaseException) -> DatabaseUnavailable:
    """The DatabaseUnavailable reported for a connection failure the driver gave up on."""
    where = f" at {_uri[0]}" if _uri[0] else ""
    if isinstance(exc, ConnectionAcquisitionTimeoutError):
        return DatabaseUnavailable(f"no connection to Neo4j{where} became free in time (all are busy or the server "
                                   "does not answer); retry in a few seconds")
    return DatabaseUnavailable(f"Neo4j does not answer{where}; retry in a few seconds (an admin: `crn doctor`, "
                               "`crn db status`)")


class QueryTimeout(RuntimeError):
    """A transaction ran longer than its timeout and Neo4j stopped it (nothing was committed)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query took longer than {seconds:g} s; narrow it or ask an admin to raise "
                         "CRN_QUERY_TIMEOUT")


class QueryTooLarge(RuntimeError):
    """A transaction needed more memory than Neo4j allows transactions (it was stopped, not retried)."""

    def __init__(self) -> None:
        super().__init__("the query needed more memory than the database allows a transaction; narrow it (smaller "
                         "pages, fewer nested lists, a smaller network) or ask an admin to raise CRN_NEO4J_TX_MEMORY")


def _out_of_memory(exc: Neo4jError) -> bool:
    """True for Neo4j's transaction memory limits (dbms.memory.transaction.total.max, db.memory.transaction.max)."""
    code = exc.code or ""
    return "MemoryPoolOutOfMemoryError" in code or "TransactionOutOfMemoryError" in code


def _guarded(work: Callable[[ManagedTransaction], T]) -> Callable[[ManagedTransaction], T]:
    """``work`` raising QueryTooLarge for a memory-limit error: the driver would retry that transient error
    for half a minute, each attempt filling the memory pool again."""
    def run(tx: ManagedTransaction, *args: Any, **kwargs: Any) -> T:
        try:
            return work(tx, *args, **kwargs)
        except Neo4jError as exc:
            if _out_of_memory(exc):
                raise QueryTooLarge() from exc
            raise
    return run


def _timed_out(exc: ClientError) -> bool:
    """True for Neo4j's transaction-timeout errors (client-configured or the server's db.transaction.timeout)."""
    return "TransactionTimedOut" in (exc.code or "")


def transaction_timeout() -> float:
    """The timeout (seconds) the next transaction in this context gets."""
    seconds = _timeout.get()
    return _bulk_timeout[0] if seconds is None else seconds


@contextmanager
def timeout(seconds: float) -> Iterator[None]:
    """Run the transactions of this block (this context) with ``seconds`` as their timeout."""
    token = _timeout.set(seconds)
    try:
        yield
    finally:
        _timeout.reset(token)


def connection_details(settings: Settings | None = None) -> tuple[str, str, str, str]:
    """(uri, user, password, database) for the configured database, managed or external."""
    settings = settings or get_settings()
    if settings.neo4j_uri:
        if not settings.neo4j_password:
            raise DatabaseUnavailable(
                f"NEO4J_URI is set to {settings.neo4j_uri} but NEO4J_PASSWORD is not: set it to the "
                "password of the NEO4J_USER account."
            )
        return settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
    from crn.graph.server import LocalNeo4j

    server = LocalNeo4j(settings)
    return server.bolt_uri, settings.neo4j_user, server.password(), settings.neo4j_database


def open_driver(settings: Settings | None = None) -> tuple[Driver, str]:
    """A new, verified driver and the database name; clear errors for a wrong password or no server."""
    settings = settings or get_settings()
    uri, user, password, database = connection_details(settings)
    # ops: bounded waits while the server is down (see the module docstring)
    driver = GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=50,
                                  connection_timeout=settings.db_connect_timeout,
                                  connection_acquisition_timeout=settings.db_acquire_timeout,
                                  max_transaction_retry_time=settings.db_retry_seconds)
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise DatabaseUnavailable(
            f"Neo4j at {uri} refused user {user!r}: wrong password. Set NEO4J_PASSWORD to the right one."
        ) from exc
    except (ServiceUnavailable, SessionExpired, OSError, DriverError) as exc:
        driver.close()
        raise DatabaseUnavailable(
            f"Neo4j does not answer at {uri}. Start it with `crn db start`, or set NEO4J_URI to a "
            "running Neo4j >= 5.26."
        ) from exc
    return driver, database


def connect(settings: Settings | None = None) -> Driver:
    """Open (once per process) the driver for the configured database and check it answers."""
    global _driver, _database
    with _driver_lock:
        if _driver is None:
            settings = settings or _settings[0] or get_settings()
            _settings[0] = settings  # ops: a later driver() (e.g. after a failed start) connects to the same server
            _driver, _database = open_driver(settings)
            _bulk_timeout[0] = settings.bulk_timeout
            _retry_seconds[0] = settings.db_retry_seconds
            _probe_seconds[0] = settings.db_acquire_timeout
            _uri[0] = connection_details(settings)[0]
            _attach_neomodel(_driver, _database)
        return _driver


def _attach_neomodel(driver: Driver, database: str) -> None:
    """Let neomodel share our driver so model-level operations use the same connection pool."""
    from neomodel import db as neomodel_db

    neomodel_db.set_connection(driver=driver)
    try:
        neomodel_db._database_name = database  # neomodel keeps the target database here
    except AttributeError:  # pragma: no cover - older neomodel
        pass


def close() -> None:
    """Close the driver (end of process or test session)."""
    global _driver
    with _driver_lock:
        if _driver is not None:
            _driver.close()
            _driver = None
        _seen_down[0] = False
        _settings[0] = None


def driver() -> Driver:
    """The process-wide driver, connecting on first use."""
    return _driver or connect()


def database() -> str:
    """Name of the database crn works in."""
    if _driver is None:
        connect()
    return _database


def _count() -> None:
    _global_round_trips[0] += 1
    counter = _round_trips.get()
    if counter is not None:
        counter[0] += 1


@contextmanager
def count_round_trips() -> Iterator[list[int]]:
    """Count the transactions run in this context: ``with count_round_trips() as n: ...; n[0]``."""
    counter = [0]
    token = _round_trips.set(counter)
    try:
        yield counter
    finally:
        _round_trips.reset(token)


def total_round_trips() -> int:
    """Transactions run by this process so far (all contexts); for tests across threads."""
    return _global_round_trips[0]


def _check_not_down() -> None:
    """Fail at once while Neo4j is known to be down and still does not answer a quick probe."""
    if _seen_down[0]:
        reason = probe(_probe_seconds[0])
        if reason is not None:
            raise DatabaseUnavailable(reason)
        _seen_down[0] = False


def _run_managed(access: str, work: Callable[[ManagedTransaction], T], kwargs: dict[str, Any]) -> T:
    _count()
    seconds = transaction_timeout()
    _check_not_down()
    started = time.perf_counter()
    try:
        with driver().session(database=database()) as session:
            run = session.execute_read if access == "read" else session.execute_write
            return run(unit_of_work(timeout=seconds)(_guarded(work)), **kwargs)
    except ClientError as exc:
        if _timed_out(exc):
            raise QueryTimeout(seconds) from exc
        raise
    except _UNAVAILABLE as exc:
        _seen_down[0] = True
        raise _unavailable(exc) from exc
    finally:
        metrics.DB_SECONDS.labels(access).observe(time.perf_counter() - started)


def read_tx(work: Callable[[ManagedTransaction], T], **kwargs: Any) -> T:
    """Run ``work(tx)`` in a managed read transaction (retried on transient errors, with a timeout)."""
    return _run_managed("read", work, kwargs)


def write_tx(work: Callable[[ManagedTransaction], T], **kwargs: Any) -> T:
    """Run ``work(tx)`` in a managed write transaction (retried on transient errors, with a timeout)."""
    return _run_managed("write", work, kwargs)


def with_access(cypher: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` plus ``$access`` (the viewer bound in this context) when the query checks visibility.

    Fails closed (:class:`crn.graph.access.AccessUnbound`) when the query mentions ``$access`` and no
    viewer is bound."""
    if "$access" in cypher and "access" not in params:
        return {**params, "access": access.current().param()}
    return params


def _rows(tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(cypher, with_access(cypher, params))]


def read(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run one parameterised read query and return its rows as dicts."""
    return read_tx(lambda tx: _rows(tx, cypher, params))


def read_plain(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Like ``read``, for queries returning only maps, lists and scalars (no nodes, relationships or
    paths): the rows are taken as the driver decoded them, skipping ``Record.data()``'s recursive walk
    (which dominates the cost of large nested results)."""
    params = with_access(cypher, params)
    return read_tx(lambda tx: [dict(zip(record.keys(), record.values())) for record in tx.run(cypher, params)])


def read_one(cypher: str, **params: Any) -> dict[str, Any] | None:
    """The first row of a read query, or None."""
    rows = read(cypher, **params)
    return rows[0] if rows else None


def write(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run one parameterised write query in its own transaction and return its rows."""
    return write_tx(lambda tx: _rows(tx, cypher, params))


def write_many(statements: Iterable[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Run several parameterised statements in one write transaction: all or nothing."""
    statements = list(statements)

    def work(tx: ManagedTransaction) -> list[list[dict[str, Any]]]:
        return [_rows(tx, cypher, params) for cypher, params in statements]

    return write_tx(work)


def run_in_auto_commit(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run a statement outside a managed transaction (needed for ``CALL {} IN TRANSACTIONS``)."""
    _count()
    seconds = transaction_timeout()
    _check_not_down()
    started = time.perf_counter()
    try:
        with driver().session(database=database()) as session:
            return [r.data() for r in session.run(Query(cypher, timeout=seconds), params)]
    except ClientError as exc:
        if _timed_out(exc):
            raise QueryTimeout(seconds) from exc
        raise
    except _UNAVAILABLE as exc:
        _seen_down[0] = True
        raise _unavailable(exc) from exc
    finally:
        metrics.DB_SECONDS.labels("auto").observe(time.perf_counter() - started)


def probe(seconds: float) -> str | None:
    """None when Neo4j answers ``RETURN 1`` (one attempt, no retries) within ``seconds``, else why not.

    Connects first when no driver is open (the server may have been down when the process started)."""
    try:
        with driver().session(database=database(), connection_acquisition_timeout=seconds) as session:
            session.run(Query("RETURN 1 AS ok", timeout=seconds)).consume()
        return None
    except DatabaseUnavailable as exc:
        return str(exc)
    except (*_UNAVAILABLE, DriverError) as exc:
        return str(_unavailable(exc))
    except Neo4jError as exc:
        return f"Neo4j answered with an error: {exc.code}"


def ping(seconds: float = 5.0) -> bool:
    """True if Neo4j answers a trivial query within ``seconds``."""
    try:
        with timeout(seconds):
            read("RETURN 1 AS ok")
        return True
    except Exception:  # noqa: BLE001 - health check reports, never raises
        log.warning("Neo4j health check failed", exc_info=True)
        return False
