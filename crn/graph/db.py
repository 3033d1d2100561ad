"""Driver lifecycle and the read/write transaction helpers every Cypher query goes through.

Reads run in managed read transactions and writes in managed write transactions
(``execute_read`` / ``execute_write``), which retry transient errors and route correctly on a
cluster (``neo4j://``). A per-context counter of round trips lets tests assert the *shape* of
performance (e.g. a 360° view costs a constant number of queries).
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Query
from neo4j.exceptions import AuthError, ServiceUnavailable

from crn.config import Settings, get_settings

log = logging.getLogger(__name__)
T = TypeVar("T")

_driver: Driver | None = None
_driver_lock = threading.Lock()
_database: str = "neo4j"
_round_trips: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("crn_round_trips", default=None)
_global_round_trips = [0]


class DatabaseUnavailable(RuntimeError):
    """Neo4j cannot be reached or refused our credentials; the message says what to do."""


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
    uri, user, password, database = connection_details(settings)
    driver = GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=50)
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise DatabaseUnavailable(
            f"Neo4j at {uri} refused user {user!r}: wrong password. Set NEO4J_PASSWORD to the right one."
        ) from exc
    except (ServiceUnavailable, OSError) as exc:
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
            _driver, _database = open_driver(settings)
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


def read_tx(work: Callable[[ManagedTransaction], T], **kwargs: Any) -> T:
    """Run ``work(tx)`` in a managed read transaction (retried on transient errors)."""
    _count()
    with driver().session(database=database()) as session:
        return session.execute_read(work, **kwargs)


def write_tx(work: Callable[[ManagedTransaction], T], **kwargs: Any) -> T:
    """Run ``work(tx)`` in a managed write transaction (retried on transient errors)."""
    _count()
    with driver().session(database=database()) as session:
        return session.execute_write(work, **kwargs)


def _rows(tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(cypher, params)]


def read(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run one parameterised read query and return its rows as dicts."""
    return read_tx(lambda tx: _rows(tx, cypher, params))


def read_plain(cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Like ``read``, for queries returning only maps, lists and scalars (no nodes, relationships or
    paths): the rows are taken as the driver decoded them, skipping ``Record.data()``'s recursive walk
    (which dominates the cost of large nested results)."""
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
    with driver().session(database=database()) as session:
        return [r.data() for r in session.run(Query(cypher), params)]


def ping() -> bool:
    """True if Neo4j answers a trivial query."""
    try:
        read("RETURN 1 AS ok")
        return True
    except Exception:  # noqa: BLE001 - health check reports, never raises
        log.warning("Neo4j health check failed", exc_info=True)
        return False
