"""Cypher for automation: rules and their versions, the outbox, runs, schedule locks, tasks and scans."""

from __future__ import annotations

from crn.graph.secrets import public_properties

# Schema objects automation needs (applied by crn.graph.migrations.all_migrations).
SCHEMA: tuple[tuple[str, str], ...] = (
    ("rule_id_unique", "CREATE CONSTRAINT rule_id_unique IF NOT EXISTS FOR (r:Rule) REQUIRE r.id IS UNIQUE"),
    ("rule_version_rule", "CREATE INDEX rule_version_rule IF NOT EXISTS FOR (v:RuleVersion) ON (v.rule_id, v.version)"),
    ("outbox_key_unique",
     "CREATE CONSTRAINT outbox_key_unique IF NOT EXISTS FOR (o:OutboxItem) REQUIRE o.key IS UNIQUE"),
    ("outbox_status_due", "CREATE INDEX outbox_status_due IF NOT EXISTS FOR (o:OutboxItem) ON (o.status, o.due_at)"),
    ("rule_run_rule_at", "CREATE INDEX rule_run_rule_at IF NOT EXISTS FOR (r:RuleRun) ON (r.rule_id, r.at)"),
    ("schedule_lock_name_unique",
     "CREATE CONSTRAINT schedule_lock_name_unique IF NOT EXISTS FOR (l:ScheduleLock) REQUIRE l.name IS UNIQUE"),
    ("task_uid_unique", "CREATE CONSTRAINT task_uid_unique IF NOT EXISTS FOR (t:Task) REQUIRE t.uid IS UNIQUE"),
    ("task_key_unique", "CREATE CONSTRAINT task_key_unique IF NOT EXISTS FOR (t:Task) REQUIRE t.key IS UNIQUE"),
    ("segment_name_unique",
     "CREATE CONSTRAINT segment_name_unique IF NOT EXISTS FOR (s:Segment) REQUIRE s.name IS UNIQUE"),
    ("person_created_at", "CREATE INDEX person_created_at IF NOT EXISTS FOR (p:Person) ON (p.created_at)"),
)

# Labels whose records a rule may see (used to pick a whitelisted query, never formatted from input). A User
# is seen (the start of OWNS, ACCOUNT_TEAM, ... links) without its credentials, and is never acted on.
SUBJECT_LABELS = ("Company", "Person", "User", "Deal", "Ticket", "Interaction", "Product", "Order")
# Labels a manual run may fire a rule on: users are not rule subjects.
MANUAL_LABELS = tuple(label for label in SUBJECT_LABELS if label != "User")


def _node_by_uid(var: str, uid_expr: str, labels: tuple[str, ...]) -> str:
    """A subquery finding one node by uid through each label's unique index (labels from a fixed list)."""
    parts = [f"MATCH ({var}:{label} {{uid: {uid_expr}}}) RETURN {var}" for label in labels]
    return "CALL () {\n  " + "\n  UNION\n  ".join(parts) + "\n}"


from crn.graph.queries.access import readable  # noqa: E402

RECORD_LABELS = ("Company", "Person", "Deal", "Ticket", "Order")

# --- rules -----------------------------------------------------------------------------------------

SAVE_RULE = """
MERGE (r:Rule {id: $id})
ON CREATE SET r.created_at = $now, r.version = 0
SET r.version = r.version + 1, r.name = $name, r.active = $active, r.deleted = false,
    r.definition = $definition, r.trigger_kind = $trigger_kind, r.updated_at = $now, r.updated_by = $actor,
    r.author = $actor, r.purpose = $purpose
CREATE (v:RuleVersion {rule_id: $id, version: r.version, definition: $definition, created_at: $now,
                       created_by: $actor})
CREATE (r)-[:HAS_VERSION]->(v)
RETURN r.version AS version
"""

# Whose authority a rule runs with: who saved its current version (rules saved before ``author`` existed
# fall back to their version's creator); null means the operator (code or the CLI).
RULE_AUTHOR = """
MATCH (r:Rule {id: $id})
OPTIONAL MATCH (r)-[:HAS_VERSION]->(v:RuleVersion) WHERE v.version = r.version
WITH coalesce(r.author, v.created_by) AS author
OPTIONAL MATCH (u:User {uid: author})
RETURN author, u IS NOT NULL AS found, coalesce(u.active, true) AS active, u.role AS role
"""

