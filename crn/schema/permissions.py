"""Strawberry permission classes: who may read and who may write."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info


class IsAuthenticated(BasePermission):
    """Any logged-in user (token or session) may read."""

    message = "Authentication required: send a bearer token or log in."
    error_extensions = {"code": "unauthenticated"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.user is not None


class CanWrite(BasePermission):
    """Admins and managers may change data; viewers may not."""

    message = "Your role may not change data (viewers are read-only)."
    error_extensions = {"code": "forbidden"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        user = info.context.user
        return user is not None and user.can_write


class IsAdmin(BasePermission):
    """Only admins."""

    message = "Only admins may do this."
    error_extensions = {"code": "forbidden"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        user = info.context.user
        return user is not None and user.role == "admin"


class AdminForWholeNetwork(BasePermission):
    """Any logged-in user, except that analytics over the whole network (``scope: "all"``) are admin-only:
    they project every company and person and cost far more than one request should (see
    crn/schema/limits.py, FIELD_COSTS)."""

    message = "Only admins may run whole-network analytics (scope \"all\"); ask for company:<uid> or family:<uid>."
    error_extensions = {"code": "forbidden"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        user = info.context.user
        return user is not None and (kwargs.get("scope") != "all" or user.role == "admin")
