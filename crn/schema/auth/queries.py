"""AuthQuery: the signed-in user's own API tokens (ids, names, expiry, last use; never secrets)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.auth import tokens
from crn.schema.auth import types as t
from crn.schema.permissions import IsAuthenticated
from crn.schema.workers import run_db


@strawberry.type
class AuthQuery:
    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="Your API tokens, oldest first (never their secrets).")
    async def my_tokens(self, info: Info) -> list[t.ApiTokenInfo]:
        rows = await run_db(tokens.tokens_of_user, info.context.user.uid)
        return [t.token_of(row) for row in rows]
