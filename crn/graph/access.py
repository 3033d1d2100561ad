"""Who is reading: the viewer's access, bound per request, that every visibility check in Cypher reads.

Record-level access is *materialised* on the records themselves (Salesforce calls this the share table):
every protected record carries two lists of principal keys,

- ``acl_r``: who may read it,
- ``acl_w``: who may change it (a subset of ``acl_r``),

and every viewer is described by :class:`Access`: the principal keys they hold (their own ``u:<uid>``, the
users below them in the manager chain, their teams and the teams below them, their territories ...), the
record types whose organisation-wide default lets everyone read (or read and write), and whether they may
see personal fields.

A visibility check is then a set intersection on the row Cypher already holds
(:func:`crn.graph.queries.access.readable`), with one parameter, ``$access`` (:meth:`Access.param`).
:func:`crn.graph.db.read` fills ``$access`` from the access bound in the current context
(:func:`bound`); a query that mentions ``$access`` while nothing is bound fails closed with
:class:`AccessUnbound` rather than reading everything.

Key prefixes: ``u:<user uid>``, ``g:<team uid>``, ``t:<territory uid>``. Admins and crn's own jobs (the
worker, the CLI, migrations) hold ``all``.

This module sits at the bottom of the import graph (crn.graph): crn.auth computes an :class:`Access` for a
user; the schema, the HTTP handlers, the CLI and the worker bind it.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# The record types that carry acl_r / acl_w and are filtered by them. Products are the catalogue (everyone
# reads it); users are staff (names visible to colleagues, personal fields guarded separately).
PROTECTED: tuple[str, ...] = ("Company", "Person", "Deal", "Ticket", "Interaction", "Order")

# Organisation-wide defaults a record type can have.
DEFAULTS: tuple[str, ...] = ("private", "read", "read_write")


class AccessUnbound(RuntimeError):
    """A visibility-checked query ran where no viewer was bound (a programming error; fails closed)."""

    def __init__(self) -> None:
        super().__init__("a visibility-checked query ran with no viewer bound: wrap the call in "
                         "crn.graph.access.bound(...) (a user's Access, or SYSTEM for crn's own jobs)")


@dataclass(frozen=True)
class Access:
    """What one viewer may read and change.

    ``keys``: the principal keys they hold; ``read_types``/``write_types``: record types everyone may
    read / change (the organisation-wide default); ``all``: admins and crn's own jobs see and change
    everything; ``personal_data``: may see personal fields (e-mail, phone, birthday ...).
    """

    user: str | None
    keys: tuple[str, ...] = ()
    read_types: tuple[str, ...] = ()
    write_types: tuple[str, ...] = ()
    all: bool = False
    personal_data: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def param(self) -> dict[str, Any]:
        """The ``$access`` parameter every visibility check reads."""
        return {"all": self.all, "keys": list(self.keys), "read_types": list(self.read_types),
                "write_types": list(self.write_types), "user": self.user}


# crn's own jobs (worker, CLI, migrations, the demo loader) act with full access.
SYSTEM = Access(user=None, all=True, personal_data=True, read_types=PROTECTED, write_types=PROTECTED)

_current: contextvars.ContextVar[Access | None] = contextvars.ContextVar("crn_access", default=None)


def current() -> Access:
    """The access bound in this context; raises :class:`AccessUnbound` when none is."""
    access = _current.get()
    if access is None:
        raise AccessUnbound()
    return access


def current_or_none() -> Access | None:
    """The access bound in this context, if any."""
    return _current.get()


def bind(access: Access | None) -> contextvars.Token:
    """Bind ``access`` for the rest of this context (a request's task); returns the token to reset."""
    return _current.set(access)


@contextlib.contextmanager
def bound(access: Access) -> Iterator[Access]:
    """Run a block as ``access`` (e.g. ``with bound(SYSTEM): ...`` in a CLI command)."""
    token = _current.set(access)
    try:
        yield access
    finally:
        _current.reset(token)
