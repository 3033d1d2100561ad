"""Cypher only the benches run: the hand-written baselines they compare crn against, the samples they
draw and the synthetic data they load. Production code never imports this module (it lives outside crn/).

Imported by the scripts beside it (``python bench/<name>.py`` puts bench/ first on the path).
"""

from __future__ import annotations

from crn.graph.queries.intel import MAX_DEPTH, TIES

# --- the company 360° (bench/graphql_360.py) ---------------------------------------------------------

#: the same data as the bench's GraphQL 360° document, in one round trip, as a skilled developer would
#: write it by hand for this one screen
COMPANY_360_BASELINE = """
MATCH (c:Company {uid: $uid})
CALL (c) {
  OPTIONAL MATCH (c)-[r:SUBSIDIARY_OF]->(p:Company)
  WITH r, p ORDER BY coalesce(r.share, r.share_max, 0) DESC, p.name
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {share: r.share, share_min: r.share_min, share_max: r.share_max,
                 kind: r.kind, since: r.since, until: r.until, company: {uid: p.uid, name: p.name}} END) AS parents
}
CALL (c) {
  OPTIONAL MATCH (c)<-[r:SUBSIDIARY_OF]-(s:Company)
  WITH r, s ORDER BY s.name
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {share: r.share, kind: r.kind,
                 company: {uid: s.uid, name: s.name}} END) AS subsidiaries
}
CALL (c) {
  OPTIONAL MATCH path = (c)-[:SUBSIDIARY_OF*1..12]->(:Company)
    WHERE all(r IN relationships(path) WHERE coalesce(r.share, r.share_min, 1.0) > 0.5
                                           AND (r.until IS NULL OR r.until > date()))
  WITH path ORDER BY length(path) DESC LIMIT 1
  RETURN CASE WHEN path IS NULL THEN [] ELSE [n IN tail(nodes(path)) | {uid: n.uid, name: n.name}] END AS chain
}
CALL (c) {
  MATCH (c)<-[w:WORKS_AT]-(p:Person) WHERE w.until IS NULL OR w.until > date()
  RETURN count(p) AS contacts_total
}
CALL (c) {
  MATCH (c)<-[w:WORKS_AT]-(p:Person) WHERE w.until IS NULL OR w.until > date()
  WITH w, p ORDER BY p.name, p.uid LIMIT 100
  CALL (p) {
    OPTIONAL MATCH (p)-[m:REPORTS_TO]->(boss:Person)
      WHERE coalesce(m.kind, 'solid') <> 'dotted' AND (m.until IS NULL OR m.until > date())
    WITH m, boss ORDER BY m.kind DESC, boss.name LIMIT 1
    RETURN CASE WHEN boss IS NULL THEN null ELSE {uid: boss.uid, name: boss.name} END AS manager
  }
  CALL (p) {
    OPTIONAL MATCH (p)<-[m:REPORTS_TO]-(rep:Person)
      WHERE coalesce(m.kind, 'solid') <> 'dotted' AND (m.until IS NULL OR m.until > date())
    WITH rep ORDER BY rep.name
    RETURN collect({uid: rep.uid, name: rep.name}) AS reports
  }
  RETURN collect({properties: properties(w), uid: p.uid, name: p.name, title: p.title, manager: manager,
                  direct_reports: reports}) AS contacts
}
CALL (c) {
  MATCH (c)<-[:FOR]-(d:Deal) RETURN count(d) AS deals_total
}
CALL (c) {
  MATCH (c)<-[:FOR]-(d:Deal)
  WITH d ORDER BY d.expected_close DESC, d.name, d.uid LIMIT 100
  CALL (d) {
    OPTIONAL MATCH (d)<-[r:ON_COMMITTEE]-(p:Person)
    WITH r, p ORDER BY r.declared DESC, r.confidence DESC, p.name
    RETURN collect(CASE WHEN p IS NULL THEN null ELSE {role: r.role, declared: r.declared, confidence: r.confidence,
                   person: {uid: p.uid, name: p.name, title: p.title}} END) AS committee
  }
  RETURN collect({uid: d.uid, name: d.name, stage: d.stage, status: d.status, amount: d.amount,
                  committee: committee}) AS deals
}
CALL (c) {
  MATCH (c)<-[:FOR]-(t:Ticket) RETURN count(t) AS tickets_total
}
CALL (c) {
  MATCH (c)<-[:FOR]-(t:Ticket)
  WITH t ORDER BY t.opened_at DESC, t.uid LIMIT 100
  OPTIONAL MATCH (t)-[:RAISED_BY]->(p:Person)
  RETURN collect({uid: t.uid, subject: t.subject, status: t.status, sla_due_at: t.sla_due_at,
                  resolved_at: t.resolved_at,
                  raised_by: CASE WHEN p IS NULL THEN null ELSE {uid: p.uid, name: p.name} END}) AS tickets
}
CALL (c) {
  CALL (c) { MATCH (i:Interaction)-[:ABOUT]->(c) RETURN i
             UNION MATCH (i:Interaction)-[:INVOLVED]->(:Person)-[:WORKS_AT]->(c) RETURN i }
  RETURN count(i) AS interactions_total
}
CALL (c) {
  CALL (c) { MATCH (i:Interaction)-[:ABOUT]->(c) RETURN i
             UNION MATCH (i:Interaction)-[:INVOLVED]->(:Person)-[:WORKS_AT]->(c) RETURN i }
  WITH i ORDER BY i.at DESC, i.uid LIMIT 100
  CALL (i) {
    OPTIONAL MATCH (i)-[r:INVOLVED]->(o) WHERE o:Person OR o:User
    WITH r, o ORDER BY o.name
    RETURN collect(CASE WHEN o IS NULL THEN null ELSE {role: r.role, uid: o.uid, name: o.name,
                   is_user: o:User} END) AS participants
  }
  RETURN collect({uid: i.uid, kind: i.kind, at: i.at, subject: i.subject, participants: participants}) AS interactions
}
CALL (c) {
  OPTIONAL MATCH (c)<-[r:ACCOUNT_TEAM]-(u:User)
  WITH r, u ORDER BY r.role, u.name
  RETURN collect(CASE WHEN u IS NULL THEN null ELSE {role: r.role, user: {uid: u.uid, name: u.name,
                 email: u.email}} END) AS account_team
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:BOARD_MEMBER_OF]-(p:Person)
  WITH p ORDER BY p.name
  RETURN collect({uid: p.uid, name: p.name}) AS board_members
}
CALL (c) {
  MATCH (m:Company)-[:SUBSIDIARY_OF*0..12]->(c)
  WITH collect(DISTINCT m) AS members
  CALL (members) {
    UNWIND members AS m
    OPTIONAL MATCH (m)<-[:FOR]-(d:Deal)
    RETURN sum(CASE WHEN d.status = 'open' THEN d.amount ELSE 0 END) AS open_pipeline,
           sum(CASE WHEN d.status = 'open' THEN d.amount * coalesce(d.probability, 0) ELSE 0 END) AS weighted,
           sum(CASE WHEN d.status = 'won' AND d.closed_at >= date() - duration('P12M') THEN d.amount ELSE 0 END) AS won
  }
  CALL (members) {
    UNWIND members AS m
    OPTIONAL MATCH (m)<-[:FOR]-(t:Ticket) WHERE t.status IN ['open', 'pending']
    RETURN count(t) AS open_tickets, count(CASE WHEN t.sla_due_at < datetime() THEN 1 END) AS breaches
  }
  CALL (members) {
    UNWIND members AS m
    OPTIONAL MATCH (m)<-[w:WORKS_AT]-(p:Person) WHERE w.until IS NULL OR w.until > date()
    RETURN count(DISTINCT p) AS contacts
  }
  CALL (members) {
    UNWIND members AS m
    OPTIONAL MATCH (m)<-[:ABOUT]-(i:Interaction)
    RETURN max(i.at) AS last_about
  }
  CALL (members) {
    UNWIND members AS m
    OPTIONAL MATCH (m)<-[:WORKS_AT]-(:Person)<-[:INVOLVED]-(i:Interaction)
    RETURN max(i.at) AS last_involved
  }
  RETURN {companies: size(members), open_pipeline: open_pipeline, weighted_pipeline: weighted, won_revenue_12m: won,
          open_tickets: open_tickets, sla_breaches: breaches, contacts: contacts,
          last_interaction_at: CASE WHEN last_about IS NULL OR last_involved > last_about THEN last_involved
                                    ELSE last_about END} AS rollup
}
RETURN c {.*} AS company, parents, subsidiaries, chain, contacts_total, contacts, deals_total, deals, tickets_total,
       tickets, interactions_total, interactions, account_team, board_members, rollup
"""

