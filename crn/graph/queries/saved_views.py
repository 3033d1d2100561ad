"""Cypher for saved list views: a user's named filter + sort for a list page, owned by the user."""

# (:User)-[:SAVED_VIEW]->(:SavedView {uid, list, name, params (JSON text), created_at, updated_at})

MY_VIEWS = """
MATCH (:User {uid: $user})-[:SAVED_VIEW]->(v:SavedView)
WHERE $list IS NULL OR v.list = $list
RETURN properties(v) AS view
ORDER BY v.list, toLower(v.name), v.uid
"""

COUNT_VIEWS = """
MATCH (:User {uid: $user})-[:SAVED_VIEW]->(v:SavedView {list: $list})
RETURN count(v) AS n
"""

NAME_TAKEN = """
MATCH (:User {uid: $user})-[:SAVED_VIEW]->(v:SavedView {list: $list})
WHERE toLower(v.name) = toLower($name)
RETURN v.uid AS uid LIMIT 1
"""

CREATE_VIEW = """
MATCH (u:User {uid: $user})
CREATE (u)-[:SAVED_VIEW]->(v:SavedView {uid: $uid, list: $list, name: $name, params: $params,
                                        created_at: $now, updated_at: $now, updated_by: $user})
RETURN properties(v) AS view
"""

# Only the owner's own view: another user's uid matches nothing (and so reads as not found).
DELETE_VIEW = """
MATCH (:User {uid: $user})-[:SAVED_VIEW]->(v:SavedView {uid: $uid})
WITH v, properties(v) AS view
DETACH DELETE v
RETURN view
"""
