"""Credentials kept in the graph, and the projection that keeps them there.

``SECRET_PROPERTIES`` names every property holding a credential (a password hash, an API token's or a
session's hash, a webhook or rule secret); ``SECRET_LABELS`` the nodes that are nothing but credentials.
Every reader that hands records to the outside (automation contexts, exports, GraphQL) projects through
:func:`public_properties` in Cypher and/or :func:`strip` in Python, so a secret never leaves the database.

>>> public_properties("n")
'n {.*, password_hash: null, hash: null, secret: null, webhook_secret: null}'
>>> strip({"uid": "u1", "password_hash": "$argon2id$..."})
{'uid': 'u1'}
"""

from __future__ import annotations

from typing import Any

SECRET_PROPERTIES: tuple[str, ...] = ("password_hash", "hash", "secret", "webhook_secret")
SECRET_LABELS: tuple[str, ...] = ("ApiToken", "Session")
# Relationships that only tie a credential node to its user.
SECRET_REL_TYPES: tuple[str, ...] = ("TOKEN_OF", "SESSION_OF")


def public_properties(var: str) -> str:
    """A Cypher map projection of ``var``'s properties with every secret blanked (fixed text, no input)."""
    assert var.isidentifier(), "a Cypher variable name"
    return f"{var} {{.*, " + ", ".join(f"{p}: null" for p in SECRET_PROPERTIES) + "}"


def not_secret_node(var: str) -> str:
    """A Cypher predicate true when ``var`` is not a credential node."""
    assert var.isidentifier(), "a Cypher variable name"
    return "NOT (" + " OR ".join(f"{var}:{label}" for label in SECRET_LABELS) + ")"


def strip(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` without any secret property (the nulls :func:`public_properties` leaves included)."""
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in SECRET_PROPERTIES}


def is_secret_name(name: str) -> bool:
    """True when a dotted variable name (``record.password_hash``) ends in a secret property."""
    return name.rsplit(".", 1)[-1] in SECRET_PROPERTIES