# enforce (issue 13): the authors of rules (a rule and its runs are visible to its author and to admins)
RULE_AUTHORS = """
UNWIND $ids AS id
MATCH (r:Rule {id: id})
OPTIONAL MATCH (r)-[:HAS_VERSION]->(v:RuleVersion) WHERE v.version = r.version
RETURN id, coalesce(r.author, v.created_by) AS author
"""

LIST_RULE_IDS = "MATCH (r:Rule) RETURN r.id AS id"

RULE_RUNS_OF = """
MATCH (r:RuleRun) WHERE r.rule_id IN $rule_ids
RETURN r.uid AS uid, r.rule_id AS rule_id, r.key AS key, r.action AS action, r.outcome AS outcome,
       r.error AS error, r.attempt AS attempt, r.at AS at, r.worker AS worker, r.subject_uid AS subject_uid,
       r.event AS event, r.duration_ms AS duration_ms, r.depth AS depth, r.chain AS chain
ORDER BY r.at DESC, r.uid LIMIT $limit
"""

USER_AUTHORITY = "MATCH (u:User {uid: $uid}) RETURN coalesce(u.active, true) AS active, u.role AS role"

GET_RULE = """
MATCH (r:Rule {id: $id}) WHERE NOT coalesce(r.deleted, false)
RETURN r.id AS id, r.version AS version, r.active AS active, r.definition AS definition,
       r.updated_at AS updated_at
"""

LIST_RULES = """
MATCH (r:Rule) WHERE NOT coalesce(r.deleted, false) AND ($active_only = false OR r.active)
RETURN r.id AS id, r.version AS version, r.active AS active, r.definition AS definition,
       r.updated_at AS updated_at
ORDER BY r.id
"""

RULE_VERSIONS = """
MATCH (v:RuleVersion {rule_id: $id})
RETURN v.version AS version, v.definition AS definition, v.created_at AS created_at, v.created_by AS created_by
ORDER BY v.version
"""

SET_RULE_ACTIVE = """
MATCH (r:Rule {id: $id}) WHERE NOT coalesce(r.deleted, false)
SET r.active = $active, r.updated_at = $now, r.updated_by = $actor
RETURN r.id AS id
"""

DELETE_RULE = """
MATCH (r:Rule {id: $id}) WHERE NOT coalesce(r.deleted, false)
SET r.deleted = true, r.active = false, r.updated_at = $now, r.updated_by = $actor
RETURN r.id AS id
"""

# --- records seen by the outbox listener ----------------------------------------------------------

LOAD_RECORDS = """
UNWIND $uids AS uid
""" + _node_by_uid("n", "uid", SUBJECT_LABELS).replace("CALL ()", "CALL (uid)") + """
CALL (n) {
  OPTIONAL MATCH (owner:User)-[:OWNS|ACCOUNT_TEAM|ASSIGNED]->(n) RETURN owner AS owner ORDER BY owner.uid LIMIT 1
}
RETURN uid, labels(n)[0] AS label, """ + public_properties("n") + """ AS props,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

# --- the outbox ------------------------------------------------------------------------------------

ENQUEUE = """
UNWIND $items AS it
MERGE (o:OutboxItem {key: it.key})
ON CREATE SET o.rule_id = it.rule_id, o.rule_version = it.rule_version, o.action = it.action,
    o.params = it.params, o.context = it.context, o.subject_uid = it.subject_uid, o.event = it.event,
    o.status = 'pending', o.attempts = 0, o.max_attempts = it.max_attempts, o.due_at = it.due_at,
    o.created_at = it.created_at, o.chain = it.chain, o.depth = it.depth, o.request_id = $request_id
RETURN count(o) AS n
"""

# A chain of rules went past the depth limit: record why, enqueue nothing (runs in the publishing transaction).
RECORD_STOPPED = """
UNWIND $runs AS run
CREATE (r:RuleRun {uid: run.uid, rule_id: run.rule_id, key: run.key, action: run.action, outcome: 'stopped',
                   error: run.error, attempt: 0, at: $now, subject_uid: run.subject_uid, event: run.event,
                   depth: run.depth, chain: run.chain})
