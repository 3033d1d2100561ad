"""Cypher for personal-data rights: consent, the suppression list, data-subject export, erasure, retention."""

from __future__ import annotations

from crn.graph.queries.access import readable, writable
from crn.graph.secrets import not_secret_node, public_properties

# Schema objects privacy needs (applied by crn.graph.migrations.all_migrations).
SCHEMA: tuple[tuple[str, str], ...] = (
    ("suppression_key_unique",
     "CREATE CONSTRAINT suppression_key_unique IF NOT EXISTS FOR (s:Suppression) REQUIRE s.key IS UNIQUE"),
    ("privacy_key_name_unique",
     "CREATE CONSTRAINT privacy_key_name_unique IF NOT EXISTS FOR (k:PrivacyKey) REQUIRE k.name IS UNIQUE"),
    ("rule_run_at", "CREATE INDEX rule_run_at IF NOT EXISTS FOR (r:RuleRun) ON (r.at)"),
)

# --- the server's keys (the property is named ``secret``: crn.graph.secrets keeps it in the database) -------

PRIVACY_KEY_READ = "MATCH (k:PrivacyKey {name: $name}) RETURN k.secret AS secret"
PRIVACY_KEY = """
MERGE (k:PrivacyKey {name: $name})
ON CREATE SET k.secret = $secret, k.created_at = datetime()
RETURN k.secret AS secret
"""

# --- recipients and the suppression list -----------------------------------------------------------

# People an e-mail address belongs to: the primary address (unique index) or one of the other addresses.
PEOPLE_BY_EMAIL = """
CALL () {
  MATCH (p:Person {email: $address}) RETURN p
  UNION
  MATCH (p:Person) WHERE any(e IN coalesce(p.emails, []) WHERE toLower(e) = $address) RETURN p
}
RETURN p.uid AS uid, p.consent_email AS consent, p.consent_email_at AS consent_at
"""

# People a phone number belongs to, compared on digits (and a leading +) only.
PEOPLE_BY_PHONE = """
MATCH (p:Person)
WHERE any(x IN coalesce(p.phones, []) WHERE
          reduce(s = '', c IN split(x, '') | s + CASE WHEN c IN $digits THEN c ELSE '' END) = $phone)
RETURN p.uid AS uid, p.consent_sms AS consent_sms, p.consent_phone AS consent_phone
"""

STAFF_BY_EMAIL = "MATCH (u:User {email: $address}) RETURN u.uid AS uid"

PERSON_CONSENT = """
MATCH (p:Person {uid: $uid})
RETURN p.uid AS uid, p.email AS email, coalesce(p.emails, []) AS emails, coalesce(p.phones, []) AS phones,
       p.consent_email AS consent_email, p.consent_email_at AS consent_email_at,
       p.consent_email_source AS consent_email_source,
       p.consent_sms AS consent_sms, p.consent_sms_at AS consent_sms_at, p.consent_sms_source AS consent_sms_source,
       p.consent_phone AS consent_phone, p.consent_phone_at AS consent_phone_at,
       p.consent_phone_source AS consent_phone_source
"""

# The person as the bound viewer may see / change them (the API's privacy section).
PERSON_READABLE = ("MATCH (p:Person {uid: $uid}) WHERE " + readable("p", "Person")
                   + " RETURN p.uid AS uid, p.name AS name, p.erased_at AS erased_at")
PERSON_WRITABLE = ("MATCH (p:Person {uid: $uid}) WHERE " + writable("p", "Person")
                   + " RETURN p.uid AS uid, p.name AS name, p.erased_at AS erased_at")

SUPPRESSIONS = """
UNWIND $keys AS key
MATCH (s:Suppression {key: key})
RETURN s.key AS key, s.channel AS channel, s.reason AS reason, s.at AS at, s.source AS source
"""

SUPPRESS = """
UNWIND $rows AS row
MERGE (s:Suppression {key: row.key})
ON CREATE SET s.channel = row.channel, s.address_hash = row.address_hash, s.at = $now, s.source = $source,
              s.reason = $reason
// an erasure outranks an unsubscribe: the address is never mailed again, whatever the purpose
SET s.reason = CASE WHEN $reason = 'erased' THEN 'erased' ELSE s.reason END
RETURN count(s) AS n
"""

