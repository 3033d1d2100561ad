"""HTTP side of authentication: /auth/login, /auth/logout, /auth/me and the request authenticator."""

from __future__ import annotations

import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from crn.auth import sessions, tokens, users
from crn.auth.users import AuthUser

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": {"code": code, "message": message}}, status_code=status)


def unauthorized() -> JSONResponse:
    """The 401 answer for a request with no valid token or session."""
    response = _error(401, "unauthenticated",
                      "Send 'Authorization: Bearer <token>' (see `crn tokens create`) or log in at POST /auth/login.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="crn"'
    return response


def _token_ttl() -> float:
    from crn.config import get_settings

    return get_settings().token_cache_seconds


async def authenticate_request(conn: HTTPConnection) -> AuthUser | None:
    """The user behind a bearer token or a session cookie, or None."""
    header = conn.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        token, ttl = header[7:].strip(), _token_ttl()
        user = tokens.remembered_user(token) if ttl > 0 else None
        if user is not None:
            return user  # verified a moment ago: no thread hop, no round trip
        return await run_in_threadpool(tokens.cached_user_for_token, token, ttl)
    cookie = conn.cookies.get(sessions.COOKIE_NAME)
    if cookie:
        return await run_in_threadpool(sessions.user_for_session, cookie)
    return None


async def login(request: Request) -> JSONResponse:
    """POST {"email", "password"} -> 200 {"ok": true, "user"} + session cookie, or 401."""
    try:
        body = await request.json()
        email, password = str(body["email"]), str(body["password"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        return _error(400, "bad_request", 'Send JSON {"email": ..., "password": ...}.')
    user = await run_in_threadpool(users.authenticate, email, password)
    if user is None:
        return _error(401, "invalid_credentials", "Wrong email or password.")
    session_id = await run_in_threadpool(sessions.create_session, user)
    response = JSONResponse({"ok": True, "user": user.as_dict()})
    response.set_cookie(sessions.COOKIE_NAME, session_id, max_age=sessions.SESSION_TTL_SECONDS, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    return response


async def logout(request: Request) -> JSONResponse:
    """POST: end the session and clear the cookie."""
    session_id = request.cookies.get(sessions.COOKIE_NAME)
    if session_id:
        await run_in_threadpool(sessions.end_session, session_id)
    response = JSONResponse({"ok": True})
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


async def me(request: Request) -> JSONResponse:
    """GET: the current user as JSON, or 401."""
    user = await authenticate_request(request)
    if user is None:
        return unauthorized()
    return JSONResponse({"ok": True, "user": user.as_dict()})


def auth_routes() -> list[Route]:
    """The /auth/* routes."""
    return [
        Route("/auth/login", login, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"]),
        Route("/auth/me", me, methods=["GET"]),
    ]
