"""Cypher for the ticket queue: hand a ticket to one user (replacing whoever had it)."""

from crn.graph.queries.access import readable, writable

# enforce (issue 13): only a ticket the viewer may read, and whether they may change it
GET_TICKET = f"""
MATCH (t:Ticket {{uid: $uid}}) WHERE {readable('t', 'Ticket')}
OPTIONAL MATCH (t)<-[:ASSIGNED]-(u:User)
RETURN properties(t) AS ticket, collect(u.uid) AS assignees, {writable('t', 'Ticket')} AS writable
"""

USER_EXISTS = """
MATCH (u:User {uid: $uid}) RETURN u.uid AS uid
"""

# Remove every current assignee but $user, then link $user (when given); stamp the ticket.
REASSIGN = """
MATCH (t:Ticket {uid: $uid})
OPTIONAL MATCH (t)<-[old:ASSIGNED]-(u:User) WHERE $user IS NULL OR u.uid <> $user
DELETE old
WITH DISTINCT t
SET t.updated_at = $now, t.updated_by = $actor
WITH t
CALL (t) {
  MATCH (u:User {uid: $user})
  MERGE (u)-[r:ASSIGNED]->(t)
  ON CREATE SET r.updated_at = $now, r.updated_by = $actor
  RETURN count(u) AS linked
}
RETURN properties(t) AS ticket
"""
