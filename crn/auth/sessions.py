"""Browser sessions: a random id in the ``crn_session`` cookie, its SHA-256 stored in Neo4j."""

from __future__ import annotations

import hashlib
import secrets

from crn.auth.users import AuthUser, _user
from crn.graph import db
from crn.graph.queries import auth as q

COOKIE_NAME = "crn_session"
SESSION_TTL_SECONDS = 12 * 3600


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def create_session(user: AuthUser, ttl_seconds: int = SESSION_TTL_SECONDS) -> str:
    """Open a session for the user; returns the cookie value (stored only as a hash)."""
    session_id = secrets.token_urlsafe(32)
    db.write(q.CREATE_SESSION, user_uid=user.uid, hash=_digest(session_id), ttl=ttl_seconds)
    return session_id


def user_for_session(session_id: str) -> AuthUser | None:
    """The user of an unexpired session, or None."""
    if not session_id:
        return None
    row = db.read_one(q.USER_FOR_SESSION, hash=_digest(session_id))
    return _user(row["user"]) if row else None


def end_session(session_id: str) -> None:
    """Forget a session (logout)."""
    if session_id:
        db.write(q.DELETE_SESSION, hash=_digest(session_id))
