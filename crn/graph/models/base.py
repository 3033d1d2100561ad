"""Properties every crn node carries: a stable uid and who changed it when."""

from __future__ import annotations

import uuid

from neomodel import ArrayProperty, StringProperty, StructuredNode

from crn.graph.models.properties import DateTimeProperty


def new_uid() -> str:
    """A new opaque node id (32 hex characters)."""
    return uuid.uuid4().hex


class Record(StructuredNode):
    """Abstract base: uid, tags, external ids and the audit stamps set on every write.

    ``external_ids`` holds ``"source:id"`` strings (e.g. ``"hubspot:1234"``) so rows from other
    systems can be upserted repeatably.
    """

    __abstract_node__ = True

    uid = StringProperty(unique_index=True, default=new_uid, caption=("Id", "编号"), writable=False, form=False)
    tags = ArrayProperty(StringProperty(), default=list, caption=("Tags", "标签"), filter="has",
                         aliases=("tag", "labels", "标签"))
    external_ids = ArrayProperty(StringProperty(), default=list, caption=("External ids", "外部编号"), form=False)
    created_at = DateTimeProperty(default_now=True, caption=("Created at", "创建时间"), writable=False, form=False,
                                  filter="range", sort=True)
    updated_at = DateTimeProperty(default_now=True, caption=("Updated at", "更新时间"), writable=False, form=False,
                                  sort=True)
    updated_by = StringProperty(caption=("Updated by", "更新人"), writable=False, form=False)