#: companies with their number of current contacts (the bench picks typical accounts among them).
COMPANY_SIZES = """
MATCH (c:Company)
RETURN c.uid AS uid,
       COUNT { (c)<-[w:WORKS_AT]-(:Person) WHERE w.until IS NULL OR w.until > date() } AS contacts,
       COUNT { (c)<-[:FOR]-(:Deal) } AS deals
"""

# --- the demo load (bench/demo_load.py) ------------------------------------------------------------------

#: the raw speed of creating plain nodes, in the same batch size.
BASELINE_CREATE = "UNWIND range($start, $end) AS i CREATE (:CrnBenchBaseline {i: i, uid: toString(i)})"
BASELINE_DELETE = "MATCH (n:CrnBenchBaseline) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS"
SERVER_VERSION = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"

# --- the org-chart import (bench/import_orgchart.py) -----------------------------------------------------

#: Neo4j's own bulk path (LOAD CSV), the baseline of the org-chart import
LOAD_CSV_ORGCHART_PEOPLE = (
    "LOAD CSV WITH HEADERS FROM $url AS row "
    "CALL (row) { "
    "  MERGE (c:Company {name: row.company}) ON CREATE SET c.uid = randomUUID(), c.created_at = datetime() "
    "  MERGE (p:Person {ext_key: 'import:' + row.employee_id}) "
    "  ON CREATE SET p.uid = randomUUID(), p.created_at = datetime(), p.external_ids = ['import:' + row.employee_id] "
    "  SET p.name = row.name, p.email = row.email, p.title = row.title, p.department = row.department, "
    "      p.updated_at = datetime() "
    "  MERGE (p)-[w:WORKS_AT]->(c) SET w.title = row.title, w.department = row.department, w.since = date(row.since) "
    "} IN TRANSACTIONS OF $batch ROWS"
)
LOAD_CSV_ORGCHART_MANAGERS = (
    "LOAD CSV WITH HEADERS FROM $url AS row WITH row WHERE row.manager IS NOT NULL AND row.manager <> '' "
    "CALL (row) { "
    "  MATCH (p:Person {ext_key: 'import:' + row.employee_id}) MATCH (m:Person {ext_key: 'import:' + row.manager}) "
    "  MERGE (p)-[r:REPORTS_TO]->(m) SET r.kind = 'solid', r.since = date(row.since) "
    "} IN TRANSACTIONS OF $batch ROWS"
)

