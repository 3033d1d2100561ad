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
from crn.schema.access.mutations import AccessMutation
from crn.schema.access.queries import AccessQuery
from crn.schema.accounts.mutations import AccountsMutation
from crn.schema.accounts.queries import AccountsQuery
from crn.schema.activity.mutations import ActivityMutation
from crn.schema.activity.queries import ActivityQuery
from crn.schema.auth.mutations import AuthMutation
from crn.schema.auth.queries import AuthQuery
from crn.schema.audit import AuditQuery, audit_routes  # audit
from crn.schema.automation.mutations import AutomationMutation
from crn.schema.alerts import AlertQuery
from crn.schema.automation.queries import AutomationQuery
from crn.schema.automation.tasks import TaskMutation, TaskQuery
from crn.schema.fields import FieldMutation, FieldQuery
from crn.schema.forms import FormQuery
from crn.schema.http import CrnGraphQL
from crn.schema.ingest.mutations import IngestMutation, IngestQuery
from crn.schema.intel.queries import IntelQuery
from crn.schema.network.mutations import NetworkMutation
from crn.schema.network.queries import NetworkQuery
from crn.schema.nodes import TYPE_BY_LABEL
from crn.schema.people.mutations import PeopleMutation
from crn.schema.people.queries import PeopleQuery
from crn.schema.privacy import PrivacyMutation, PrivacyQuery  # privacy (issue 13 §3)
from crn.schema.sales.board import BoardQuery
from crn.schema.saved_views import SavedViewMutation, SavedViewQuery
from crn.schema.sales.mutations import SalesMutation
from crn.schema.sales.queries import SalesQuery
from crn.schema.service.mutations import ServiceMutation
from crn.schema.service.queries import ServiceQuery
from crn.schema.service.queue import TicketQueueMutation, TicketQueueQuery

# The roots, one part per domain package (each declares its own fields; nothing is generated here).
Query = strawberry.tools.merge_types("Query", (
    NetworkQuery,     # node, nodes, search, neighbourhood
    PeopleQuery,      # me, person, user, people, users
    AccountsQuery,    # company, companies
    SalesQuery,       # deal, deals, products, orders
    ServiceQuery,     # ticket, tickets
    ActivityQuery,    # interactions
    IntelQuery,
    AutomationQuery,
    AuthQuery,
    FormQuery,
    BoardQuery,       # pipelineBoard
    TaskQuery,        # myOpenTasks
    FieldQuery,       # customFieldDefinitions, customFieldHistory
    SavedViewQuery,   # mySavedViews
    TicketQueueQuery,  # ticketQueue
    AlertQuery,       # myAlerts, dealsClosing
    IngestQuery,      # importFields, importProgress
    AccessQuery,      # access (issue 13): accessTeams, accessTerritories, sharingRules, orgDefaults, accessUsers,
                      # accessExplain, recordAccess
    PrivacyQuery,     # personPrivacy (privacy, issue 13 §3)
    AuditQuery,       # audit: auditTrail, recordHistory, auditTrailCsv, auditVerify
))

Mutation = strawberry.tools.merge_types("Mutation", (
    AccountsMutation,   # company{Create,Update,Delete,Upsert}
    PeopleMutation,     # person{Create,Update,Delete,Upsert}, userUpdate
    SalesMutation,      # deal..., product..., order{Create,Update,Delete,Upsert}
    ServiceMutation,    # ticket{Create,Update,Delete,Upsert}
    ActivityMutation,   # interaction{Create,Update,Delete,Upsert}, interactionLog
    NetworkMutation,    # link, unlink
    AutomationMutation,
    AuthMutation,
    TaskMutation,
    IngestMutation,     # importFile
    FieldMutation,      # customField{Define,Change,Remove,Restore,Purge}
    SavedViewMutation,  # savedView{Create,Delete}
    TicketQueueMutation,  # ticketAssign
    AccessMutation,     # access (issue 13): team*, accessMember*, territory*, sharingRule*, orgDefaultSet,
                        # personalDataSet, recordOwnerSet
    PrivacyMutation,    # personConsentSet, personExport, personErase (privacy, issue 13 §3)
))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with crn's limits; introspection only in development mode."""
    return strawberry.Schema(query=Query, mutation=Mutation, types=list(TYPE_BY_LABEL.values()),
                             extensions=limits.extensions(settings))


@cache
def sdl() -> str:
    """The schema as SDL (what schema.graphql holds; the same whatever the settings). For `crn schema export` and
    the tests, never on a request's path."""
    from crn.config import get_settings

    return build_schema(get_settings()).as_str() + "\n"


def graphql_routes(settings: Settings) -> list:
    """/graphql (GraphiQL only in development mode) and /auth/login|logout|me."""
    # The driver logs a warning per query that mentions a property no node has yet (common on a young
    # database: e.g. `resolved_at` before any ticket is resolved); that is noise, not a problem.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    app = CrnGraphQL(build_schema(settings), graphql_ide="graphiql" if settings.dev_mode else None, settings=settings,
                     multipart_uploads_enabled=True)  # importFile uploads (size-limited in the resolver)
    return [Route("/graphql", app, methods=["GET", "POST"]), *auth_routes(settings),
            *audit_routes(settings)]  # audit: GET /audit/export.csv
