"""GraphQL for the pipeline board: `pipelineBoard`, deals by stage with counts and totals per currency.

Moving a deal is `dealUpdate(id, input: {stage})`, which records the stage history (see crn.crm.records).
"""

from __future__ import annotations

from datetime import date

import strawberry

from crn.crm import board as board_ops
from crn.schema.base import ClientError, Connection, Edge, Window, decode_id, page_window
from crn.schema.common import build
from crn.schema.permissions import IsAuthenticated
from crn.schema.sales.types import Deal, DealStage
from crn.schema.workers import run_db

DEFAULT_BOARD_PAGE = 50


@strawberry.input(description="Which deals the board shows (all given filters must match).")
class BoardFilter:
    owner: strawberry.ID | None = strawberry.field(default=None, description="A user id: deals this user owns.")
    team: str | None = strawberry.field(default=None, description="A team name: deals owned by any user of that team.")
    close_from: date | None = strawberry.field(default=None, description="Expected close on or after this day.")
    close_to: date | None = strawberry.field(default=None, description="Expected close on or before this day.")
    company: strawberry.ID | None = strawberry.field(
        default=None, description="A company id: its deals (with `family`, also those of every current subsidiary).")
    family: bool = strawberry.field(
        default=False, description="With `company`: the whole corporate family below it, at any depth.")


@strawberry.type(description="The deals of one currency in a column; amounts of different currencies are never added.")
class CurrencyTotal:
    currency: str
    count: int
    amount: float = strawberry.field(description="Sum of the amounts.")
    weighted: float = strawberry.field(
        description="Sum of amount x probability for open deals; won deals count in full, lost ones as 0.")


@strawberry.type(description="One stage of the pipeline board.")
class BoardColumn:
    stage: DealStage
    count: int = strawberry.field(description="How many deals match in this stage (all pages).")
    totals: list[CurrencyTotal] = strawberry.field(description="One total per currency, by currency code.")
    deals: Connection[Deal] = strawberry.field(description="A page of the column's deals, soonest close first.")


def _filters(flt: BoardFilter | None) -> dict:
    if flt is None:
        return {}
    out: dict = {"close_from": flt.close_from, "close_to": flt.close_to, "team": flt.team or None}
    if flt.owner:
        out["owner"] = decode_id(flt.owner, "User")[1]
    if flt.company:
        out["family" if flt.family else "company"] = decode_id(flt.company, "Company")[1]
    elif flt.family:
        raise ClientError("`family` needs `company`: the company whose family to show", "invalid_filter")
    return out


async def pipeline_board(filter: BoardFilter | None = None, stages: list[DealStage] | None = None,
                         first: int | None = None, after: str | None = None) -> list[BoardColumn]:
    """The columns (all stages in pipeline order, or only `stages`), each with a page of its deals."""
    if after is not None and (not stages or len(stages) != 1):
        raise ClientError("`after` pages one column: pass exactly one stage in `stages`", "invalid_pagination")
    scope = f"board:{stages[0].value}" if stages and len(stages) == 1 else "board"
    window = page_window(DEFAULT_BOARD_PAGE if first is None else first, after, scope=scope)
    columns = await run_db(board_ops.pipeline_board, _filters(filter), window.skip, window.limit,
                           tuple(s.value for s in stages) if stages else None)
    out = []
    for column in columns:
        col_window = Window(window.skip, window.limit, scope=f"board:{column.stage}")
        deals = col_window.connection(column.count, column.deals,
                                      lambda row, cursor: Edge(cursor=cursor, node=build(Deal, row)))
        out.append(BoardColumn(stage=DealStage(column.stage), count=column.count,
                               totals=[CurrencyTotal(currency=t.currency, count=t.count, amount=t.amount,
                                                     weighted=t.weighted) for t in column.totals],
                               deals=deals))
    return out


@strawberry.type
class BoardQuery:
    pipeline_board: list[BoardColumn] = strawberry.field(
        resolver=pipeline_board, permission_classes=[IsAuthenticated],
        description="The pipeline board: per stage, the number of deals, totals per currency and a page of deals "
                    "(`first` per column, at most 100). Page one column further with `stages: [STAGE]` and the "
                    "column's `endCursor` as `after`.")
