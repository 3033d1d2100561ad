"""Imports against the real Neo4j: every kind and format, bad rows, idempotency, history, strict and dry runs."""

from __future__ import annotations

import pytest

from datetime import date


from crn.ingest.importer import run_import
from tests.ingest.helpers import fixture, snapshot


def errors_by_row(summary):
    return {e.row: e for e in summary.errors}


def test_orgchart_good_rows_written_bad_rows_reported(clean_db, tmp_path):
    errors_file = tmp_path / "errors.csv"
    s = run_import("orgchart", fixture("orgchart.csv"), errors_path=errors_file)
    by_row = errors_by_row(s)
    assert (s.read, s.written, s.unchanged, s.skipped) == (15, 4, 0, 11)
    assert "e-mail" in by_row[6].reason and by_row[6].column == "email"
    assert "unknown manager" in by_row[7].reason and by_row[7].value == "99"
    assert "formula" in by_row[8].reason and by_row[8].column == "title"
    assert "reporting cycle" in by_row[9].reason and "reporting cycle" in by_row[10].reason
    assert "duplicate key" in by_row[11].reason and "row 4" in by_row[11].reason
    assert "rejected" in by_row[12].reason
    assert "more than one solid-line manager" in by_row[13].reason
    assert "two employers" in by_row[14].reason
    assert "date" in by_row[15].reason
    assert "missing key" in by_row[16].reason
    lines = errors_file.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,column,value,reason"
    assert any(line.startswith("8,title,'=cmd") for line in lines)  # the formula is neutralised in the error file
    chain = clean_db.read("MATCH (p:Person)-[:REPORTS_TO]->(m:Person) RETURN p.name AS p, m.name AS m ORDER BY p")
    assert chain == [{"p": "Bob Lee", "m": "Ada Boss"}, {"p": "Cy Dee", "m": "Bob Lee"}, {"p": "Di Fox", "m": "Bob Lee"}]
    works = clean_db.read("MATCH (p:Person)-[w:WORKS_AT]->(c:Company) RETURN count(p) AS n, collect(DISTINCT c.domain) AS d")
    assert works == [{"n": 4, "d": ["acme.example"]}]
    ada = clean_db.read_one("MATCH (p:Person {email: 'ada@acme.example'}) RETURN p")["p"]
    assert ada["external_ids"] == ["import:1"] and ada["ext_key"] == "import:1" and ada["seniority"] == "unknown"


def test_importing_twice_changes_nothing(clean_db):
    first = run_import("orgchart", fixture("orgchart.csv"))
    before = snapshot(clean_db)
    again = run_import("orgchart", fixture("orgchart.csv"))
    stats = again.stats
    assert (stats.nodes_created, stats.relationships_created, stats.properties_set) == (0, 0, 0)
    assert (again.written, again.unchanged) == (0, first.written)
    assert snapshot(clean_db) == before


