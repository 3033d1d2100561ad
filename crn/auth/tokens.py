"""API tokens: random, shown once, stored as a hash.

A token reads ``crn_<id>_<secret>``: the id finds the row, the secret is checked against its SHA-256.
Tokens carry 256 bits of randomness, so a fast hash is as safe as argon2 here (GitHub stores its
tokens the same way) and keeps every request's authentication cheap.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time

from crn import audit
from crn.auth.users import AuthError, AuthUser, _user
from crn.graph import db
from crn.graph.queries import auth as q

PREFIX = "crn_"
_CACHE_MAX = 10_000
_cache: dict[str, tuple[float, AuthUser]] = {}  # sha256(token) -> (valid until, user)
_cache_lock = threading.Lock()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _split(token: str) -> tuple[str, str] | None:
    if not token or not token.startswith(PREFIX):
        return None
    parts = token[len(PREFIX):].split("_", 1)
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


# The last-used time is written at most this often per token (a busy client costs no extra writes).
TOUCH_SECONDS = 60


def create_token(user_email: str, name: str = "default", expires_days: int | None = None) -> str:
    """Create a token for the user and return it; this is the only time the clear token exists.

    ``expires_days`` (optional, at least 1) makes the token stop working that many days from now.
    """
    if expires_days is not None and (isinstance(expires_days, bool) or int(expires_days) < 1):
        raise AuthError("invalid_expiry", "a token's expiry is a whole number of days, at least 1", "expires_days")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    days = None if expires_days is None else int(expires_days)

    def work(tx) -> list:
        rows = tx.run(q.CREATE_TOKEN, email=user_email.strip().lower(), token_id=token_id, hash=_digest(secret),
                      name=name, expires_days=days).data()
        for row in rows:  # audit: the token's id and name, never its secret
            audit.record(tx, "token_create", label="User", uid=row["user_uid"], ref=row["token_id"],
                         details={"token_id": row["token_id"], "name": name, "expires_days": days})
        return rows

    rows = db.write_tx(work)
    if not rows:
        raise AuthError("unknown_user", f"no user with email {user_email}", "email")
    return f"{PREFIX}{token_id}_{secret}"


def _lookup(token: str) -> tuple[AuthUser, float | None, str] | None:
    """(user, seconds until the token expires or None, token id) for a valid token; notes its use."""
    parts = _split(token)
    if parts is None:
        return None
    token_id, secret = parts
    # one round trip: the check, and the last-used time when it is older than TOUCH_SECONDS
    rows = db.write(q.USER_FOR_TOKEN, token_id=token_id, hash=_digest(secret), touch_seconds=TOUCH_SECONDS)
    if not rows:
        return None
    return _user(rows[0]["user"]), rows[0]["expires_in"], token_id


def user_for_token(token: str) -> AuthUser | None:
    """The active user owning this (unrevoked, unexpired) token, or None."""
    found = _lookup(token)
    return found[0] if found else None


def token_id_of(token: str) -> str | None:
    """The id part of a well-formed token (no check that it is valid)."""
    parts = _split(token)
    return parts[0] if parts else None


def remembered_user(token: str) -> AuthUser | None:
    """The user of a token verified less than its cache time ago, else None (no database access)."""
    hit = _cache.get(_digest(token))
    return hit[1] if hit is not None and hit[0] > time.monotonic() else None


def cached_user_for_token(token: str, ttl: float) -> AuthUser | None:
    """``user_for_token``, remembering a verified token for ``ttl`` seconds (the web server's per-request
    check; revoking through this process forgets every remembered token at once)."""
    if ttl <= 0:
        return user_for_token(token)
    key, now = _digest(token), time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    found = _lookup(token)
    if found is None:
        return None
    user, expires_in = found[0], found[1]
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (now + (ttl if expires_in is None else min(ttl, expires_in)), user)
    return user


def forget_cached_tokens() -> None:
    """Drop every remembered token (after a revocation or a change of users)."""
    with _cache_lock:
        _cache.clear()


def revoke_token(token: str | None = None, *, token_id: str | None = None, email: str | None = None,
                 name: str | None = None) -> int:
    """Revoke by the token itself, its id, or (email, name); returns how many tokens were revoked."""
    if token:
        parts = _split(token)
        token_id = parts[0] if parts else None
    if not token_id and not (email and name):
        raise AuthError("required", "give a token, a token id, or an email and a token name", "token")
    def work(tx) -> list:
        rows = tx.run(q.REVOKE_TOKEN, token_id=token_id, email=(email or "").lower() or None, name=name).data()
        for revoked_id, revoked_name, user_uid in (rows[0]["tokens"] if rows else []):
            audit.record(tx, "token_revoke", label="User", uid=user_uid, ref=revoked_id,
                         details={"token_id": revoked_id, "name": revoked_name})
        return rows

    row = db.write_tx(work)
    forget_cached_tokens()
    return row[0]["revoked"] if row else 0


def list_tokens(email: str | None = None) -> list[dict]:
    """Tokens (never their secrets): id, name, owner, revoked, created_at, expires_at, last_used_at, expired."""
    return db.read(q.LIST_TOKENS, email=email.strip().lower() if email else None)


def tokens_of_user(uid: str) -> list[dict]:
    """One user's tokens (never their secrets), oldest first, with expiry and last use as datetimes."""
    return [{**row, **{k: _native(row[k]) for k in ("created_at", "expires_at", "last_used_at")}}
            for row in db.read(q.TOKENS_OF_USER, uid=uid)]


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value