"""

# Step 1 of a claim: take the write lock on candidates (a second statement re-reads them under the lock).
CLAIM_LOCK = """
CALL () {
  MATCH (o:OutboxItem) WHERE o.status = 'pending' AND o.due_at <= $now
  RETURN o ORDER BY o.due_at LIMIT $limit
  UNION
  MATCH (o:OutboxItem) WHERE o.status = 'delivering' AND o.lease_until < $now
  RETURN o LIMIT $limit
}
WITH o ORDER BY o.key LIMIT $limit
SET o._lock = true
RETURN o.key AS key
"""

# Step 2: under the lock, only items still claimable are leased to this worker.
CLAIM_TAKE = """
UNWIND $keys AS k
MATCH (o:OutboxItem {key: k})
REMOVE o._lock
WITH o
WHERE (o.status = 'pending' AND o.due_at <= $now) OR (o.status = 'delivering' AND o.lease_until < $now)
SET o.status = 'delivering', o.lease_owner = $worker, o.lease_until = $lease_until, o.attempts = o.attempts + 1,
    o.lease_token = randomUUID()
RETURN o.key AS key, o.rule_id AS rule_id, o.action AS action, o.params AS params, o.context AS context,
       o.attempts AS attempts, o.max_attempts AS max_attempts, o.subject_uid AS subject_uid, o.event AS event,
       o.lease_token AS lease_token, coalesce(o.chain, [o.rule_id]) AS chain, o.request_id AS request_id
"""

# Just before an action runs: only the holder of the current lease token may deliver (a worker whose lease
# expired and was claimed again finds another token and stops). The lease is renewed under the item's write
# lock, so no claim can take it between this check and the end of the new lease. Also reports whether the
# rule is still switched on (a rule disabled or deleted after the claim delivers nothing).
BEGIN_DELIVERY = """
MATCH (o:OutboxItem {key: $key})
WHERE o.lease_token = $token AND o.status = 'delivering'
SET o.lease_until = $lease_until
WITH o
OPTIONAL MATCH (r:Rule {id: o.rule_id})
RETURN CASE WHEN r IS NULL OR coalesce(r.deleted, false) THEN 'deleted'
            WHEN NOT coalesce(r.active, false) THEN 'disabled' ELSE 'active' END AS rule_state,
       coalesce(r.purpose, 'marketing') AS purpose
"""

# The worker's heartbeat: extend the leases it still holds (in key order, as claims lock them).
RENEW_LEASES = """
UNWIND $held AS h
MATCH (o:OutboxItem {key: h.key})
WHERE o.lease_token = h.token AND o.status = 'delivering'
SET o.lease_until = $lease_until
RETURN o.key AS key
"""

FINISH = """
MATCH (o:OutboxItem {key: $key})
WHERE o.lease_token = $token AND o.status = 'delivering'
SET o.status = $status, o.due_at = coalesce($due_at, o.due_at), o.last_error = $error,
    o.delivered_at = $delivered_at, o.lease_until = null, o.result = $result
CREATE (r:RuleRun {uid: $run_uid, rule_id: o.rule_id, key: o.key, action: o.action, outcome: $outcome,
                   error: $error, attempt: o.attempts, at: $now, worker: $worker, subject_uid: o.subject_uid,
                   event: o.event, duration_ms: $duration_ms, depth: o.depth, chain: o.chain})
RETURN o.status AS status
"""

# A rule switched off or deleted: its queued (not yet claimed) deliveries are cancelled, each with a RuleRun.
# Claimed ones are caught by BEGIN_DELIVERY.
CANCEL_PENDING = """
MATCH (o:OutboxItem) WHERE o.status = 'pending' AND o.rule_id = $id
SET o.status = 'cancelled', o.last_error = $reason, o.cancelled_at = $now
CREATE (r:RuleRun {uid: randomUUID(), rule_id: o.rule_id, key: o.key, action: o.action, outcome: 'cancelled',
                   error: $reason, attempt: o.attempts, at: $now, subject_uid: o.subject_uid,
                   event: o.event, depth: o.depth, chain: o.chain})
RETURN count(o) AS n
"""

OUTBOX_ITEMS = """
MATCH (o:OutboxItem) WHERE $rule_id IS NULL OR o.rule_id = $rule_id
RETURN o.key AS key, o.rule_id AS rule_id, o.action AS action, o.status AS status, o.attempts AS attempts,
       o.last_error AS last_error, o.due_at AS due_at, o.subject_uid AS subject_uid