# A person who gives consent again lifts their unsubscribe (never an erasure's suppression).
UNSUPPRESS = """
UNWIND $keys AS key
MATCH (s:Suppression {key: key}) WHERE s.reason = 'unsubscribed'
DELETE s
RETURN count(*) AS n
"""

SUPPRESSION_COUNT = "MATCH (s:Suppression) RETURN count(s) AS n"

# Consent for one channel of one person changes (``$props`` names the channel's three properties).
SET_CONSENT = """
MATCH (p:Person {uid: $uid})
WITH p, properties(p) AS before
SET p += $props, p.updated_at = $now, p.updated_by = $actor
RETURN before, properties(p) AS after
"""

# --- data-subject export ---------------------------------------------------------------------------

EXPORT_PERSON = "MATCH (p:Person {uid: $uid}) RETURN " + public_properties("p") + " AS person"

FIND_PERSON = """
CALL () {
  MATCH (p:Person {uid: $key}) RETURN p
  UNION
  MATCH (p:Person {email: toLower($key)}) RETURN p
  UNION
  MATCH (p:Person {email: $key}) RETURN p
}
RETURN p.uid AS uid, p.name AS name
"""

EXPORT_RELATIONSHIPS = """
MATCH (p:Person {uid: $uid})-[r]-(o)
WHERE """ + not_secret_node("o") + """
RETURN type(r) AS type, CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
       labels(o)[0] AS other_label, o.uid AS other_uid,
       toString(coalesce(o.name, o.subject, o.number, o.title, o.uid)) AS other_name, properties(r) AS props
ORDER BY type, other_label, other_uid
"""

EXPORT_INTERACTIONS = """
MATCH (i:Interaction)-[:INVOLVED]->(:Person {uid: $uid})
RETURN """ + public_properties("i") + """ AS row ORDER BY i.at, i.uid
"""

EXPORT_ORDERS = """
MATCH (o:Order)-[:PLACED_BY]->(:Person {uid: $uid})
RETURN """ + public_properties("o") + """ AS row ORDER BY o.placed_at, o.uid
"""

EXPORT_TICKETS = """
MATCH (t:Ticket)-[:RAISED_BY]->(:Person {uid: $uid})
RETURN """ + public_properties("t") + """ AS row ORDER BY t.created_at, t.uid
"""

EXPORT_TASKS = """
MATCH (t:Task) WHERE t.subject_uid = $uid
RETURN """ + public_properties("t") + """ AS row ORDER BY t.due_at, t.uid
"""

EXPORT_OUTBOX = """
MATCH (o:OutboxItem) WHERE o.subject_uid = $uid OR o.context CONTAINS $uid
RETURN o.key AS key, o.rule_id AS rule_id, o.action AS action, o.status AS status, o.attempts AS attempts,
       o.created_at AS created_at, o.delivered_at AS delivered_at, o.last_error AS last_error,
       o.context AS context, o.result AS result
ORDER BY o.created_at, o.key
"""

EXPORT_RULE_RUNS = """
MATCH (r:RuleRun) WHERE r.subject_uid = $uid
RETURN r.uid AS uid, r.rule_id AS rule_id, r.key AS key, r.action AS action, r.outcome AS outcome,
       r.error AS error, r.attempt AS attempt, r.at AS at
ORDER BY r.at, r.uid
"""

EXPORT_MERGES = """
MATCH (m:MergeRecord) WHERE m.survivor = $uid OR m.merged = $uid
RETURN m.uid AS uid, m.survivor AS survivor, m.merged AS merged, m.label AS label, m.at AS at,
       m.actor AS actor, m.merged_props AS merged_props, m.score AS score
ORDER BY m.at, m.uid
"""

EXPORT_SUPPRESSIONS = """
UNWIND $keys AS key
MATCH (s:Suppression {key: key})
RETURN s.channel AS channel, s.reason AS reason, s.at AS at, s.source AS source
"""