# --- relationship intelligence (bench/intel_*.py) --------------------------------------------------------

#: only the ownership edges of a company's component (the Cypher baseline of the roll-up bench)
FAMILY_ROLLUP_BASELINE = """
MATCH (root:Company {uid: $uid})
MATCH (c:Company)-[:SUBSIDIARY_OF*0..12]->(root)
WITH DISTINCT root, c
OPTIONAL MATCH (d:Deal)-[:FOR]->(c) WHERE d.status = 'open'
RETURN count(DISTINCT c) AS companies, sum(coalesce(d.amount, 0.0)) AS open_pipeline
"""

_SHORTEST_TEMPLATE = """
CALL () {{ MATCH (s:User) WHERE s.uid IN $sources RETURN s UNION MATCH (s:Person) WHERE s.uid IN $sources RETURN s }}
MATCH (t:Person) WHERE t.uid IN $targets
MATCH p = SHORTEST {k} (s)-[:{ties}]-{{1,{depth}}}(t)
RETURN [n IN nodes(p) | n.uid] AS uids, length(p) AS hops
LIMIT {k}
"""

#: Cypher's own k shortest paths by hop count (the baseline of the intro-path bench), by (k, depth)
SHORTEST_BY_K_DEPTH = {(k, d): _SHORTEST_TEMPLATE.format(ties=TIES, depth=d, k=k)
                       for k in range(1, 6) for d in range(1, 2 * MAX_DEPTH + 1)}

