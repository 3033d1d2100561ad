"""crn.crm.saved_views: save (checked against the list's filters and sorts), list, delete; owner only."""

import pytest

from crn.crm import events, saved_views
from crn.graph import db


@pytest.fixture
def captured():
    seen = []
    events.subscribe("test-capture", lambda tx, evs: seen.extend(evs))
    yield seen
    events.unsubscribe("test-capture")


@pytest.fixture
def users(clean_db):
    db.write("CREATE (:User {uid: 'ua', name: 'Ann'}), (:User {uid: 'ub', name: 'Bo'})")
    return "ua", "ub"


def test_save_list_and_delete_own_views(users, captured):
    saved = saved_views.save_view("ua", "companies", " Big software ",
                                  {"industry": "Software", "sort": "employees", "dir": "desc", "tier": ""})
    assert saved.ok and saved.record["name"] == "Big software"
    assert saved.record["params"] == {"industry": "Software", "sort": "employees", "dir": "desc"}  # empty dropped
    saved_views.save_view("ua", "tickets", "Breached", {"sla_breached": "true"})
    assert [v["name"] for v in saved_views.my_views("ua")] == ["Big software", "Breached"]
    assert [v["name"] for v in saved_views.my_views("ua", "tickets")] == ["Breached"]
    assert saved_views.my_views("ub") == []
    assert db.read_one("MATCH (:User {uid: 'ua'})-[:SAVED_VIEW]->(v:SavedView) RETURN count(v) AS n")["n"] == 2
    assert ("created", "SavedView") in [(e.kind, e.label) for e in captured]

    other = saved_views.delete_view("ub", saved.record["uid"])  # someone else's view reads as not found
    assert [(e.code, e.field) for e in other.errors] == [("not_found", "id")]
    gone = saved_views.delete_view("ua", saved.record["uid"])
    assert gone.ok and gone.record["name"] == "Big software"
    assert [v["name"] for v in saved_views.my_views("ua")] == ["Breached"]
    assert ("deleted", "SavedView") in [(e.kind, e.label) for e in captured]


@pytest.mark.parametrize("list_name,name,params,expected", [
    ("deals", "x", {}, [("invalid_value", "list")]),
    ("companies", "  ", {}, [("required", "name")]),
    ("companies", "x" * 81, {}, [("too_long", "name")]),
    ("companies", "x", {"stage": "won"}, [("unknown_field", "params.stage")]),
    ("people", "x", {"sort": "employees"}, [("invalid_value", "params.sort")]),
    ("people", "x", {"dir": "up"}, [("invalid_value", "params.dir")]),
    ("tickets", "x", {"status": 3}, [("invalid_value", "params.status")]),
])
def test_bad_views_are_refused_at_their_field(users, list_name, name, params, expected):
    result = saved_views.save_view("ua", list_name, name, params)
    assert [(e.code, e.field) for e in result.errors] == expected
    assert db.read_one("MATCH (v:SavedView) RETURN count(v) AS n")["n"] == 0


def test_names_are_unique_per_user_and_list(users):
    assert saved_views.save_view("ua", "people", "VPs", {"seniority": "vp"}).ok
    again = saved_views.save_view("ua", "people", "vps", {"seniority": "c_level"})
    assert [(e.code, e.field) for e in again.errors] == [("duplicate_name", "name")]
    assert saved_views.save_view("ua", "companies", "VPs", {}).ok  # another list
    assert saved_views.save_view("ub", "people", "VPs", {}).ok  # another user
    assert db.read_one("MATCH (v:SavedView) RETURN count(v) AS n")["n"] == 3


def test_a_user_keeps_at_most_the_cap_per_list(users, monkeypatch):
    monkeypatch.setattr(saved_views, "MAX_VIEWS_PER_LIST", 2)
    assert saved_views.save_view("ua", "people", "one", {}).ok
    assert saved_views.save_view("ua", "people", "two", {}).ok
    third = saved_views.save_view("ua", "people", "three", {})
    assert [(e.code, e.field) for e in third.errors] == [("too_many_views", "name")]
