"""Root query fields of the graph as a whole: any node by global id, full-text search, a node's neighbourhood."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry.types import Info

from crn.crm import search as search_ops
from crn.schema.base import ClientError, Node, decode_id, encode_id
from crn.schema.common import build
from crn.schema.context import loaders
from crn.schema.network.inputs import SearchType
from crn.schema.network.types import Network, SearchResult, network_of
from crn.schema.nodes import TYPE_BY_LABEL
from crn.schema.permissions import IsAuthenticated
from crn.schema.workers import run_db


@strawberry.type
class NetworkQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Any object by global ID, or null.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        label, uid = decode_id(id)
        return build(TYPE_BY_LABEL[label], await loaders(info).node(label).load(uid))

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="Objects by global IDs (null for unknown ones), in order.")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > 100:
            raise ClientError("at most 100 ids per `nodes` call", "too_many_ids")
        decoded = [decode_id(i) for i in ids]
        found = await asyncio.gather(*(loaders(info).node(label).load(uid) for label, uid in decoded))
        return [build(TYPE_BY_LABEL[label], row) for (label, _), row in zip(decoded, found)]

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="Full-text search over names, emails and domains.")
    async def search(self, text: str, types: list[SearchType] | None = None, first: int = 10) -> list[SearchResult]:
        if not 1 <= first <= 100:
            raise ClientError("`first` must be between 1 and 100", "page_size_exceeded")
        wanted = tuple(t.value for t in types) if types else search_ops.SEARCHABLE_TYPES
        try:
            hits = await run_db(search_ops.search, text, wanted, first)
        except search_ops.SearchTextTooLong as exc:
            raise ClientError(f"{exc}.", "search_too_long") from exc
        return [SearchResult(id=strawberry.ID(encode_id(h.type, h.uid)), uid=h.uid, type=h.type, name=h.name,
                             detail=h.detail, score=h.score) for h in hits]

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The neighbourhood of any node, to expand it on the canvas.")
    async def neighbourhood(self, id: strawberry.ID, depth: int = 1, limit: int = 200) -> Network | None:
        _, uid = decode_id(id)
        return await network_of(uid, depth, limit)
