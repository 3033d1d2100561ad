"""crn.crm.activity.log_interaction: one transaction for the interaction and its links; strength refreshes."""

import pytest

from crn.config import get_settings
from crn.crm import activity, events
from crn.graph import db
from crn.intel import strength


@pytest.fixture
def people(clean_db):
    db.write("CREATE (:User {uid: 'u1', name: 'Una'}), (:Person {uid: 'p1', name: 'Pia'}), "
             "(:Deal {uid: 'd1', name: 'Big deal'}), (:Company {uid: 'c1', name: 'Acme'})")
    strength.install(get_settings())
    yield
    events.unsubscribe_committed(strength.LISTENER_NAME)


def count(cypher: str) -> int:
    return db.read_one(cypher)["n"]


def test_logs_the_interaction_with_participants_and_deal_and_refreshes_strength(people):
    result = activity.log_interaction({"kind": "call", "subject": "Intro"}, ["u1", "p1"], ["d1", "c1"], "u1")
    assert result.ok, result.errors
    uid = result.record["uid"]
    assert result.record["kind"] == "call" and result.record["at"] is not None
    assert result.record["direction"] == "outbound" and result.record["updated_by"] == "u1"
    linked = db.read("MATCH (i:Interaction {uid: $uid})-[r]->(x) RETURN type(r) AS t, x.uid AS x ORDER BY x", uid=uid)
    assert [(r["t"], r["x"]) for r in linked] == [("ABOUT", "c1"), ("ABOUT", "d1"), ("INVOLVED", "p1"),
                                                  ("INVOLVED", "u1")]
    row = db.read_one("MATCH (:User {uid: 'u1'})-[k:KNOWS]->(:Person {uid: 'p1'}) RETURN k.strength AS s")
    assert row is not None and 0 < row["s"] <= 1


def test_a_bad_participant_leaves_nothing_behind(people):
    result = activity.log_interaction({"kind": "call"}, ["u1", "ghost"], ["d1"], "u1")
    assert not result.ok and [(e.code, e.field) for e in result.errors] == [("not_found", "participants.1")]
    assert count("MATCH (i:Interaction) RETURN count(i) AS n") == 0
    assert count("MATCH ()-[r:INVOLVED|ABOUT]->() RETURN count(r) AS n") == 0


@pytest.mark.parametrize("values,participants,field", [
    ({"kind": "fax"}, ["u1"], "kind"), ({"kind": "call", "at": "yesterday"}, ["u1"], "at"),
    ({"kind": "call"}, [], "participants")])
def test_invalid_input_is_refused(people, values, participants, field):
    result = activity.log_interaction(values, participants, [], "u1")
    assert not result.ok and result.errors[0].field == field
    assert count("MATCH (i:Interaction) RETURN count(i) AS n") == 0
