"""The audit trail on the real Neo4j: entries from domain writes, in their transaction; the chain verifies and finds
each kind of tampering; redaction for erasure; retention; concurrent appends; who may read what."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from crn import audit
from crn.audit import store as trail
from crn.crm import events, links, records
from crn.graph import access, db


@pytest.fixture
def trail_db(clean_db):
    """An empty database with the audit listener installed, bound as crn's own jobs."""
    audit.install()
    with access.bound(access.SYSTEM):
        yield clean_db


def _entries(**flt) -> list[audit.Entry]:
    return list(audit.iter_trail(audit.TrailFilter(**flt), access.SYSTEM))[::-1]  # oldest first


def _company(name: str = "Acme", actor: str | None = "u-ann") -> str:
    result = records.create_record("Company", {"name": name, "country": "DE"}, actor)
    assert result.ok, result.errors
    return result.record["uid"]


def test_create_update_link_unlink_delete_are_recorded_with_their_changes(trail_db):
    uid = _company()
    assert records.update_record("Company", uid, {"city": "Berlin"}, "u-ann").ok
    person = records.create_record("Person", {"name": "Li Wei", "email": "li@acme.test"}, "u-ann").record["uid"]
    assert links.link("employment", person, uid, {}, "u-ann").ok
    assert links.unlink("employment", person, uid, "u-ann").ok
    assert records.delete_record("Company", uid, "u-ann").ok
    entries = _entries()
    assert [e.action for e in entries] == ["create", "update", "create", "link", "unlink", "delete"]
    created, updated = entries[0], entries[1]
    assert (created.label, created.uid, created.actor, created.channel) == ("Company", uid, "u-ann", "system")
    assert {"field": "name", "before": None, "after": "Acme"} in created.changes
    assert updated.changes == [{"field": "city", "before": None, "after": "Berlin"}]
    assert (entries[3].label, entries[3].uid, entries[3].other) == ("WORKS_AT", person, uid)
    assert {"field": "name", "before": "Acme", "after": None} in entries[5].changes
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5, 6]
    assert audit.verify().ok


def test_an_entry_commits_if_and_only_if_its_change_does(trail_db):
    def fail(tx, evs):
        raise RuntimeError("a listener after the audit one aborts the transaction")

    events.subscribe("zz-fail", fail)
    try:
        with pytest.raises(RuntimeError):
            records.create_record("Company", {"name": "Never"}, "u-ann")
    finally:
        events.unsubscribe("zz-fail")
    assert db.read_one("MATCH (c:Company) RETURN count(c) AS n")["n"] == 0
    assert db.read_one("MATCH (a:AuditEntry) RETURN count(a) AS n")["n"] == 0
    _company()
    assert [e.seq for e in _entries()] == [1]  # no sequence number was lost to the aborted change
    assert audit.verify().ok


def test_merge_is_recorded_as_a_merge(trail_db):
    from crn.ingest import dedupe

    a, b = _company("Acme"), _company("ACME GmbH")
    dedupe.merge_records(a, b)
    merged = [e for e in _entries() if e.action == "merge"]
    assert len(merged) == 1 and (merged[0].uid, merged[0].other) == (b, a)
    assert audit.verify().ok


def _tamper(cypher: str, **params) -> None:
    db.write(cypher, **params)


@pytest.mark.parametrize("name, cypher, broken", [
    ("payload edited", "MATCH (a:AuditEntry {seq: 3}) SET a.payload = replace(a.payload, 'Berlin', 'Paris')", 3),
    ("frame edited", "MATCH (a:AuditEntry {seq: 2}) SET a.actor = 'u-eve'", 2),
    ("entry deleted", "MATCH (a:AuditEntry {seq: 2}) DELETE a", 2),
    ("newest entry deleted", "MATCH (a:AuditEntry {seq: 4}) DELETE a", 4),
    ("entry inserted", "MATCH (a:AuditEntry) WHERE a.seq >= 3 SET a.seq = a.seq + 10 WITH count(*) AS n "
                       "MATCH (a:AuditEntry) WHERE a.seq >= 13 SET a.seq = a.seq - 9 WITH count(*) AS m "
                       "MATCH (b:AuditEntry {seq: 2}) CREATE (f:AuditEntry) "
                       "SET f = b {.*, seq: 3, action: 'delete'}", 3),
    ("entry appended behind the chain's back", "MATCH (b:AuditEntry {seq: 4}) CREATE (f:AuditEntry) "
                                               "SET f = b {.*, seq: 5}", 5),
    ("entries reordered", "MATCH (a:AuditEntry {seq: 2}), (b:AuditEntry {seq: 3}) SET a.seq = -3, b.seq = 2 "
                          "WITH a SET a.seq = 3", 2),
])
def test_each_kind_of_tampering_is_found_at_its_entry(trail_db, name, cypher, broken):
    uid = _company()
    records.update_record("Company", uid, {"city": "Hamburg"}, "u-ann")
    records.update_record("Company", uid, {"city": "Berlin"}, "u-ann")
    records.update_record("Company", uid, {"tier": "key"}, "u-ann")
    assert audit.verify().ok
    _tamper(cypher)
    verdict = audit.verify()
    assert not verdict.ok, name
    assert verdict.first_broken == broken, (name, verdict)


