"""Composes the GraphQL schema from its parts and mounts it at /graphql (with the /auth routes)."""

from __future__ import annotations

import logging
from functools import cache

import strawberry
import strawberry.tools
from starlette.routing import Route

from crn.auth.http import auth_routes
from crn.config import Settings
from crn.schema import limits
from crn.schema.http import CrnGraphQL
from crn.schema.auth.mutations import AuthMutation
from crn.schema.auth.queries import AuthQuery
from crn.schema.automation.mutations import AutomationMutation
from crn.schema.activity import ActivityMutation
from crn.schema.alerts import AlertQuery
from crn.schema.automation.queries import AutomationQuery
from crn.schema.board import BoardQuery
from crn.schema.forms import FormQuery
from crn.schema.intel.queries import IntelQuery
from crn.schema.queries import Query as CrmQuery
from crn.schema.saved_views import SavedViewMutation, SavedViewQuery
from crn.schema.tasks import TaskMutation, TaskQuery
from crn.schema.ticket_queue import TicketQueueMutation, TicketQueueQuery
from crn.schema.types import TYPE_BY_LABEL

Query = strawberry.tools.merge_types("Query", (CrmQuery, IntelQuery, AutomationQuery, AuthQuery, FormQuery,
                                                BoardQuery, TaskQuery, SavedViewQuery, TicketQueueQuery,
                                                AlertQuery))

try:
    from crn.schema.mutations import Mutation
except ImportError:  # pragma: no cover - during bootstrap only
    Mutation = None
if Mutation is not None:
    Mutation = strawberry.tools.merge_types("Mutation", (Mutation, AutomationMutation, AuthMutation, TaskMutation,
                                                         ActivityMutation, SavedViewMutation, TicketQueueMutation))

from crn.schema.ingest.mutations import IngestMutation  # noqa: E402

Mutation = strawberry.tools.merge_types("Mutation", tuple(m for m in (Mutation, IngestMutation) if m is not None))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with crn's limits; introspection only in development mode."""
    return strawberry.Schema(query=Query, mutation=Mutation, types=list(TYPE_BY_LABEL.values()),
                             extensions=limits.extensions(settings))


@cache
def sdl() -> str:
    """The schema as SDL (what schema.graphql holds)."""
    from crn.config import get_settings

    return build_schema(get_settings()).as_str() + "\n"


def graphql_routes(settings: Settings) -> list:
    """/graphql (GraphiQL only in development mode) and /auth/login|logout|me."""
    # The driver logs a warning per query that mentions a property no node has yet (common on a young
    # database: e.g. `resolved_at` before any ticket is resolved); that is noise, not a problem.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    app = CrnGraphQL(build_schema(settings), graphql_ide="graphiql" if settings.dev_mode else None, settings=settings,
                     multipart_uploads_enabled=True)  # importFile uploads (size-limited in the resolver)
    return [Route("/graphql", app, methods=["GET", "POST"]), *auth_routes(settings)]
