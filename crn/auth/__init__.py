"""Authentication: users with argon2-hashed passwords, API tokens and browser sessions (hashed in Neo4j).

The public functions are the contract other parts of crn use (see API-CONTRACT.md):
``create_user``, ``authenticate``, ``create_token``, ``revoke_token``, ``user_for_token``,
``create_session``, ``user_for_session``, ``end_session``, ``ensure_admin``.
"""

from crn.auth.users import (
    ROLES,
    AuthError,
    AuthUser,
    authenticate,
    can_write,
    change_own_password,
    create_user,
    end_user_sessions,
    ensure_admin,
    get_user,
    set_password,
)
from crn.auth.tokens import create_token, list_tokens, revoke_token, tokens_of_user, user_for_token
from crn.auth.sessions import create_session, end_session, user_for_session

__all__ = [
    "ROLES", "AuthError", "AuthUser", "authenticate", "can_write", "change_own_password", "create_session",
    "create_token", "create_user", "end_session", "end_user_sessions", "ensure_admin", "get_user", "list_tokens",
    "revoke_token", "set_password", "tokens_of_user", "user_for_session", "user_for_token",
]
