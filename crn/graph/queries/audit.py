"""Cypher for the audit trail: the chain's head, appends, the walk that verifies, queries, redaction, retention.

An entry is an ``:AuditEntry`` node; its properties are the entry's *frame* (``seq``, ``at``, ``actor``,
``action``, ``target_label``, ``target``, ``other``, ``channel``, ``ref``), its ``payload`` (canonical JSON:
the actor's name at the time and the changes), the payload's ``digest``, the chained ``hash`` and ``redacted``.
The target is kept as ``target``/``other``, never ``uid``: an entry must not answer a lookup of a record by uid.

One ``:AuditHead`` node holds the last ``seq`` and ``hash`` and the retention checkpoint (``anchor_seq``,
``anchor_hash``). Appending writes the head first, so its write lock orders appends (see crn.audit.store).
"""

from __future__ import annotations

from crn.graph.access import PROTECTED
from crn.graph.queries.access import readable

ENTRY_LABEL = "AuditEntry"
HEAD_LABEL = "AuditHead"
LABELS: tuple[str, ...] = (ENTRY_LABEL, HEAD_LABEL)

AUDIT_SCHEMA: tuple[tuple[str, str], ...] = (
    ("audit_head_id", "CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.id IS UNIQUE"),
    ("audit_entry_seq", "CREATE CONSTRAINT audit_entry_seq IF NOT EXISTS FOR (a:AuditEntry) REQUIRE a.seq IS UNIQUE"),
    ("audit_entry_target", "CREATE INDEX audit_entry_target IF NOT EXISTS FOR (a:AuditEntry) ON (a.target)"),
    ("audit_entry_other", "CREATE INDEX audit_entry_other IF NOT EXISTS FOR (a:AuditEntry) ON (a.other)"),
    ("audit_entry_at", "CREATE INDEX audit_entry_at IF NOT EXISTS FOR (a:AuditEntry) ON (a.at)"),
    ("audit_entry_actor", "CREATE INDEX audit_entry_actor IF NOT EXISTS FOR (a:AuditEntry) ON (a.actor)"),
)

# Takes the head's write lock (held until the transaction ends) and reserves $n sequence numbers; the hash is
# read after the lock, so it is the last committed append's. Also the names of the acting users (at the time).
LOCK_HEAD = """
MERGE (h:AuditHead {id: 'audit'})
  ON CREATE SET h.seq = 0, h.hash = '', h.anchor_seq = 0, h.anchor_hash = ''
SET h.seq = h.seq + $n
WITH h
OPTIONAL MATCH (u:User) WHERE u.uid IN $actors
RETURN h.seq - $n AS seq, h.hash AS hash, collect(CASE WHEN u IS NULL THEN null ELSE [u.uid, u.name] END) AS names
"""

APPEND = """
UNWIND $entries AS e
CREATE (a:AuditEntry {seq: e.seq, at: e.at, actor: e.actor, action: e.action, target_label: e.target_label,
                      target: e.target, other: e.other, channel: e.channel, ref: e.ref, payload: e.payload,
                      digest: e.digest, hash: e.hash, redacted: e.redacted})
WITH count(a) AS appended
MATCH (h:AuditHead {id: 'audit'})
SET h.hash = $hash
RETURN appended
"""

HEAD = """
MATCH (h:AuditHead {id: 'audit'})
RETURN h.seq AS seq, h.hash AS hash, coalesce(h.anchor_seq, 0) AS anchor_seq, coalesce(h.anchor_hash, '') AS anchor_hash
"""

# The walk that verifies: entries in seq order, a page at a time (duplicates and gaps are for the caller to see).
CHAIN_PAGE = """
MATCH (a:AuditEntry) WHERE a.seq > $after
RETURN a {.*} AS entry ORDER BY a.seq LIMIT $limit
"""

COUNT = "MATCH (a:AuditEntry) RETURN count(a) AS n"

