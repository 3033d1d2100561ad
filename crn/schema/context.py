"""The per-request GraphQL context: the authenticated user, the app's settings and the request's DataLoaders."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from crn.auth import AuthUser
from crn.config import Settings
from crn.graph import access
from crn.schema import workers
from crn.schema.loaders import Loaders

# The settings of the app serving this request, for the few helpers that resolvers call without ``info``
# (``crn.schema.base.page_window``). Bound by Context from the app's own Settings; never read from the environment.
_request_settings: contextvars.ContextVar[Settings | None] = contextvars.ContextVar("crn_request_settings",
                                                                                    default=None)


@dataclass
class Context:
    """What every resolver can reach through ``info.context``."""

    request: Any
    response: Any
    user: AuthUser | None
    settings: Settings  # the app's, built once in create_app
    loaders: Loaders = field(default_factory=Loaders)

    def __post_init__(self) -> None:
        # built once per request, in the request's task: its database calls count against this user
        workers.bind_user(self.user.uid if self.user else None)
        _request_settings.set(self.settings)
        # enforce (issue 13): the viewer's access, computed by CrnGraphQL after authentication (a context built
        # without it, e.g. by a test executing the schema directly, stays unbound and fails closed)
        viewer = (getattr(self.request, "scope", None) or {}).get("state", {}).get("access")
        if viewer is not None:
            access.bind(viewer)

    @property
    def actor(self) -> str | None:
        """The acting user's uid, stamped as ``updated_by`` on writes."""
        return self.user.uid if self.user else None


def request_settings() -> Settings:
    """The settings of the app serving the current GraphQL request."""
    settings = _request_settings.get()
    if settings is None:
        raise RuntimeError("no GraphQL request is being served in this context: pass the settings explicitly")
    return settings


def loaders(info: Info) -> Loaders:
    """The request's loaders."""
    return info.context.loaders
