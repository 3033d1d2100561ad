"""Cypher for relationship intelligence: projections of families, networks, committees and histories.

Variable-length bounds cannot be parameters in Cypher, so the few queries that need one are built
per depth from fixed fragments (``*_BY_DEPTH``, depth 1..6); no user value is ever formatted in.
"""

from __future__ import annotations

from crn.graph.queries.access import readable

MAX_DEPTH = 6

#: the corporate family around a company (its ownership component) with every member's figures; the amounts
#: sum only the deals the viewer may read (enforce, issue 13)
CORPORATE_FAMILY = f"""
MATCH (start:Company {{uid: $uid}})
OPTIONAL MATCH (start)-[:SUBSIDIARY_OF*1..12]-(m:Company)
WITH start, collect(DISTINCT m) AS others
UNWIND [start] + others AS c
WITH DISTINCT c
CALL (c) {{
  OPTIONAL MATCH (c)-[r:SUBSIDIARY_OF]->(p:Company)
  RETURN collect(CASE WHEN p IS NULL THEN NULL ELSE {{parent: p.uid, share: r.share, share_min: r.share_min,
         share_max: r.share_max, since: r.since, until: r.until, kind: r.kind}} END) AS parents
}}
CALL (c) {{
  OPTIONAL MATCH (d:Deal)-[:FOR]->(c) WHERE {readable('d', 'Deal')}
  RETURN count(d) AS deals,
         sum(CASE WHEN d.status = 'open' THEN coalesce(d.amount, 0.0) ELSE 0.0 END) AS open_pipeline,
         sum(CASE WHEN d.status = 'open' THEN coalesce(d.amount, 0.0) * coalesce(d.probability, 0.0) ELSE 0.0 END)
           AS weighted_pipeline,
         sum(CASE WHEN d.status = 'won' AND d.closed_at >= $won_since THEN coalesce(d.amount, 0.0) ELSE 0.0 END)
           AS won_revenue_12m
}}
CALL (c) {{
  OPTIONAL MATCH (t:Ticket)-[:FOR]->(c)
  RETURN sum(CASE WHEN t.status IN ['open', 'pending'] THEN 1 ELSE 0 END) AS open_tickets,
         sum(CASE WHEN (t.status IN ['open', 'pending'] AND t.sla_due_at < $now)
                    OR (t.resolved_at IS NOT NULL AND t.resolved_at > t.sla_due_at) THEN 1 ELSE 0 END) AS sla_breaches
}}
CALL (c) {{
  OPTIONAL MATCH (p:Person)-[w:WORKS_AT]->(c) WHERE w.until IS NULL
  WITH DISTINCT p
  RETURN count(p) AS contacts,
         sum(CASE WHEN p IS NOT NULL AND EXISTS {{ (:User)-[:KNOWS]->(p) }} THEN 1 ELSE 0 END) AS known_contacts
}}
CALL (c) {{
  OPTIONAL MATCH (i:Interaction)-[:ABOUT]->(c)
  RETURN max(i.at) AS last_interaction_at
}}
RETURN c.uid AS uid, c.name AS name, c.country AS country, parents, deals, open_pipeline, weighted_pipeline,
       won_revenue_12m, open_tickets, sla_breaches, contacts, known_contacts, last_interaction_at
"""

#: who binds companies: board seats, executives (C-level / VP) and minority owners (company or person)
AFFILIATIONS = """
CALL () {
  MATCH (p:Person)-[b:BOARD_MEMBER_OF]->(c:Company) WHERE b.until IS NULL
  RETURN p.uid AS binder, p.name AS label, 'board' AS kind, c.uid AS company
  UNION
  MATCH (p:Person)-[w:WORKS_AT]->(c:Company) WHERE w.until IS NULL AND p.seniority IN ['c_level', 'vp']
  RETURN p.uid AS binder, p.name AS label, 'executive' AS kind, c.uid AS company
  UNION
  MATCH (c:Company)-[s:SUBSIDIARY_OF]->(o:Company)
  WHERE s.until IS NULL AND coalesce(s.share, (coalesce(s.share_min, 0.0) + coalesce(s.share_max, 1.0)) / 2) <= $threshold
  RETURN o.uid AS binder, o.name AS label, 'owner' AS kind, c.uid AS company
  UNION
  MATCH (o:Person)-[s:OWNS_SHARE]->(c:Company) WHERE s.until IS NULL AND coalesce(s.share, 0.0) <= $threshold
  RETURN o.uid AS binder, o.name AS label, 'owner' AS kind, c.uid AS company
}
RETURN binder, label, kind, company
"""

