"""crn.crm.alerts: deals closing this period and the graph's alerts on my accounts, against a planted graph."""

from datetime import date, datetime, timedelta, timezone

import pytest

from crn.config import get_settings

from crn.crm import alerts
from crn.graph import db

NOW = datetime.now(timezone.utc)
TODAY = NOW.date()


@pytest.fixture
def planted(clean_db):
    """My accounts: A (account team) and B (a deal of mine is for it); C is someone else's."""
    start, end = alerts.period_range("month", TODAY)
    db.write("""
    CREATE (me:User {uid: 'ua', name: 'Ann'}), (other:User {uid: 'ub', name: 'Bo'})
    CREATE (a:Company {uid: 'A', name: 'Acme'}), (b:Company {uid: 'B', name: 'Beta'}), (c:Company {uid: 'C', name: 'Core'}),
           (x:Company {uid: 'X', name: 'Xeno'})
    CREATE (me)-[:ACCOUNT_TEAM {role: 'owner'}]->(a), (other)-[:ACCOUNT_TEAM]->(c)
    CREATE (da:Deal {uid: 'dA', name: 'Acme renewal', status: 'open', amount: 100.0, expected_close: $later}),
           (db:Deal {uid: 'dB', name: 'Beta pilot', status: 'open', amount: 50.0, expected_close: $inside}),
           (dw:Deal {uid: 'dW', name: 'Beta won', status: 'won', amount: 10.0, expected_close: $inside}),
           (dc:Deal {uid: 'dC', name: 'Core deal', status: 'open', amount: 70.0, expected_close: $inside})
    CREATE (da)-[:FOR]->(a), (db)-[:FOR]->(b), (dw)-[:FOR]->(b), (dc)-[:FOR]->(c)
    CREATE (me)-[:OWNS]->(db), (me)-[:OWNS]->(dw), (me)-[:OWNS]->(da), (other)-[:OWNS]->(dc)
    // p1 left Acme for Xeno; p2 is still there; p3 left and came back
    CREATE (p1:Person {uid: 'p1', name: 'Pia'}), (p2:Person {uid: 'p2', name: 'Pat'}), (p3:Person {uid: 'p3', name: 'Pim'}),
           (p4:Person {uid: 'p4', name: 'Poe'}), (p5:Person {uid: 'p5', name: 'Pru'})
    CREATE (p1)-[:WORKS_AT {since: date('2015-01-01'), until: date('2020-01-31')}]->(a),
           (p1)-[:WORKS_AT {since: date('2020-02-01')}]->(x),
           (p2)-[:WORKS_AT {since: date('2018-01-01')}]->(a),
           (p3)-[:WORKS_AT {since: date('2010-01-01'), until: date('2012-01-01')}]->(a),
           (p3)-[:WORKS_AT {since: date('2019-01-01')}]->(a),
           (p5)-[:WORKS_AT {since: date('2010-01-01'), until: date('2019-01-01')}]->(c)
    CREATE (p1)-[:ON_COMMITTEE {role: 'champion'}]->(da), (p2)-[:ON_COMMITTEE {role: 'user'}]->(da),
           (p3)-[:ON_COMMITTEE {role: 'economic_buyer'}]->(da), (p5)-[:ON_COMMITTEE {role: 'champion'}]->(dc)
    // Acme's deal has two engaged contacts; Beta's pilot one (twice); the won deal one (not alerted)
    CREATE (i1:Interaction {uid: 'i1', kind: 'call'})-[:ABOUT]->(da), (i1)-[:INVOLVED]->(p1), (i1)-[:INVOLVED]->(p2),
           (i2:Interaction {uid: 'i2', kind: 'call'})-[:ABOUT]->(db), (i2)-[:INVOLVED]->(p4), (i2)-[:INVOLVED]->(me),
           (i3:Interaction {uid: 'i3', kind: 'email'})-[:ABOUT]->(db), (i3)-[:INVOLVED]->(p4),
           (i4:Interaction {uid: 'i4', kind: 'call'})-[:ABOUT]->(dw), (i4)-[:INVOLVED]->(p4)
    // decision makers I know: p6 not met for 100 days (fading), p7 met 5 days ago; p2 is no decision maker
    CREATE (p6:Person {uid: 'p6', name: 'Pax'}), (p7:Person {uid: 'p7', name: 'Pea'})
    CREATE (p6)-[:ON_COMMITTEE {role: 'economic_buyer'}]->(da), (p7)-[:ON_COMMITTEE {role: 'decision_maker'}]->(da),
           (me)-[:KNOWS {strength: 0.3}]->(p6), (me)-[:KNOWS {strength: 0.6}]->(p7), (me)-[:KNOWS {strength: 0.1}]->(p2),
           (i5:Interaction {uid: 'i5', kind: 'meeting', at: $old})-[:INVOLVED]->(p6), (i5)-[:INVOLVED]->(me),
           (i6:Interaction {uid: 'i6', kind: 'call', at: $recent})-[:INVOLVED]->(p7), (i6)-[:INVOLVED]->(me),
           (i7:Interaction {uid: 'i7', kind: 'call', at: $old})-[:INVOLVED]->(p2), (i7)-[:INVOLVED]->(me)
    CREATE (:Ticket {uid: 't1', subject: 'Down', status: 'open', sla_due_at: $past})-[:FOR]->(a),
           (:Ticket {uid: 't2', subject: 'Slow', status: 'pending', sla_due_at: $soon})-[:FOR]->(b),
           (:Ticket {uid: 't3', subject: 'Later', status: 'open', sla_due_at: $far})-[:FOR]->(a),
           (:Ticket {uid: 't4', subject: 'Done', status: 'resolved', sla_due_at: $past, resolved_at: $past})-[:FOR]->(a),
           (:Ticket {uid: 't5', subject: 'Not mine', status: 'open', sla_due_at: $past})-[:FOR]->(c)
    """, inside=start + (end - start) / 2, later=end + timedelta(days=400), past=NOW - timedelta(hours=2),
             soon=NOW + timedelta(hours=1), far=NOW + timedelta(days=5),
             old=NOW - timedelta(days=100), recent=NOW - timedelta(days=5))