ORDER BY o.created_at, o.key
"""

OUTBOX_COUNTS = "MATCH (o:OutboxItem) RETURN o.status AS status, count(*) AS n ORDER BY status"

# ops: monitoring (/metrics, crn doctor). Due and undelivered items, and how long the oldest has waited.
OUTBOX_BACKLOG = """
MATCH (o:OutboxItem) WHERE o.status = 'pending' AND o.due_at <= $now
WITH count(o) AS due, min(o.due_at) AS oldest
RETURN due, CASE WHEN oldest IS NULL THEN null ELSE duration.inSeconds(oldest, $now).seconds END AS oldest_seconds
"""
RULE_FAILURES = """
MATCH (r:RuleRun) WHERE r.outcome IN ['retry', 'dead'] RETURN r.outcome AS outcome, count(*) AS n
"""
# ops: each automation worker records that it is alive every pass; heartbeats unseen for a day are removed.
WORKER_HEARTBEAT = """
MERGE (w:WorkerHeartbeat {id: $id})
ON CREATE SET w.started_at = $now
SET w.seen_at = $now, w.host = $host, w.pid = $pid
WITH w
OPTIONAL MATCH (old:WorkerHeartbeat) WHERE old.seen_at < $forget_before
DETACH DELETE old
"""
FRESHEST_HEARTBEAT = """
MATCH (w:WorkerHeartbeat)
RETURN w.id AS id, w.host AS host, w.pid AS pid, duration.inSeconds(w.seen_at, $now).seconds AS age_seconds
ORDER BY w.seen_at DESC LIMIT 1
"""

# the newest run of each rule (the rules page's "last run" column): one index seek per rule
LAST_RUNS = """
UNWIND $rule_ids AS id
CALL {
  WITH id
  MATCH (r:RuleRun) WHERE r.rule_id = id
  RETURN r ORDER BY r.at DESC, r.uid LIMIT 1
}
RETURN r.uid AS uid, r.rule_id AS rule_id, r.key AS key, r.action AS action, r.outcome AS outcome,
       r.error AS error, r.attempt AS attempt, r.at AS at, r.worker AS worker, r.subject_uid AS subject_uid,
       r.event AS event, r.duration_ms AS duration_ms, r.depth AS depth, r.chain AS chain
"""

RULE_RUNS = """
MATCH (r:RuleRun) WHERE $rule_id IS NULL OR r.rule_id = $rule_id
RETURN r.uid AS uid, r.rule_id AS rule_id, r.key AS key, r.action AS action, r.outcome AS outcome,
       r.error AS error, r.attempt AS attempt, r.at AS at, r.worker AS worker, r.subject_uid AS subject_uid,
       r.event AS event, r.duration_ms AS duration_ms, r.depth AS depth, r.chain AS chain
ORDER BY r.at DESC, r.uid LIMIT $limit
"""

# --- schedule locks --------------------------------------------------------------------------------

# Take the node's write lock first (SET), then decide under it: only one worker holds a schedule.
LOCK_TOUCH = "MERGE (l:ScheduleLock {name: $name}) SET l._lock = true RETURN l.name AS name"
LOCK_ACQUIRE = """
MATCH (l:ScheduleLock {name: $name})
REMOVE l._lock
WITH l
WHERE l.holder IS NULL OR l.holder = $worker OR l.expires_at < $now
SET l.holder = $worker, l.expires_at = $expires_at
RETURN l.last_run_at AS last_run_at
"""
LOCK_RELEASE = """
MATCH (l:ScheduleLock {name: $name}) WHERE l.holder = $worker
SET l.holder = null, l.expires_at = null, l.last_run_at = coalesce($last_run_at, l.last_run_at)
RETURN l.name AS name
"""

# --- tasks -----------------------------------------------------------------------------------------

TASKS_FOR_USER = """
MATCH (t:Task)-[:ASSIGNED_TO]->(u:User) WHERE u.uid = $user OR u.email = $user
RETURN t.uid AS uid, t.title AS title, t.body AS body, t.due_at AS due_at, t.status AS status,
       t.rule_id AS rule_id, t.subject_uid AS subject_uid
