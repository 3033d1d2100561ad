"""Relationship strength: an explained score in [0, 1] per pair from its interaction history."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass
from itertools import combinations

__all__ = [
    "CHANNEL_WEIGHTS", "PART_WEIGHTS", "SYNCHRONOUS_KINDS", "Touch", "Strength",
    "relationship_strength", "pair_histories",
]

#: how much one interaction of each kind says about a relationship (meeting > call > email > note)
CHANNEL_WEIGHTS = {"meeting": 1.0, "visit": 1.0, "call": 0.7, "chat": 0.5, "email": 0.4, "note": 0.2}
#: weights of the parts in the score (they add up to 1, so the score stays in [0, 1])
PART_WEIGHTS = {"recency": 0.35, "frequency": 0.30, "reciprocity": 0.15, "channel": 0.20}
#: kinds where both sides take part at once (count as inbound and outbound)
SYNCHRONOUS_KINDS = ("meeting", "visit", "call", "chat")


@dataclass(frozen=True)
class Touch:
    """One interaction as a pair sees it: when, which channel, which direction (from our side)."""

    at: dt.datetime
    kind: str
    direction: str = "outbound"


@dataclass(frozen=True)
class Strength:
    """A strength score with its parts (each in [0, 1]) and the facts behind it."""

    score: float
    recency: float
    frequency: float
    reciprocity: float
    channel: float
    interactions: int
    last_interaction_at: dt.datetime | None

    def parts(self) -> dict:
        """The parts as a JSON-ready dict (stored as ``strength_parts`` on KNOWS)."""
        data = asdict(self)
        data["last_interaction_at"] = self.last_interaction_at.isoformat() if self.last_interaction_at else None
        return data


def relationship_strength(
    touches: Iterable[Touch],
    *,
    now: dt.datetime,
    half_life_days: float = 90.0,
    saturation: float = 5.0,
) -> Strength:
    """Score a relationship from its interactions.

    Parameters
    ----------
    touches : iterable of Touch
        The pair's interactions; those after ``now`` are ignored.
    now : datetime.datetime
        The moment the score is for (timezone-aware or naive, like the touches).
    half_life_days : float, default 90
        Age at which an interaction counts half (setting ``strength_half_life_days``).
    saturation : float, default 5
        Decayed interaction count at which frequency reaches 1 - 1/e (about 0.63).

    Returns
    -------
    Strength
        ``score = 0.35 recency + 0.30 frequency + 0.15 reciprocity + 0.20 channel``.

    Notes
    -----
    - recency: ``2 ** (-age / half_life)`` of the latest interaction (exponential decay);
    - frequency: ``1 - exp(-n / saturation)`` where ``n`` sums each interaction's decay factor,
      so many old touches weigh like a few recent ones (saturating, never above 1);
    - reciprocity: ``2 min(in, out) / (in + out)``; meetings, visits, calls and chats count both
      ways, ``internal`` too;
    - channel: the decay-weighted mean of :data:`CHANNEL_WEIGHTS` (meeting 1, call 0.7, email 0.4,
      note 0.2).

    Exponential time decay of tie strength follows [1]_; the recency/frequency split follows the
    relationship scores of commercial CRMs.

    References
    ----------
    .. [1] Burt, R. S. (2000). Decay functions. Social Networks 22(1), 1-28.
       https://doi.org/10.1016/S0378-8733(99)00015-5

    Examples
    --------
    One meeting today (recency 1, reciprocal, best channel) and nothing else:

    >>> now = dt.datetime(2026, 1, 1)
    >>> s = relationship_strength([Touch(now, "meeting")], now=now)
    >>> round(s.frequency, 4), round(s.score, 4)
    (0.1813, 0.7544)

    Two emails out, one 90 days old: recency 1, no reciprocity:

    >>> s = relationship_strength([Touch(now, "email"), Touch(now - dt.timedelta(days=90), "email")], now=now)
    >>> round(s.recency, 4), round(s.frequency, 4), s.reciprocity, round(s.channel, 4)
    (1.0, 0.2592, 0.0, 0.4)
    """
    touches = [t for t in touches if t.at <= now]
    if not touches:
        return Strength(0.0, 0.0, 0.0, 0.0, 0.0, 0, None)
    # Phase 1: decay factor of each touch.
    decay = [2.0 ** (-((now - t.at).total_seconds() / 86400.0) / half_life_days) for t in touches]
    last = max(t.at for t in touches)
    recency = 2.0 ** (-((now - last).total_seconds() / 86400.0) / half_life_days)
    # Phase 2: frequency (saturating decayed count) and channel (decay-weighted mean).
    n = sum(decay)
    frequency = 1.0 - math.exp(-n / saturation)
    channel = sum(d * CHANNEL_WEIGHTS.get(t.kind, 0.3) for d, t in zip(decay, touches)) / n if n else 0.0
    # Phase 3: reciprocity from directions.
    inbound = outbound = 0
    for t in touches:
        if t.kind in SYNCHRONOUS_KINDS or t.direction == "internal":
            inbound += 1
            outbound += 1
        elif t.direction == "inbound":
            inbound += 1
        else:
            outbound += 1
    reciprocity = 2.0 * min(inbound, outbound) / (inbound + outbound)
    score = (PART_WEIGHTS["recency"] * recency + PART_WEIGHTS["frequency"] * frequency
             + PART_WEIGHTS["reciprocity"] * reciprocity + PART_WEIGHTS["channel"] * channel)
    return Strength(min(1.0, score), recency, frequency, reciprocity, channel, len(touches), last)


def pair_histories(
    interactions: Iterable[tuple[dt.datetime, str, str, list[Hashable], list[Hashable]]],
    *,
    max_people: int = 8,
) -> dict[tuple[Hashable, Hashable], list[Touch]]:
    """Group interactions into per-pair histories.

    Parameters
    ----------
    interactions : iterable of tuple
        ``(at, kind, direction, users, people)``: our users and the outside people involved.
    max_people : int, default 8
        Person-to-person pairs are taken only from interactions with at most this many people (a
        webinar with 200 attendees says nothing about who knows whom).

    Returns
    -------
    dict
        ``{(a, b): [Touch, ...]}`` with ``a`` a user and ``b`` a person, or two people with
        ``a < b``.

    Examples
    --------
    >>> at = dt.datetime(2026, 1, 1)
    >>> sorted(pair_histories([(at, "meeting", "outbound", ["u"], ["p", "q"])]))
    [('p', 'q'), ('u', 'p'), ('u', 'q')]
    """
    pairs: dict[tuple[Hashable, Hashable], list[Touch]] = {}
    for at, kind, direction, users, people in interactions:
        touch = Touch(at, kind, direction or "outbound")
        people = sorted(set(people), key=str)
        for u in set(users):
            for p in people:
                pairs.setdefault((u, p), []).append(touch)
        if len(people) <= max_people:
            for a, b in combinations(people, 2):
                pairs.setdefault((a, b), []).append(touch)
    return pairs