#: every ownership link in force (to tell families apart when looking for implicit groups)
ALL_OWNERSHIP = """
MATCH (c:Company)-[s:SUBSIDIARY_OF]->(p:Company) WHERE s.until IS NULL
RETURN c.uid AS child, p.uid AS parent, s.share AS share, s.share_min AS share_min, s.share_max AS share_max,
       s.kind AS kind
"""

COMPANY_NAMES = """
UNWIND $uids AS uid
MATCH (c:Company {uid: uid})
RETURN c.uid AS uid, c.name AS name, c.country AS country
"""

#: the relationship types an introduction path may follow (also the intro-path bench's baseline)
TIES = "KNOWS|WORKS_AT|REPORTS_TO|BOARD_MEMBER_OF"

_NETWORK_TEMPLATE = """
CALL () {{ MATCH (s:User) WHERE s.uid IN $sources RETURN s UNION MATCH (s:Person) WHERE s.uid IN $sources RETURN s }}
CALL () {{ MATCH (t:Person) WHERE t.uid IN $targets RETURN t UNION MATCH (t:Company) WHERE t.uid IN $targets RETURN t }}
CALL (s, t) {{
  MATCH p = SHORTEST {paths} (s)-[:{ties}]-{{1,{depth}}}(t)
  RETURN nodes(p) AS on_path
}}
UNWIND on_path AS n
WITH DISTINCT n
WITH collect(n) AS ns
UNWIND ns AS n
OPTIONAL MATCH (n)-[r:{ties}]->(m) WHERE m IN ns
RETURN n.uid AS uid, CASE WHEN n:User THEN 'User' WHEN n:Person THEN 'Person' ELSE 'Company' END AS type,
       n.name AS name, n.title AS title,
       collect(CASE WHEN m IS NULL THEN NULL ELSE {{to: m.uid, type: type(r), strength: r.strength,
               parts: r.strength_parts, since: r.since, until: r.until, kind: r.kind}} END) AS ties
"""

#: how many hop-shortest paths per (source, target) pair the intro-path network is built from
NETWORK_PATHS = 40

#: the relationship network around the NETWORK_PATHS hop-shortest paths between each source and each
#: target (person or company), up to ``depth`` relationship edges, with every tie among their nodes
NETWORK_BY_DEPTH = {d: _NETWORK_TEMPLATE.format(ties=TIES, depth=d, paths=NETWORK_PATHS)
                    for d in range(1, 2 * MAX_DEPTH + 1)}


#: current employees of a company (targets for "anyone at a company")
COMPANY_PEOPLE = """
MATCH (p:Person)-[w:WORKS_AT]->(c:Company {uid: $uid}) WHERE w.until IS NULL
RETURN DISTINCT p.uid AS uid
"""

#: the users on a company's account team (and on its deals)
ACCOUNT_TEAM_OF_PEOPLE = """
UNWIND $targets AS uid
CALL (uid) {
  MATCH (:Person {uid: uid})-[w:WORKS_AT]->(c:Company) WHERE w.until IS NULL RETURN c
  UNION MATCH (c:Company {uid: uid}) RETURN c
}
MATCH (u:User)-[:ACCOUNT_TEAM]->(c)
RETURN DISTINCT u.uid AS uid
"""

ALL_ACTIVE_USERS = "MATCH (u:User) WHERE coalesce(u.active, true) RETURN u.uid AS uid"

NODE_TYPES = """
UNWIND $uids AS uid
CALL (uid) {
  MATCH (n:User {uid: uid}) RETURN n, 'User' AS type
  UNION MATCH (n:Person {uid: uid}) RETURN n, 'Person' AS type
  UNION MATCH (n:Company {uid: uid}) RETURN n, 'Company' AS type
  UNION MATCH (n:Deal {uid: uid}) RETURN n, 'Deal' AS type
}
RETURN n.uid AS uid, type, n.name AS name
"""