#: hand-written Cypher baseline of a committee: declared members, or everyone engaged on the deal, with titles
COMMITTEE_BASELINE = """
MATCH (d:Deal {uid: $deal})-[:FOR]->(c:Company)
MATCH (p:Person)-[w:WORKS_AT]->(c) WHERE w.until IS NULL
OPTIONAL MATCH (p)-[oc:ON_COMMITTEE]->(d)
WITH d, p, w, oc, COUNT { (p)<-[:INVOLVED]-(:Interaction)-[:ABOUT]->(d) } AS touches
WHERE oc IS NOT NULL OR touches > 0
RETURN p.uid AS person, coalesce(oc.role, CASE WHEN p.seniority IN ['c_level', 'vp'] THEN 'economic_buyer'
       WHEN touches >= 6 THEN 'champion' ELSE 'influencer' END) AS role, w.title AS title, touches
ORDER BY touches DESC
"""

#: hand-written Cypher baseline of the strength refresh: count and last touch per user-person pair, one pass
STRENGTH_BASELINE = """
MATCH (u:User)<-[:INVOLVED]-(i:Interaction)-[:INVOLVED]->(p:Person)
WITH u, p, count(i) AS n, max(i.at) AS last
RETURN count(*) AS pairs, sum(n) AS touches
"""

SAMPLE_PEOPLE = """
MATCH (p:Person)-[w:WORKS_AT]->(:Company) WHERE w.until IS NULL
WITH p ORDER BY p.uid SKIP $skip LIMIT $n
RETURN p.uid AS uid
"""

SAMPLE_USERS = "MATCH (u:User) RETURN u.uid AS uid ORDER BY u.uid"

SAMPLE_OPEN_DEALS = """
MATCH (d:Deal) WHERE d.status = 'open'
RETURN d.uid AS uid ORDER BY d.uid LIMIT $n
"""

LARGEST_FAMILIES = """
MATCH (root:Company) WHERE NOT (root)-[:SUBSIDIARY_OF]->()
MATCH (c:Company)-[:SUBSIDIARY_OF*0..12]->(root)
WITH root, count(DISTINCT c) AS size
RETURN root.uid AS uid, root.name AS name, size ORDER BY size DESC LIMIT $n
"""

#: a synthetic family for the roll-up bench: companies (uid, parent, share), each with a deal, a ticket, two contacts
BENCH_FAMILY_CREATE = """
UNWIND $rows AS r
CREATE (c:Company {uid: r.uid, name: r.uid, country: r.country, tags: ['bench-family']})
CREATE (:Deal {uid: r.uid + '-d', name: 'bench', amount: 1000.0, probability: 0.5, status: 'open',
               stage: 'proposal', tags: ['bench-family']})-[:FOR]->(c)
CREATE (:Ticket {uid: r.uid + '-t', subject: 'bench', status: 'open', tags: ['bench-family']})-[:FOR]->(c)
CREATE (:Person {uid: r.uid + '-p1', name: 'bench', tags: ['bench-family']})-[:WORKS_AT]->(c)
CREATE (:Person {uid: r.uid + '-p2', name: 'bench', tags: ['bench-family']})-[:WORKS_AT]->(c)
"""

BENCH_FAMILY_LINK = """
UNWIND $rows AS r
MATCH (c:Company {uid: r.uid}), (p:Company {uid: r.parent})
CREATE (c)-[:SUBSIDIARY_OF {share: r.share, kind: 'subsidiary'}]->(p)
"""

BENCH_FAMILY_DELETE = """
MATCH (n) WHERE (n:Company OR n:Deal OR n:Ticket OR n:Person) AND 'bench-family' IN n.tags
DETACH DELETE n
"""


# --- bench/activity_bench.py ------------------------------------------------------------------------------

# a typical account: the company whose number of current contacts is the median of those with any
ACTIVITY_ACCOUNT = """
MATCH (c:Company)<-[w:WORKS_AT]-(:Person) WHERE w.until IS NULL
WITH c, count(*) AS contacts ORDER BY contacts, c.uid
WITH collect({uid: c.uid, name: c.name, contacts: contacts}) AS accounts
WITH accounts[size(accounts) / 2] AS median
RETURN median.uid AS uid, median.name AS name, median.contacts AS contacts
"""

ACTIVITY_CLEANUP = """
MATCH (i:Interaction) WHERE i.subject STARTS WITH $prefix
DETACH DELETE i
RETURN count(*) AS removed
"""
