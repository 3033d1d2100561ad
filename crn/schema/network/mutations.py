"""Mutations of the graph as a whole: link and unlink records with any kind of relationship.

Both read their input, call ``crn.crm.links`` as the acting user and return ``LinkSuccess | LinkError``
(``UnlinkSuccess | UnlinkError``); viewers are refused by ``CanWrite`` before anything runs.
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.crm import links
from crn.schema.base import JSON, UserError, decode_id
from crn.schema.common import jsonable, user_errors
from crn.schema.network.inputs import LinkInput, UnlinkInput
from crn.schema.permissions import CanWrite
from crn.schema.workers import run_db


@strawberry.type(description="A link as stored.")
class LinkPayload:
    type: str
    from_id: strawberry.ID
    to_id: strawberry.ID
    properties: JSON | None


@strawberry.type(description="Linking succeeded.")
class LinkSuccess:
    link: LinkPayload


@strawberry.type(description="Linking failed; nothing changed.")
class LinkError:
    errors: list[UserError]


LinkResult = Annotated[Union[LinkSuccess, LinkError], strawberry.union("LinkResult")]


@strawberry.type(description="Unlinking succeeded.")
class UnlinkSuccess:
    removed: int


@strawberry.type(description="Unlinking failed; nothing changed.")
class UnlinkError:
    errors: list[UserError]


UnlinkResult = Annotated[Union[UnlinkSuccess, UnlinkError], strawberry.union("UnlinkResult")]


@strawberry.type
class NetworkMutation:
    @strawberry.mutation(permission_classes=[CanWrite],
                         description="Create a link of any kind (or update its properties).")
    async def link(self, info: Info, input: LinkInput) -> LinkResult:
        kind = links.LINKS[input.type.value]
        _, from_uid = decode_id(input.from_id, kind.from_labels)
        _, to_uid = decode_id(input.to_id, kind.to_labels)
        if input.properties is not None and not isinstance(input.properties, dict):
            return LinkError(errors=[UserError(code="invalid_value", message="properties must be an object",
                                               field="properties")])
        result = await run_db(links.link, input.type.value, from_uid, to_uid, input.properties,
                              info.context.actor)
        if not result.ok:
            return LinkError(errors=user_errors(result.errors))
        return LinkSuccess(link=LinkPayload(type=kind.rel_type, from_id=input.from_id, to_id=input.to_id,
                                            properties=jsonable(result.record)))

    @strawberry.mutation(permission_classes=[CanWrite], description="Remove a link between two records.")
    async def unlink(self, info: Info, input: UnlinkInput) -> UnlinkResult:
        kind = links.LINKS[input.type.value]
        _, from_uid = decode_id(input.from_id, kind.from_labels)
        _, to_uid = decode_id(input.to_id, kind.to_labels)
        result = await run_db(links.unlink, input.type.value, from_uid, to_uid, info.context.actor)
        if not result.ok:
            return UnlinkError(errors=user_errors(result.errors))
        return UnlinkSuccess(removed=result.record["removed"])