#: everything a buying committee needs, for a deal (``$deal``) or an account (``$company``)
ACCOUNT_NETWORK = """
OPTIONAL MATCH (deal:Deal {uid: $deal})-[:FOR]->(dc:Company)
OPTIONAL MATCH (ac:Company {uid: $company})
WITH deal, coalesce(dc, ac) AS c
WHERE c IS NOT NULL
CALL (c, deal) {
  MATCH (p:Person)-[w:WORKS_AT]->(c) WHERE w.until IS NULL
  WITH DISTINCT p, w
  OPTIONAL MATCH (p)-[oc:ON_COMMITTEE]->(other:Deal) WHERE oc.declared = true AND (deal IS NULL OR other <> deal)
  WITH p, w, [r IN collect(oc.role) WHERE r IS NOT NULL] AS past_roles
  OPTIONAL MATCH (p)-[cur:ON_COMMITTEE]->(deal) WHERE cur.declared = true
  WITH p, w, past_roles, cur,
       CASE WHEN deal IS NULL THEN [] ELSE [(p)<-[:INVOLVED]-(i:Interaction)-[:ABOUT]->(deal) | i.kind] END AS kinds
  RETURN collect({uid: p.uid, name: p.name, title: coalesce(w.title, p.title), seniority: p.seniority,
                  department: coalesce(w.department, p.department), past_roles: past_roles,
                  declared: cur.role, deal_touches: size(kinds),
                  deal_meetings: size([k IN kinds WHERE k IN ['meeting', 'visit']])}) AS people, collect(p) AS ps
}
CALL (c, deal) {
  OPTIONAL MATCH (u:User)-[:ACCOUNT_TEAM]->(c)
  WITH collect(DISTINCT u) AS a
  OPTIONAL MATCH (o:User)-[:OWNS]->(deal)
  WITH a, collect(DISTINCT o) AS owners
  WITH a + owners AS team
  UNWIND team AS u
  WITH DISTINCT u WHERE u IS NOT NULL
  RETURN collect({uid: u.uid, name: u.name}) AS team
}
CALL (ps) {
  UNWIND ps AS p
  OPTIONAL MATCH (p)-[r:REPORTS_TO|KNOWS]->(q:Person) WHERE q IN ps AND (r.until IS NULL OR type(r) = 'KNOWS')
  WITH collect(CASE WHEN q IS NULL THEN NULL ELSE {a: p.uid, b: q.uid, type: type(r), strength: r.strength} END)
       AS internal
  RETURN internal
}
CALL (ps) {
  UNWIND ps AS p
  MATCH (x)-[k:KNOWS]-(p) WHERE (x:User OR x:Person) AND NOT x IN ps
  RETURN collect({a: x.uid, a_type: CASE WHEN x:User THEN 'User' ELSE 'Person' END, a_name: x.name,
                  b: p.uid, strength: k.strength, parts: k.strength_parts,
                  via_users: CASE WHEN x:User THEN [] ELSE [(u:User)-[k2:KNOWS]->(x) | {uid: u.uid, name: u.name,
                             strength: k2.strength}] END}) AS external
}
CALL (ps) {
  UNWIND ps AS p
  MATCH (p)<-[:INVOLVED]-(i:Interaction)
  WITH i, collect(p.uid) AS present, count(p) AS n
  WITH i, present, n, EXISTS { (i)-[:INVOLVED]->(:User) } AS with_us
  RETURN collect({present: present, with_us: with_us, kind: i.kind}) AS meetings
}
RETURN c.uid AS company, c.name AS company_name, deal.uid AS deal, people, team, internal, external, meetings
"""

#: every interaction with its participants (full strength refresh)
ALL_INTERACTIONS = """
MATCH (i:Interaction)
OPTIONAL MATCH (i)-[:INVOLVED]->(u:User)
WITH i, collect(u.uid) AS users
OPTIONAL MATCH (i)-[:INVOLVED]->(p:Person)
RETURN i.at AS at, i.kind AS kind, i.direction AS direction, users, collect(p.uid) AS people
"""

#: the interactions shared by the participants of one interaction (incremental strength refresh)
INTERACTIONS_OF_PARTICIPANTS = """
MATCH (i:Interaction {uid: $uid})-[:INVOLVED]->(x)
WITH collect(DISTINCT x) AS xs
UNWIND xs AS x
MATCH (x)<-[:INVOLVED]-(j:Interaction)
WITH DISTINCT j, xs
MATCH (j)-[:INVOLVED]->(y) WHERE y IN xs
WITH j, collect(DISTINCT y) AS ys
WHERE size(ys) >= 2
RETURN j.at AS at, j.kind AS kind, j.direction AS direction,
       [y IN ys WHERE y:User | y.uid] AS users, [y IN ys WHERE y:Person | y.uid] AS people
"""

#: write strengths of user -> person pairs (batched)
WRITE_USER_STRENGTH = """
UNWIND $rows AS row
MATCH (a:User {uid: row.a})
MATCH (b:Person {uid: row.b})
MERGE (a)-[k:KNOWS]->(b)
ON CREATE SET k.origin = 'interactions', k.since = row.since
SET k.strength = row.strength, k.strength_parts = row.parts, k.strength_at = $at
"""

