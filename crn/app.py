"""create_app(): the Starlette application serving /healthz, /graphql and the network UI."""

from __future__ import annotations

import contextlib
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from crn import monitoring
from crn.config import Settings, get_settings
from crn.graph import db
from crn.headers import SecurityHeaders
from crn.transport import StrictTransportSecurity

log = logging.getLogger(__name__)


def _ensure_access_keys() -> None:
    """access (issue 13): an install upgraded from before record-level access gets every record's keys now
    (crn.crm.access.rebuild), so its records are not invisible to everyone but admins."""
    from crn.crm import access

    try:
        if access.needs_rebuild():
            log.info("some records have no access keys yet: recomputing them (crn access rebuild)")
            changed = access.rebuild()
            log.info("access keys recomputed: %s", changed)
    except Exception:  # noqa: BLE001 - serving must not fail; `crn access rebuild` reports the problem
        log.exception("recomputing access keys failed; run `crn access rebuild`")


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the ASGI app. Routes and middleware are plain lists (see README for each one).

    ``settings`` are read from the environment here when not given, once: every part of the app receives
    these (``app.state.settings``, the GraphQL context, the listeners installed below). A test that needs
    other settings builds them (``Settings(...)`` or ``dataclasses.replace``) and passes them.
    """
    settings = settings or get_settings()
    from crn.schema import workers

    workers.configure(settings)  # the API's database threads, per-user slots and query timeout
    import crn.automation

    crn.automation.install(settings)  # domain events from API writes enqueue automation actions in their transaction
    from crn.intel import strength

    strength.install(settings)  # relationship strength follows new interactions
    import crn.audit

    crn.audit.install()  # audit: every domain event becomes an audit entry in its transaction

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        try:
            db.connect(settings)
        except db.DatabaseUnavailable as exc:
            log.error("%s", exc)
        else:  # ops: never serve a database migrated by another crn version (message says what to run)
            from crn.graph import migrations

            try:
                migrations.check()
            except migrations.SchemaOutOfDate as exc:
                log.error("%s", exc)
                db.close()
                raise
            _ensure_access_keys()
        yield
        db.close()

    # ops: liveness, readiness and metrics (crn/monitoring.py)
    routes = [Route("/healthz", monitoring.healthz), Route("/livez", monitoring.livez),
              Route("/metrics", monitoring.metrics_endpoint)]
    routes += _graphql_routes(settings)
    routes += _web_routes()
    routes += _privacy_routes()  # /u/<token>: one-click unsubscribe, no session (crn/web/unsubscribe.py)
    middleware = [
        # ops: X-Request-ID in and out, request counters and latency by route / operation / status
        Middleware(monitoring.RequestObserver,
                   paths=frozenset(r.path for r in routes if isinstance(r, Route) and "{" not in r.path)),
        # CSP, nosniff, Referrer-Policy, X-Frame-Options on every response (crn/headers.py)
        Middleware(SecurityHeaders, dev_ide_path="/graphql" if settings.dev_mode else None),
        # HSTS on answers given over HTTPS (crn/transport.py)
        Middleware(StrictTransportSecurity, max_age=settings.hsts_seconds),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    # ops: Neo4j down while e.g. a token is checked: 503 + Retry-After, not a 500
                    exception_handlers={db.DatabaseUnavailable: monitoring.database_unavailable})
    app.state.settings = settings
    return app


def _graphql_routes(settings: Settings) -> list:
    from crn.schema.schema import graphql_routes

    return graphql_routes(settings)


def _web_routes() -> list:
    from crn.web import web_routes

    return web_routes()


def _privacy_routes() -> list:
    from crn.web.unsubscribe import unsubscribe_routes

    return unsubscribe_routes()
