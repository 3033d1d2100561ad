"""Users of crn (our own staff): creation, argon2 password checks and roles."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from neo4j.exceptions import ConstraintError

from crn import audit
from crn.config import Settings
from crn.crm.validation import valid_email
from crn.graph import db
from crn.graph.models import new_uid
from crn.graph.queries import auth as q

ROLES = ("admin", "manager", "viewer")
WRITE_ROLES = ("admin", "manager")
MIN_PASSWORD_LENGTH = 8
ADMIN_EMAIL = "admin@crn.local"

_hasher = PasswordHasher()
# Verifying against this keeps the time of "unknown email" equal to "wrong password".
_DUMMY_HASH = _hasher.hash("crn-dummy-password")


class AuthError(ValueError):
    """An expected refusal (bad email, weak password, duplicate user...) with a machine code."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class AuthUser:
    """The authenticated user, as carried through a request."""

    uid: str
    name: str
    email: str
    role: str

    @property
    def can_write(self) -> bool:
        """Admins and managers may change data; viewers only read."""
        return can_write(self.role)

    def as_dict(self) -> dict[str, str]:
        """The JSON shape of /auth/me and /auth/login."""
        return {"uid": self.uid, "name": self.name, "email": self.email, "role": self.role}


def can_write(role: str) -> bool:
    """True when ``role`` may mutate data."""
    return role in WRITE_ROLES


def _user(row: dict | None) -> AuthUser | None:
    if not row:
        return None
    return AuthUser(uid=row["uid"], name=row["name"], email=row["email"], role=row.get("role") or "viewer")


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("weak_password", f"the password needs at least {MIN_PASSWORD_LENGTH} characters", "password")


def create_user(email: str, name: str, password: str, role: str = "viewer", actor: str | None = None) -> AuthUser:
    """Create a user with an argon2-hashed password; raises AuthError on bad input or a taken email."""
    email = (email or "").strip().lower()
    if not valid_email(email):
        raise AuthError("invalid_email", f"{email!r} is not an email address", "email")
    if not (name or "").strip():
        raise AuthError("required", "a name is required", "name")
    if role not in ROLES:
        raise AuthError("invalid_role", f"role must be one of {', '.join(ROLES)}", "role")
    _check_password(password)
    uid = new_uid()
    try:
        created = audit.Draft("create", label="User", uid=uid, actor=actor, changes=(
            ("email", None, email), ("name", None, name.strip()), ("role", None, role), ("active", None, True)))
        row = audit.write(q.CREATE_USER, created, uid=uid, email=email, name=name.strip(), role=role,
                          password_hash=hash_password(password), actor=actor)  # never the password in the trail
    except ConstraintError as exc:
        raise AuthError("duplicate_email", f"a user with email {email} already exists", "email") from exc
    return _user(row[0]["user"])


def get_user(email: str) -> AuthUser | None:
    """The user with that email, or None."""
    row = db.read_one(q.USER_BY_EMAIL, email=(email or "").strip().lower())
    return _user(row["user"]) if row else None


def set_password(email: str, password: str, actor: str | None = None) -> None:
    """Replace a user's password (hashed); every session of the user ends in the same write, and the
    web server's remembered tokens are forgotten (the user's rights are looked up afresh)."""
    _check_password(password)
    email = (email or "").strip().lower()

    def work(tx) -> list:
        rows = tx.run(q.SET_PASSWORD, email=email, password_hash=hash_password(password), actor=actor).data()
        for row in rows:  # audit: that it changed and who changed it, never the password
            audit.record(tx, "password_change", label="User", uid=row["uid"], actor=actor,
                         details={"sessions_ended": row["ended"]})
        return rows

    rows = db.write_tx(work)
    if not rows:
        raise AuthError("unknown_user", f"no user with email {email}", "email")
    _forget_cached_tokens()


def change_own_password(uid: str, current: str, new: str, settings: Settings) -> None:
    """A signed-in user replaces their own password; the current one must be given.

    Raises AuthError ``wrong_password`` (field currentPassword), ``weak_password`` or ``same_password``
    (field newPassword). Ends all of the user's sessions, as every password change does. Wrong current
    passwords are throttled as failed logins are (``settings``: the app's login_* settings).
    """
    throttle = _change_throttle(settings)
    wait = throttle.begin(uid)  # checked and counted in one step: parallel guesses share the budget
    if wait > 0:
        raise AuthError("too_many_attempts", f"too many wrong current passwords; try again in {math.ceil(wait)} s",
                        "currentPassword")
    try:
        row = db.read_one(q.USER_BY_UID, uid=uid)
        user = row["user"] if row else None
        right = _verify((user or {}).get("password_hash"), current)
    except BaseException:
        throttle.forgive(uid)  # no answer about the password: not a guess
        raise
    if not right:
        if user and not user.get("password_hash"):
            raise AuthError("no_password", "you have no password yet; an admin gives you one with "
                                           "`crn users set-password`", "currentPassword")
        raise AuthError("wrong_password", "the current password is not right", "currentPassword")
    throttle.reset(uid)
    try:
        _check_password(new)
    except AuthError as exc:
        raise AuthError(exc.code, exc.message, "newPassword") from exc
    if new == current:
        raise AuthError("same_password", "the new password must differ from the current one", "newPassword")
    set_password(user["email"], new, actor=uid)


_change_throttles: dict = {}


def _change_throttle(settings: Settings):
    """Wrong current passwords per user (as the login's account throttle; kept in this process)."""
    from crn.auth.throttle import Throttle

    key = (settings.login_account_failures, settings.login_backoff_seconds, settings.login_backoff_max_seconds)
    if key not in _change_throttles:
        _change_throttles.clear()
        _change_throttles[key] = Throttle(*key)
    return _change_throttles[key]


def end_user_sessions(uid: str) -> int:
    """End every session of a user and forget remembered tokens (after a change of role or active flag
    made outside ``crn.crm.records``); returns how many sessions ended."""
    rows = db.write(q.END_USER_SESSIONS, uid=uid)
    _forget_cached_tokens()
    return rows[0]["ended"] if rows else 0


def _forget_cached_tokens() -> None:
    from crn.auth import tokens  # tokens imports this module

    tokens.forget_cached_tokens()


def _verify(stored: str | None, password: str) -> bool:
    """argon2-verify ``password``; a missing hash is checked against the dummy (same time) and refused."""
    try:
        _hasher.verify(stored or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored)


def authenticate(email: str, password: str) -> AuthUser | None:
    """The user if the email and password match an active account, else None (constant-ish time).

    A user without a password hash (e.g. the demo's staff, or a user made through the API) never
    authenticates: the dummy hash is verified for equal timing, then the login is refused.
    """
    row = db.read_one(q.USER_BY_EMAIL, email=(email or "").strip().lower())
    user = row["user"] if row else None
    if not _verify((user or {}).get("password_hash"), password):
        return None
    if not user or user.get("active") is False:
        return None
    return _user(user)


def ensure_admin(password: str | None = None) -> tuple[AuthUser, str | None]:
    """Make sure ``admin@crn.local`` exists (idempotent).

    Returns the user and the generated password when one had to be made up (to print once), else None.
    """
    existing = get_user(ADMIN_EMAIL)
    if existing:
        return existing, None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(15)
    user = create_user(ADMIN_EMAIL, "Administrator", password, role="admin")
    return user, generated
