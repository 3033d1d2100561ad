"""ops: `crn doctor`'s checks: is everything crn needs there and healthy? Each problem comes with its fix.

The checks run in order and later ones are skipped when Neo4j cannot be reached (they need it):
Java (managed server only), Neo4j (reachable, version), ports (Bolt and HTTP of the managed server, crn's web
port), migrations applied, automation worker alive (its heartbeat, crn/automation/heartbeat.py), outbox backlog.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from crn.config import Settings

__all__ = ["Check", "run_checks"]

MIN_NEO4J = (5, 26)
OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
BACKLOG_AGE_FAIL = 600.0  # seconds the oldest due item may wait before the backlog counts as a problem


@dataclass(frozen=True)
class Check:
    """One finding: ``name``, ``state`` (ok, warn, fail, skip), ``detail`` and, unless ok, ``fix``."""

    name: str
    state: str
    detail: str
    fix: str = ""


def _java(settings: Settings) -> Check:
    if not settings.managed:
        return Check("java", SKIP, f"not needed: crn uses the Neo4j at {settings.neo4j_uri} (NEO4J_URI)")
    from crn.graph.server import LocalNeo4j, ServerError, java_major_version

    try:
        java = LocalNeo4j(settings).java()
    except ServerError as exc:
        return Check("java", FAIL, "no Java 17 or 21 for the managed Neo4j", str(exc))
    return Check("java", OK, f"{java} (Java {java_major_version(java)})")


def _ports(settings: Settings) -> list[Check]:
    from crn.graph.server import LocalNeo4j, port_in_use

    checks = []
    if settings.managed:
        running = LocalNeo4j(settings).pid() is not None
        for port, name in ((settings.bolt_port, "CRN_BOLT_PORT"), (settings.http_port, "CRN_HTTP_PORT")):
            used = port_in_use(port)
            if running and not used:
                checks.append(Check(f"port {port}", FAIL, "the managed Neo4j runs but does not listen here",
                                    "see `crn db logs`; restart it with `crn db stop && crn db start`"))
            elif not running and used:
                checks.append(Check(f"port {port}", FAIL, "taken by another program while the managed Neo4j is "
                                    "stopped", f"stop that program, or choose another port with {name}=<port>"))
            else:
                checks.append(Check(f"port {port}", OK, f"{name}: " + ("Neo4j listens" if used else "free")))
    scheme = "https" if settings.tls_cert else "http"
    url = f"{scheme}://{settings.host if settings.host not in ('0.0.0.0', '::') else '127.0.0.1'}:{settings.port}"
    try:
        answer = httpx.get(f"{url}/livez", timeout=2.0, verify=False)  # noqa: S501 - only asks "is it crn?"
        if answer.status_code == 200 and answer.json().get("status") == "alive":
            checks.append(Check(f"port {settings.port}", OK, f"crn serves at {url}"))
        else:
            checks.append(Check(f"port {settings.port}", FAIL, f"{url} answers, but it is not crn "
                                f"(HTTP {answer.status_code} on /livez)",
                                "stop that program, or serve crn on another port with CRN_PORT=<port>"))
    except (httpx.HTTPError, ValueError):
        checks.append(Check(f"port {settings.port}", WARN, f"nothing serves crn at {url}",
                            "start it with `crn serve` (or `make run`)"))
    return checks


def _neo4j(settings: Settings) -> Check:
    from crn.graph import db

    try:
        db.connect(settings)
        row = db.read_one("CALL dbms.components() YIELD name, versions, edition "
                          "RETURN versions[0] AS version, edition")
    except db.DatabaseUnavailable as exc:
        fix = "start it with `crn db start`" if settings.managed else "check NEO4J_URI / NEO4J_PASSWORD and the server"
        return Check("neo4j", FAIL, str(exc), fix)
    version = row["version"] if row else "?"
    numbers = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    if numbers and numbers < MIN_NEO4J:
        return Check("neo4j", FAIL, f"Neo4j {version} is too old", "crn needs Neo4j 5.26 or newer: upgrade the server")
    return Check("neo4j", OK, f"Neo4j {version} {row['edition'] if row else ''} answers at "
                 f"{db.connection_details(settings)[0]}")


def _migrations() -> Check:
    from crn.graph import migrations

    try:  # ops-data: the recorded schema version first (pending or newer than this crn)
        migrations.check()
    except migrations.SchemaOutOfDate as exc:
        fix = "upgrade crn" if "older than the database" in str(exc) else "apply them with `crn db migrate`"
        return Check("migrations", FAIL, str(exc).split(". Run")[0], fix)
    present = migrations.existing_schema()
    pending = [m.name for m in migrations.all_migrations() if m.name not in present]
    if pending:
        return Check("migrations", FAIL, f"{len(pending)} not applied: {', '.join(pending[:5])}"
                     + (" ..." if len(pending) > 5 else ""), "apply them with `crn db migrate`")
    return Check("migrations", OK, f"schema version {migrations.code_version()}: all "
                 f"{len(migrations.all_migrations())} constraints and indexes applied")


def _worker(settings: Settings) -> Check:
    from crn.automation import heartbeat

    row = heartbeat.freshest()
    if row is None:
        return Check("worker", FAIL, "no automation worker has ever run against this database",
                     "start one with `crn worker` (`make run` starts it beside the server)")
    limit = heartbeat.stale_after(settings)
    if row["age_seconds"] > limit:
        return Check("worker", FAIL, f"the last worker ({row['id']}) was last seen {row['age_seconds']} s ago "
                     f"(more than {limit:g} s)", "start `crn worker` again; its log says why it stopped")
    return Check("worker", OK, f"{row['id']} seen {row['age_seconds']} s ago")


def _outbox() -> Check:
    from crn.automation import outbox

    backlog = outbox.backlog()
    dead = outbox.outbox_counts().get("dead", 0)
    oldest = backlog["oldest_seconds"] or 0
    detail = f"{backlog['due']} due, the oldest waiting {oldest} s; {dead} dead-lettered"
    if oldest > BACKLOG_AGE_FAIL:
        return Check("outbox", FAIL, detail, "the worker is stopped or too slow: check `crn doctor`'s worker line, "
                     "raise CRN_AUTOMATION_CONCURRENCY or run a second `crn worker`")
    if dead:
        return Check("outbox", WARN, detail, "see why in the rule's runs (Automation page of the web app), fix the "
                     "rule or its target")
    return Check("outbox", OK, detail)


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in order (see the module docstring)."""
    from crn.graph import access

    checks = [_java(settings), _neo4j(settings)]
    checks += _ports(settings)
    if checks[1].state == FAIL:
        return checks + [Check(name, SKIP, "needs Neo4j") for name in ("migrations", "worker", "outbox")]
    with access.bound(access.SYSTEM):
        checks += [_migrations(), _worker(settings), _outbox()]
    return checks