def test_redact_subject_erases_a_person_and_keeps_the_chain(trail_db):
    company = _company()
    person = records.create_record("Person", {"name": "Zhang Min", "email": "zhang.min@acme.test",
                                              "phones": ["+86 138 0000 1111"]}, "u-ann").record["uid"]
    records.update_record("Person", person, {"title": "CFO"}, "u-ann")
    links.link("employment", person, company, {}, "u-ann")
    note = records.create_record("Interaction", {"kind": "note", "subject": "Lunch with Zhang Min",
                                                      "at": datetime.now(timezone.utc)}, "u-ann")
    assert note.ok, note.errors
    count = audit.redact_subject(person, ["Zhang Min", "zhang.min@acme.test", "+86 138 0000 1111"], actor="u-dpo")
    assert count == 4  # created, updated, linked (about the person) and the note naming them
    stored = " ".join(r["p"] for r in db.read("MATCH (a:AuditEntry) RETURN a.payload AS p"))
    for needle in ("zhang min", "zhang.min@acme.test", "138 0000 1111", "CFO"):
        assert needle not in stored.lower(), needle
    assert "Lunch with [erased]" in stored
    verdict = audit.verify()
    assert verdict.ok and verdict.redacted == 4
    last = _entries()[-1]
    assert (last.action, last.uid, last.actor, last.details) == ("redact", person, "u-dpo", {"entries": 4})
    history = audit.history(person, 50, None, access.SYSTEM).entries
    assert {e.action for e in history} >= {"create", "update", "link", "redact"}


def test_redact_subject_runs_in_the_callers_transaction(trail_db):
    person = records.create_record("Person", {"name": "Wang Fang"}, "u-ann").record["uid"]

    def erase(tx):
        tx.run("MATCH (p:Person {uid: $uid}) SET p.name = 'Erased person'", uid=person)
        events.publish(tx, [events.Event("updated", "Person", person, actor="u-dpo", changed=("name",),
                                         before={"name": "Wang Fang"}, after={"name": "Erased person"})])
        return audit.redact_subject(person, ["Wang Fang"], "u-dpo", tx=tx)

    assert events.write_tx(erase) == 2
    assert "wang fang" not in " ".join(r["p"] for r in db.read("MATCH (a:AuditEntry) RETURN a.payload AS p")).lower()
    assert audit.verify().ok


def test_retention_purges_old_entries_and_the_rest_still_verifies(trail_db, monkeypatch):
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    monkeypatch.setattr(trail, "_now", lambda: long_ago)
    old = _company("Old")
    records.update_record("Company", old, {"city": "Xi'an"}, None)
    monkeypatch.undo()
    _company("New")
    assert audit.purge_expired(0) == 0  # 0 keeps everything
    assert audit.purge_expired(365) == 2
    entries = _entries()
    assert [e.action for e in entries] == ["create", "purge"] and entries[0].seq == 3
    verdict = audit.verify()
    assert verdict.ok and verdict.anchor_seq == 2 and verdict.checked == 2
    _company("Newer")
    assert audit.verify().ok
    db.write("MATCH (h:AuditHead) SET h.anchor_hash = 'forged'")
    assert audit.verify().first_broken == 3


def test_concurrent_appends_form_one_unbroken_chain(trail_db):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with access.bound(access.SYSTEM):
                for i in range(8):
                    assert records.create_record("Company", {"name": f"C{n}-{i}"}, f"u{n}").ok
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [e.seq for e in _entries()] == list(range(1, 49))
    assert audit.verify().ok