def test_changed_row_updates_only_changed_fields_and_moves_close_old_edges(clean_db, tmp_path):
    run_import("orgchart", fixture("orgchart.csv"))
    text = fixture("orgchart.csv").read_text(encoding="utf-8")
    # Cy is promoted (new title), now reports to Ada, and Di moves to Globex on 2025-06-01.
    text = text.replace("3;Cy Dee;cy@acme.example;Engineer;Engineering;2;", "3;Cy Dee;cy@acme.example;Lead;Engineering;1;")
    text = text.replace("4;Di Fox;di@acme.example;Engineer;Engineering;bob@acme.example;Acme;acme.example;2021-03-01",
                        "4;Di Fox;di@acme.example;Engineer;Engineering;bob@acme.example;Globex;globex.example;2025-06-01")
    changed = tmp_path / "orgchart.csv"
    changed.write_text(text, encoding="utf-8")
    s = run_import("orgchart", changed, today=date(2025, 7, 1))
    assert s.written == 2
    assert s.stats.nodes_created == 1  # Globex
    assert s.stats.relationships_closed == 2  # Cy's old manager line and Di's Acme job
    cy = clean_db.read_one("MATCH (p:Person {email: 'cy@acme.example'}) RETURN p.title AS title, p.name AS name")
    assert cy == {"title": "Lead", "name": "Cy Dee"}
    lines = clean_db.read("MATCH (:Person {email: 'cy@acme.example'})-[r:REPORTS_TO]->(m) "
                          "RETURN m.name AS m, r.until AS until ORDER BY m")
    assert [(r["m"], r["until"].to_native() if r["until"] else None) for r in lines] == [
        ("Ada Boss", None), ("Bob Lee", date(2025, 7, 1))]
    jobs = clean_db.read("MATCH (:Person {email: 'di@acme.example'})-[w:WORKS_AT]->(c) "
                         "RETURN c.name AS c, w.until AS until ORDER BY c")
    assert [(r["c"], r["until"].to_native() if r["until"] else None) for r in jobs] == [
        ("Acme", date(2025, 6, 1)), ("Globex", None)]
    # Only the changed property was written on Cy (title) besides the audit stamps.
    again = run_import("orgchart", changed, today=date(2025, 7, 1))
    assert again.stats.properties_set == 0 and again.written == 0


# issue 13: counts every node, so runs on a fresh install (no organisation-wide defaults stored)
@pytest.mark.usefixtures("private_defaults")
def test_strict_writes_nothing_and_dry_run_writes_nothing(clean_db):
    strict = run_import("orgchart", fixture("orgchart.csv"), strict=True)
    assert strict.errors and not strict.committed
    assert clean_db.read_one("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")["n"] == 0
    dry = run_import("orgchart", fixture("orgchart.csv"), dry_run=True)
    assert not dry.committed and dry.mapping.columns["manager"] == "manager" and len(dry.errors) == 11
    assert clean_db.read_one("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")["n"] == 0


def test_chinese_gb18030_orgchart(clean_db):
    s = run_import("orgchart", fixture("orgchart_zh_gb18030.csv"))
    assert (s.written, s.skipped) == (3, 1)
    assert s.errors[0].row == 5 and s.errors[0].column == "邮箱"
    rows = clean_db.read("MATCH (p:Person)-[:REPORTS_TO]->(m) RETURN p.name AS who, m.name AS boss ORDER BY p.email")
    assert rows == [{"who": "李娜", "boss": "王伟"}, {"who": "张敏", "boss": "李娜"}]
    since = clean_db.read_one("MATCH (:Person {name: '王伟'})-[w:WORKS_AT]->(c) RETURN w.since AS s, c.name AS c")
    assert since["s"].to_native() == date(2019, 5, 1) and since["c"] == "华信科技"


def test_map_file(clean_db):
    s = run_import("orgchart", fixture("orgchart_mapped.csv"), map_file=fixture("orgchart_map.yaml"))
    assert s.written == 2 and not s.errors
    row = clean_db.read_one("MATCH (p:Person)-[:REPORTS_TO]->(m) RETURN p.ext_key AS p, m.ext_key AS m")
    assert row == {"p": "sap:P2", "m": "sap:P1"}


def test_hubspot_contacts(clean_db):
    s = run_import("contacts", fixture("contacts_hubspot.csv"))
    assert (s.written, s.skipped) == (3, 1)
    assert s.errors[0].row == 4 and s.errors[0].column == "Phone Number"
    grace = clean_db.read_one("MATCH (p:Person {email: 'grace@navy.example'})-[w:WORKS_AT]->(c) "
                              "RETURN p.name AS name, p.ext_key AS key, p.phones AS phones, c.domain AS domain")
    assert grace == {"name": "Grace Hopper", "key": "hubspot:101", "phones": ["+1 555 0100"], "domain": "navy.example"}


