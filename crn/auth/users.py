"""Users of crn (our own staff): creation, argon2 password checks and roles."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from neo4j.exceptions import ConstraintError

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
    try:
        row = db.write(q.CREATE_USER, uid=new_uid(), email=email, name=name.strip(), role=role,
                       password_hash=hash_password(password), actor=actor)
    except ConstraintError as exc:
        raise AuthError("duplicate_email", f"a user with email {email} already exists", "email") from exc
    return _user(row[0]["user"])


def get_user(email: str) -> AuthUser | None:
    """The user with that email, or None."""
    row = db.read_one(q.USER_BY_EMAIL, email=(email or "").strip().lower())
    return _user(row["user"]) if row else None


def set_password(email: str, password: str, actor: str | None = None) -> None:
    """Replace a user's password (hashed)."""
    _check_password(password)
    rows = db.write(q.SET_PASSWORD, email=email.strip().lower(), password_hash=hash_password(password), actor=actor)
    if not rows:
        raise AuthError("unknown_user", f"no user with email {email}", "email")


def authenticate(email: str, password: str) -> AuthUser | None:
    """The user if the email and password match an active account, else None (constant-ish time)."""
    row = db.read_one(q.USER_BY_EMAIL, email=(email or "").strip().lower())
    user = row["user"] if row else None
    stored = (user or {}).get("password_hash") or _DUMMY_HASH
    try:
        _hasher.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
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
