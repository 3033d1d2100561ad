"""Duplicate detection (pure) and merging two records in the graph (relationships and history kept)."""

from __future__ import annotations

import pytest

from crn.ingest.dedupe import (
    PEOPLE_COMPARES,
    MergeError,
    find_duplicates,
    find_duplicates_in_graph,
    merge_records,
    people_blocks,
)
from crn.ingest.importer import run_import
from tests.ingest.helpers import fixture


def test_blocking_and_scoring_find_the_duplicates_only():
    records = [
        {"uid": "1", "name": "ann lee", "emails": ["ann@x.example"], "phones": []},
        {"uid": "2", "name": "lee ann", "emails": ["ann@x.example"], "phones": []},
        {"uid": "3", "name": "bob stone", "emails": ["bob@x.example"], "phones": ["12345678"]},
        {"uid": "4", "name": "robert stone", "emails": [], "phones": ["12345678"]},
        {"uid": "5", "name": "carla diaz", "emails": ["carla@y.example"], "phones": []},
    ]
    pairs = find_duplicates(records, PEOPLE_COMPARES, people_blocks, threshold=0.75)
    assert [(p.a, p.b) for p in pairs] == [("1", "2"), ("3", "4")]
    assert pairs[0].score == 1.0 and pairs[0].evidence == {"name": 1.0, "emails": 1.0}


def test_dedupe_and_merge_in_the_graph(clean_db, tmp_path):
    run_import("orgchart", fixture("orgchart.csv"))
    dup = tmp_path / "dup.csv"
    dup.write_text("id,name,email,phone,manager,company\nX9,Bob  Lee,robert.lee@acme.example,+1 555 0199,ada@acme.example,Acme\n"
                   "X10,Eve Dee,eve@acme.example,,X9,Acme\n")
    run_import("orgchart", dup, source="crm")
    pairs = find_duplicates_in_graph("people", threshold=0.5)
    bobs = [p for p in pairs if {p.a_label, p.b_label} == {"Bob Lee", "Bob  Lee"}]
    assert pairs, "no candidate pairs"
    assert len(bobs) == 1 and bobs[0].evidence["name"] == 1.0
    keep = clean_db.read_one("MATCH (p:Person {email: 'bob@acme.example'}) RETURN p.uid AS uid")["uid"]
    other = clean_db.read_one("MATCH (p:Person {email: 'robert.lee@acme.example'}) RETURN p.uid AS uid")["uid"]
    rels_before = clean_db.read_one("MATCH ()-[r]->() RETURN count(r) AS n")["n"]
    result = merge_records(keep, other, actor="tester", score=bobs[0].score)
    assert result["moved"] == 3  # REPORTS_TO Ada, WORKS_AT Acme, Eve's REPORTS_TO
    bob = clean_db.read_one("MATCH (p:Person {uid: $uid}) RETURN p", uid=keep)["p"]
    assert bob["merged_from"] == [other]
    assert bob["emails"] == ["bob@acme.example", "robert.lee@acme.example"]
    assert bob["external_ids"] == ["import:2", "crm:X9"] and bob["phones"] == ["+1 555 0199"]
    reports = clean_db.read("MATCH (r:Person)-[:REPORTS_TO]->(:Person {uid: $uid}) RETURN r.name AS n ORDER BY n", uid=keep)
    assert [r["n"] for r in reports] == ["Cy Dee", "Di Fox", "Eve Dee"]
    assert clean_db.read_one("MATCH (p:Person {uid: $uid}) RETURN count(p) AS n", uid=other)["n"] == 0
    record = clean_db.read_one("MATCH (m:MergeRecord)-[:MERGED_INTO]->(p {uid: $uid}) RETURN m", uid=keep)["m"]
    assert record["merged"] == other and record["actor"] == "tester" and "robert.lee@acme.example" in record["merged_props"]
    # Every relationship is kept: the duplicate's three moved, plus the new MERGED_INTO.
    assert clean_db.read_one("MATCH ()-[r]->() RETURN count(r) AS n")["n"] == rels_before + 1
    with pytest.raises(MergeError):
        merge_records(keep, keep)
    with pytest.raises(MergeError):
        merge_records(keep, "nope")
