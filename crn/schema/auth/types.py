"""Types of the auth schema: a token as its owner sees it (never its secret) and passwordChange's result."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Union

import strawberry

from crn.schema.base import UserError


@strawberry.type(description="One of your API tokens; the secret is shown only once, by `crn tokens create`.")
class ApiTokenInfo:
    token_id: str = strawberry.field(description="The id part of the token (crn_<id>_...).")
    name: str
    created_at: dt.datetime | None
    expires_at: dt.datetime | None = strawberry.field(description="When the token stops working (null: never).")
    last_used_at: dt.datetime | None = strawberry.field(
        description="When the token last authenticated a request (written at most once a minute).")
    revoked: bool
    expired: bool


@strawberry.type(description="Your password was changed; every session of yours has ended (sign in again).")
class PasswordChangeSuccess:
    ended_sessions: bool = True


@strawberry.type(description="The password was not changed: codes wrong_password, weak_password, same_password, "
                             "too_many_attempts, no_password.")
class PasswordChangeError:
    errors: list[UserError]


PasswordChangeResult = Annotated[Union[PasswordChangeSuccess, PasswordChangeError],
                                 strawberry.union("PasswordChangeResult")]


def token_of(row: dict) -> ApiTokenInfo:
    """A row of ``crn.auth.tokens.tokens_of_user`` as the GraphQL type."""
    return ApiTokenInfo(token_id=row["token_id"], name=row["name"], created_at=row["created_at"],
                        expires_at=row["expires_at"], last_used_at=row["last_used_at"],
                        revoked=bool(row["revoked"]), expired=bool(row["expired"]))
