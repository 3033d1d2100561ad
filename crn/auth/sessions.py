"""Browser sessions: a random id in the ``crn_session`` cookie, its SHA-256 stored in Neo4j.

A session ends at logout, after ``session_idle_seconds`` without a request, ``session_max_seconds``
after it began, when the user's password, role or active flag changes, and (for a session opened with
an API token in the web UI) when that token is revoked or expires.
"""

from __future__ import annotations

import hashlib
import secrets

from crn import audit
from crn.auth.users import AuthUser, _user
from crn.graph import db
from crn.graph.queries import auth as q

COOKIE_NAME = "crn_session"
# The last-seen time is written at most this often per session (reads stay reads on a busy page).
TOUCH_SECONDS = 60.0


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def create_session(user: AuthUser, ttl_seconds: float, via_token: str | None = None) -> str:
    """Open a session for the user; returns the cookie value (stored only as a hash).

    ``ttl_seconds`` is the session's longest life (the app's ``session_max_seconds``); ``via_token`` is the id
    of the API token the session was opened with (the session then ends with the token).
    """
    session_id = secrets.token_urlsafe(32)
    login = audit.Draft("login", label="User", uid=user.uid, actor=user.uid, channel="ui", ref=via_token,
                        details={"via": "api token" if via_token else "password"})
    audit.write(q.CREATE_SESSION, login, user_uid=user.uid, hash=_digest(session_id), ttl=ttl_seconds,
                via_token=via_token)  # the session and its audit entry in one transaction
    return session_id


def user_for_session(session_id: str, idle_seconds: float, max_seconds: float) -> AuthUser | None:
    """The user of a live session (unused for less than ``idle_seconds``, younger than ``max_seconds``: the
    app's ``session_idle_seconds`` / ``session_max_seconds``), or None; notes its use."""
    if not session_id:
        return None
    idle, most = idle_seconds, max_seconds
    digest = _digest(session_id)
    row = db.read_one(q.USER_FOR_SESSION, hash=digest, idle_seconds=idle, max_seconds=most)
    if not row:
        return None
    if row["idle_for"] >= min(TOUCH_SECONDS, idle / 4):
        db.write(q.TOUCH_SESSION, hash=digest)
    return _user(row["user"])


def end_session(session_id: str) -> None:
    """Forget a session (logout; recorded in the audit trail)."""
    if not session_id:
        return

    def work(tx) -> None:
        row = tx.run(q.DELETE_SESSION, hash=_digest(session_id)).single()
        if row is not None:
            audit.record(tx, "logout", label="User", uid=row["uid"], actor=row["uid"], channel="ui")

    db.write_tx(work)
