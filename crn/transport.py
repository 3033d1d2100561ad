"""How crn is served over the network: uvicorn's options (TLS, trusted proxies) and the HSTS header."""

from __future__ import annotations

import ipaddress
import ssl
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crn.config import Settings

__all__ = ["ServeError", "StrictTransportSecurity", "plain_http_warning", "uvicorn_options"]


class ServeError(ValueError):
    """A setting makes `crn serve` unable to start; the message names the setting and the fix."""


def _readable(name: str, value: str) -> Path:
    path = Path(value).expanduser()
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise ServeError(f"{name}={value} cannot be read ({exc.strerror or exc}); point it at a PEM file "
                         "the user running crn may read.") from exc
    return path.resolve()


def tls_files(settings: Settings) -> tuple[Path, Path] | None:
    """The (certificate, key) pair to serve HTTPS with, or None for plain HTTP.

    Raises ServeError when only one of CRN_TLS_CERT / CRN_TLS_KEY is set, a file cannot be read, or the
    two do not form a usable pair (not PEM, key encrypted, key not the certificate's): refusing to start
    beats silently serving plain HTTP, or crashing in the middle of uvicorn's startup.
    """
    if not settings.tls_cert and not settings.tls_key:
        return None
    if not (settings.tls_cert and settings.tls_key):
        given, missing = ("CRN_TLS_CERT", "CRN_TLS_KEY") if settings.tls_cert else ("CRN_TLS_KEY", "CRN_TLS_CERT")
        raise ServeError(f"{given} is set but {missing} is not: HTTPS needs both the certificate and its private "
                         f"key. Set {missing} too, or unset {given} to serve plain HTTP.")
    cert = _readable("CRN_TLS_CERT", settings.tls_cert)
    key = _readable("CRN_TLS_KEY", settings.tls_key)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        # A password callback that gives none: an encrypted key fails here instead of prompting on a tty.
        context.load_cert_chain(cert, key, password=lambda: b"")
    except (ssl.SSLError, OSError) as exc:
        raise ServeError(f"CRN_TLS_CERT={settings.tls_cert} and CRN_TLS_KEY={settings.tls_key} are not a usable "
                         f"pair ({exc}). Both must be PEM, the key unencrypted (`openssl pkey -in KEY -out "
                         "KEY.plain`) and belonging to the certificate.") from exc
    return cert, key


def _trusted_proxies(settings: Settings) -> list[str]:
    raw = settings.forwarded_allow_ips or ""
    proxies = [item.strip() for item in raw.split(",") if item.strip()]
    for item in proxies:
        if item == "*":
            continue  # uvicorn's "trust everyone": allowed, documented as unsafe unless firewalled
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ServeError(f"CRN_FORWARDED_ALLOW_IPS: {item!r} is not an IP address or network; list the "
                             "reverse proxies' addresses, e.g. CRN_FORWARDED_ALLOW_IPS=127.0.0.1") from exc
    return proxies


def uvicorn_options(settings: Settings, host: str | None = None, port: int | None = None,
                    reload: bool = False) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` serving crn as the settings say.

    Parameters
    ----------
    settings : the TLS pair (CRN_TLS_CERT/CRN_TLS_KEY), the trusted proxies (CRN_FORWARDED_ALLOW_IPS)
        and the default host and port.
    host, port : override CRN_HOST / CRN_PORT (the CLI's --host/--port).
    reload : restart on code changes (development).

    Notes
    -----
    Proxy headers are believed only from the listed proxies; uvicorn's own default (trust 127.0.0.1)
    would let any local process claim https or another client address. Raises ServeError on a bad setting.
    """
    options: dict[str, Any] = {
        "app": "crn.app:create_app", "factory": True, "reload": reload, "log_level": "info",
        "host": host or settings.host, "port": port or settings.port,
    }
    proxies = _trusted_proxies(settings)
    options["proxy_headers"] = bool(proxies)
    if proxies:
        options["forwarded_allow_ips"] = ",".join(proxies)
    pair = tls_files(settings)
    if pair:
        options["ssl_certfile"], options["ssl_keyfile"] = str(pair[0]), str(pair[1])
    return options


def plain_http_warning(options: dict[str, Any]) -> str | None:
    """A warning when crn would serve plain HTTP on an interface other machines can reach, else None."""
    if options.get("ssl_certfile") or options.get("proxy_headers"):
        return None
    host = options["host"]
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return (f"serving plain HTTP on {host}: passwords and session cookies cross the network unencrypted. "
            "Set CRN_TLS_CERT and CRN_TLS_KEY, or serve on 127.0.0.1 behind a TLS proxy "
            "(CRN_FORWARDED_ALLOW_IPS=127.0.0.1).")


class StrictTransportSecurity:
    """ASGI middleware: a Strict-Transport-Security header on every answer given over HTTPS.

    Parameters: ``app``; ``max_age`` seconds (CRN_HSTS_SECONDS; 0 sends no header). The request counts as
    HTTPS when uvicorn serves TLS itself or a trusted proxy said X-Forwarded-Proto: https (uvicorn then
    rewrites the scheme before crn sees it); browsers ignore the header over plain HTTP, so it is not sent.
    """

    def __init__(self, app: ASGIApp, max_age: int) -> None:
        self.app = app
        self.header = (b"strict-transport-security", f"max-age={max_age}".encode())
        self.enabled = max_age > 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.enabled or scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != self.header[0]]
                message = {**message, "headers": [*headers, self.header]}
            await send(message)

        await self.app(scope, receive, send_with_hsts)
