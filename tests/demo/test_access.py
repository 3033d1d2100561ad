"""crn.demo.access: the demo's teams, territories and owners give each user a book of their own."""

from __future__ import annotations

from datetime import date

from crn.auth import access as viewer_access
from crn.auth.users import AuthUser
from crn.demo import loader


def _visible(db, keys: list[str], label: str) -> int:
    return db.read_one(f"MATCH (n:{label}) WHERE any(k IN n.acl_r WHERE k IN $keys) RETURN count(n) AS n",
                       keys=keys)["n"]


def test_a_demo_manager_sees_their_reports_book_and_not_everything(clean_db, tmp_path):
    loader.load(size="small", seed=7, answers_path=tmp_path / "a.json", as_of=date(2026, 6, 30))
    db = clean_db
    assert db.read_one("MATCH (n) WHERE (n:Company OR n:Person OR n:Deal OR n:Ticket OR n:Interaction OR n:Order) "
                       "AND n.acl_r IS NULL RETURN count(n) AS n")["n"] == 0
    assert db.read_one("MATCH (t:Team)-[:PART_OF]->(:Team) RETURN count(t) AS n")["n"] == 8
    director = db.read_one("MATCH (u:User {title: 'Sales Director'}) RETURN u.uid AS uid, u.name AS name, "
                           "u.email AS email ORDER BY u.uid LIMIT 1")
    mine = viewer_access.for_user(AuthUser(director["uid"], director["name"], director["email"], "manager"))
    reports = db.read("MATCH (r:User)-[:REPORTS_TO]->(:User {uid: $uid}) RETURN r.uid AS uid", uid=director["uid"])
    assert reports and all(f"u:{r['uid']}" in mine.keys for r in reports)
    total = db.read_one("MATCH (d:Deal) RETURN count(d) AS n")["n"]
    book = db.read_one("MATCH (u:User)-[:OWNS]->(d:Deal) WHERE u.uid IN $uids RETURN count(d) AS n",
                       uids=[director["uid"]] + [r["uid"] for r in reports])["n"]
    assert 0 < book <= _visible(db, list(mine.keys), "Deal")  # their reports' deals (the small demo: every seller)
    seller = db.read_one("MATCH (u:User {title: 'Account Manager'})-[:OWNS]->(:Deal) RETURN u.uid AS uid, "
                         "u.name AS name, u.email AS email ORDER BY u.uid LIMIT 1")
    theirs = viewer_access.for_user(AuthUser(seller["uid"], seller["name"], seller["email"], "viewer"))
    own = db.read_one("MATCH (:User {uid: $uid})-[:OWNS]->(d:Deal) RETURN count(d) AS n", uid=seller["uid"])["n"]
    assert 0 < own <= _visible(db, list(theirs.keys), "Deal") < total  # their own book, not everyone's
    # loading again changes nothing: team ids derive from names and the keys are recomputed to the same values
    before = db.read("MATCH (n:Company) RETURN n.uid AS uid, n.acl_r AS r ORDER BY n.uid")
    loader.load(size="small", seed=7, answers_path=tmp_path / "b.json", as_of=date(2026, 6, 30))
    assert db.read("MATCH (n:Company) RETURN n.uid AS uid, n.acl_r AS r ORDER BY n.uid") == before
    assert db.read_one("MATCH (t:Team) RETURN count(t) AS n")["n"] == 12
