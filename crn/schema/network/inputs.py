"""GraphQL inputs of the graph as a whole: what search covers and links of any kind."""

from __future__ import annotations

from enum import Enum

import strawberry

from crn.crm import links
from crn.schema.base import JSON


@strawberry.enum(description="Record types the full-text search covers.")
class SearchType(Enum):
    COMPANY = "Company"
    PERSON = "Person"
    USER = "User"


RelationshipKind = strawberry.enum(
    Enum("RelationshipKind", {name.upper(): name for name in links.LINKS}),
    description="Every kind of link: " + "; ".join(
        f"{name.upper()} = ({'|'.join(k.from_labels)})-[:{k.rel_type}]->({'|'.join(k.to_labels)})"
        + (f" {{{', '.join(k.properties)}}}" if k.properties else "") for name, k in links.LINKS.items()),
)


@strawberry.input(description="A link between two records; `properties` as listed on RelationshipKind (snake_case).")
class LinkInput:
    type: RelationshipKind  # type: ignore[valid-type]
    from_id: strawberry.ID
    to_id: strawberry.ID
    properties: JSON | None = None


@strawberry.input(description="Which link to remove.")
class UnlinkInput:
    type: RelationshipKind  # type: ignore[valid-type]
    from_id: strawberry.ID
    to_id: strawberry.ID
