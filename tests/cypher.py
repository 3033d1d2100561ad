"""Cypher only tests (and the 360° bench) run, kept out of crn/graph/queries so production never loads it.

A synthetic typical account: a company in a 3-level family, contacts reporting to a CEO, deals with
committees, tickets and a timeline, each written with one UNWIND batch (tests/schema/conftest.py and
bench/graphql_360.py). Every statement takes ``$prefix`` (uids start with it) and the sizes as parameters.

And reads that only burn time or memory (tests of transaction limits and the API's worker pool).
"""

ACCOUNT = """
CREATE (p:Company {uid: $prefix + 'parent', name: 'Parent Group', domain: $prefix + 'parent.com', country: 'DE',
                   tags: [], external_ids: []})
CREATE (c:Company {uid: $prefix + 'acct', name: 'Acme', domain: $prefix + 'acme.com', industry: 'software',
                   country: 'DE', tier: 'key', lifecycle: 'customer', tags: ['a'], external_ids: []})
CREATE (g:Company {uid: $prefix + 'grand', name: 'Acme Labs', domain: $prefix + 'labs.com', country: 'FR',
                   tags: [], external_ids: []})
CREATE (c)-[:SUBSIDIARY_OF {share: 0.8, kind: 'subsidiary', since: date('2020-01-01')}]->(p)
CREATE (g)-[:SUBSIDIARY_OF {share: 0.6, kind: 'subsidiary'}]->(c)
CREATE (u:User {uid: $prefix + 'user', name: 'Sam Seller', email: $prefix + 'sam@us.io', role: 'manager'})
CREATE (u)-[:ACCOUNT_TEAM {role: 'account_manager'}]->(c)
"""

CONTACTS = """
MATCH (c:Company {uid: $prefix + 'acct'})
UNWIND range(0, $n - 1) AS i
CREATE (p:Person {uid: $prefix + 'p' + i, name: 'Person ' + i, email: $prefix + 'p' + i + '@acme.com',
                  title: CASE i WHEN 0 THEN 'CEO' ELSE 'Engineer' END, seniority: 'staff', tags: [], external_ids: []})
CREATE (p)-[:WORKS_AT {title: p.title, since: date('2021-01-01')}]->(c)
"""

STRUCTURE = """
MATCH (boss:Person {uid: $prefix + 'p0'}), (c:Company {uid: $prefix + 'acct'}), (u:User {uid: $prefix + 'user'})
CREATE (u)-[:KNOWS {strength: 0.9, origin: 'interactions'}]->(boss)
CREATE (boss)-[:BOARD_MEMBER_OF {role: 'chair'}]->(c)
WITH boss
MATCH (p:Person) WHERE p.uid STARTS WITH $prefix + 'p' AND p <> boss
CREATE (p)-[:REPORTS_TO {kind: 'solid'}]->(boss)
"""

DEALS = """
MATCH (c:Company {uid: $prefix + 'acct'})
UNWIND range(0, $n - 1) AS i
CREATE (d:Deal {uid: $prefix + 'd' + i, name: 'Deal ' + i, amount: 1000.0, probability: 0.5,
                status: ['open', 'won', 'lost'][i % 3],
                stage: ['proposal', 'closed_won', 'closed_lost'][i % 3], closed_at: date(),
                expected_close: date('2026-12-01'), tags: [], external_ids: []})
CREATE (d)-[:FOR]->(c)
WITH d, i
MATCH (p:Person {uid: $prefix + 'p' + (i % $contacts)})
CREATE (p)-[:ON_COMMITTEE {role: 'champion', declared: true, confidence: 1.0}]->(d)
"""

TICKETS = """
MATCH (c:Company {uid: $prefix + 'acct'})
UNWIND range(0, $n - 1) AS i
CREATE (t:Ticket {uid: $prefix + 't' + i, subject: 'Ticket ' + i, status: ['open', 'closed'][i % 2],
                  opened_at: datetime() - duration({days: i}), sla_due_at: datetime() - duration({hours: 1}),
                  tags: [], external_ids: []})
CREATE (t)-[:FOR]->(c)
WITH t, i
MATCH (p:Person {uid: $prefix + 'p' + (i % $contacts)})
CREATE (t)-[:RAISED_BY]->(p)
"""

