"""What an analysis shows of the records the viewer cannot read (issue 13): something, never who.

The intelligence (corporate families, buying committees, intro paths, influence, strength) may *use* every
record, so that a path through a colleague's contact or a family member outside your territory still
counts; but what it returns reveals no name, contact detail or amount of a record you cannot read:

- a person you cannot read is shown as "someone at <Company>" when you can read their current employer, else
  "someone at a company you cannot see";
- a company you cannot read is shown as "a company you cannot see";
- their uids and ids are replaced by placeholders (``hidden-1``, ``hidden-2`` ... numbered per answer, so
  that a path still reads as a path), and every explanation text that named them names the placeholder;
- amounts are computed from the deals you can read only (crn.graph.queries.intel.CORPORATE_FAMILY).

One round trip decides it for a whole answer: :func:`redacting` runs the conversion to GraphQL once to
collect the uids it names, asks which of them the viewer may read (``VISIBILITY``), and runs it again with
the answer. Viewers who read everything (admins, crn itself) skip the round trip.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from crn.graph import access, db
from crn.graph.queries import intel as q

T = TypeVar("T")

HIDDEN_COMPANY = "a company you cannot see"
HIDDEN_EMPLOYER = "someone at a company you cannot see"


def someone_at(company: str | None) -> str:
    """How a person the viewer cannot read is named.

    >>> someone_at("Acme"), someone_at(None)
    ('someone at Acme', 'someone at a company you cannot see')
    """
    return f"someone at {company}" if company else HIDDEN_EMPLOYER


@dataclass
class Redactor:
    """Names and uids as the viewer may see them. ``hidden``: uid -> (label, employer name or None) of the
    records they may not read; None while collecting (everything passes, every uid is noted in ``seen``)."""

    hidden: dict[str, tuple[str | None, str | None]] | None = None
    seen: dict[str, str | None] = field(default_factory=dict)
    _placeholders: dict[str, str] = field(default_factory=dict)

    def shows(self, uid: str | None) -> bool:
        """True when the viewer may read record ``uid`` (or nothing is known to hide it)."""
        if uid is None:
            return True
        if self.hidden is None:
            self.seen.setdefault(uid, None)
            return True
        return uid not in self.hidden

    def uid(self, uid: str) -> str:
        """``uid``, or its placeholder when hidden."""
        if self.shows(uid):
            return uid
        return self._placeholders.setdefault(uid, f"hidden-{len(self._placeholders) + 1}")

    def name(self, uid: str, name: str | None) -> str | None:
        """``name`` of record ``uid``, or what is shown instead."""
        if self.hidden is None:
            self.seen[uid] = name or self.seen.get(uid)
            return name
        if uid not in self.hidden:
            return name
        label, employer = self.hidden[uid]
        return HIDDEN_COMPANY if label == "Company" else someone_at(employer)

    def text(self, text: str | None) -> str | None:
        """An explanation with every hidden record's name (and uid) replaced by what is shown instead."""
        if text is None or not self.hidden:
            return text
        for uid in sorted(self.hidden, key=lambda u: -len(self.seen.get(u) or "")):
            real = self.seen.get(uid)
            if real:
                text = text.replace(real, self.name(uid, real) or "")
            text = text.replace(uid, self.uid(uid))
        return text


_current: contextvars.ContextVar[Redactor | None] = contextvars.ContextVar("crn_redactor", default=None)


def current() -> Redactor:
    """The redactor of the answer being converted (one that shows everything outside :func:`redacting`)."""
    return _current.get() or _SHOW_ALL


_SHOW_ALL = Redactor(hidden={})


@contextlib.contextmanager
def _using(redactor: Redactor) -> Iterator[Redactor]:
    token = _current.set(redactor)
    try:
        yield redactor
    finally:
        _current.reset(token)


def hidden_of(uids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """uid -> (label, readable employer name) of those of ``uids`` the viewer may not read (one round trip)."""
    if not uids or access.current().all:
        return {}
    rows = db.read(q.VISIBILITY, uids=uids)
    return {r["uid"]: (r["label"], r["employer"]) for r in rows if not r["readable"]}


def redacting(convert: Callable[..., T], *args, **kwargs) -> T:
    """``convert(*args, **kwargs)`` (a crn.intel result to its GraphQL view) as the viewer may see it (see the
    module docstring). Runs on a database thread (one round trip)."""
    collector = Redactor()
    with _using(collector):
        convert(*args, **kwargs)
    hidden = hidden_of(sorted(collector.seen))
    if not hidden:
        with _using(_SHOW_ALL):
            return convert(*args, **kwargs)
    with _using(Redactor(hidden=hidden, seen=collector.seen)):
        return convert(*args, **kwargs)


def readable(uid: str, label: str) -> bool:
    """True when the viewer may read the ``label`` record ``uid`` (False when there is none)."""
    from crn.crm import views

    return bool(views.nodes_by_uid(label, [uid]))


__all__ = ["HIDDEN_COMPANY", "HIDDEN_EMPLOYER", "Redactor", "current", "hidden_of", "readable", "redacting",
           "someone_at"]