def test_period_range_edges():
    assert alerts.period_range("month", date(2030, 2, 10)) == (date(2030, 2, 1), date(2030, 2, 28))
    assert alerts.period_range("quarter", date(2030, 12, 31)) == (date(2030, 10, 1), date(2030, 12, 31))
    with pytest.raises(ValueError):
        alerts.period_range("year", date(2030, 1, 1))


def test_deals_closing_this_period_are_my_open_ones(planted):
    closing = alerts.deals_closing("ua", "month")
    assert [(d["uid"], c["uid"]) for d, c in closing.deals] == [("dB", "B")]
    assert closing.start <= TODAY <= closing.end
    assert alerts.deals_closing("ub", "quarter").deals[0][0]["uid"] == "dC"


def test_my_alerts(planted):
    found = alerts.my_alerts("ua", get_settings())
    summary = [(a.kind, a.company["uid"], (a.deal or a.ticket)["uid"], a.person and a.person["uid"]) for a in found]
    assert summary == [("sla_at_risk", "A", "t1", None), ("sla_at_risk", "B", "t2", None),
                       ("champion_left", "A", "dA", "p1"), ("decaying_tie", "A", "dA", "p6"),
                       ("single_threaded", "B", "dB", "p4")]
    fading = found[3]
    assert (fading.role, fading.strength) == ("economic_buyer", 0.3)
    assert abs((NOW - fading.last_at).days - 100) <= 1
    assert [a.sla_state for a in found[:2]] == ["breached", "due_soon"]
    left = found[2]
    assert (left.role, left.left_on, left.moved_to["uid"]) == ("champion", date(2020, 1, 31), "X")
    # someone else's accounts raise their own alerts, not mine
    theirs = alerts.my_alerts("ub", get_settings())  # (no ties of theirs: no decaying ones)
    assert [(a.kind, (a.deal or a.ticket)["uid"]) for a in theirs] == [("sla_at_risk", "t5"), ("champion_left", "dC")]
    assert theirs[1].moved_to is None


def test_the_decay_window_comes_from_settings(planted, monkeypatch):
    monkeypatch.setenv("CRN_DECAY_ALERT_DAYS", "3")  # now p7, met 5 days ago, is fading too
    fading = [a.person["uid"] for a in alerts.my_alerts("ua", get_settings()) if a.kind == "decaying_tie"]
    assert fading == ["p6", "p7"]


def test_recent_activity_on_my_accounts_newest_first(clean_db):
    db.write("""
    CREATE (me:User {uid: 'ua', name: 'Ann'}), (other:User {uid: 'ub', name: 'Bo'})
    CREATE (a:Company {uid: 'A', name: 'Acme'}), (b:Company {uid: 'B', name: 'Beta'}), (c:Company {uid: 'C', name: 'Core'})
    CREATE (me)-[:ACCOUNT_TEAM]->(a), (me)-[:OWNS]->(:Deal {uid: 'd'})-[:FOR]->(b), (other)-[:ACCOUNT_TEAM]->(c)
    CREATE (p:Person {uid: 'p', name: 'Pat'}), (q:Person {uid: 'q', name: 'Quinn'})
    CREATE (:Interaction {uid: 'i1', subject: 'old', at: $t1})-[:ABOUT]->(a),
           (i2:Interaction {uid: 'i2', subject: 'new', at: $t3})-[:ABOUT]->(b),
           (i3:Interaction {uid: 'i3', subject: 'mid', at: $t2})-[:ABOUT]->(a),
           (:Interaction {uid: 'i4', subject: 'not mine', at: $t3})-[:ABOUT]->(c)
    CREATE (i2)-[:INVOLVED]->(q), (i2)-[:INVOLVED]->(p), (i2)-[:INVOLVED]->(me)
    """, t1=NOW - timedelta(days=3), t2=NOW - timedelta(days=2), t3=NOW - timedelta(days=1))
    found = alerts.recent_activity("ua", 10)
    assert [(a.interaction["subject"], a.company["name"]) for a in found] == [("new", "Beta"), ("mid", "Acme"),
                                                                          ("old", "Acme")]
    assert found[0].people == ["Ann", "Pat", "Quinn"]
    assert [a.interaction["subject"] for a in alerts.recent_activity("ua", 2)] == ["new", "mid"]
    assert [a.interaction["subject"] for a in alerts.recent_activity("ub", 10)] == ["not mine"]
