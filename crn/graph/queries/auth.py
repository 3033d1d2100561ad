"""Cypher for users, API tokens and browser sessions (crn.auth)."""

USER_BY_EMAIL = """
MATCH (u:User {email: $email})
RETURN u {.uid, .name, .email, .role, .active, .password_hash} AS user
"""

CREATE_USER = """
CREATE (u:User {uid: $uid, email: $email, name: $name, role: $role, password_hash: $password_hash,
                active: true, tags: [], external_ids: [], created_at: datetime(), updated_at: datetime(),
                updated_by: $actor})
RETURN u {.uid, .name, .email, .role, .active} AS user
"""

SET_PASSWORD = """
MATCH (u:User {email: $email})
SET u.password_hash = $password_hash, u.updated_at = datetime(), u.updated_by = $actor
RETURN u.uid AS uid
"""

CREATE_TOKEN = """
MATCH (u:User {email: $email})
CREATE (t:ApiToken {token_id: $token_id, hash: $hash, name: $name, created_at: datetime(), revoked: false})
CREATE (t)-[:TOKEN_OF]->(u)
RETURN t.token_id AS token_id
"""

USER_FOR_TOKEN = """
MATCH (t:ApiToken {token_id: $token_id})-[:TOKEN_OF]->(u:User)
WHERE t.revoked = false AND t.hash = $hash AND coalesce(u.active, true)
RETURN u {.uid, .name, .email, .role, .active} AS user
"""

REVOKE_TOKEN = """
MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User)
WHERE t.token_id = $token_id OR (t.name = $name AND u.email = $email)
SET t.revoked = true, t.revoked_at = datetime()
RETURN count(t) AS revoked
"""

LIST_TOKENS = """
MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User)
WHERE $email IS NULL OR u.email = $email
RETURN t.token_id AS token_id, t.name AS name, u.email AS email, t.revoked AS revoked,
       toString(t.created_at) AS created_at
ORDER BY t.created_at
"""

CREATE_SESSION = """
MATCH (u:User {uid: $user_uid})
CREATE (s:Session {hash: $hash, created_at: datetime(), expires_at: datetime() + duration({seconds: $ttl})})
CREATE (s)-[:SESSION_OF]->(u)
"""

USER_FOR_SESSION = """
MATCH (s:Session {hash: $hash})-[:SESSION_OF]->(u:User)
WHERE s.expires_at > datetime() AND coalesce(u.active, true)
RETURN u {.uid, .name, .email, .role, .active} AS user
"""

DELETE_SESSION = """
MATCH (s:Session {hash: $hash})
DETACH DELETE s
"""
