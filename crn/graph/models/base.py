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

    uid = StringProperty(unique_index=True, default=new_uid)
    tags = ArrayProperty(StringProperty(), default=list)
    external_ids = ArrayProperty(StringProperty(), default=list)
    created_at = DateTimeProperty(default_now=True)
    updated_at = DateTimeProperty(default_now=True)
    updated_by = StringProperty()
