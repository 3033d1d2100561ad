"""Composes the GraphQL schema and mounts it at /graphql."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL
from starlette.routing import Route

from crn.config import Settings
from crn.crm import search as search_ops


@strawberry.type
class Company:
    uid: str
    name: str
    domain: str | None = None
    industry: str | None = None
    country: str | None = None


@strawberry.type
class SearchHit:
    type: str
    uid: str
    name: str
    detail: str | None
    score: float


@strawberry.type
class Query:
    @strawberry.field(description="A company by uid, or null.")
    def company(self, uid: str) -> Company | None:
        row = search_ops.get_company(uid)
        return Company(**{k: row.get(k) for k in ("uid", "name", "domain", "industry", "country")}) if row else None

    @strawberry.field(description="Full-text search over names, emails and domains.")
    def search(self, text: str, first: int = 10) -> list[SearchHit]:
        return [SearchHit(**vars(h)) for h in search_ops.search(text, first=first)]


schema = strawberry.Schema(query=Query)


def graphql_routes(settings: Settings) -> list:
    """The /graphql route (GraphiQL only in development mode)."""
    app = GraphQL(schema, graphql_ide="graphiql" if settings.dev_mode else None)
    return [Route("/graphql", app, methods=["GET", "POST"])]
