"""myAlerts and dealsClosing over GraphQL: the alerts of the signed-in user's accounts, with their records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crn.crm import alerts
from crn.graph import db

ALERTS = """{ myAlerts { kind slaState role leftOn company { id name } deal { id name } person { name }
  ticket { subject } movedTo { name } } }"""
CLOSING = """query($p: ClosePeriod!) { dealsClosing(period: $p) { start end deals { name expectedClose company { name } } } }"""


def test_my_alerts_and_deals_closing(api, viewer_api):
    me = api.data("{ me { uid } }")["me"]["uid"]
    now = datetime.now(timezone.utc)
    start, end = alerts.period_range("quarter", now.date())
    db.write("""
    MATCH (me:User {uid: $me})
    CREATE (a:Company {uid: 'A', name: 'Acme'})<-[:ACCOUNT_TEAM]-(me)
    CREATE (d:Deal {uid: 'd1', name: 'Renewal', status: 'open', expected_close: $end})-[:FOR]->(a), (me)-[:OWNS]->(d)
    CREATE (p:Person {uid: 'p1', name: 'Pia'})-[:WORKS_AT {until: date('2021-03-01')}]->(a),
           (p)-[:ON_COMMITTEE {role: 'champion'}]->(d)
    CREATE (:Ticket {uid: 't1', subject: 'Down', status: 'open', sla_due_at: $soon})-[:FOR]->(a)
    """, me=me, end=end, soon=now + timedelta(minutes=30))
    got = api.data(ALERTS)["myAlerts"]
    assert [(a["kind"], a["slaState"]) for a in got] == [("SLA_AT_RISK", "DUE_SOON"), ("CHAMPION_LEFT", None)]
    assert got[0]["ticket"]["subject"] == "Down" and got[0]["company"]["name"] == "Acme"
    assert (got[1]["person"]["name"], got[1]["role"], got[1]["leftOn"], got[1]["deal"]["name"]) == \
        ("Pia", "champion", "2021-03-01", "Renewal")
    quarter = api.data(CLOSING, {"p": "QUARTER"})["dealsClosing"]
    assert quarter["start"] == start.isoformat() and quarter["end"] == end.isoformat()
    assert quarter["deals"] == [{"name": "Renewal", "expectedClose": end.isoformat(), "company": {"name": "Acme"}}]
    assert viewer_api.data(ALERTS)["myAlerts"] == []  # not the viewer's accounts


def test_my_recent_activity_page_size_holds_at_its_edges(api):
    query = "query($n: Int!) { myRecentActivity(first: $n) { interaction { subject } company { name } people } }"
    assert api.data(query, {"n": 20}) == {"myRecentActivity": []}
    assert api.data(query, {"n": 1}) == {"myRecentActivity": []}
    for wrong in (0, 21):
        body = api.gql(query, {"n": wrong})
        assert body["data"] is None and "first must be between 1 and 20" in body["errors"][0]["message"]
