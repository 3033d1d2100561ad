"""My day over GraphQL: `dealsClosing` (my open deals closing this month or quarter) and `myAlerts` (the graph's
alerts on my accounts: a champion who left, a single-threaded deal, a ticket about to breach its SLA)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from crn.crm import alerts
from crn.schema.base import ClientError
from crn.schema.permissions import IsAuthenticated
from crn.schema.accounts.types import Company
from crn.schema.activity.types import Interaction
from crn.schema.common import build
from crn.schema.people.types import Person
from crn.schema.sales.types import Deal
from crn.schema.service.queue import SlaState
from crn.schema.service.types import Ticket
from crn.schema.workers import run_db

ClosePeriod = strawberry.enum(Enum("ClosePeriod", {p.upper(): p for p in alerts.PERIODS}),
                              description="The calendar month or quarter that holds today.")
AlertKind = strawberry.enum(Enum("AlertKind", {k.upper(): k for k in alerts.ALERT_KINDS}),
                            description="champion_left: a committee member of an open deal no longer works at the "
                                        "account; single_threaded: an open deal with one engaged contact; "
                                        "sla_at_risk: an unresolved ticket past or near its SLA; decaying_tie: a "
                                        "decision maker I know but have not met in CRN_DECAY_ALERT_DAYS.")


@strawberry.type(description="My open deals whose expected close falls in the period, soonest first.")
class DealsClosing:
    start: date
    end: date
    deals: list[Deal]


@strawberry.type(description="An alert on one of my accounts, with the records it is about.")
class AccountAlert:
    kind: AlertKind  # type: ignore[valid-type]
    company: Company
    deal: Deal | None = None
    person: Person | None = strawberry.field(default=None, description="champion_left: who left; "
                                             "single_threaded: the one engaged contact.")
    ticket: Ticket | None = None
    role: str | None = strawberry.field(default=None, description="champion_left, decaying_tie: their committee "
                                        "role.")
    left_on: date | None = strawberry.field(default=None, description="champion_left: when their employment ended.")
    moved_to: Company | None = strawberry.field(default=None, description="champion_left: where they work now.")
    sla_state: SlaState | None = None  # type: ignore[valid-type]
    strength: float | None = strawberry.field(default=None, description="decaying_tie: my strength with them.")
    last_at: datetime | None = strawberry.field(default=None, description="decaying_tie: our last interaction "
                                                "(null: none on record).")


def _alert(a: alerts.Alert) -> AccountAlert:
    return AccountAlert(kind=AlertKind(a.kind), company=build(Company, a.company), deal=build(Deal, a.deal),
                        person=build(Person, a.person), ticket=build(Ticket, a.ticket), role=a.role,
                        left_on=a.left_on, moved_to=build(Company, a.moved_to),
                        sla_state=SlaState(a.sla_state) if a.sla_state else None, strength=a.strength,
                        last_at=a.last_at)


@strawberry.type(description="A recent interaction about one of my accounts, with who took part.")
class AccountActivity:
    company: Company
    interaction: Interaction
    people: list[str]


@strawberry.type
class AlertQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="My open deals closing this month "
                      "(or quarter), soonest first.")
    async def deals_closing(self, info: Info, period: ClosePeriod = ClosePeriod.MONTH  # type: ignore[valid-type,attr-defined]
                            ) -> DealsClosing:
        found = await run_db(alerts.deals_closing, info.context.user.uid, period.value)
        return DealsClosing(start=found.start, end=found.end, deals=[build(Deal, deal) for deal, _ in found.deals])

    @strawberry.field(permission_classes=[IsAuthenticated], description="Alerts on my accounts (the companies "
                      "whose team I am on or that my deals are for): tickets at risk, champions who left, "
                      "decaying ties to decision makers, single-threaded deals; each kind at most 20.")
    async def my_alerts(self, info: Info) -> list[AccountAlert]:
        return [_alert(a) for a in await run_db(alerts.my_alerts, info.context.user.uid, info.context.settings)]

    @strawberry.field(permission_classes=[IsAuthenticated], description="The latest interactions about my accounts, "
                      f"newest first (at most {alerts.MAX_RECENT}).")
    async def my_recent_activity(self, info: Info, first: int = 10) -> list[AccountActivity]:
        if not 1 <= first <= alerts.MAX_RECENT:
            raise ClientError(f"first must be between 1 and {alerts.MAX_RECENT}", "invalid_page_size")
        found = await run_db(alerts.recent_activity, info.context.user.uid, first)
        return [AccountActivity(company=build(Company, a.company), interaction=build(Interaction, a.interaction),
                                people=a.people) for a in found]
