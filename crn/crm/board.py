"""The pipeline board: deals by stage, in pipeline order, with counts and totals per currency.

Amounts in different currencies are never added: each column carries one total per currency. The
weighted amount counts an open deal at its probability, a won deal in full and a lost deal not at all.
Moving a deal is an ordinary update of its ``stage`` (``crn.crm.records.update_record``), which records
the stage history and publishes ``stage_changed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crn.crm.views import props
from crn.graph import db
from crn.graph.models.deal import STAGES
from crn.graph.queries import board as q

__all__ = ["BOARD_FILTERS", "STAGES", "Column", "CurrencyTotal", "pipeline_board"]

BOARD_FILTERS = tuple(q.BOARD_FILTERS)


@dataclass(frozen=True)
class CurrencyTotal:
    """The deals of one currency in a column: how many, their amount and their weighted amount."""

    currency: str
    count: int
    amount: float
    weighted: float


@dataclass(frozen=True)
class Column:
    """One stage of the board: the number of matching deals, totals per currency, and a page of deals."""

    stage: str
    count: int
    totals: list[CurrencyTotal] = field(default_factory=list)
    deals: list[dict[str, Any]] = field(default_factory=list)


def pipeline_board(filters: dict[str, Any], skip: int = 0, limit: int = 50,
                   stages: tuple[str, ...] | None = None) -> list[Column]:
    """The board's columns in pipeline order (all stages, or only ``stages``), each with rows
    ``skip..skip+limit`` of its deals, for the deals matching ``filters``.

    Filters (all optional): ``owner`` (user uid), ``team`` (a user team: deals any member owns), ``close_from``/``close_to`` (expected close dates,
    inclusive), ``company`` (company uid: its own deals), ``family`` (company uid: its deals and those of
    every company below it along ownership links in force today).
    """
    filters = {k: v for k, v in filters.items() if v is not None}
    unknown = set(filters) - set(BOARD_FILTERS)
    if unknown:
        raise ValueError(f"unknown board filters {sorted(unknown)}")
    for key in ("close_from", "close_to"):
        if key in filters and not isinstance(filters[key], date):
            raise ValueError(f"{key} must be a date")
    wanted = tuple(s for s in STAGES if stages is None or s in stages)
    rows = db.read(q.board(tuple(sorted(filters))), stages=list(wanted), skip=skip, limit=limit, **filters)
    found = {row["stage"]: row for row in rows}
    columns = []
    for stage in wanted:
        row = found.get(stage)
        if row is None:
            columns.append(Column(stage, 0))
            continue
        totals = [CurrencyTotal(t["currency"], t["count"], float(t["amount"]), float(t["weighted"]))
                  for t in row["totals"]]
        columns.append(Column(stage, row["total"], totals, [props(d) for d in row["items"]]))
    return columns
