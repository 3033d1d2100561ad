"""HTTP side of authentication: /auth/login, /auth/logout, /auth/me, the request authenticator and the
same-origin rule for cookie-authenticated state changes."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import logging
import math
import weakref
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from crn import jsonbody, metrics
from crn.audit import store as audit_store
from crn.auth import sessions, tokens, users
from crn.auth.throttle import Throttle
from crn.auth.users import AuthUser
from crn.config import Settings

log = logging.getLogger(__name__)
audit = logging.getLogger("crn.auth")  # failed logins: email and client address, never the password

CSRF_HEADER = "x-crn-csrf"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": {"code": code, "message": message}}, status_code=status)


def unauthorized() -> JSONResponse:
    """The 401 answer for a request with no valid token or session."""
    response = _error(401, "unauthenticated",
                      "Send 'Authorization: Bearer <token>' (see `crn tokens create`) or log in at POST /auth/login.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="crn"'
    return response


def uses_session_cookie(conn: HTTPConnection) -> bool:
    """True when ``authenticate_request`` would authenticate this request by its session cookie (no
    bearer header): such a request is one a foreign page can make the browser send."""
    return conn.headers.get("authorization", "")[:7].lower() != "bearer " and bool(
        conn.cookies.get(sessions.COOKIE_NAME))


def _netloc(scheme: str, netloc: str) -> str:
    netloc = netloc.strip().lower()
    host, sep, port = netloc.rpartition(":")
    if sep and "]" not in port and port == _DEFAULT_PORTS.get(scheme):
        return host
    return netloc


def cross_site_problem(conn: HTTPConnection) -> str | None:
    """None when the request demonstrably comes from crn's own pages, else what is wrong.

    Accepted: ``Sec-Fetch-Site: same-origin`` or ``none`` (typed by the user), or, from a browser that
    sends no Sec-Fetch-Site, an ``Origin`` whose host and port are the request's ``Host``. A request
    with neither header is refused: every browser in use sends ``Origin`` on a POST.
    """
    site = conn.headers.get("sec-fetch-site")
    if site is not None:
        if site.strip().lower() in ("same-origin", "none"):
            return None
        return f"Sec-Fetch-Site is {site!r}, not same-origin"
    origin = conn.headers.get("origin")
    if origin is None:
        return "the request has neither an Origin nor a Sec-Fetch-Site header"
    parts = urlsplit(origin.strip())
    host = conn.headers.get("host", "")
    if parts.scheme in _DEFAULT_PORTS and parts.netloc and \
            _netloc(parts.scheme, parts.netloc) == _netloc(parts.scheme, host):
        return None
    return f"Origin {origin!r} is not this server ({host})"


def client_address(conn: HTTPConnection) -> str:
    """The key the login throttle counts a client under: its IPv4 address, or its IPv6 /64 network.

    One IPv6 subscriber or server usually holds a whole /64 (2^64 addresses), so counting single IPv6
    addresses would let one attacker rotate through fresh ones and never be throttled.

    >>> from starlette.requests import Request
    >>> client_address(Request({"type": "http", "headers": [], "client": ("2001:db8:1:2:aaaa::1", 1)}))
    '2001:db8:1:2::/64'
    >>> client_address(Request({"type": "http", "headers": [], "client": ("::ffff:192.0.2.7", 1)}))
    '192.0.2.7'
    """
    host = conn.client.host if conn.client else "unknown"
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def cross_site_refused(problem: str) -> JSONResponse:
    """The 403 answer to a cookie-authenticated state change from another site."""
    return _error(403, "cross_site",
                  f"Refused a request signed in by session cookie that does not come from crn's own pages: "
                  f"{problem}. Send it from the crn web UI, or authenticate with 'Authorization: Bearer <token>'.")


def csrf_problem(conn: HTTPConnection) -> JSONResponse | None:
    """The 403 answer when a cookie-authenticated state change may be forged by another site, else None.

    Bearer-token requests are exempt (a foreign page cannot make the browser add the header). Multipart
    bodies, which a plain HTML form can send, also need the ``X-CRN-CSRF`` header: a foreign page can
    only add a custom header through a CORS preflight, which crn never grants.
    """
    if not uses_session_cookie(conn):
        return None
    problem = cross_site_problem(conn)
    if problem:
        return cross_site_refused(problem)
    content_type = conn.headers.get("content-type", "").lower()
    if content_type.startswith("multipart/") and not conn.headers.get(CSRF_HEADER, "").strip():
        return _error(403, "csrf_header_missing",
                      "A multipart request signed in by session cookie needs the header 'X-CRN-CSRF: 1' "
                      "(or authenticate with 'Authorization: Bearer <token>').")
    return None


async def authenticate_request(conn: HTTPConnection, settings: Settings) -> AuthUser | None:
    """The user behind a bearer token or a session cookie, or None (``settings``: the app's, for the token
    cache and the session limits)."""
    header = conn.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        token, ttl = header[7:].strip(), settings.token_cache_seconds
        user = tokens.remembered_user(token) if ttl > 0 else None
        if user is not None:
            return user  # verified a moment ago: no thread hop, no round trip
        return await run_in_threadpool(tokens.cached_user_for_token, token, ttl)
    cookie = conn.cookies.get(sessions.COOKIE_NAME)
    if cookie:
        return await run_in_threadpool(sessions.user_for_session, cookie, settings.session_idle_seconds,
                                       settings.session_max_seconds)
    return None


class LoginGuard:
    """The state behind POST /auth/login in one app: throttles, the body cap and the argon2 limiter.

    - ``accounts`` / ``addresses``: failed logins per account (email) and per client address
      (``login_account_failures`` / ``login_address_failures`` free, then exponential backoff from
      ``login_backoff_seconds`` to ``login_backoff_max_seconds``; answered 429 with Retry-After);
    - ``max_body``: ``login_max_body_bytes``, enforced from Content-Length and while the body streams;
    - ``concurrency``: ``login_concurrency`` argon2 verifications at once (``peak`` records the most
      seen, for tests and operators).
    """

    def __init__(self, settings: Settings) -> None:
        backoff, most = settings.login_backoff_seconds, settings.login_backoff_max_seconds
        self.accounts = Throttle(settings.login_account_failures, backoff, most)
        self.addresses = Throttle(settings.login_address_failures, backoff, most)
        self.max_body = settings.login_max_body_bytes
        self.concurrency = max(1, settings.login_concurrency)
        self.session_seconds = settings.session_max_seconds
        self.in_flight = self.peak = 0
        self._semaphores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.concurrency)
        return semaphore

    async def _verify(self, email: str, password: str) -> AuthUser | None:
        async with self._semaphore():
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            try:
                return await run_in_threadpool(users.authenticate, email, password)
            finally:
                self.in_flight -= 1

    async def _read_body(self, request: Request) -> bytes | None:
        """The body, or None when it is larger than ``max_body`` (read no further than that)."""
        length = request.headers.get("content-length")
        if length is not None and length.strip().isdigit() and int(length) > self.max_body:
            return None
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.max_body:
                return None
        return bytes(body)

    def _throttled(self, wait: float) -> JSONResponse:
        seconds = max(1, math.ceil(wait))
        response = _error(429, "too_many_attempts",
                          f"Too many failed logins; try again in {seconds} s.")
        response.headers["Retry-After"] = str(seconds)
        return response

    async def login(self, request: Request) -> JSONResponse:
        """POST {"email", "password"} (or {"token"}: an API token exchanged for a session) ->
        200 {"ok": true, "user"} + session cookie; 401, 413, 429 or 403 (from another site) otherwise."""
        site = request.headers.get("sec-fetch-site")
        if request.headers.get("origin") is not None or site is not None:
            problem = cross_site_problem(request)  # login CSRF: a foreign page signing you in as someone else
            if problem:
                return cross_site_refused(problem)
        body = await self._read_body(request)
        if body is None:
            return _error(413, "too_large", f"The login request is larger than {self.max_body} bytes; "
                                            'send only JSON {"email": ..., "password": ...}.')
        try:
            data = jsonbody.loads(body)
            if "token" in data and "email" not in data:
                email, password, token = "", "", str(data["token"])
            else:
                email, password, token = str(data["email"]).strip().lower(), str(data["password"]), None
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
            return _error(400, "bad_request", 'Send JSON {"email": ..., "password": ...}.')
        address = client_address(request)
        # Each attempt is counted as failed when it starts (check and count in one step), so guesses sent
        # in parallel are held to the same budget as guesses sent one after another; a success gives its
        # count back.
        wait = self.addresses.begin(address)
        if wait > 0:
            return self._throttled(wait)
        wait = self.accounts.begin(email) if email else 0.0
        if wait > 0:
            self.addresses.forgive(address)
            return self._throttled(wait)
        via_token = None
        try:
            if token is not None:
                user = await run_in_threadpool(tokens.user_for_token, token)
                via_token = tokens.token_id_of(token)
            else:
                user = await self._verify(email, password)
        except BaseException:
            self.addresses.forgive(address)  # no answer about the password: not a failed guess
            if email:
                self.accounts.forgive(email)
            raise
        if user is not None:
            self.addresses.forgive(address)
            if email:
                self.accounts.reset(email)
        if user is None:
            audit.warning("failed login for %r from %s", email or "<api token>", address)
            metrics.LOGIN_FAILURES.inc()  # ops: /metrics crn_login_failures_total
            # the audit trail too: the e-mail tried (or the token's id) and the client, never the password
            await run_in_threadpool(audit_store.record_alone, "login_failed", label="User", channel="ui",
                                    details={"email": email or None, "address": address,
                                             "via": "api token" if token is not None else "password",
                                             "token_id": tokens.token_id_of(token) if token is not None else None})
            if token is not None:
                return _error(401, "invalid_token", "This API token is not valid (unknown, revoked or expired).")
            return _error(401, "invalid_credentials", "Wrong email or password.")
        session_id = await run_in_threadpool(sessions.create_session, user, self.session_seconds, via_token)
        response = JSONResponse({"ok": True, "user": user.as_dict()})
        response.set_cookie(sessions.COOKIE_NAME, session_id, max_age=int(self.session_seconds), httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")
        return response


async def logout(request: Request) -> JSONResponse:
    """POST: end the session and clear the cookie (from crn's own pages only)."""
    refused = csrf_problem(request)
    if refused is not None:
        return refused
    session_id = request.cookies.get(sessions.COOKIE_NAME)
    if session_id:
        await run_in_threadpool(sessions.end_session, session_id)
    response = JSONResponse({"ok": True})
    response.delete_cookie(sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


async def me(request: Request, settings: Settings) -> JSONResponse:
    """GET: the current user as JSON, or 401."""
    user = await authenticate_request(request, settings)
    if user is None:
        return unauthorized()
    return JSONResponse({"ok": True, "user": user.as_dict()})


def auth_routes(settings: Settings) -> list[Route]:
    """The /auth/* routes with the app's settings (each app gets its own login throttles and limiter)."""
    guard = LoginGuard(settings)
    return [
        Route("/auth/login", guard.login, methods=["POST"]),
        Route("/auth/logout", logout, methods=["POST"]),
        Route("/auth/me", functools.partial(me, settings=settings), methods=["GET"]),
    ]