INTERACTIONS = """
MATCH (c:Company {uid: $prefix + 'acct'}), (u:User {uid: $prefix + 'user'})
UNWIND range(0, $n - 1) AS i
CREATE (x:Interaction {uid: $prefix + 'i' + i, kind: 'email', direction: 'outbound', subject: 'Mail ' + i,
                       at: datetime() - duration({hours: i}), tags: [], external_ids: []})
CREATE (x)-[:ABOUT]->(c)
CREATE (x)-[:INVOLVED {role: 'sender'}]->(u)
WITH x, i
MATCH (p:Person {uid: $prefix + 'p' + (i % $contacts)})
CREATE (x)-[:INVOLVED {role: 'recipient'}]->(p)
"""

# A read that only burns time (tests of transaction timeouts and of the API's worker pool): about a second
# per 10-50 million for $n on a small machine, touching no data.
SLOW_COUNT = """
UNWIND range(1, $n) AS x
WITH x WHERE x % 7 = 0
RETURN count(x) AS n
"""

# A read that only fills transaction memory (tests of the managed server's dbms.memory.transaction.total.max):
# collecting 80 million integers needs more than 1 GiB.
BIG_COLLECT = """
UNWIND range(1, $n) AS x
RETURN size(collect(x)) AS n
"""

# A company with $n people in one reporting tree (person i reports to person (i - 1) / $fanout), departments
# round-robin, a dotted line from every 37th person to person 1 (tests/web/test_canvas.py: a 500-person org).
ORG = """
CREATE (c:Company {uid: $prefix + 'org', name: $name, domain: $prefix + 'org.example.com', tags: [], external_ids: []})
WITH c
UNWIND range(0, $n - 1) AS i
CREATE (p:Person {uid: $prefix + 'p' + i, name: 'Staff ' + i + ' ' + $prefix, email: $prefix + 'p' + i + '@org.example.com',
                  title: CASE WHEN i = 0 THEN 'Chief Executive Officer' WHEN i <= $fanout THEN 'Vice President'
                         ELSE 'Specialist ' + i END,
                  department: ['Sales', 'Engineering', 'Finance', 'Operations'][i % 4], seniority: 'unknown',
                  tags: [], external_ids: []})
CREATE (p)-[:WORKS_AT {title: p.title, department: p.department, since: date('2022-01-01')}]->(c)
WITH collect(p) AS people
UNWIND range(1, size(people) - 1) AS i
WITH people, i, people[i] AS p, people[toInteger((i - 1) / $fanout)] AS m
CREATE (p)-[:REPORTS_TO {kind: 'solid'}]->(m)
WITH people, i, p, people[1] AS matrix WHERE i % 37 = 0 AND i > 1
CREATE (p)-[:REPORTS_TO {kind: 'dotted'}]->(matrix)
"""

# A parent with one buying subsidiary (an open deal, a contact) and a standalone company that the browser journey
# attaches as a second subsidiary (tests/web/test_canvas.py: whitespace).
FAMILY = """
CREATE (p:Company {uid: $prefix + 'fp', name: 'Holding ' + $prefix, domain: $prefix + 'holding.example.com', tags: [], external_ids: []})
CREATE (s:Company {uid: $prefix + 'fs', name: 'Buyer ' + $prefix, domain: $prefix + 'buyer.example.com', tags: [], external_ids: []})
CREATE (x:Company {uid: $prefix + 'fx', name: 'Quiet ' + $prefix, domain: $prefix + 'quiet.example.com', tags: [], external_ids: []})
CREATE (s)-[:SUBSIDIARY_OF {share: 1.0, kind: 'subsidiary'}]->(p)
CREATE (d:Deal {uid: $prefix + 'fd', name: 'Buyer deal ' + $prefix, amount: 5000.0, probability: 0.5, status: 'open',
                stage: 'proposal', expected_close: date('2026-12-01'), tags: [], external_ids: []})
CREATE (d)-[:FOR]->(s)
CREATE (c:Person {uid: $prefix + 'fc', name: 'Buyer contact ' + $prefix, email: $prefix + 'fc@buyer.example.com', tags: [], external_ids: []})
CREATE (c)-[:WORKS_AT {title: 'Buyer', since: date('2020-01-01')}]->(s)
"""

# The audit trail's entries and head (tests/conftest.py wipe(): the suite's own setup leaves no entries behind).
FORGET_AUDIT_TRAIL = "MATCH (n) WHERE n:AuditEntry OR n:AuditHead DETACH DELETE n"
