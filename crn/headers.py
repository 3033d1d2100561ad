"""Security headers on every HTTP response (a pure ASGI middleware).

The Content-Security-Policy allows scripts, styles, images and connections from crn's own origin only:
no inline script or style (the web UI keeps all of them in files under /static), no plugins, no framing
(``frame-ancestors 'none'``; X-Frame-Options DENY for older browsers). GraphiQL, served only in
development mode, loads from a CDN with inline script, so its page alone gets ``DEV_IDE_POLICY``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
DEV_IDE_POLICY = ("default-src 'self' https://unpkg.com; script-src 'self' 'unsafe-inline' https://unpkg.com; "
                  "style-src 'self' 'unsafe-inline' https://unpkg.com; img-src 'self' data: https:; "
                  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
    """Adds ``HEADERS`` to every HTTP response that does not set them itself.

    Parameters: ``app`` (the wrapped ASGI app); ``dev_ide_path`` (the path of the development-mode
    GraphiQL page, whose HTML gets ``DEV_IDE_POLICY``; None when GraphiQL is off).
    """

    def __init__(self, app: ASGIApp, dev_ide_path: str | None = None) -> None:
        self.app, self.dev_ide_path = app, dev_ide_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ide = self.dev_ide_path is not None and scope.get("path") == self.dev_ide_path

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                is_html = any(name.lower() == b"content-type" and value.startswith(b"text/html")
                              for name, value in headers)
                for name, value in HEADERS.items():
                    if name.encode() not in present:
                        if name == "content-security-policy" and ide and is_html:
                            value = DEV_IDE_POLICY
                        headers.append((name.encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
