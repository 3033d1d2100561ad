"""Through what a change came (ui, api, cli, import, rule, system): bound per request, command, import or job.

Each entry point binds a :class:`Channel` in a context variable, which the audit listener reads when it turns
the domain events of a transaction into entries:

- the GraphQL endpoint (crn.schema.http): a session cookie is ``ui``, a bearer token ``api`` (``ref``: the token id);
- the ``crn`` command (crn.cli): ``cli``;
- the importer (crn.ingest.importer.run_import): ``import`` (``ref``: the import run's id);
- the automation worker: a change an action made carries the rule chain on its event (crn.crm.events.caused_by),
  which wins: ``rule`` (``ref``: the rule whose action made it);
- anything else (the worker's own jobs, scripts, tests): ``system``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, replace

CHANNELS: tuple[str, ...] = ("ui", "api", "cli", "import", "rule", "system")


@dataclass(frozen=True)
class Channel:
    """``name``: one of :data:`CHANNELS`; ``ref``: what within it (token id, rule id, import run id);
    ``actor``/``actor_name``: the signed-in user when the entry point knows one (events name their own actor)."""

    name: str = "system"
    ref: str | None = None
    actor: str | None = None
    actor_name: str | None = None

    def __post_init__(self) -> None:
        assert self.name in CHANNELS, f"an audit channel is one of {', '.join(CHANNELS)}, not {self.name!r}"


SYSTEM = Channel()
_current: contextvars.ContextVar[Channel] = contextvars.ContextVar("crn_audit_channel", default=SYSTEM)


def current() -> Channel:
    """The channel bound in this context (``system`` when none is)."""
    return _current.get()


def bind(channel: Channel) -> contextvars.Token:
    """Bind ``channel`` for the rest of this context (a request's task); returns the token to reset."""
    return _current.set(channel)


def reset(token: contextvars.Token) -> None:
    """Undo a :func:`bind`."""
    _current.reset(token)


@contextlib.contextmanager
def through(name: str, ref: str | None = None, **who: str | None) -> Iterator[Channel]:
    """Run a block as coming through ``name`` (keeping the bound actor unless ``actor=``/``actor_name=`` are
    given): ``with through("import", ref=run_id): ...``."""
    channel = replace(current(), name=name, ref=ref, **who)
    token = _current.set(channel)
    try:
        yield channel
    finally:
        _current.reset(token)
