"""The hand-written single Cypher query the GraphQL 360° bench compares against (bench/graphql_360.py).

It returns the same data as the bench's GraphQL document, in one round trip, as a skilled developer
would write it by hand for this one screen.
"""

from crn.graph.queries.views import FAMILY_ROLLUPS, PARENT_CHAINS

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

__all__ = ["COMPANY_360_BASELINE", "FAMILY_ROLLUPS", "PARENT_CHAINS"]

# Companies with their number of current contacts (the bench picks typical accounts among them).
COMPANY_SIZES = """
MATCH (c:Company)
RETURN c.uid AS uid,
       COUNT { (c)<-[w:WORKS_AT]-(:Person) WHERE w.until IS NULL OR w.until > date() } AS contacts,
       COUNT { (c)<-[:FOR]-(:Deal) } AS deals
"""
