"""Loading the demo network into the real Neo4j: counts, shape, idempotence and determinism."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date

import pytest

from crn.demo import loader
from crn.demo.generator import DemoGenerator

AS_OF = date(2026, 6, 30)


def _snapshot(db) -> tuple[list[tuple], list[tuple]]:
    """Sorted (uid, labels, property hash) of every node and (from, type, to, hash) of every relationship."""

    def digest(props: dict) -> str:
        return hashlib.sha256(json.dumps(props, sort_keys=True, default=str).encode()).hexdigest()

    nodes = sorted((r["uid"], tuple(sorted(r["labels"])), digest(r["props"]))
                   for r in db.read("MATCH (n) WHERE NOT n:Migration RETURN n.uid AS uid, labels(n) AS labels, properties(n) AS props"))
    rels = sorted((r["a"], r["t"], r["b"], digest(r["props"])) for r in db.read(
        "MATCH (a)-[r]->(b) RETURN a.uid AS a, type(r) AS t, b.uid AS b, properties(r) AS props"))
    return nodes, rels


# issue 13: counts every node, so runs on a fresh install (no organisation-wide defaults stored)
@pytest.mark.usefixtures("private_defaults")
def test_load_twice_adds_nothing_and_same_seed_gives_the_same_graph(clean_db, tmp_path):
    assert loader.database_is_empty()
    first = loader.load(size="small", seed=11, answers_path=tmp_path / "a.json", as_of=AS_OF)
    assert not first.merged and not loader.database_is_empty()
    snapshot = _snapshot(clean_db)
    again = loader.load(size="small", seed=11, answers_path=tmp_path / "b.json", as_of=AS_OF)
    assert again.merged
    assert _snapshot(clean_db) == snapshot  # no duplicates, nothing changed
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()
    clean_db.run_in_auto_commit("MATCH (n) WHERE NOT n:Migration CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")
    loader.load(size="small", seed=11, answers_path=tmp_path / "c.json", as_of=AS_OF)
    assert _snapshot(clean_db) == snapshot  # a fresh load of the same seed: identical uids and properties


def test_database_is_empty_ignores_foreign_data(clean_db):
    clean_db.write("CREATE (:SomethingElse {x: 1})")
    assert loader.database_is_empty()
    clean_db.write("CREATE (:Company {uid: 'c1', name: 'Acme'})")
    assert not loader.database_is_empty()


# The checks below share one small load (they only read).

@pytest.fixture(scope="module")
def network(graph, tmp_path_factory):
    from tests.conftest import wipe

    wipe(graph)
    path = tmp_path_factory.mktemp("demo") / "answers.json"
    summary = loader.load(size="small", seed=7, answers_path=path, as_of=AS_OF)
    yield summary, json.loads(path.read_text())
    wipe(graph)


def test_counts_match_the_generator(network, graph):
    summary, _ = network
    gen = DemoGenerator("small", 7, AS_OF)
    labels, types = Counter(), Counter()
    for batch in gen.batches():
        if batch.is_relationship:
            types[batch.kind[1]] += len(batch.rows)
        else:
            for label in batch.kind.split(":"):
                labels[label] += len(batch.rows)
    nodes, rels = loader.database_counts()
    assert {k: v for k, v in nodes.items() if v} == dict(labels)
    assert {k: v for k, v in rels.items() if v} == dict(types)
    assert summary.nodes_written == sum(v for k, v in labels.items() if k != "Customer")
    assert summary.relationships_written == sum(types.values())


def test_summary_table_renders(network):
    from rich.console import Console

    summary, _ = network
    console = Console(record=True, width=120)
    console.print(summary.table())
    text = console.export_text()
    assert ":Company" in text and "[:SUBSIDIARY_OF]" in text and "nodes/s" in text


def test_every_company_reaches_an_ultimate_parent(network, graph):
    _, answers = network
    stranded = graph.read("""
        MATCH (c:Company)
        WHERE NOT EXISTS { MATCH (c)-[:SUBSIDIARY_OF*0..10]->(top:Company) WHERE NOT (top)-[:SUBSIDIARY_OF]->() }
        RETURN c.uid AS uid""")
    assert {r["uid"] for r in stranded} <= set(answers["cycle"])
    roots = {r["uid"] for r in graph.read("MATCH (c:Company) WHERE NOT (c)-[:SUBSIDIARY_OF]->() RETURN c.uid AS uid")}
    assert set(answers["families"]) <= roots
    deep = graph.read_one("MATCH p = (:Company)-[:SUBSIDIARY_OF*2..]->(:Company) RETURN count(p) > 0 AS deep")
    assert deep["deep"]


def test_joint_ventures_have_two_half_owners(network, graph):
    _, answers = network
    for jv in answers["joint_ventures"]:
        rows = graph.read("MATCH (:Company {uid: $uid})-[r:SUBSIDIARY_OF {kind: 'joint_venture'}]->(o) "
                          "RETURN o.uid AS owner, r.share AS share", uid=jv["uid"])
        assert sorted(r["owner"] for r in rows) == sorted(jv["owners"])
        assert [r["share"] for r in rows] == [0.5, 0.5]


def test_the_planted_cycle_exists(network, graph):
    _, answers = network
    cycle = answers["cycle"]
    row = graph.read_one("""
        MATCH (a:Company {uid: $a})-[:SUBSIDIARY_OF]->(b:Company {uid: $b})-[:SUBSIDIARY_OF]->(c:Company {uid: $c})
              -[:SUBSIDIARY_OF]->(a)
        RETURN count(*) AS n""", a=cycle[0], b=cycle[1], c=cycle[2])
    assert row["n"] == 1
    cycles = graph.read_one("MATCH p = (c:Company)-[:SUBSIDIARY_OF*1..12]->(c) RETURN count(DISTINCT c) AS n")
    assert cycles["n"] == 3  # exactly one cycle, of three companies


def test_org_charts_are_trees_plus_dotted_lines(network, graph):
    two_managers = graph.read_one("""
        MATCH (p:Person)-[r:REPORTS_TO {kind: 'solid'}]->() WHERE r.until IS NULL
        WITH p, count(r) AS n WHERE n > 1 RETURN count(p) AS n""")
    assert two_managers["n"] == 0
    solid_cycle = graph.read_one("""
        MATCH p = (a:Person)-[rs:REPORTS_TO*1..12]->(a) WHERE all(r IN rs WHERE r.kind = 'solid')
        RETURN count(p) AS n""")
    assert solid_cycle["n"] == 0
    ceos = graph.read_one("""
        MATCH (p:Person)-[w:WORKS_AT]->(c:Company) WHERE w.until IS NULL AND NOT (p)-[:REPORTS_TO {kind: 'solid'}]->()
        RETURN count(p) AS heads, count(DISTINCT c) AS companies""")
    assert ceos["heads"] == ceos["companies"]  # one head (the CEO) per company
    dotted = graph.read_one("MATCH ()-[r:REPORTS_TO {kind: 'dotted'}]->() RETURN count(r) AS n")
    assert dotted["n"] > 0
    same_company = graph.read_one("""
        MATCH (p:Person)-[:REPORTS_TO {kind: 'solid'}]->(m:Person), (p)-[w:WORKS_AT]->(c:Company)
        WHERE w.until IS NULL AND NOT EXISTS { MATCH (m)-[w2:WORKS_AT]->(c) WHERE w2.until IS NULL }
        RETURN count(p) AS n""")
    assert same_company["n"] == 0


def test_employment_history_and_seniority(network, graph):
    row = graph.read_one("""
        MATCH (p:Person)-[old:WORKS_AT]->(), (p)-[now:WORKS_AT]->()
        WHERE old.until IS NOT NULL AND now.until IS NULL AND old.until <= now.since
        RETURN count(DISTINCT p) AS n""")
    assert row["n"] > 0
    seniority = {r["s"] for r in graph.read("MATCH (p:Person)-[:WORKS_AT]->() RETURN DISTINCT p.seniority AS s")}
    assert seniority == {"c_level", "vp", "director", "manager", "staff"}
    typed = graph.read_one("MATCH (p:Person)-[w:WORKS_AT]->() RETURN valueType(w.since) AS t, "
                           "valueType(p.created_at) AS c LIMIT 1")
    assert typed["t"].startswith("DATE") and typed["c"].startswith("ZONED DATETIME")


def test_customer_label_matches_won_deals_and_orders(network, graph):
    expected = {r["uid"] for r in graph.read("""
        MATCH (x) WHERE (x:Company OR x:Person)
          AND (EXISTS { MATCH (:Deal {status: 'won'})-[:FOR]->(x) } OR EXISTS { MATCH (:Order)-[:PLACED_BY]->(x) })
        RETURN x.uid AS uid""")}
    labelled = {r["uid"] for r in graph.read("MATCH (x:Customer) RETURN x.uid AS uid")}
    assert expected and labelled == expected


def test_only_declared_roles_are_in_the_graph(network, graph):
    _, answers = network
    edges = graph.read("MATCH (p:Person)-[r:ON_COMMITTEE]->(d:Deal) "
                       "RETURN p.uid AS p, d.uid AS d, r.role AS role, r.declared AS declared")
    declared = {(p, d) for d, deal in answers["deals"].items() for p in deal["declared"]}
    assert {(e["p"], e["d"]) for e in edges} == declared
    assert all(e["declared"] and e["role"] == answers["deals"][e["d"]]["committee"][e["p"]] for e in edges)
    with_edges = graph.read_one("MATCH (d:Deal) RETURN count(d) AS all, "
                                "count { MATCH (d2:Deal) WHERE (d2)<-[:ON_COMMITTEE]-() } AS declared")
    assert 0 < with_edges["declared"] < with_edges["all"]


def test_deals_at_every_stage_with_owners_and_tickets_with_sla_outcomes(network, graph):
    from crn.graph.models import STAGES

    stages = {r["s"] for r in graph.read("MATCH (d:Deal)-[:FOR]->(:Company) WHERE (:User)-[:OWNS]->(d) "
                                         "RETURN DISTINCT d.stage AS s")}
    assert stages == set(STAGES)
    sla = graph.read_one("""
        MATCH (u:User)-[:ASSIGNED]->(t:Ticket)-[:FOR]->(:Company), (t)-[:RAISED_BY]->(:Person)
        RETURN count(t) AS n, count(CASE WHEN t.resolved_at > t.sla_due_at THEN 1 END) AS breached,
               count(CASE WHEN t.resolved_at <= t.sla_due_at THEN 1 END) AS met""")
    assert sla["n"] > 0 and sla["breached"] > 0 and sla["met"] > sla["breached"]
