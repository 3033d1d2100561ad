"""The per-request GraphQL context: the authenticated user and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from crn.auth import AuthUser
from crn.schema import workers
from crn.schema.loaders import Loaders


@dataclass
class Context:
    """What every resolver can reach through ``info.context``."""

    request: Any
    response: Any
    user: AuthUser | None
    loaders: Loaders = field(default_factory=Loaders)

    def __post_init__(self) -> None:
        # built once per request, in the request's task: its database calls count against this user
        workers.bind_user(self.user.uid if self.user else None)

    @property
    def actor(self) -> str | None:
        """The acting user's uid, stamped as ``updated_by`` on writes."""
        return self.user.uid if self.user else None


def loaders(info: Info) -> Loaders:
    """The request's loaders."""
    return info.context.loaders