def test_companies_with_parents_and_shares(clean_db):
    s = run_import("companies", fixture("companies.csv"))
    by_row = errors_by_row(s)
    assert "own parent" in by_row[7].reason
    assert "above 100%" in by_row[8].reason and "above 100%" in by_row[9].reason
    assert by_row[10].column == "employees"
    assert "unknown company" in by_row[11].reason
    assert "duplicate key" in by_row[12].reason
    assert s.written == 5
    edges = clean_db.read("MATCH (c:Company)-[r:SUBSIDIARY_OF]->(p) RETURN c.name AS c, p.name AS p, r.share AS share, "
                          "r.kind AS kind ORDER BY c, p")
    assert edges == [
        {"c": "Globex Asia", "p": "Globex Group", "share": 0.6, "kind": "subsidiary"},
        {"c": "Globex Asia", "p": "Initech Holding", "share": 0.3, "kind": "joint_venture"},
        {"c": "Globex Europe", "p": "Globex Group", "share": 1.0, "kind": "subsidiary"},
    ]
    assert run_import("companies", fixture("companies.csv")).stats.properties_set == 0


def test_companies_xlsx_salesforce(clean_db):
    s = run_import("companies", fixture("companies.xlsx"))
    assert s.mapping.source == "salesforce"
    assert [(e.row, e.column) for e in s.errors] == [(4, "Industry")]
    row = clean_db.read_one("MATCH (c:Company)-[r:SUBSIDIARY_OF]->(p:Company) RETURN c.domain AS c, p.domain AS p, r.share AS s")
    assert row == {"c": "umbrella-labs.example", "p": "umbrella.example", "s": 0.8}


def test_deals_tickets_interactions_orders(clean_db):
    run_import("contacts", fixture("contacts_hubspot.csv"), source="crm")
    run_import("companies", fixture("companies.csv"))
    deals = run_import("deals", fixture("deals.json"))
    assert [(e.row, e.reason.split(" (")[0]) for e in deals.errors] == [
        (3, "must be one of economic_buyer, decision_maker, champion, influencer, technical_evaluator, user, "
            "procurement, blocker"), (4, "not a number"), (5, "unknown person")]
    committee = clean_db.read("MATCH (p:Person)-[r:ON_COMMITTEE]->(d:Deal {name: 'Globex ERP'})-[:FOR]->(c) "
                              "RETURN p.name AS p, r.role AS role, c.domain AS c, d.amount AS amount ORDER BY p")
    assert committee == [{"p": "Alan Turing", "role": "economic_buyer", "c": "globex.example", "amount": 250000.0},
                         {"p": "Grace Hopper", "role": "champion", "c": "globex.example", "amount": 250000.0}]
    won = clean_db.read_one("MATCH (d:Deal {name: 'Initech CRM'}) RETURN d.stage AS stage, d.status AS status")
    assert won == {"stage": "closed_won", "status": "won"}
    tickets = run_import("tickets", fixture("tickets.jsonl"))
    assert [e.row for e in tickets.errors] == [3, 4, 5] and tickets.written == 2
    t2 = clean_db.read_one("MATCH (t:Ticket {ext_key: 'import:T2'})-[:RAISED_BY]->(p) RETURN t.status AS s, p.name AS p")
    assert t2 == {"s": "resolved", "p": "Alan Turing"}
    inter = run_import("interactions", fixture("interactions.csv"))
    assert [e.row for e in inter.errors] == [4, 5] and inter.written == 2
    assert clean_db.read_one("MATCH (:Interaction {subject: 'Kick-off'})-[r:INVOLVED]->(p) RETURN count(p) AS n")["n"] == 2
    assert run_import("interactions", fixture("interactions.csv")).stats.nodes_created == 0
    orders = run_import("orders", fixture("orders.csv"))
    assert [e.row for e in orders.errors] == [4, 5] and orders.written == 2
    items = clean_db.read("MATCH (o:Order {number: 'O-1001'})-[c:CONTAINS]->(p:Product) RETURN p.sku AS sku, c.qty AS q ORDER BY sku")
    assert items == [{"sku": "SKU-A", "q": 2}, {"sku": "SKU-B", "q": 1}]
    again = [run_import(k, fixture(f)) for k, f in (("deals", "deals.json"), ("tickets", "tickets.jsonl"),
                                                    ("orders", "orders.csv"))]
    assert all(s.stats.properties_set == 0 and s.stats.relationships_created == 0 for s in again)


