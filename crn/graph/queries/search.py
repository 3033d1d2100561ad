"""Cypher for full-text search."""

from crn.graph.queries.access import readable

# Lucene special characters are escaped by the caller (crn.crm.search.lucene_query).
# enforce (issue 13): only records the viewer may read; e-mail addresses only for viewers with the
# personal-data permission ($personal; the caller also keeps their words off the e-mail field).
SEARCH = f"""
CALL db.index.fulltext.queryNodes('crn_search', $query) YIELD node, score
WITH node, score, [l IN labels(node) WHERE l IN $types][0] AS type
WHERE type IS NOT NULL AND {readable('node')}
RETURN type, node.uid AS uid, node.name AS name,
       coalesce(CASE WHEN $personal THEN node.email END, node.domain) AS detail, score
ORDER BY score DESC, name
LIMIT $limit
"""

# The indexed properties a viewer without the personal-data permission may search on.
IMPERSONAL_FIELDS = ("name", "legal_name", "domain")