ORDER BY t.due_at, t.uid
"""

# --- data-changing actions (interim: until crn/crm offers validated operations for them) -----------

ADD_TO_SEGMENT = """
MERGE (s:Segment {name: $segment})
ON CREATE SET s.uid = $segment_uid, s.created_at = $now
WITH s
""" + _node_by_uid("n", "$uid", ("Company", "Person")).replace("CALL ()", "CALL (s)") + """
MERGE (n)-[r:IN_SEGMENT]->(s)
ON CREATE SET r.since = $now, r.by = $actor
RETURN labels(n)[0] AS label, s.uid AS segment_uid
"""

CURRENT_OWNER = _node_by_uid("n", "$uid", RECORD_LABELS) + """
MATCH (u:User)-[:OWNS|ACCOUNT_TEAM|ASSIGNED]->(n) RETURN u.uid AS uid LIMIT 1
"""

# Owner candidates; the shared lock node serialises concurrent assignments.
ASSIGN_LOCK = """
MERGE (l:ScheduleLock {name: 'owner-assignment'})
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq
"""
PICK_OWNER_ROUND_ROBIN = """
MATCH (u:User) WHERE coalesce(u.active, true) AND ($team IS NULL OR u.team = $team)
RETURN u.uid AS uid ORDER BY coalesce(u.assigned_seq, 0), u.uid LIMIT 1
"""
PICK_OWNER_TERRITORY = """
""" + _node_by_uid("n", "$uid", RECORD_LABELS) + """
WITH coalesce(n.country, n.city) AS territory
MATCH (u:User) WHERE coalesce(u.active, true) AND u.territory = territory AND ($team IS NULL OR u.team = $team)
RETURN u.uid AS uid ORDER BY coalesce(u.assigned_seq, 0), u.uid LIMIT 1
"""
PICK_OWNER_LOAD = """
MATCH (u:User) WHERE coalesce(u.active, true) AND ($team IS NULL OR u.team = $team)
OPTIONAL MATCH (u)-[:OWNS|ACCOUNT_TEAM|ASSIGNED]->(x) WHERE coalesce(x.status, 'open') IN ['open', 'pending']
WITH u, count(x) AS load
RETURN u.uid AS uid ORDER BY load, u.uid LIMIT 1
"""
STAMP_ASSIGNED = "MATCH (u:User {uid: $owner}) SET u.assigned_seq = $seq, u.last_assigned_at = $now"

SET_LEAD_OWNER = """
MATCH (u:User {uid: $owner}), (n:Person {uid: $uid})
MERGE (u)-[r:OWNS]->(n)
ON CREATE SET r.since = $now, r.by = $actor
RETURN n.uid AS uid
"""

# --- graph triggers: run inside the publishing transaction for one event ---------------------------

CHAMPION_LEFT = """
MATCH (p:Person {uid: $uid})-[c:ON_COMMITTEE {role: 'champion'}]->(d:Deal {status: 'open'})-[:FOR]->(co:Company)
WHERE ($company_uid IS NULL OR co.uid = $company_uid)
  AND NOT EXISTS { (p)-[w:WORKS_AT]->(co) WHERE w.until IS NULL OR w.until > date($today) }
CALL (d) { OPTIONAL MATCH (owner:User)-[:OWNS]->(d) RETURN owner AS owner ORDER BY owner.uid LIMIT 1 }
RETURN p.uid + ':' + d.uid AS key, d.uid AS subject_uid, 'Deal' AS subject_label, p.name AS person_name,
       p.email AS person_email, d.name AS deal_name, d.amount AS deal_amount, co.name AS company_name,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

SUBSIDIARY_DEAL_OPENED = """
MATCH (d:Deal {uid: $uid})-[:FOR]->(c:Company)-[:SUBSIDIARY_OF*1..6]->(g:Company)
WHERE d.status = 'open' AND g.lifecycle = 'customer'
WITH d, c, g LIMIT 1
CALL (g) { OPTIONAL MATCH (am:User)-[:ACCOUNT_TEAM]->(g) RETURN am AS owner ORDER BY am.uid LIMIT 1 }
RETURN d.uid AS key, d.uid AS subject_uid, 'Deal' AS subject_label, d.name AS deal_name, d.amount AS deal_amount,
       c.name AS company_name, g.name AS group_name, g.uid AS group_uid,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

# --- scans: "N days after X with no Y" and friends, evaluated by the scheduler at $now -----------------

SCAN_NO_ORDER = """
MATCH (o:Order)-[:PLACED_BY]->(p:Person)
WITH p, max(o.placed_at) AS last_order_at
WHERE last_order_at < $now - duration({days: $days})
  AND last_order_at >= $now - duration({days: $days + $window_days})
