"""Strength refresh: full and incremental writes on KNOWS, live explanation."""

import json

import pytest

from crn.analytics.strength import Touch, relationship_strength
from crn.config import get_settings
from crn.intel import strength
from tests.intel import scenario


@pytest.fixture
def world(clean_db):
    scenario.build(clean_db)
    return clean_db


def test_full_refresh_writes_every_pair(world):
    assert strength.refresh_all(now=scenario.NOW) == 4
    rows = world.read("""MATCH (:User {uid: 'alice'})-[k:KNOWS]->(p:Person)
                         RETURN p.uid AS p, k.strength AS s, k.strength_parts AS parts, k.origin AS origin""")
    by = {r["p"]: r for r in rows}
    assert set(by) == {"chad", "hugo", "cora", "erin"}
    assert by["chad"]["origin"] == "declared" and by["erin"]["origin"] == "interactions"
    import datetime as dt
    expected = relationship_strength([Touch(scenario.NOW - dt.timedelta(days=d), "email", "inbound")
                                      for d in (1, 5, 9, 20, 40)], now=scenario.NOW)
    assert by["chad"]["s"] == pytest.approx(expected.score, abs=1e-6)
    assert json.loads(by["chad"]["parts"])["interactions"] == 5


def test_incremental_refresh_touches_only_the_pairs_of_one_interaction(world):
    assert strength.refresh_for_interaction("i-erin-15", now=scenario.NOW) == 1
    assert world.read_one("MATCH ()-[k:KNOWS]->() WHERE k.strength_at IS NOT NULL RETURN count(k) AS n")["n"] == 1


def test_explanation_matches_the_stored_score(world):
    strength.refresh_all(now=scenario.NOW)
    e = strength.explain_strength("alice", "hugo", now=scenario.NOW)
    assert e.strength.interactions == 3 and e.strength.reciprocity == 1.0
    assert e.stored == pytest.approx(e.strength.score, abs=1e-6)


def test_recording_an_interaction_through_crm_refreshes_the_pair(clean_db):
    """The incremental refresh runs after the change commits, whichever entry point recorded it."""
    from crn.crm import events, links, records

    strength.install(get_settings())
    try:
        clean_db.write("CREATE (:User {uid: 'u1', name: 'Una', email: 'una@crn.test'}), "
                       "(:Person {uid: 'p1', name: 'Pia', email: 'pia@x.example'})")
        created = records.create_record("Interaction", {"kind": "meeting", "at": "2026-11-20T10:00:00Z",
                                                        "direction": "outbound"}, actor="tester")
        assert created.ok, created.errors
        uid = created.record["uid"]
        assert links.link("participant", uid, "u1", {"role": "organiser"}, actor="tester").ok
        assert clean_db.read("MATCH (:User)-[k:KNOWS]->(:Person) RETURN k") == []  # one participant: no pair
        assert links.link("participant", uid, "p1", {"role": "attendee"}, actor="tester").ok
        row = clean_db.read_one("MATCH (:User {uid: 'u1'})-[k:KNOWS]->(:Person {uid: 'p1'}) "
                                "RETURN k.strength AS s, k.strength_parts AS parts")
        assert row is not None and 0 < row["s"] <= 1
        assert json.loads(row["parts"])["interactions"] == 1
    finally:
        events.unsubscribe_committed(strength.LISTENER_NAME)