# --- erasure -----------------------------------------------------------------------------------------

# Every node (other than the person, credentials and ``$skip_labels``) with a string or string-list property
# holding one of ``$needles`` (lower-case); a whole-database scan, done once per erasure.
NODES_NAMING = """
MATCH (n)
WHERE NOT n:Person OR n.uid <> $uid
WITH n WHERE NOT any(l IN labels(n) WHERE l IN $skip_labels)
WITH n, [k IN keys(n) WHERE any(x IN CASE WHEN n[k] IS :: LIST<STRING NOT NULL> THEN n[k]
                                           WHEN n[k] IS :: STRING THEN [n[k]] ELSE [] END
                                WHERE any(s IN $needles WHERE toLower(x) CONTAINS s))] AS hits
WHERE size(hits) > 0
RETURN elementId(n) AS id, [k IN hits | [k, n[k]]] AS values
"""

RELS_NAMING = """
MATCH ()-[r]->()
WITH r, [k IN keys(r) WHERE any(x IN CASE WHEN r[k] IS :: LIST<STRING NOT NULL> THEN r[k]
                                           WHEN r[k] IS :: STRING THEN [r[k]] ELSE [] END
                                WHERE any(s IN $needles WHERE toLower(x) CONTAINS s))] AS hits
WHERE size(hits) > 0
RETURN elementId(r) AS id, [k IN hits | [k, r[k]]] AS values
"""

SET_NODE_VALUES = """
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.id
SET n += row.props
RETURN count(n) AS n
"""

SET_REL_VALUES = """
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.id
SET r += row.props
RETURN count(r) AS n
"""

# The person's own node: ``$drop`` maps every identifying property to null (removing it); the name becomes
# the pseudonym.
ANONYMISE_PERSON = """
MATCH (p:Person {uid: $uid})
SET p += $drop
SET p.name = $name, p.erased_at = $now, p.updated_at = $now, p.updated_by = $actor,
    p.tags = [], p.emails = [], p.phones = [], p.external_ids = []
RETURN properties(p) AS after
"""

# --- retention ----------------------------------------------------------------------------------------

# Interactions older than the cutoff: texts blanked, participants' identities kept only as relationships.
RETAIN_INTERACTIONS = """
MATCH (i:Interaction) WHERE i.at < $cutoff AND i.retained_at IS NULL
WITH i LIMIT $limit
SET i.subject = null, i.summary = null, i.retained_at = $now
RETURN count(i) AS n
"""

RETAIN_CLOSED_TICKETS = """
MATCH (t:Ticket) WHERE t.status IN ['closed', 'resolved'] AND coalesce(t.resolved_at, t.updated_at) < $cutoff
  AND t.retained_at IS NULL
WITH t LIMIT $limit
OPTIONAL MATCH (t)-[raised:RAISED_BY]->(:Person)
DELETE raised
WITH DISTINCT t
SET t.subject = 'Closed ticket (retention)', t.retained_at = $now
RETURN count(t) AS n
"""

RETAIN_SESSIONS = """
MATCH (s:Session) WHERE s.expires_at < $cutoff
WITH s LIMIT $limit
DETACH DELETE s
RETURN count(*) AS n
"""

RETAIN_OUTBOX = """
MATCH (o:OutboxItem) WHERE o.status IN ['done', 'dead', 'cancelled', 'skipped'] AND o.created_at < $cutoff
WITH o LIMIT $limit
DETACH DELETE o
RETURN count(*) AS n
"""

RETAIN_RULE_RUNS = """
MATCH (r:RuleRun) WHERE r.at < $cutoff
WITH r LIMIT $limit
DETACH DELETE r
RETURN count(*) AS n
"""

RETENTION_LOG = """
CREATE (l:RetentionRun {uid: $uid, at: $now, worker: $worker, counts: $counts, settings: $settings})
RETURN l.uid AS uid
"""

RETENTION_RUNS = """
MATCH (l:RetentionRun)
RETURN l.uid AS uid, l.at AS at, l.worker AS worker, l.counts AS counts, l.settings AS settings
ORDER BY l.at DESC LIMIT $limit
"""