_FILTERS = """
  ($before IS NULL OR a.seq < $before)
  AND ($actor IS NULL OR a.actor = $actor)
  AND ($action IS NULL OR a.action = $action)
  AND ($label IS NULL OR a.target_label = $label)
  AND ($uid IS NULL OR a.target = $uid OR a.other = $uid)
  AND ($channel IS NULL OR a.channel = $channel)
  AND ($from IS NULL OR a.at >= $from)
  AND ($to IS NULL OR a.at < $to)
"""

# Newest first, a page of at most $limit entries before seq $before (null: from the newest).
TRAIL = f"""
MATCH (a:AuditEntry)
WHERE {_FILTERS}
RETURN a {{.*}} AS entry ORDER BY a.seq DESC LIMIT $limit
"""

TRAIL_COUNT = f"""
MATCH (a:AuditEntry)
WHERE {_FILTERS}
RETURN count(a) AS n
"""

# One record's history (as target or as the other end of a link), newest first.
HISTORY = """
CALL () {
  MATCH (a:AuditEntry {target: $uid}) RETURN a
  UNION
  MATCH (a:AuditEntry {other: $uid}) RETURN a
}
WITH a WHERE $before IS NULL OR a.seq < $before
RETURN a {.*} AS entry ORDER BY a.seq DESC LIMIT $limit
"""

# Which of $uids are records a reader may see entries of (protected records by visibility, the product
# catalogue always), and which exist at all: uid, readable.
_RECORD_LABELS: tuple[str, ...] = (*PROTECTED, "Product")
READABLE_TARGETS = "\nUNION ALL\n".join(
    f"MATCH (n:{label}) WHERE n.uid IN $uids RETURN n.uid AS uid, {readable('n', label)} AS readable"
    for label in _RECORD_LABELS)

# Redaction for erasure: the entries about a subject, or whose payload names one of $needles (lower case).
REDACTION_CANDIDATES = """
MATCH (a:AuditEntry)
WHERE a.target = $uid OR a.other = $uid OR any(n IN $needles WHERE toLower(a.payload) CONTAINS n)
RETURN a.seq AS seq, a.target AS target, a.other AS other, a.payload AS payload
"""

REDACT = """
UNWIND $rows AS r
MATCH (a:AuditEntry {seq: r.seq})
SET a.payload = r.payload, a.redacted = true, a.redacted_at = $now
RETURN count(a) AS redacted
"""

# Retention: the newest entry older than the cutoff, then a batch of the oldest entries up to it.
LAST_EXPIRED = """
MATCH (a:AuditEntry) WHERE a.at < $cutoff
RETURN max(a.seq) AS last
"""

OLDEST_UP_TO = """
MATCH (a:AuditEntry) WHERE a.seq <= $last
WITH a ORDER BY a.seq LIMIT $limit
RETURN max(a.seq) AS seq, collect(a.seq) AS seqs
"""

ENTRY_HASH = "MATCH (a:AuditEntry {seq: $seq}) RETURN a.hash AS hash"

PURGE = """
MATCH (a:AuditEntry) WHERE a.seq IN $seqs
DETACH DELETE a
RETURN count(*) AS purged
"""

SET_ANCHOR = """
MATCH (h:AuditHead {id: 'audit'})
SET h.anchor_seq = $seq, h.anchor_hash = $hash
"""

# Takes the head's write lock for a purge (appends wait; the anchor moves with the purged entries).
LOCK_FOR_PURGE = """
MERGE (h:AuditHead {id: 'audit'})
  ON CREATE SET h.seq = 0, h.hash = '', h.anchor_seq = 0, h.anchor_hash = ''
SET h.purged_at = $now
"""

# The first entry past the head (none unless an entry was written behind the chain's back), with the head.
BEYOND_HEAD = """
MATCH (h:AuditHead {id: 'audit'})
OPTIONAL MATCH (a:AuditEntry) WHERE a.seq > h.seq
RETURN h.seq AS seq, min(a.seq) AS first
"""
