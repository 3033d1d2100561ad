"""My day: the deals I own that close this period, and alerts on my accounts that only a graph can raise.

The alerts: ``champion_left`` (a committee member of an open deal whose employment at the account ended),
``single_threaded`` (an open deal with one engaged contact: one person of theirs in its interactions) and
``sla_at_risk`` (an unresolved ticket whose SLA ends within ``Settings.sla_due_soon_hours``, or has passed) and
``decaying_tie`` (a decision maker on an open deal whom I know but have not met in ``Settings.decay_alert_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from crn.config import Settings
from crn.crm import ticket_queue
from crn.crm.views import native, props
from crn.graph import db
from crn.graph.queries import alerts as q

PERIODS = ("month", "quarter")
ALERT_KINDS = ("champion_left", "single_threaded", "sla_at_risk", "decaying_tie")
DECISION_ROLES = ("economic_buyer", "decision_maker")  # whose fading tie is worth an alert
MAX_PER_KIND = 20   # alerts of one kind on my day (the most pressing first)
MAX_DEALS = 50      # deals closing listed on my day
MAX_RECENT = 20     # recent interactions on my accounts listed on my day


def period_range(period: str, today: date) -> tuple[date, date]:
    """First and last day of the calendar month or quarter that holds ``today``.

    >>> period_range("quarter", date(2030, 5, 17))
    (datetime.date(2030, 4, 1), datetime.date(2030, 6, 30))
    >>> period_range("month", date(2030, 12, 3))
    (datetime.date(2030, 12, 1), datetime.date(2030, 12, 31))
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    first_month = today.month if period == "month" else 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    months = 1 if period == "month" else 3
    year, month = divmod(first_month - 1 + months, 12)
    return start, date(today.year + year, month + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class DealsClosing:
    """The open deals a user owns whose expected close falls in [start, end]."""

    start: date
    end: date
    deals: list[tuple[dict[str, Any], dict[str, Any] | None]]  # (deal, its company)


def deals_closing(user_uid: str, period: str = "month", today: date | None = None) -> DealsClosing:
    """My open deals closing this month or quarter, soonest first (at most MAX_DEALS)."""
    start, end = period_range(period, today or datetime.now(timezone.utc).date())
    rows = db.read(q.DEALS_CLOSING, user=user_uid, **{"from": start, "to": end}, limit=MAX_DEALS)
    return DealsClosing(start, end, [(props(r["deal"]), props(r["company"])) for r in rows])


@dataclass(frozen=True)
class Alert:
    """One alert on one of my accounts, with the records it is about (properties) and its particulars."""

    kind: str
    company: dict[str, Any]
    deal: dict[str, Any] | None = None
    person: dict[str, Any] | None = None
    ticket: dict[str, Any] | None = None
    role: str | None = None
    left_on: date | None = None
    moved_to: dict[str, Any] | None = None
    sla_state: str | None = None
    strength: float | None = None
    last_at: datetime | None = None


def my_alerts(user_uid: str, settings: Settings, now: datetime | None = None) -> list[Alert]:
    """The alerts on my accounts: tickets at risk (breached first), champions who left, decaying ties to decision
    makers (longest silence first), single-threaded deals; windows from ``settings`` (the serving app's)."""
    now = now or datetime.now(timezone.utc)
    hours = settings.sla_due_soon_hours
    out: list[Alert] = []
    for row in db.read(q.TICKETS_AT_RISK, user=user_uid, horizon=now + timedelta(hours=hours), limit=MAX_PER_KIND):
        ticket = props(row["ticket"])
        out.append(Alert("sla_at_risk", props(row["company"]), ticket=ticket,
                         sla_state=ticket_queue.sla_state(ticket, now, hours)))
    for row in db.read(q.CHAMPIONS_LEFT, user=user_uid, today=now.date(), limit=MAX_PER_KIND):
        out.append(Alert("champion_left", props(row["company"]), deal=props(row["deal"]), person=props(row["person"]),
                         role=row["role"], left_on=native(row["left_on"]),
                         moved_to=props(row["moved_to"])))
    for row in db.read(q.DECAYING_TIES, user=user_uid, roles=list(DECISION_ROLES), limit=MAX_PER_KIND,
                       cutoff=now - timedelta(days=settings.decay_alert_days)):
        out.append(Alert("decaying_tie", props(row["company"]), deal=props(row["deal"]), person=props(row["person"]),
                         role=row["role"], strength=row["strength"], last_at=native(row["last_at"])))
    for row in db.read(q.SINGLE_THREADED, user=user_uid, limit=MAX_PER_KIND):
        out.append(Alert("single_threaded", props(row["company"]), deal=props(row["deal"]), person=props(row["person"])))
    return out


@dataclass(frozen=True)
class RecentActivity:
    """One recent interaction about one of my accounts, with the names of up to five who took part."""

    company: dict[str, Any]
    interaction: dict[str, Any]
    people: list[str]


def recent_activity(user_uid: str, limit: int = 10) -> list[RecentActivity]:
    """The latest interactions about my accounts (the companies whose team I am on or that my deals are for),
    newest first (``limit``: 1 to MAX_RECENT, checked by the caller)."""
    rows = db.read(q.RECENT_ACTIVITY, user=user_uid, limit=limit)
    return [RecentActivity(props(r["company"]), props(r["interaction"]), [n for n in r["people"] if n])
            for r in rows]
