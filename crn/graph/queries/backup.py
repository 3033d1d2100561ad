"""Cypher for backups: reading the whole graph to fingerprint it (crn.graph.backup)."""

FINGERPRINT_NODES = """
MATCH (n) WHERE elementId(n) > $after
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props ORDER BY elementId(n) LIMIT $limit
"""
FINGERPRINT_RELS = """
MATCH (a)-[r]->(b) WHERE elementId(r) > $after
RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS a, elementId(b) AS b, properties(r) AS props
ORDER BY elementId(r) LIMIT $limit
"""