#: write strengths of person - person pairs (batched; either direction matches)
WRITE_PERSON_STRENGTH = """
UNWIND $rows AS row
MATCH (a:Person {uid: row.a})
MATCH (b:Person {uid: row.b})
MERGE (a)-[k:KNOWS]-(b)
ON CREATE SET k.origin = 'interactions', k.since = row.since
SET k.strength = row.strength, k.strength_parts = row.parts, k.strength_at = $at
"""

_A_AND_B = """
CALL () { MATCH (a:User {uid: $a}) RETURN a UNION MATCH (a:Person {uid: $a}) RETURN a }
CALL () { MATCH (b:User {uid: $b}) RETURN b UNION MATCH (b:Person {uid: $b}) RETURN b }
"""

#: the stored strength between two nodes (either direction)
STRENGTH_BETWEEN = _A_AND_B + """
MATCH (a)-[k:KNOWS]-(b)
RETURN k.strength AS strength, k.strength_parts AS parts, k.strength_at AS strength_at
LIMIT 1
"""

#: interactions two nodes share (to explain a strength live)
SHARED_INTERACTIONS = _A_AND_B + """
MATCH (a)<-[:INVOLVED]-(i:Interaction)-[:INVOLVED]->(b)
RETURN i.at AS at, i.kind AS kind, i.direction AS direction
"""

#: the people network of a scope for the influence report: people, their ties, and our users' ties
INFLUENCE_NETWORK = """
CALL () {
  MATCH (c:Company) WHERE $scope = 'all' OR c.uid IN $companies
  MATCH (p:Person)-[w:WORKS_AT]->(c) WHERE w.until IS NULL
  RETURN DISTINCT p, c
}
WITH collect(p) AS ps, collect({p: p.uid, company: c.name, company_uid: c.uid}) AS jobs
CALL (ps) {
  UNWIND ps AS p
  MATCH (p)-[r:KNOWS|REPORTS_TO]-(q)
  WHERE q:User OR EXISTS { MATCH (q:Person)-[w:WORKS_AT]->(c2:Company)
                           WHERE w.until IS NULL AND ($scope = 'all' OR c2.uid IN $companies) }
  RETURN collect(DISTINCT {a: startNode(r).uid, b: endNode(r).uid, type: type(r), strength: r.strength,
         a_type: CASE WHEN startNode(r):User THEN 'User' ELSE 'Person' END}) AS ties
}
CALL (ps) {
  MATCH (u:User) WHERE $scope = 'all' OR EXISTS { MATCH (u)-[:KNOWS]->(x) WHERE x IN ps }
  RETURN collect({uid: u.uid, name: u.name}) AS users
}
RETURN [p IN ps | {uid: p.uid, name: p.name, title: p.title}] AS people, jobs, ties, users
"""

#: user -> person interaction histories in a scope (relationship decay)
SCOPE_HISTORIES = """
MATCH (c:Company) WHERE $scope = 'all' OR c.uid IN $companies
MATCH (p:Person)-[w:WORKS_AT]->(c) WHERE w.until IS NULL
WITH DISTINCT p
MATCH (u:User)<-[:INVOLVED]-(i:Interaction)-[:INVOLVED]->(p)
RETURN u.uid AS user, u.name AS user_name, p.uid AS person, p.name AS person_name,
       collect({at: i.at, kind: i.kind, direction: i.direction}) AS touches
"""


# ---- enforce (issue 13): what an analysis may show the viewer ---------------------------------------------

#: per uid (a company, person or user named by an analysis): whether the viewer may read it and, for a person,
#: their current employer's name when the viewer may read that company
VISIBILITY = f"""
UNWIND $uids AS uid
OPTIONAL MATCH (c:Company {{uid: uid}})
OPTIONAL MATCH (p:Person {{uid: uid}})
CALL (p) {{
  OPTIONAL MATCH (p)-[w:WORKS_AT]->(e:Company) WHERE w.until IS NULL OR w.until > date()
  WITH e, w ORDER BY w.since DESC
  WITH collect(e)[0] AS e
  RETURN CASE WHEN e IS NOT NULL AND {readable('e', 'Company')} THEN e.name END AS employer
}}
RETURN uid,
       CASE WHEN c IS NOT NULL THEN 'Company' WHEN p IS NOT NULL THEN 'Person' END AS label,
       CASE WHEN c IS NOT NULL THEN {readable('c', 'Company')}
            WHEN p IS NOT NULL THEN {readable('p', 'Person')} ELSE true END AS readable,
       employer
"""
