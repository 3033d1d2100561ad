"""The one-click unsubscribe page at /u/<token> (RFC 8058), served without a session.

- ``GET`` validates the signed token and shows a confirm page (English and Chinese) with one button; it
  changes nothing, so mail scanners that follow links unsubscribe nobody;
- ``POST`` (a mail client's one-click ``List-Unsubscribe=One-Click``, or the page's button) applies
  :func:`crn.crm.privacy.unsubscribe`: consent false for the channel, the address on the suppression list;
  repeating it changes nothing;
- a malformed, forged or expired token gets a 400 page saying which, and changes nothing.

The token is the only authority: cookies are never read (a cross-site POST can do no more than the token
already allows, which is exactly this one unsubscribe), the body is capped at 1 KB and otherwise ignored,
and the pages carry no inline script or style (the app's CSP applies) and are never cached or referred.
"""

from __future__ import annotations

import html

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from crn.crm import privacy
from crn.graph import access

MAX_BODY_BYTES = 1024
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
_CHANNEL = {"email": ("e-mails", "邮件"), "sms": ("text messages", "短信"), "phone": ("phone calls", "电话")}


def _page(title: str, paragraphs: list[str], status: int = 200, form: str = "") -> HTMLResponse:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    text = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            f"<link rel=\"stylesheet\" href=\"/static/styles.css\"></head><body class=\"unsubscribe-page\">"
            f"<main class=\"unsubscribe-box\"><h1>{html.escape(title)}</h1>{body}{form}</main></body></html>")
    return HTMLResponse(text, status_code=status, headers=_HEADERS)


def _invalid(exc: privacy.TokenInvalid) -> HTMLResponse:
    zh = {"expired": "此退订链接已过期，请使用较新邮件中的链接，或直接回复邮件要求退订。",
          "forged": "此退订链接并非由本服务器签发（或已被修改）。",
          "malformed": "此退订链接不完整或已损坏，请从邮件中复制完整链接。"}[exc.code]
    return _page("Unsubscribe link not valid · 退订链接无效", [html.escape(str(exc)), html.escape(zh)], status=400)


def _check(token: str) -> dict:
    with access.bound(access.SYSTEM):
        return privacy.read_token(token)


def _apply(token: str) -> dict:
    with access.bound(access.SYSTEM):
        return privacy.unsubscribe(token)


async def confirm(request: Request) -> HTMLResponse:
    """GET: the confirm page for a genuine token (nothing changes), else a 400 page."""
    token = request.path_params["token"]
    try:
        data = await run_in_threadpool(_check, token)
    except privacy.TokenInvalid as exc:
        return _invalid(exc)
    en, zh = _CHANNEL[data["c"]]
    form = (f"<form method=\"post\" action=\"/u/{html.escape(token, quote=True)}\">"
            "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
            "<button type=\"submit\" data-testid=\"unsubscribe-confirm\">Unsubscribe · 退订</button></form>")
    return _page("Unsubscribe · 退订", [f"Stop marketing {en} to this address?",
                                        f"不再向此地址发送营销{zh}？"], form=form)


async def one_click(request: Request) -> HTMLResponse:
    """POST: apply the unsubscribe (idempotent); the body (at most 1 KB) is read and ignored."""
    token = request.path_params["token"]
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return _page("Request too large · 请求过大", ["An unsubscribe request carries no more than "
                                                       "'List-Unsubscribe=One-Click'."], status=413)
    try:
        result = await run_in_threadpool(_apply, token)
    except privacy.TokenInvalid as exc:
        return _invalid(exc)
    en, zh = _CHANNEL[result["channel"]]
    first = ("You were already unsubscribed; nothing changed." if result["already"]
             else f"You are unsubscribed: no more marketing {en} will be sent to this address.")
    second = "您此前已退订，本次未作更改。" if result["already"] else f"已退订：不会再向此地址发送营销{zh}。"
    return _page("Unsubscribed · 已退订", [first, second])


def unsubscribe_routes() -> list[Route]:
    """``/u/{token}``: GET the confirm page, POST the one-click unsubscribe."""
    return [Route("/u/{token}", confirm, methods=["GET"]), Route("/u/{token}", one_click, methods=["POST"])]


__all__ = ["unsubscribe_routes", "MAX_BODY_BYTES"]
