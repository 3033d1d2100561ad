"""The /graphql endpoint: authentication first, then strawberry; GraphQL-over-HTTP media types."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from cross_web import HTTPException

from starlette.concurrency import run_in_threadpool

from crn.audit import channel as audit_channel
from crn.auth import access as user_access
from crn.auth import tokens
from crn.auth.http import authenticate_request, csrf_problem, unauthorized, uses_session_cookie
from crn.graph import access
from crn import jsonbody, metrics
from crn.config import Settings
from crn.schema import uploads
from crn.schema.context import Context

GRAPHQL_RESPONSE = "application/graphql-response+json"


class CrnGraphQL(GraphQL):
    """strawberry's ASGI view with crn's rules.

    - every request needs a bearer token or a session cookie (401 JSON otherwise); only the GraphiQL
      page itself (development mode) is served without one;
    - a POST signed in by session cookie must come from crn's own pages (same-origin ``Origin`` or
      ``Sec-Fetch-Site``; multipart also the ``X-CRN-CSRF`` header), else 403 (see
      ``crn.auth.http.csrf_problem``); mutations over GET are refused by strawberry;
    - a multipart request (an upload) is refused for viewers and above the size limit before its body is
      read, and counted while it streams; any other body is held to CRN_MAX_BODY_KB the same way (see
      :mod:`crn.schema.uploads`);
    - JSON (the body, GET variables, multipart operations) nested past ``crn.jsonbody.MAX_JSON_DEPTH``
      levels, or holding NaN/Infinity, is a 400, never a RecursionError;
    - ``application/graphql-response+json`` is served when the client accepts it, with 4xx for
      requests that could not execute (as the GraphQL-over-HTTP spec asks).

    ``settings`` are the app's (read once in ``create_app``); resolvers reach them as ``info.context.settings``.
    """

    def __init__(self, *args, settings: Settings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            wants_ide = (self.graphql_ide and request.method == "GET"
                         and "text/html" in request.headers.get("accept", "") and not request.query_params)
            if not wants_ide:
                user = await authenticate_request(request, self.settings)
                if user is None:
                    await unauthorized()(scope, receive, send)
                    return
                refused = csrf_problem(request) if request.method not in ("GET", "HEAD") else None
                if refused is not None:
                    await refused(scope, receive, send)
                    return
                scope.setdefault("state", {})["user"] = user
                # enforce (issue 13): the viewer's access, bound for everything this request runs (its resolvers'
                # tasks and database threads inherit the context); every visibility check reads it
                viewer = await run_in_threadpool(user_access.for_user, user)
                scope["state"]["access"] = viewer
                settings = self.settings
                if uploads.is_multipart(scope):
                    receive = await uploads.guard_upload(scope, receive, send, user, settings)
                    too_large = uploads.too_large
                else:
                    receive = await uploads.guard_body(scope, receive, send, settings)
                    too_large = uploads.body_too_large
                if receive is None:
                    return
                bound = audit_channel.bind(_channel_of(request, user))  # audit: through what (ui or api)
                try:
                    with access.bound(viewer):
                        await super().__call__(scope, receive, send)
                except uploads.UploadTooLarge:
                    await too_large(settings)(scope, receive, send)
                finally:
                    audit_channel.reset(bound)
                return
        await super().__call__(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """Bodies, GET variables and multipart operations: JSON nested past MAX_JSON_DEPTH, or holding NaN or
        Infinity, is a 400."""
        try:
            return jsonbody.loads(data)
        except jsonbody.JSONRefused as exc:
            raise HTTPException(400, f"Unable to use the request body: {exc}.") from exc

    async def execute_operation(self, request, request_adapter, request_data, *args, **kwargs):
        """strawberry's execution; the operation is noted first for the request metrics (ops: crn/monitoring.py)."""
        if not isinstance(request_data, list):
            request.scope.setdefault("state", {})["crn_operation"] = metrics.operation_label(
                request_data.operation_name, request_data.query)
        return await super().execute_operation(request, request_adapter, request_data, *args, **kwargs)

    async def get_context(self, request, response) -> Context:
        return Context(request=request, response=response, user=request.scope.get("state", {}).get("user"),
                       settings=self.settings)

    async def get_sub_response(self, request: Request) -> Response:
        sub = await super().get_sub_response(request)
        sub.crn_accept = request.headers.get("accept", "")  # type: ignore[attr-defined]
        return sub

    def create_response(self, response_data, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if _database_unavailable(response_data):  # ops: Neo4j down: 503 + Retry-After, whatever the media type
            metrics.DB_UNAVAILABLE.inc()
            response.status_code = 503
            response.headers["retry-after"] = str(self.settings.db_retry_after)
        accept = getattr(sub_response, "crn_accept", "")
        if _prefers_graphql_response(accept):
            response.headers["content-type"] = GRAPHQL_RESPONSE + "; charset=utf-8"
            if isinstance(response_data, dict) and response_data.get("data") is None and response_data.get("errors"):
                # a request error: no "data" entry, and a 4xx status (GraphQL over HTTP, 6.4.2)
                text = self.encode_json({k: v for k, v in response_data.items() if k != "data"})
                response.body = text.encode() if isinstance(text, str) else text
                response.headers["content-length"] = str(len(response.body))
                if not sub_response.status_code:
                    response.status_code = 400
        return response


def _database_unavailable(response_data: object) -> bool:
    """True when an error of the result is ``database_unavailable``."""
    errors = response_data.get("errors") if isinstance(response_data, dict) else None
    return any((e.get("extensions") or {}).get("code") == "database_unavailable" for e in errors or ()
               if isinstance(e, dict))


def _channel_of(request: Request, user) -> audit_channel.Channel:
    """The audit channel of an authenticated request: a session cookie is the web UI, a bearer token the API
    (its id as the reference, never the token)."""
    if uses_session_cookie(request):
        return audit_channel.Channel("ui", actor=user.uid, actor_name=user.name)
    token = request.headers.get("authorization", "")[7:].strip()
    return audit_channel.Channel("api", ref=tokens.token_id_of(token), actor=user.uid, actor_name=user.name)


def _prefers_graphql_response(accept: str) -> bool:
    """True when the Accept header lists application/graphql-response+json.

    >>> _prefers_graphql_response("application/graphql-response+json, application/json;q=0.9")
    True
    >>> _prefers_graphql_response("application/json")
    False
    """
    return GRAPHQL_RESPONSE in (part.split(";")[0].strip() for part in (accept or "").split(","))


__all__ = ["CrnGraphQL", "GRAPHQL_RESPONSE"]
