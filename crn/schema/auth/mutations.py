"""AuthMutation: a signed-in user changes their own password (the current one is required)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from crn.auth import AuthError, users
from crn.schema.auth import types as t
from crn.schema.base import UserError
from crn.schema.permissions import IsAuthenticated
from crn.schema.workers import run_db


@strawberry.type
class AuthMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated],
                         description="Change your own password; give the current one. Ends all your sessions.")
    async def password_change(self, info: Info, current_password: str, new_password: str) -> t.PasswordChangeResult:
        try:
            await run_db(users.change_own_password, info.context.user.uid, current_password, new_password,
                         info.context.settings)
        except AuthError as exc:
            return t.PasswordChangeError(errors=[UserError(code=exc.code, message=exc.message, field=exc.field)])
        return t.PasswordChangeSuccess()
