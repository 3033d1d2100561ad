"""A small hand-checked world written straight into Neo4j, shared by the intel, graph and report tests.

Ownership: A (US) owns 60% of B (US); B owns 100% of C (FR); B owns 50% and C 30% of D (US), so A's
effective share in D is 0.6*0.5 + 0.6*1.0*0.3 = 0.48; A and X (DE) each own 50% of the joint venture
J; P and Q own 30% / 20% of each other (a cross-holding cycle); A owned 100% of E until 2020-01-01.

People at C: Cora (CFO, Finance), Hugo (VP IT, head of IT), Chad (IT manager, reports to Hugo), Erin
(engineer, reports to Chad), Pam (procurement manager). Hugo reports to Cora. Our users: Alice knows
Chad (0.8); Bob knows nobody. Chad knows Hugo (0.6). Deal "C platform" (open, 100 000, p = 0.5) is
about C; Chad had 5 interactions about it, Hugo 3 (meetings), Cora 2 (meetings), Erin 1.
"""

from __future__ import annotations

import datetime as dt

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

COMPANIES = [
    {"uid": "A", "name": "Alpha Holding", "country": "US"},
    {"uid": "B", "name": "Beta", "country": "US"},
    {"uid": "C", "name": "Gamma", "country": "FR"},
    {"uid": "D", "name": "Delta", "country": "US"},
    {"uid": "E", "name": "Epsilon (sold)", "country": "US"},
    {"uid": "J", "name": "JV Co", "country": "US"},
    {"uid": "X", "name": "Xeno", "country": "DE"},
    {"uid": "P", "name": "Pi", "country": "US"},
    {"uid": "Q", "name": "Qu", "country": "US"},
]
OWNERSHIP = [  # child, parent, share, since, until
    ("B", "A", 0.6, None, None),
    ("C", "B", 1.0, None, None),
    ("D", "B", 0.5, None, None),
    ("D", "C", 0.3, None, None),
    ("J", "A", 0.5, None, None),
    ("J", "X", 0.5, None, None),
    ("P", "Q", 0.2, None, None),
    ("Q", "P", 0.3, None, None),
    ("E", "A", 1.0, dt.date(2010, 1, 1), dt.date(2020, 1, 1)),
]
PEOPLE = [  # uid, name, title, seniority, department
    ("cora", "Cora", "CFO", "c_level", "Finance"),
    ("hugo", "Hugo", "VP IT", "vp", "IT"),
    ("chad", "Chad", "IT Manager", "manager", "IT"),
    ("erin", "Erin", "Software Engineer", "staff", "IT"),
    ("pam", "Pam", "Procurement Manager", "manager", "Procurement"),
]
REPORTS = [("hugo", "cora"), ("chad", "hugo"), ("erin", "chad")]


def build(db) -> None:
    """Write the scenario (the database must be empty)."""
    db.write("UNWIND $rows AS r CREATE (:Company {uid: r.uid, name: r.name, country: r.country})", rows=COMPANIES)
    db.write("""UNWIND $rows AS r MATCH (c:Company {uid: r[0]}), (p:Company {uid: r[1]})
                CREATE (c)-[:SUBSIDIARY_OF {share: r[2], since: r[3], until: r[4], kind: 'subsidiary'}]->(p)""",
             rows=[list(r) for r in OWNERSHIP])
    db.write("""UNWIND $rows AS r MATCH (c:Company {uid: 'C'})
                CREATE (p:Person {uid: r[0], name: r[1], title: r[2], seniority: r[3], department: r[4]})
                CREATE (p)-[:WORKS_AT {title: r[2], department: r[4], since: date('2015-01-01')}]->(c)""",
             rows=[list(r) for r in PEOPLE])
    db.write("UNWIND $rows AS r MATCH (a:Person {uid: r[0]}), (b:Person {uid: r[1]}) CREATE (a)-[:REPORTS_TO {kind: 'solid'}]->(b)",
             rows=[list(r) for r in REPORTS])
    db.write("""CREATE (:User {uid: 'alice', name: 'Alice', email: 'alice@us.test', active: true})
                CREATE (:User {uid: 'bob', name: 'Bob', email: 'bob@us.test', active: true})""")
    db.write("""MATCH (alice:User {uid: 'alice'}), (bob:User {uid: 'bob'}), (chad:Person {uid: 'chad'}),
                      (hugo:Person {uid: 'hugo'}), (c:Company {uid: 'C'})
                CREATE (alice)-[:KNOWS {strength: 0.8, origin: 'declared'}]->(chad)
                CREATE (chad)-[:KNOWS {strength: 0.6, origin: 'declared'}]->(hugo)
                CREATE (alice)-[:ACCOUNT_TEAM {role: 'account_manager'}]->(c)
                CREATE (bob)-[:ACCOUNT_TEAM {role: 'support'}]->(c)
                CREATE (d:Deal {uid: 'deal1', name: 'C platform', amount: 100000.0, probability: 0.5,
                                status: 'open', stage: 'proposal'})-[:FOR]->(c)
                CREATE (w:Deal {uid: 'won1', name: 'C pilot', amount: 5000.0, probability: 1.0, status: 'won',
                                stage: 'closed_won', closed_at: date() - duration({days: 30})})-[:FOR]->(c)
                CREATE (t:Ticket {uid: 't1', subject: 'Broken', status: 'open',
                                  sla_due_at: datetime('2025-12-01T00:00:00Z')})-[:FOR]->(c)""")
    touches = ([("chad", "email", "inbound", d) for d in (1, 5, 9, 20, 40)]
               + [("hugo", "meeting", "outbound", d) for d in (3, 10, 30)]
               + [("cora", "meeting", "outbound", d) for d in (2, 12)]
               + [("erin", "email", "outbound", 15)])
    db.write("""UNWIND $rows AS r MATCH (u:User {uid: 'alice'}), (p:Person {uid: r.person}), (d:Deal {uid: 'deal1'}),
                      (c:Company {uid: 'C'})
                CREATE (i:Interaction {uid: 'i-' + r.person + '-' + toString(r.days), kind: r.kind,
                                       direction: r.direction, at: $now - duration({days: r.days})})
                CREATE (i)-[:INVOLVED]->(u), (i)-[:INVOLVED]->(p), (i)-[:ABOUT]->(d), (i)-[:ABOUT]->(c)""",
             rows=[{"person": p, "kind": k, "direction": d, "days": n} for p, k, d, n in touches], now=NOW)
