"""The per-request GraphQL context: the authenticated user and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from crn.auth import AuthUser
from crn.schema.loaders import Loaders


@dataclass
class Context:
    """What every resolver can reach through ``info.context``."""

    request: Any
    response: Any
    user: AuthUser | None
    loaders: Loaders = field(default_factory=Loaders)

    @property
    def actor(self) -> str | None:
        """The acting user's uid, stamped as ``updated_by`` on writes."""
        return self.user.uid if self.user else None


def loaders(info: Info) -> Loaders:
    """The request's loaders."""
    return info.context.loaders
