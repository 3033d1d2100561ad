"""Relationship strength on KNOWS edges: full refresh, incremental refresh, live explanation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from crn.analytics.strength import Strength, Touch, pair_histories, relationship_strength
from crn.config import STRENGTH_HALF_LIFE_DAYS_DEFAULT, Settings
from crn.graph import db, projections
from crn.graph.queries import intel as q

__all__ = ["refresh_all", "refresh_for_interaction", "explain_strength", "StrengthExplanation"]

BATCH = 5000


def _rows(pairs: dict, kinds: dict[str, str], now: dt.datetime, half_life: float) -> tuple[list, list]:
    users, persons = [], []
    for (a, b), touches in pairs.items():
        s = relationship_strength(touches, now=now, half_life_days=half_life)
        if s.interactions == 0:
            continue
        first = min(t.at for t in touches)
        row = {"a": a, "b": b, "strength": round(s.score, 6), "parts": json.dumps(s.parts()),
               "since": first.date() if hasattr(first, "date") else first}
        (users if kinds.get(a) == "User" else persons).append(row)
    return users, persons


def _kinds(interactions: list[tuple]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for _, _, _, users, people in interactions:
        kinds.update({u: "User" for u in users})
        kinds.update({p: "Person" for p in people})
    return kinds


def _write(users: list, persons: list, now: dt.datetime, progress: Callable[[int], None] | None = None) -> None:
    for cypher, rows in ((q.WRITE_USER_STRENGTH, users), (q.WRITE_PERSON_STRENGTH, persons)):
        for i in range(0, len(rows), BATCH):
            chunk = rows[i:i + BATCH]
            db.write(cypher, rows=chunk, at=now)
            if progress:
                progress(len(chunk))


def refresh_all(*, now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None,
                half_life_days: float = STRENGTH_HALF_LIFE_DAYS_DEFAULT) -> int:
    """Recompute the strength of every pair that shares an interaction and store it on KNOWS.

    One read of every interaction, the scores in memory, then batched UNWIND writes of ``BATCH``
    pairs. ``progress(done, total)`` is called after each batch. Returns the number of pairs written.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    interactions = projections.all_interactions()
    pairs = pair_histories(interactions)
    users, persons = _rows(pairs, _kinds(interactions), now, half_life_days)
    total, done = len(users) + len(persons), [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], total)

    _write(users, persons, now, step)
    return total


def refresh_for_interaction(uid: str, *, now: dt.datetime | None = None,
                            half_life_days: float = STRENGTH_HALF_LIFE_DAYS_DEFAULT) -> int:
    """Recompute the strength of the pairs in one (new) interaction; returns the pairs written.

    Reads only the interactions those participants share (one query) and writes in one batch per
    kind of pair; called by the automation and API layers when an interaction is recorded.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    interactions = projections.interactions_of_participants(uid)
    pairs = pair_histories(interactions)
    users, persons = _rows(pairs, _kinds(interactions), now, half_life_days)
    _write(users, persons, now)
    return len(users) + len(persons)


@dataclass
class StrengthExplanation:
    """The strength between two nodes computed live from their shared interactions, and the stored one."""

    a: str
    b: str
    strength: Strength
    stored: float | None
    stored_at: dt.datetime | None


def explain_strength(a: str, b: str, *, now: dt.datetime | None = None,
                     half_life_days: float = STRENGTH_HALF_LIFE_DAYS_DEFAULT) -> StrengthExplanation:
    """Explain the strength between ``a`` and ``b`` (users or people) from their interactions."""
    now = now or dt.datetime.now(dt.timezone.utc)
    touches = [Touch(projections.native(r["at"]), r["kind"], r["direction"] or "outbound")
               for r in db.read(q.SHARED_INTERACTIONS, a=a, b=b)]
    s = relationship_strength(touches, now=now, half_life_days=half_life_days)
    stored = db.read_one(q.STRENGTH_BETWEEN, a=a, b=b)
    return StrengthExplanation(a, b, s, stored["strength"] if stored else None,
                               projections.native(stored["strength_at"]) if stored else None)


def interactions_touched(events: list) -> list[str]:
    """Uids of the interactions whose participants changed in these domain events (in order, once each)."""
    uids: list[str] = []
    for event in events:
        touched = (event.kind in ("linked", "unlinked") and event.label == "INVOLVED") or (
            event.label == "Interaction" and event.kind in ("created", "updated"))
        if touched and event.uid not in uids:
            uids.append(event.uid)
    return uids


def on_committed(events: list, half_life_days: float = STRENGTH_HALF_LIFE_DAYS_DEFAULT) -> None:
    """Committed-listener: keep KNOWS strengths current as interactions and their participants arrive."""
    for uid in interactions_touched(events):
        refresh_for_interaction(uid, half_life_days=half_life_days)


LISTENER_NAME = "relationship-strength"


def install(settings: Settings) -> None:
    """Refresh strengths incrementally after every committed change to an interaction, with the settings' half-life
    (idempotent: installing again replaces the listener)."""
    import functools

    from crn.crm import events as domain_events

    domain_events.subscribe_committed(LISTENER_NAME, functools.partial(
        on_committed, half_life_days=settings.strength_half_life_days))
