"""Request bodies of /graphql: refused by role and by size before they are read, counted while they stream.

Every other request body (a JSON document with its variables) has a limit of its own,
``max_body_bytes`` (CRN_MAX_BODY_KB): without it a client could send gigabytes of variables, which
strawberry would read into memory and parse before the token and cost limits could look at them.
:func:`guard_body` applies it the same way (Content-Length first, then counting).

strawberry parses a multipart request (python-multipart, spooled to temporary files) before any resolver or
permission class runs, so a limit checked in ``importFile`` comes after the whole body is on disk. This module
guards the ASGI ``receive`` instead:

- a viewer's multipart request is refused at once (403): only ``importFile`` takes a multipart request, and
  viewers may not import;
- a ``Content-Length`` above the body limit is refused at once (413), before a byte of the body is read;
- otherwise (chunked bodies too) the bytes are counted as ``receive()`` yields them and the request is refused
  (413) as soon as the count passes the limit; what was read so far is dropped.

The body limit is ``upload_limit_bytes`` (CRN_UPLOAD_LIMIT_MB) plus :data:`MULTIPART_OVERHEAD_BYTES` for the
GraphQL document, the map and the multipart framing; ``importFile`` still refuses a *file* above
``upload_limit_bytes`` itself.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from crn.auth.users import AuthUser
from crn.config import Settings

MULTIPART_OVERHEAD_BYTES = 64 * 1024


class UploadTooLarge(Exception):
    """The request body passed the limit while it streamed (deliberately not a ValueError, which strawberry
    would turn into a 400 "Unable to parse the multipart body")."""


def is_multipart(scope: Scope) -> bool:
    """True for an HTTP request whose Content-Type is multipart/*."""
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            return value.split(b";")[0].strip().lower().startswith(b"multipart/")
    return False


def body_limit(settings: Settings) -> int:
    """The most bytes a multipart request body may have."""
    return settings.upload_limit_bytes + MULTIPART_OVERHEAD_BYTES


def too_large(settings: Settings) -> JSONResponse:
    """The 413 answer, naming the limit and the setting that raises it."""
    limit_mb = settings.upload_limit_bytes // (1024 * 1024)
    message = (f"The upload is larger than the {limit_mb} MB limit (a request body may have at most "
               f"{body_limit(settings)} bytes: the file plus {MULTIPART_OVERHEAD_BYTES // 1024} KiB for the "
               f"GraphQL document). Send a smaller file, or raise CRN_UPLOAD_LIMIT_MB on the server.")
    return _graphql_error(413, message, {"code": "too_large", "limitBytes": settings.upload_limit_bytes,
                                         "bodyLimitBytes": body_limit(settings), "setting": "CRN_UPLOAD_LIMIT_MB"})


def forbidden() -> JSONResponse:
    """The 403 answer to a viewer's upload."""
    return _graphql_error(403, "Your role may not upload files (viewers are read-only; importFile needs a "
                               "manager or an admin).", {"code": "forbidden"})


def _graphql_error(status: int, message: str, extensions: dict) -> JSONResponse:
    return JSONResponse({"data": None, "errors": [{"message": message, "extensions": extensions}]},
                        status_code=status)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def body_too_large(settings: Settings) -> JSONResponse:
    """The 413 answer to a non-multipart request body above ``max_body_bytes``."""
    limit_kb = settings.max_body_bytes // 1024
    return _graphql_error(413, f"The request body is larger than the {limit_kb} KB limit for a GraphQL request "
                               "(document and variables together). Send fewer or smaller variables (page through "
                               "large inputs, or use importFile for files), or raise CRN_MAX_BODY_KB on the server.",
                          {"code": "too_large", "bodyLimitBytes": settings.max_body_bytes, "setting": "CRN_MAX_BODY_KB"})


async def guard_body(scope: Scope, receive: Receive, send: Send, settings: Settings) -> Receive | None:
    """For a non-multipart request: a ``receive`` that counts the body, or None once a 413 has been sent.

    As for uploads, the caller answers :func:`body_too_large` if :class:`UploadTooLarge` comes out of the view.
    """
    limit = settings.max_body_bytes
    declared = _declared_length(scope)
    if declared is not None and declared > limit:
        await body_too_large(settings)(scope, receive, send)
        return None
    return _counting(receive, limit)


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counting_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadTooLarge(f"request body passed {limit} bytes")
        return message

    return counting_receive


async def guard_upload(scope: Scope, receive: Receive, send: Send, user: AuthUser,
                       settings: Settings) -> Receive | None:
    """For a multipart request: a ``receive`` that counts the body, or None once a 403/413 has been sent.

    The caller passes the returned ``receive`` on to the GraphQL view and answers :func:`too_large` if
    :class:`UploadTooLarge` comes out of it.
    """
    if not user.can_write:
        await forbidden()(scope, receive, send)
        return None
    limit = body_limit(settings)
    declared = _declared_length(scope)
    if declared is not None and declared > limit:
        await too_large(settings)(scope, receive, send)
        return None
    return _counting(receive, limit)


__all__ = ["MULTIPART_OVERHEAD_BYTES", "UploadTooLarge", "body_limit", "body_too_large", "forbidden", "guard_body",
           "guard_upload", "is_multipart", "too_large"]