RETURN p.uid + ':' + toString(last_order_at) AS key, p.uid AS subject_uid, 'Person' AS subject_label,
       p.name AS name, p.email AS email, p.phones[0] AS phone, toString(last_order_at) AS last_order_at,
       duration.inDays(last_order_at, $now).days AS days_since_order
"""

SCAN_REGISTERED_NO_ORDER = """
MATCH (p:Person)
WHERE p.created_at <= $now - duration({days: $days})
  AND p.created_at > $now - duration({days: $days + $window_days})
  AND NOT EXISTS { (:Order)-[:PLACED_BY]->(p) }
RETURN p.uid AS key, p.uid AS subject_uid, 'Person' AS subject_label, p.name AS name, p.email AS email,
       p.phones[0] AS phone, toString(p.created_at) AS registered_at
"""

SCAN_CROSS_SELL = """
MATCH (a:Product {sku: $product_a})<-[:CONTAINS]-(o:Order)-[:PLACED_BY]->(p:Person)
WHERE o.placed_at <= $now - duration({days: $days})
  AND o.placed_at > $now - duration({days: $days + $window_days})
  AND NOT EXISTS { (:Product {sku: $product_b})<-[:CONTAINS]-(:Order)-[:PLACED_BY]->(p) }
MATCH (b:Product {sku: $product_b})
RETURN o.uid AS key, p.uid AS subject_uid, 'Person' AS subject_label, p.name AS name, p.email AS email,
       a.name AS bought_name, b.name AS recommend_name, b.sku AS recommend_sku, o.number AS order_number
"""

SCAN_DEAL_FOLLOW_UP = """
MATCH (d:Deal {status: 'open'})
OPTIONAL MATCH (i:Interaction)-[:ABOUT]->(d)
WITH d, max(i.at) AS last_touch
WITH d, coalesce(last_touch, d.created_at) AS quiet_since
WHERE quiet_since < $now - duration({days: $days})
CALL (d) { OPTIONAL MATCH (u:User)-[:OWNS]->(d) RETURN u AS owner ORDER BY u.uid LIMIT 1 }
RETURN d.uid + ':' + toString(quiet_since) AS key, d.uid AS subject_uid, 'Deal' AS subject_label,
       d.name AS deal_name, d.stage AS stage, toString(quiet_since) AS quiet_since,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

SCAN_NO_INTERACTION = """
MATCH (c:Company) WHERE $lifecycle IS NULL OR c.lifecycle = $lifecycle
CALL (c) {
  OPTIONAL MATCH (i:Interaction)-[:ABOUT]->(c)
  RETURN max(i.at) AS direct
}
CALL (c) {
  OPTIONAL MATCH (c)<-[w:WORKS_AT]-(:Person)<-[:INVOLVED]-(i:Interaction)
  WHERE w.until IS NULL
  RETURN max(i.at) AS via_people
}
WITH c, CASE WHEN direct IS NULL THEN via_people WHEN via_people IS NULL OR direct > via_people THEN direct
             ELSE via_people END AS last_touch
WHERE last_touch IS NULL OR last_touch < $now - duration({days: $days})
CALL (c) { OPTIONAL MATCH (u:User)-[:ACCOUNT_TEAM]->(c) RETURN u AS owner ORDER BY u.uid LIMIT 1 }
RETURN c.uid + ':' + coalesce(toString(last_touch), 'never') AS key, c.uid AS subject_uid,
       'Company' AS subject_label, c.name AS name, toString(last_touch) AS last_touch,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

SCAN_SLA_DUE = """
MATCH (t:Ticket)
WHERE t.status IN ['open', 'pending'] AND t.sla_due_at > $now AND t.sla_due_at <= $now + duration({hours: $hours})
CALL (t) { OPTIONAL MATCH (u:User)-[:ASSIGNED]->(t) RETURN u AS owner ORDER BY u.uid LIMIT 1 }
OPTIONAL MATCH (t)-[:FOR]->(c:Company)
RETURN t.uid + ':due:' + toString(t.sla_due_at) AS key, t.uid AS subject_uid, 'Ticket' AS subject_label,
       t.subject AS subject, t.priority AS priority, toString(t.sla_due_at) AS sla_due_at, c.name AS company_name,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

