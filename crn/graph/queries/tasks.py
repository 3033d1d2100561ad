"""Cypher for tasks: creation (by hand and by rules), status changes and the "my tasks" list."""

from crn.graph.queries.access import readable

TASK_FIELDS = """t.uid AS uid, t.title AS title, t.body AS body, t.due_at AS due_at, t.status AS status,
       t.rule_id AS rule_id, t.subject_uid AS subject_uid, t.snoozed_until AS snoozed_until,
       t.completed_at AS completed_at"""

GET_TASK = """
MATCH (t:Task {uid: $uid})
OPTIONAL MATCH (t)-[:ASSIGNED_TO]->(u:User)
RETURN properties(t) AS task, u.uid AS assignee_uid
"""

UPDATE_TASK = """
MATCH (t:Task {uid: $uid})
SET t += $props
RETURN properties(t) AS task
"""

USER_EXISTS = """
MATCH (u:User {uid: $uid}) RETURN u.uid AS uid
"""

ASSIGN_TASK = """
MATCH (t:Task {uid: $uid})
OPTIONAL MATCH (t)-[old:ASSIGNED_TO]->(:User)
DELETE old
WITH DISTINCT t
MATCH (u:User {uid: $user})
MERGE (t)-[:ASSIGNED_TO]->(u)
RETURN u.uid AS assignee_uid
"""

# Open tasks of one user; a snoozed task stays hidden until its snooze ends. Overdue first, then by due date.
_MY_OPEN = """
MATCH (t:Task)-[:ASSIGNED_TO]->(u:User {uid: $user})
WHERE t.status = 'open' AND (t.snoozed_until IS NULL OR t.snoozed_until <= $now)
"""
COUNT_MY_OPEN_TASKS = _MY_OPEN + "RETURN count(t) AS total"
MY_OPEN_TASKS = _MY_OPEN + """
WITH t, t.due_at IS NOT NULL AND t.due_at < $now AS overdue
RETURN """ + TASK_FIELDS + """, overdue
ORDER BY overdue DESC, t.due_at IS NULL, t.due_at, t.uid
SKIP $skip LIMIT $limit
"""

# A task: by hand its key is its uid; a rule's task keys on rule + event, so a retried action finds the task it
# made (``created`` is false then) instead of making another. The assignee is a user uid or e-mail address.
CREATE_TASK = """
MATCH (u:User) WHERE u.uid = $assignee OR u.email = $assignee
WITH u LIMIT 1
MERGE (t:Task {key: $key})
ON CREATE SET t.uid = $uid, t.title = $title, t.body = $body, t.due_at = $due_at, t.status = 'open',
              t.created_at = $now, t.updated_at = $now, t.updated_by = $actor, t.rule_id = $rule_id,
              t.subject_uid = $subject_uid
MERGE (t)-[:ASSIGNED_TO]->(u)
WITH t, u, t.uid = $uid AS created
CALL (t) {
  OPTIONAL MATCH (s) WHERE $subject_uid IS NOT NULL AND s.uid = $subject_uid
    AND any(l IN labels(s) WHERE l IN ['Company', 'Person', 'Deal', 'Ticket', 'Order'])
    AND """ + readable("s") + """
  WITH s LIMIT 1
  FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | MERGE (t)-[:ABOUT]->(s))
  RETURN s IS NOT NULL AS subject_found
}
RETURN properties(t) AS task, u.uid AS assignee_uid, subject_found, created
"""
