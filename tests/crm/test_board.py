"""crn.crm.board: columns in pipeline order, counts, totals per currency, weighted amounts, filters, pages."""

from __future__ import annotations

from datetime import date

import pytest

from crn.crm import board, links, records


def _make(label: str, values: dict) -> str:
    result = records.create_record(label, values, "tester")
    assert result.ok, result.errors
    return result.record["uid"]


def _link(kind: str, a: str, b: str, props: dict | None = None) -> None:
    result = links.link(kind, a, b, props, "tester")
    assert result.ok, result.errors


def make_pipeline() -> dict[str, str]:
    """A parent P with a current subsidiary S and a former one F (link ended), an unrelated X, two owners and
    seven deals with known numbers (uids by name)."""
    ids = {name: _make("Company", {"name": f"Board {name}"}) for name in ("P", "S", "F", "X")}
    _link("subsidiary", ids["S"], ids["P"], {"share": 0.8})
    _link("subsidiary", ids["F"], ids["P"], {"share": 0.6, "until": "2020-01-01"})
    for name, team in (("U1", "East"), ("U2", "West")):
        ids[name] = _make("User", {"name": f"Board owner {name}", "team": team})
    deals = [  # name, company, owner, stage, amount, currency, probability, expected close
        ("d1", "P", "U1", "qualification", 1000, "USD", 0.5, "2026-01-15"),
        ("d2", "S", "U2", "qualification", 2000, "USD", 0.25, "2026-02-10"),
        ("d3", "S", "U1", "qualification", 500, "EUR", 0.4, "2026-01-20"),
        ("d4", "X", "U2", "negotiation", 4000, "USD", 0.7, "2026-03-01"),
        ("d5", "P", "U1", "closed_won", 3000, "USD", 0.9, "2026-01-05"),
        ("d6", "X", "U2", "closed_lost", 100, "USD", 0.3, "2026-01-06"),
        ("d7", "F", "U1", "discovery", 999, "USD", 0.2, "2026-01-07"),
    ]
    for name, company, owner, stage, amount, currency, probability, close in deals:
        ids[name] = _make("Deal", {"name": f"Board {name}", "stage": stage, "amount": amount, "currency": currency,
                                   "probability": probability, "expected_close": close})
        _link("deal_company", ids[name], ids[company])
        _link("deal_owner", ids[owner], ids[name])
    return ids


def _by_stage(columns: list[board.Column]) -> dict[str, board.Column]:
    return {c.stage: c for c in columns}


def _totals(column: board.Column) -> dict[str, tuple[int, float, float]]:
    return {t.currency: (t.count, t.amount, t.weighted) for t in column.totals}


def test_columns_in_pipeline_order_with_counts_and_totals_per_currency(clean_db):
    make_pipeline()
    columns = board.pipeline_board({})
    assert [c.stage for c in columns] == ["qualification", "discovery", "proposal", "negotiation", "closed_won",
                                          "closed_lost"]
    cols = _by_stage(columns)
    assert cols["qualification"].count == 3
    # USD and EUR are never added: 1000*0.5 + 2000*0.25 = 1000 weighted in USD; 500*0.4 = 200 in EUR
    assert _totals(cols["qualification"]) == {"EUR": (1, 500.0, 200.0), "USD": (2, 3000.0, 1000.0)}
    assert [t.currency for t in cols["qualification"].totals] == ["EUR", "USD"]
    assert _totals(cols["negotiation"]) == {"USD": (1, 4000.0, pytest.approx(2800.0))}
    assert _totals(cols["closed_won"]) == {"USD": (1, 3000.0, 3000.0)}  # won counts in full
    assert _totals(cols["closed_lost"]) == {"USD": (1, 100.0, 0.0)}  # lost counts nothing
    assert cols["proposal"].count == 0 and cols["proposal"].totals == [] and cols["proposal"].deals == []
    # cards: soonest expected close first
    assert [d["name"] for d in cols["qualification"].deals] == ["Board d1", "Board d3", "Board d2"]


def test_filters_owner_close_period_company_and_family(clean_db):
    ids = make_pipeline()
    mine = _by_stage(board.pipeline_board({"owner": ids["U1"]}))
    assert _totals(mine["qualification"]) == {"EUR": (1, 500.0, 200.0), "USD": (1, 1000.0, 500.0)}
    assert mine["negotiation"].count == 0 and mine["closed_won"].count == 1

    east = _by_stage(board.pipeline_board({"team": "East"}))
    assert {s: c.count for s, c in east.items()} == {s: c.count for s, c in mine.items()}
    assert sum(c.count for c in board.pipeline_board({"team": "Nobody"})) == 0

    january = _by_stage(board.pipeline_board({"close_from": date(2026, 1, 1), "close_to": date(2026, 1, 31)}))
    assert [d["name"] for d in january["qualification"].deals] == ["Board d1", "Board d3"]
    assert january["negotiation"].count == 0 and january["closed_lost"].count == 1

    company = _by_stage(board.pipeline_board({"company": ids["P"]}))
    assert {s: c.count for s, c in company.items() if c.count} == {"qualification": 1, "closed_won": 1}

    # the family: P and its current subsidiary S (not F, whose ownership ended), not X
    family = _by_stage(board.pipeline_board({"family": ids["P"]}))
    assert {s: c.count for s, c in family.items() if c.count} == {"qualification": 3, "closed_won": 1}
    assert _totals(family["qualification"]) == {"EUR": (1, 500.0, 200.0), "USD": (2, 3000.0, 1000.0)}
    # a subsidiary's family is itself (and what is below it), not its parent
    assert sum(c.count for c in board.pipeline_board({"family": ids["S"]})) == 2


def test_pages_per_column_and_one_stage(clean_db):
    make_pipeline()
    first = board.pipeline_board({}, skip=0, limit=1, stages=("qualification",))
    assert [c.stage for c in first] == ["qualification"]
    assert first[0].count == 3 and [d["name"] for d in first[0].deals] == ["Board d1"]
    second = board.pipeline_board({}, skip=1, limit=2, stages=("qualification",))
    assert [d["name"] for d in second[0].deals] == ["Board d3", "Board d2"]
    assert _totals(second[0]) == _totals(first[0])  # totals cover the whole column, not the page


def test_a_move_is_an_update_that_records_stage_history(clean_db):
    ids = make_pipeline()
    moved = records.update_record("Deal", ids["d1"], {"stage": "discovery"}, "mover")
    assert moved.ok
    assert [(h["stage"], h["by"]) for h in moved.record["stage_history"]] == [("qualification", "tester"),
                                                                               ("discovery", "mover")]
    cols = _by_stage(board.pipeline_board({"family": ids["P"]}))
    assert cols["qualification"].count == 2 and cols["discovery"].count == 1


def test_unknown_filters_are_refused(clean_db):
    with pytest.raises(ValueError):
        board.pipeline_board({"stage": "x"})