SCAN_SLA_BREACHED = """
MATCH (t:Ticket)
WHERE t.status IN ['open', 'pending'] AND t.sla_due_at <= $now
CALL (t) { OPTIONAL MATCH (u:User)-[:ASSIGNED]->(t) RETURN u AS owner ORDER BY u.uid LIMIT 1 }
OPTIONAL MATCH (t)-[:FOR]->(c:Company)
RETURN t.uid + ':breach:' + toString(t.sla_due_at) AS key, t.uid AS subject_uid, 'Ticket' AS subject_label,
       t.subject AS subject, t.priority AS priority, toString(t.sla_due_at) AS sla_due_at, c.name AS company_name,
       owner.uid AS owner_uid, owner.email AS owner_email, owner.name AS owner_name
"""

# Strength decays with a half-life from when it was last computed, so moving the clock lowers it.
SCAN_RELATIONSHIP_DECAY = """
MATCH (u:User)-[k:KNOWS]->(p:Person)-[c:ON_COMMITTEE]->(d:Deal {status: 'open'})
WHERE c.role IN $roles AND k.strength IS NOT NULL
WITH u, k, p, c, d,
     k.strength * 0.5 ^ (toFloat(duration.inDays(coalesce(k.strength_at, $now), $now).days) / $half_life_days)
       AS strength
WHERE strength < $threshold
RETURN u.uid + ':' + p.uid + ':' + d.uid AS key, d.uid AS subject_uid, 'Deal' AS subject_label,
       p.name AS person_name, c.role AS role, d.name AS deal_name, round(strength, 3) AS strength,
       u.uid AS owner_uid, u.email AS owner_email, u.name AS owner_name
"""

# Records an event-triggered rule would have seen lately (dry runs), one query per whitelisted label.
RECENT_RECORDS = {
    label: f"""
MATCH (n:{label}) WHERE n.updated_at >= $since OR n.created_at >= $since
RETURN n.uid AS uid, {public_properties("n")} AS props ORDER BY n.uid LIMIT $limit
"""
    for label in SUBJECT_LABELS
}

STAGE_CHANGES_SINCE = """
MATCH (d:Deal) WHERE d.updated_at >= $since
RETURN d.uid AS uid, d.stage_history AS history ORDER BY d.uid LIMIT $limit
"""

# what a dry run's list shows of each subject: its label and a readable name
# enforce (issue 13): whether the bound access (a rule author's) may read a rule action's subject (any subject
# label; users are not protected records)
SUBJECT_READABLE = """
UNWIND $uids AS uid
""" + _node_by_uid("n", "uid", SUBJECT_LABELS).replace("CALL ()", "CALL (uid)") + """
RETURN uid, """ + readable("n") + """ AS readable
"""

# enforce (issue 13): only subjects the viewer may read (a dry run shows nothing of the others)
SUBJECT_NAMES = """
UNWIND $uids AS uid
""" + _node_by_uid("n", "uid", MANUAL_LABELS).replace("CALL ()", "CALL (uid)") + """
WITH uid, n WHERE """ + readable("n") + """
RETURN uid, labels(n)[0] AS label, toString(coalesce(n.name, n.subject, n.number, n.title, n.uid)) AS name
"""

LABEL_OF = """
UNWIND $uids AS uid
""" + _node_by_uid("n", "uid", MANUAL_LABELS).replace("CALL ()", "CALL (uid)") + """
RETURN uid, labels(n)[0] AS label
"""

# The label of a link event's start node (a rule's subject when triggered by a link).
SUBJECT_LABEL = _node_by_uid("n", "$uid", SUBJECT_LABELS) + """
RETURN labels(n)[0] AS label
"""

EXISTING_KEYS = "UNWIND $keys AS k MATCH (o:OutboxItem {key: k}) RETURN o.key AS key"

LOCK_LAST_RUNS = """
UNWIND $names AS name
OPTIONAL MATCH (l:ScheduleLock {name: name})
RETURN name, l.last_run_at AS last_run_at
"""
