"""Cypher for users, API tokens and browser sessions (crn.auth)."""

# Schema objects auth needs (applied by crn.graph.migrations.all_migrations).
SCHEMA: tuple[tuple[str, str], ...] = (
    ("apitoken_token_id_unique",
     "CREATE CONSTRAINT apitoken_token_id_unique IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.token_id IS UNIQUE"),
    ("session_hash_unique",
     "CREATE CONSTRAINT session_hash_unique IF NOT EXISTS FOR (s:Session) REQUIRE s.hash IS UNIQUE"),
)

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
WITH u
OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u)
WITH u, collect(s) AS sessions
FOREACH (s IN sessions | DETACH DELETE s)
RETURN u.uid AS uid, size(sessions) AS ended
"""

USER_BY_UID = """
MATCH (u:User {uid: $uid})
RETURN u {.uid, .name, .email, .role, .active, .password_hash} AS user
"""

END_USER_SESSIONS = """
MATCH (s:Session)-[:SESSION_OF]->(:User {uid: $uid})
DETACH DELETE s
RETURN count(*) AS ended
"""

CREATE_TOKEN = """
MATCH (u:User {email: $email})
CREATE (t:ApiToken {token_id: $token_id, hash: $hash, name: $name, created_at: datetime(), revoked: false,
                    expires_at: CASE WHEN $expires_days IS NULL THEN null
                                     ELSE datetime() + duration({days: $expires_days}) END})
CREATE (t)-[:TOKEN_OF]->(u)
RETURN t.token_id AS token_id, u.uid AS user_uid
"""

USER_FOR_TOKEN = """
MATCH (t:ApiToken {token_id: $token_id})-[:TOKEN_OF]->(u:User)
WHERE t.revoked = false AND t.hash = $hash AND coalesce(u.active, true)
  AND (t.expires_at IS NULL OR t.expires_at > datetime())
FOREACH (_ IN CASE WHEN t.last_used_at IS NULL OR t.last_used_at < datetime() - duration({seconds: $touch_seconds})
                   THEN [1] ELSE [] END | SET t.last_used_at = datetime())
RETURN u {.uid, .name, .email, .role, .active} AS user,
       CASE WHEN t.expires_at IS NULL THEN null
            ELSE duration.inSeconds(datetime(), t.expires_at).seconds END AS expires_in
"""

REVOKE_TOKEN = """
MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User)
WHERE t.token_id = $token_id OR (t.name = $name AND u.email = $email)
SET t.revoked = true, t.revoked_at = datetime()
RETURN count(t) AS revoked, collect([t.token_id, t.name, u.uid]) AS tokens
"""

LIST_TOKENS = """
MATCH (t:ApiToken)-[:TOKEN_OF]->(u:User)
WHERE $email IS NULL OR u.email = $email
RETURN t.token_id AS token_id, t.name AS name, u.email AS email, t.revoked AS revoked,
       toString(t.created_at) AS created_at, toString(t.expires_at) AS expires_at,
       toString(t.last_used_at) AS last_used_at,
       t.expires_at IS NOT NULL AND t.expires_at <= datetime() AS expired
ORDER BY t.created_at
"""

TOKENS_OF_USER = """
MATCH (t:ApiToken)-[:TOKEN_OF]->(:User {uid: $uid})
RETURN t.token_id AS token_id, t.name AS name, t.revoked AS revoked, t.created_at AS created_at,
       t.expires_at AS expires_at, t.last_used_at AS last_used_at,
       t.expires_at IS NOT NULL AND t.expires_at <= datetime() AS expired
ORDER BY t.created_at
"""

CREATE_SESSION = """
MATCH (u:User {uid: $user_uid})
OPTIONAL MATCH (old:Session)-[:SESSION_OF]->(u) WHERE old.expires_at <= datetime()
WITH u, collect(old) AS expired
FOREACH (o IN expired | DETACH DELETE o)
CREATE (s:Session {hash: $hash, created_at: datetime(), last_seen_at: datetime(), via_token: $via_token,
                   expires_at: datetime() + duration({seconds: $ttl})})
CREATE (s)-[:SESSION_OF]->(u)
RETURN u.uid AS uid
"""

USER_FOR_SESSION = """
MATCH (s:Session {hash: $hash})-[:SESSION_OF]->(u:User)
WHERE s.expires_at > datetime() AND coalesce(u.active, true)
  AND s.created_at > datetime() - duration({seconds: $max_seconds})
  AND coalesce(s.last_seen_at, s.created_at) > datetime() - duration({seconds: $idle_seconds})
OPTIONAL MATCH (t:ApiToken {token_id: s.via_token})
WITH s, u, t
WHERE s.via_token IS NULL
   OR (t IS NOT NULL AND t.revoked = false AND (t.expires_at IS NULL OR t.expires_at > datetime()))
RETURN u {.uid, .name, .email, .role, .active} AS user,
       duration.inSeconds(coalesce(s.last_seen_at, s.created_at), datetime()).seconds AS idle_for
"""

TOUCH_SESSION = """
MATCH (s:Session {hash: $hash})
SET s.last_seen_at = datetime()
"""

DELETE_SESSION = """
MATCH (s:Session {hash: $hash})
OPTIONAL MATCH (s)-[:SESSION_OF]->(u:User)
WITH s, u.uid AS uid, u.name AS name
DETACH DELETE s
RETURN uid, name
"""
