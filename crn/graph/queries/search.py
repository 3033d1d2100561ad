"""Cypher for full-text search."""

# Lucene special characters are escaped by the caller (crn.crm.search.lucene_query).
SEARCH = """
CALL db.index.fulltext.queryNodes('crn_search', $query) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $types][0] AS type
WHERE type IS NOT NULL
RETURN type, node.uid AS uid, node.name AS name, coalesce(node.email, node.domain) AS detail, score
ORDER BY score DESC, name
LIMIT $limit
"""