def test_bods_ownership(clean_db):
    s = run_import("bods", fixture("bods.json"))
    by_row = errors_by_row(s)
    assert "not in the file" in by_row[6].reason
    assert "above 100%" in by_row[4].reason and "above 100%" in by_row[7].reason
    assert "without a name" in by_row[8].reason
    share = clean_db.read_one("MATCH (p:Person {name: 'Jane Owner'})-[r:OWNS_SHARE]->(c:Company {name: 'Holdco Ltd'}) "
                              "RETURN r.share_min AS lo, r.share_max AS hi, r.direct AS direct, r.since AS since")
    assert (share["lo"], share["hi"], share["direct"], share["since"].to_native()) == (0.25, 0.5, True, date(2018, 1, 1))
    holdco = clean_db.read_one("MATCH (c:Company {name: 'Holdco Ltd'}) RETURN c.external_ids AS ids, c.country AS country")
    assert holdco == {"ids": ["bods:e1", "GB-COH:01234567"], "country": "GB"}
    assert run_import("bods", fixture("bods.json")).stats.properties_set == 0


def test_progress_bar_for_long_imports(clean_db, tmp_path):
    from io import StringIO

    from rich.console import Console

    path = tmp_path / "big.csv"
    lines = ["id,name,email,manager,company"] + [
        f"{i},Person {i},p{i}@big.example,{i // 2 if i > 1 else ''},Big" for i in range(1, 2501)]
    path.write_text("\n".join(lines) + "\n")
    out = StringIO()
    s = run_import("orgchart", path, console=Console(file=out, force_terminal=False, width=120), batch_size=500)
    assert s.written == 2500 and not s.errors
    assert "rows/s" in out.getvalue()
    assert clean_db.read_one("MATCH (:Person)-[r:REPORTS_TO]->() RETURN count(r) AS n")["n"] == 2499


def test_ownership_above_100_percent_with_parents_already_in_the_graph(clean_db, tmp_path):
    run_import("companies", fixture("companies.csv"))  # Globex Asia: 60% Globex Group + 30% Initech
    more = tmp_path / "more.csv"
    more.write_text("id,name,domain,parent,share\nH1,Hooli,hooli.example,,\nG3,Globex Asia,globex.asia,H1,20%\n")
    s = run_import("companies", more)
    assert [(e.row, "other parents in the graph" in e.reason) for e in s.errors] == [(3, True)]
    assert clean_db.read_one("MATCH (:Company {domain: 'globex.asia'})-[r:SUBSIDIARY_OF]->() RETURN count(r) AS n")["n"] == 2


def test_rows_break_the_same_record_rules_as_the_api(clean_db, tmp_path):
    """The importer checks a record's rules with the domain layer's own validators (one set of rules)."""
    src = tmp_path / "tickets.csv"
    src.write_text("id,subject,csat\nT1,Fine,5\nT2,Angry,9\n", encoding="utf-8")
    summary = run_import("tickets", src)
    assert [(e.row, e.column, e.reason) for e in summary.errors] == [(3, "csat", "csat is a score from 1 to 5")]
    companies = tmp_path / "companies.csv"
    companies.write_text("name,employees\nAcme,10\nNegatives,-3\n", encoding="utf-8")
    summary = run_import("companies", companies)
    assert [(e.row, e.column) for e in summary.errors] == [(3, "employees")]
    assert "employees" in summary.errors[0].reason and summary.written == 1