def test_readers_see_only_entries_on_records_they_can_read(trail_db):
    mine = records.create_record("Company", {"name": "Mine"}, "u-rep").record["uid"]
    db.write("MATCH (c:Company {uid: $uid}) SET c.acl_r = ['u:u-rep'], c.acl_w = ['u:u-rep']", uid=mine)
    theirs = _company("Theirs")
    gone = _company("Gone")
    records.delete_record("Company", gone, None)
    audit.record_alone("login", label="User", uid="u-rep", actor="u-rep", channel="ui")
    rep = access.Access(user="u-rep", keys=("u:u-rep",))
    seen = audit.trail(audit.TrailFilter(), 50, None, rep).entries
    assert {e.uid for e in seen} == {mine}
    assert audit.history(theirs, 50, None, rep).entries == []
    assert audit.history(gone, 50, None, rep).entries == []  # deleted targets: admins only
    everything = audit.trail(audit.TrailFilter(), 50, None, access.SYSTEM)
    assert everything.total == 5 and {e.action for e in everything.entries} == {"create", "delete", "login"}


def test_paging_and_filters(trail_db):
    uids = [_company(f"C{i}", actor="u-a" if i % 2 else "u-b") for i in range(7)]
    first = audit.trail(audit.TrailFilter(actor="u-b"), 2, None, access.SYSTEM)
    assert first.total == 4 and first.has_next and [e.uid for e in first.entries] == [uids[6], uids[4]]
    second = audit.trail(audit.TrailFilter(actor="u-b"), 2, first.end_cursor, access.SYSTEM)
    assert [e.uid for e in second.entries] == [uids[2], uids[0]] and not second.has_next
    assert audit.trail(audit.TrailFilter(uid=uids[3]), 10, None, access.SYSTEM).total == 1
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    assert audit.trail(audit.TrailFilter(start=later), 10, None, access.SYSTEM).entries == []
    assert audit.trail(audit.TrailFilter(channel="api"), 10, None, access.SYSTEM).entries == []
    with pytest.raises(ValueError, match="cursor"):
        audit.trail(audit.TrailFilter(), 2, "not-a-cursor", access.SYSTEM)


def test_csv_export_writes_the_filtered_trail_and_is_recorded(trail_db):
    _company("Acme")
    text, rows = audit.csv_text(audit.TrailFilter(action="create"), access.SYSTEM)
    lines = text.strip().splitlines()
    assert rows == 1 and lines[0].startswith("seq,at,actor,actor_name,action,label,uid")
    assert ",create,Company," in lines[1]
    export = _entries()[-1]
    assert export.action == "export" and export.details["rows"] == 1 and export.details["filter"] == {
        "action": "create"}


def test_entries_are_not_records(trail_db):
    from crn.automation import authority
    from crn.automation.rules import validate_rule
    from crn.crm import search

    _company("Acme")
    assert db.read_one("MATCH (a:AuditEntry) RETURN a.uid AS uid")["uid"] is None  # never found by a uid look-up
    assert "AuditEntry" not in search.SEARCHABLE_TYPES
    rule, errors = validate_rule({"id": "watch-audit", "name": "x", "trigger": {"kind": "created",
                                                                              "label": "AuditEntry"},
                                  "actions": [{"type": "create_task", "params": {"title": "t", "assignee": "a@b.io"}}]})
    refused = authority.check_rule(rule, None) if rule is not None else errors
    assert refused and refused[0].code in ("forbidden_subject", "invalid_value", "unknown_label"), refused


def test_the_worker_purges_at_most_hourly(trail_db, monkeypatch):
    long_ago = datetime.now(timezone.utc) - timedelta(days=40)
    monkeypatch.setattr(trail, "_now", lambda: long_ago)
    _company("Old")
    monkeypatch.setattr(trail, "_last_purge", [float("-inf")])
    assert trail.purge_due(0) == 0  # retention off
    monkeypatch.setattr(trail, "_now", lambda: long_ago)
    assert trail.purge_due(30) == 0  # "now" is 40 days ago: nothing is older than 30 days yet
    monkeypatch.undo()
    monkeypatch.setattr(trail, "_last_purge", [float("-inf")])
    assert trail.purge_due(30) == 1
    assert trail.purge_due(30) == 0  # within the hour: not again
    assert audit.verify().ok


def test_a_role_or_active_change_is_a_permission_change(trail_db):
    db.write("CREATE (:User {uid: 'u-rep', name: 'Rep', email: 'rep@test.io', role: 'viewer', active: true})")
    assert records.update_record("User", "u-rep", {"role": "manager"}, "u-admin").ok
    assert records.update_record("User", "u-rep", {"title": "Account executive"}, "u-admin").ok
    assert records.update_record("User", "u-rep", {"active": False}, "u-admin").ok
    entries = _entries(label="User")
    assert [e.action for e in entries] == ["permission_change", "update", "permission_change"]
    assert entries[0].changes == [{"field": "role", "before": "viewer", "after": "manager"}]
    assert entries[2].changes == [{"field": "active", "before": True, "after": False}]
