"""No N+1: the company 360° query costs the same small number of round trips whatever the account size."""

from crn.graph import db
from tests.schema.conftest import COMPANY_360, make_account


def _round_trips(api, company_id: str) -> int:
    before = db.total_round_trips()
    data = api.data(COMPANY_360, {"id": company_id})
    assert data["company"]["name"] == "Acme"
    return db.total_round_trips() - before


def test_company_360_round_trips_are_constant(api):
    small = make_account(db, prefix="s", contacts=200, deals=50, tickets=100, interactions=500)
    large = make_account(db, prefix="l", contacts=400, deals=100, tickets=200, interactions=1000)
    small_trips = _round_trips(api, small["company"])
    large_trips = _round_trips(api, large["company"])
    # 1 authentication + 1 query compiled from the whole selection (crn.schema.lookahead)
    assert small_trips == large_trips
    assert small_trips <= 2
    print(f"company 360 round trips: {small_trips}")
