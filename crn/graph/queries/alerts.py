"""Cypher for "my day": deals I own closing in a period, and the alerts only a graph can raise on my accounts.

My accounts are the companies whose account team I am on, or that one of my deals is for.

enforce (issue 13): every record an alert names (company, deal, ticket, person, interaction) is one the
viewer may read ($access); an account I may not read is not mine to be alerted on.
"""

from crn.graph.queries.access import readable

_C, _D, _P, _T, _I = (readable("c", "Company"), readable("d", "Deal"), readable("p", "Person"),
                      readable("t", "Ticket"), readable("i", "Interaction"))

_MY_ACCOUNTS = f"""
MATCH (me:User {{uid: $user}})
CALL (me) {{
  MATCH (me)-[:ACCOUNT_TEAM]->(c:Company) RETURN c
  UNION
  MATCH (me)-[:OWNS]->(:Deal)-[:FOR]->(c:Company) RETURN c
}}
WITH DISTINCT c WHERE {_C}
"""

DEALS_CLOSING = f"""
MATCH (:User {{uid: $user}})-[:OWNS]->(d:Deal)
WHERE d.status = 'open' AND d.expected_close >= $from AND d.expected_close <= $to AND {_D}
OPTIONAL MATCH (d)-[:FOR]->(c:Company) WHERE {_C}
RETURN properties(d) AS deal, properties(c) AS company
ORDER BY d.expected_close, d.name, d.uid
LIMIT $limit
"""

# A committee member of an open deal whose employment at the deal's company has ended (and who has no current
# one there): the champion (or any member) who left; where they work now, when we know.
CHAMPIONS_LEFT = _MY_ACCOUNTS + f"""
MATCH (c)<-[:FOR]-(d:Deal)<-[r:ON_COMMITTEE]-(p:Person)
WHERE d.status = 'open' AND {_D} AND {_P}
  AND EXISTS {{ MATCH (p)-[w:WORKS_AT]->(c) WHERE w.until IS NOT NULL AND w.until <= $today }}
  AND NOT EXISTS {{ MATCH (p)-[w:WORKS_AT]->(c) WHERE w.until IS NULL OR w.until > $today }}
CALL (p, c) {{
  MATCH (p)-[w:WORKS_AT]->(c) RETURN max(w.until) AS left_on
}}
CALL (p, c) {{
  OPTIONAL MATCH (p)-[w:WORKS_AT]->(other:Company)
  WHERE other <> c AND (w.until IS NULL OR w.until > $today) AND {readable("other", "Company")}
  RETURN properties(other) AS moved_to ORDER BY w.since DESC LIMIT 1
}}
RETURN properties(c) AS company, properties(d) AS deal, properties(p) AS person, r.role AS role, left_on, moved_to
ORDER BY left_on DESC, d.name, p.name
LIMIT $limit
"""

# An open deal of my accounts where only one person of theirs has taken part in the interactions about it.
SINGLE_THREADED = _MY_ACCOUNTS + f"""
MATCH (c)<-[:FOR]-(d:Deal)
WHERE d.status = 'open' AND {_D}
CALL (d) {{
  OPTIONAL MATCH (d)<-[:ABOUT]-(i:Interaction)-[:INVOLVED]->(p:Person)
  WHERE {_I} AND {_P}
  WITH DISTINCT p
  RETURN count(p) AS engaged, collect(properties(p))[0] AS person
}}
WITH c, d, engaged, person WHERE engaged = 1
RETURN properties(c) AS company, properties(d) AS deal, person
ORDER BY d.amount DESC, d.name, d.uid
LIMIT $limit
"""

# Unresolved tickets of my accounts whose SLA ends before $horizon (already breached ones included).
TICKETS_AT_RISK = _MY_ACCOUNTS + f"""
MATCH (c)<-[:FOR]-(t:Ticket)
WHERE {_T} AND t.status IN ['open', 'pending'] AND t.resolved_at IS NULL AND t.sla_due_at IS NOT NULL
  AND t.sla_due_at <= $horizon
RETURN properties(c) AS company, properties(t) AS ticket
ORDER BY t.sla_due_at, t.uid
LIMIT $limit
"""

# A decision maker (economic buyer or decision maker) on an open deal of my account whom I know (KNOWS) but have
# not shared an interaction with since $cutoff: the relationship that matters is fading.
DECAYING_TIES = _MY_ACCOUNTS + f"""
MATCH (c)<-[:FOR]-(d:Deal)<-[r:ON_COMMITTEE]-(p:Person)<-[k:KNOWS]-(me:User {{uid: $user}})
WHERE d.status = 'open' AND r.role IN $roles AND {_D} AND {_P}
CALL (me, p) {{
  OPTIONAL MATCH (me)<-[:INVOLVED]-(i:Interaction)-[:INVOLVED]->(p)
  WHERE {_I}
  RETURN max(i.at) AS last_at
}}
WITH c, d, r, p, k, last_at WHERE last_at IS NULL OR last_at < $cutoff
RETURN properties(c) AS company, properties(d) AS deal, properties(p) AS person, r.role AS role,
       k.strength AS strength, last_at
ORDER BY last_at, d.name, p.name
LIMIT $limit
"""

# The latest interactions about my accounts (newest first), with who took part.
RECENT_ACTIVITY = _MY_ACCOUNTS + f"""
MATCH (c)<-[:ABOUT]-(i:Interaction)
WHERE {_I}
WITH c, i ORDER BY i.at DESC, i.uid LIMIT $limit
CALL (i) {{
  OPTIONAL MATCH (i)-[:INVOLVED]->(p)
  WHERE {readable("p")}
  WITH p ORDER BY p.name LIMIT 5
  RETURN collect(p.name) AS people
}}
RETURN properties(c) AS company, properties(i) AS interaction, people
ORDER BY i.at DESC, i.uid
"""
