"""Per-request DataLoaders: each batches one access pattern over a list of uids into one query.

They are what keeps a 360° query at a constant number of round trips: resolving ``contacts { manager }``
for 100 contacts asks ``RelatedByUidLoader('person_managers')`` for 100 uids, answered by one UNWIND.
Results come back in key order, with None or [] for misses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from strawberry.dataloader import DataLoader

from crn.crm import views
from crn.schema.workers import run_db


def _in_thread(fn: Callable[..., dict], *args: Any):
    async def load(keys: list[str]) -> list[Any]:
        return await run_db(fn, *args, list(dict.fromkeys(keys)))
    return load


class NodeByUidLoader(DataLoader[str, dict | None]):
    """Properties of ``label`` nodes by uid."""

    def __init__(self, label: str) -> None:
        async def load(keys: list[str]) -> list[dict | None]:
            found = await run_db(views.nodes_by_uid, label, list(dict.fromkeys(keys)))
            return [found.get(k) for k in keys]
        super().__init__(load_fn=load)


class AnyNodeByUidLoader(DataLoader[str, tuple | None]):
    """(label, properties) of any crn node by uid."""

    def __init__(self) -> None:
        async def load(keys: list[str]) -> list[tuple | None]:
            found = await run_db(views.any_nodes_by_uid, list(dict.fromkeys(keys)))
            return [found.get(k) for k in keys]
        super().__init__(load_fn=load)


class RelatedByUidLoader(DataLoader[str, list[views.Related]]):
    """Every row of one named relation, by the uid of its start node."""

    def __init__(self, relation: str) -> None:
        async def load(keys: list[str]) -> list[list[views.Related]]:
            found = await run_db(views.related, relation, list(dict.fromkeys(keys)))
            return [found.get(k, []) for k in keys]
        super().__init__(load_fn=load)


class RelatedPageByUidLoader(DataLoader[str, views.Page]):
    """One page (same window and filters for the whole batch) of a named relation, by start uid."""

    def __init__(self, relation: str, skip: int, limit: int, reverse: bool, filters: dict[str, Any]) -> None:
        async def load(keys: list[str]) -> list[views.Page]:
            found = await run_db(views.related_page, relation, list(dict.fromkeys(keys)), skip, limit,
                                 reverse, **filters)
            return [found.get(k, views.Page(0, [])) for k in keys]
        super().__init__(load_fn=load)


class _MapLoader(DataLoader[str, Any]):
    fn: Callable[[list[str]], dict] = staticmethod(lambda uids: {})
    default: Any = None

    def __init__(self) -> None:
        fn, default = type(self).fn, type(self).default

        async def load(keys: list[str]) -> list[Any]:
            found = await run_db(fn, list(dict.fromkeys(keys)))
            return [found.get(k, default) for k in keys]
        super().__init__(load_fn=load)


class ParentChainByUidLoader(_MapLoader):
    """A company's majority parent chain up to its ultimate parent."""

    fn = staticmethod(views.parent_chains)
    default: list = []


class ReportingChainByUidLoader(_MapLoader):
    """A person's solid reporting chain up to the top."""

    fn = staticmethod(views.reporting_chains)
    default: list = []


class FamilyRollupByUidLoader(_MapLoader):
    """Roll-ups over a company and everything below it."""

    fn = staticmethod(views.family_rollups)


class Loaders:
    """The request's loaders, created on first use and keyed by what they batch."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader] = {}
        # filled by the 360° look-ahead (crn.schema.lookahead): cache key + (start uid,) -> value
        self.prefetched: dict[tuple, Any] = {}

    def _get(self, key: Hashable, make: Callable[[], DataLoader]) -> DataLoader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = make()
        return loader

    def node(self, label: str) -> NodeByUidLoader:
        """Nodes of one label by uid."""
        return self._get(("node", label), lambda: NodeByUidLoader(label))

    def any_node(self) -> AnyNodeByUidLoader:
        """Nodes of any label by uid."""
        return self._get("any", AnyNodeByUidLoader)

    def related(self, relation: str) -> RelatedByUidLoader:
        """All rows of a relation by start uid."""
        return self._get(("rel", relation), lambda: RelatedByUidLoader(relation))

    def related_page(self, relation: str, skip: int, limit: int, reverse: bool,
                     **filters: Any) -> RelatedPageByUidLoader:
        """A page of a relation by start uid (one loader per window and filter values)."""
        key = ("page", relation, skip, limit, reverse, tuple(sorted(filters.items())))
        return self._get(key, lambda: RelatedPageByUidLoader(relation, skip, limit, reverse, filters))

    def parent_chain(self) -> ParentChainByUidLoader:
        """Company parent chains."""
        return self._get("parent_chain", ParentChainByUidLoader)

    def reporting_chain(self) -> ReportingChainByUidLoader:
        """Person reporting chains."""
        return self._get("reporting_chain", ReportingChainByUidLoader)

    def family_rollup(self) -> FamilyRollupByUidLoader:
        """Family roll-ups."""
        return self._get("family_rollup", FamilyRollupByUidLoader)

    # Prefetched-or-load: the value itself when the look-ahead fetched it (resolvers then answer
    # synchronously, which graphql-core completes far cheaper than an awaitable), else the loader's future.

    def related_rows(self, relation: str, uid: str) -> list[views.Related] | Awaitable[list[views.Related]]:
        """All rows of a relation for ``uid``."""
        hit = self.prefetched.get(("rel", relation, uid))
        return hit if hit is not None else self.related(relation).load(uid)

    def page_rows(self, relation: str, uid: str, skip: int, limit: int, reverse: bool,
                  **filters: Any) -> views.Page | Awaitable[views.Page]:
        """A page of a relation for ``uid``."""
        hit = self.prefetched.get(("page", relation, skip, limit, reverse, tuple(sorted(filters.items())), uid))
        return hit if hit is not None else self.related_page(relation, skip, limit, reverse, **filters).load(uid)

    def value(self, name: str, uid: str) -> Any:
        """A parent chain, reporting chain or family roll-up for ``uid`` (name = the loader's name)."""
        hit = self.prefetched.get((name, uid))
        return hit if hit is not None else getattr(self, name)().load(uid)
