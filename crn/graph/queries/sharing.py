"""Cypher for the access model: teams, territories, sharing rules, organisation-wide defaults, owners, and the
materialisation of every protected record's ``acl_r``/``acl_w`` (see crn.graph.access for the contract).

Graph shape::

    (:User)-[:MEMBER_OF]->(:Team {uid, name})-[:PART_OF]->(:Team)          team hierarchy (child -> parent)
    (:User)-[:MEMBER_OF]->(:Territory {uid, name, countries, industries, tiers})
    (:User)-[:OWNS]->(record)                                              one owner per record
    (:User)-[:ACCOUNT_TEAM {role, access}]->(:Company)                     access: read | read_write
    (:SharingRule {uid, name, label, kind, source_team, field, prop, values, team, level})
    (:OrgDefault {label, level})                                          private | read | read_write
    (:User {personal_data})                                               the personal-data permission

Labels are interpolated only from crn.graph.access.PROTECTED (checked); every value is a parameter.
"""

from __future__ import annotations

from functools import cache

from crn.graph.access import PROTECTED

SCHEMA: tuple[tuple[str, str], ...] = (
    ("team_uid_unique", "CREATE CONSTRAINT team_uid_unique IF NOT EXISTS FOR (n:Team) REQUIRE n.uid IS UNIQUE"),
    ("territory_uid_unique",
     "CREATE CONSTRAINT territory_uid_unique IF NOT EXISTS FOR (n:Territory) REQUIRE n.uid IS UNIQUE"),
    ("sharing_rule_uid_unique",
     "CREATE CONSTRAINT sharing_rule_uid_unique IF NOT EXISTS FOR (n:SharingRule) REQUIRE n.uid IS UNIQUE"),
    ("org_default_label_unique",
     "CREATE CONSTRAINT org_default_label_unique IF NOT EXISTS FOR (n:OrgDefault) REQUIRE n.label IS UNIQUE"),
)

# Materialisation order: a record's keys may copy those of the records before it (a deal its company's,
# an order its buyer's, an interaction its deal's), never after.
ORDER: tuple[str, ...] = ("Company", "Person", "Deal", "Ticket", "Interaction", "Order")


def _check(label: str) -> str:
    if label not in PROTECTED:
        raise ValueError(f"not a protected record type: {label!r}")
    return label


# -- teams ---------------------------------------------------------------------------------------------------

TEAMS = """
MATCH (t:Team)
OPTIONAL MATCH (t)-[:PART_OF]->(p:Team)
CALL (t) {
  OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(t)
  WITH u ORDER BY u.name
  RETURN collect({uid: u.uid, name: u.name, email: u.email, role: u.role}) AS members
}
RETURN t.uid AS uid, t.name AS name, p.uid AS parent, members
ORDER BY toLower(t.name), t.uid
"""

TEAM = "MATCH (t:Team {uid: $uid}) OPTIONAL MATCH (t)-[:PART_OF]->(p:Team) RETURN t.uid AS uid, t.name AS name, " \
       "p.uid AS parent"

TEAM_NAME_TAKEN = """
MATCH (t:Team) WHERE toLower(t.name) = toLower($name) AND t.uid <> $uid RETURN t.uid AS uid LIMIT 1
"""

CREATE_TEAM = """
CREATE (t:Team {uid: $uid, name: $name, created_at: datetime(), updated_at: datetime(), updated_by: $actor})
WITH t
OPTIONAL MATCH (p:Team {uid: $parent})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (t)-[:PART_OF]->(p))
RETURN t.uid AS uid
"""

RENAME_TEAM = """
MATCH (t:Team {uid: $uid}) SET t.name = $name, t.updated_at = datetime(), t.updated_by = $actor RETURN t.uid AS uid
"""

# True when making $parent the parent of $uid would close a loop (the parent is the team or below it).
TEAM_WOULD_CYCLE = """
MATCH (t:Team {uid: $uid}), (p:Team {uid: $parent})
RETURN EXISTS { (p)-[:PART_OF*0..]->(t) } AS cycle
"""

SET_TEAM_PARENT = """
MATCH (t:Team {uid: $uid})
OPTIONAL MATCH (t)-[old:PART_OF]->(:Team)
DELETE old
WITH DISTINCT t
OPTIONAL MATCH (p:Team {uid: $parent})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (t)-[:PART_OF]->(p))
SET t.updated_at = datetime(), t.updated_by = $actor
RETURN t.uid AS uid
"""

TEAM_IN_USE = """
MATCH (t:Team {uid: $uid})
RETURN COUNT { (:Team)-[:PART_OF]->(t) } AS children,
       COUNT { MATCH (r:SharingRule) WHERE r.team = $uid OR r.source_team = $uid } AS rules
"""

DELETE_TEAM = "MATCH (t:Team {uid: $uid}) DETACH DELETE t RETURN count(*) AS removed"

ADD_MEMBER = """
MATCH (g {uid: $group}) WHERE g:Team OR g:Territory
MATCH (u:User {uid: $user})
MERGE (u)-[m:MEMBER_OF]->(g)
ON CREATE SET m.created_at = datetime(), m.updated_by = $actor
RETURN g.uid AS uid
"""

REMOVE_MEMBER = """
MATCH (u:User {uid: $user})-[m:MEMBER_OF]->(g {uid: $group}) WHERE g:Team OR g:Territory
DELETE m RETURN count(*) AS removed
"""

# Users who are members of the team or of a team below it (an owner-based sharing rule's sources).
TEAM_MEMBERS_BELOW = """
MATCH (u:User)-[:MEMBER_OF]->(:Team)-[:PART_OF*0..]->(:Team {uid: $uid})
RETURN collect(DISTINCT u.uid) AS users
"""

# A team and every team below it (the teams a share with that team reaches).
TEAMS_BELOW = """
MATCH (t:Team)-[:PART_OF*0..]->(:Team {uid: $uid})
RETURN collect(DISTINCT t.uid) AS teams
"""

# -- territories ---------------------------------------------------------------------------------------------

TERRITORIES = """
MATCH (t:Territory)
CALL (t) {
  OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(t)
  WITH u ORDER BY u.name
  RETURN collect({uid: u.uid, name: u.name, email: u.email, role: u.role}) AS members
}
RETURN t.uid AS uid, t.name AS name, coalesce(t.countries, []) AS countries,
       coalesce(t.industries, []) AS industries, coalesce(t.tiers, []) AS tiers, members
ORDER BY toLower(t.name), t.uid
"""

TERRITORY = """
MATCH (t:Territory {uid: $uid})
RETURN t.uid AS uid, t.name AS name, coalesce(t.countries, []) AS countries,
       coalesce(t.industries, []) AS industries, coalesce(t.tiers, []) AS tiers
"""

TERRITORY_NAME_TAKEN = """
MATCH (t:Territory) WHERE toLower(t.name) = toLower($name) AND t.uid <> $uid RETURN t.uid AS uid LIMIT 1
"""

SAVE_TERRITORY = """
MERGE (t:Territory {uid: $uid})
ON CREATE SET t.created_at = datetime()
SET t.name = $name, t.countries = $countries, t.industries = $industries, t.tiers = $tiers,
    t.updated_at = datetime(), t.updated_by = $actor
RETURN t.uid AS uid
"""

DELETE_TERRITORY = "MATCH (t:Territory {uid: $uid}) DETACH DELETE t RETURN count(*) AS removed"

# Whether a company (n) falls in territory t: every non-empty criterion matches, and at least one is set.
_IN_TERRITORY = """
size(coalesce(t.countries, [])) + size(coalesce(t.industries, [])) + size(coalesce(t.tiers, [])) > 0
AND (size(coalesce(t.countries, [])) = 0 OR toUpper(n.country) IN [c IN t.countries | toUpper(c)])
AND (size(coalesce(t.industries, [])) = 0 OR toLower(n.industry) IN [i IN t.industries | toLower(i)])
AND (size(coalesce(t.tiers, [])) = 0 OR n.tier IN t.tiers)
"""

# Companies in a territory described by $countries/$industries/$tiers (before or after a change).
COMPANIES_MATCHING = """
WITH {countries: $countries, industries: $industries, tiers: $tiers} AS t
MATCH (n:Company)
WHERE """ + _IN_TERRITORY + """
RETURN n.uid AS uid
"""

# -- sharing rules and defaults ------------------------------------------------------------------------------

SHARING_RULES = """
MATCH (r:SharingRule)
OPTIONAL MATCH (t:Team {uid: r.team})
OPTIONAL MATCH (s:Team {uid: r.source_team})
RETURN properties(r) AS rule, t.name AS team_name, s.name AS source_team_name
ORDER BY r.label, toLower(r.name), r.uid
"""

SHARING_RULE = "MATCH (r:SharingRule {uid: $uid}) RETURN properties(r) AS rule"

CREATE_SHARING_RULE = """
CREATE (r:SharingRule {uid: $uid, name: $name, label: $label, kind: $kind, source_team: $source_team,
                       field: $field, prop: $prop, values: $values, team: $team, level: $level,
                       created_at: datetime(), updated_at: datetime(), updated_by: $actor})
RETURN r.uid AS uid
"""

DELETE_SHARING_RULE = "MATCH (r:SharingRule {uid: $uid}) DELETE r RETURN count(*) AS removed"

ORG_DEFAULTS = "MATCH (d:OrgDefault) RETURN d.label AS label, d.level AS level"

SET_ORG_DEFAULT = """
MERGE (d:OrgDefault {label: $label})
SET d.level = $level, d.updated_at = datetime(), d.updated_by = $actor
RETURN d.label AS label
"""

# -- users: the personal-data permission, the viewer's keys ---------------------------------------------------

USERS = """
MATCH (u:User)
RETURN u {.*, password_hash: null} AS user, u.personal_data AS personal_data
ORDER BY toLower(u.name), u.uid
"""

USER = "MATCH (u:User {uid: $uid}) RETURN u.uid AS uid, u.name AS name, u.role AS role, " \
       "u.personal_data AS personal_data"

SET_PERSONAL_DATA = """
MATCH (u:User {uid: $uid})
SET u.personal_data = $allowed, u.updated_at = datetime(), u.updated_by = $actor
RETURN u.uid AS uid
"""

# Everything a viewer's keys come from, in one round trip: the users below them in the manager chain,
# their teams and the teams below them, their territories, the organisation-wide defaults.
VIEWER = """
OPTIONAL MATCH (me:User {uid: $uid})
CALL (me) {
  OPTIONAL MATCH (sub:User)-[:REPORTS_TO*1..]->(me)
  RETURN collect(DISTINCT sub.uid) AS below
}
CALL (me) {
  OPTIONAL MATCH (me)-[:MEMBER_OF]->(:Team)<-[:PART_OF*0..]-(t:Team)
  RETURN collect(DISTINCT t.uid) AS teams
}
CALL (me) {
  OPTIONAL MATCH (me)-[:MEMBER_OF]->(t:Territory)
  RETURN collect(DISTINCT t.uid) AS territories
}
CALL () {
  OPTIONAL MATCH (d:OrgDefault)
  RETURN collect({label: d.label, level: d.level}) AS defaults
}
RETURN me IS NOT NULL AS found, me.role AS role, me.personal_data AS personal_data, below, teams, territories,
       defaults
"""

# Why a viewer holds each key: names for the explanation.
VIEWER_NAMES = """
OPTIONAL MATCH (me:User {uid: $uid})
CALL (me) {
  OPTIONAL MATCH path = (sub:User)-[:REPORTS_TO*1..]->(me)
  RETURN collect(DISTINCT {uid: sub.uid, name: sub.name}) AS below
}
CALL (me) {
  OPTIONAL MATCH (me)-[:MEMBER_OF]->(direct:Team)<-[:PART_OF*0..]-(t:Team)
  RETURN collect(DISTINCT {uid: t.uid, name: t.name, via: direct.name}) AS teams
}
CALL (me) {
  OPTIONAL MATCH (me)-[:MEMBER_OF]->(t:Territory)
  RETURN collect(DISTINCT {uid: t.uid, name: t.name}) AS territories
}
RETURN me.name AS name, me.role AS role, below, teams, territories
"""

# -- owners --------------------------------------------------------------------------------------------------


@cache
def owner_of(label: str) -> str:
    """The owner of a record (None when it has none) and whether the record exists."""
    return (f"OPTIONAL MATCH (n:{_check(label)} {{uid: $uid}}) OPTIONAL MATCH (o:User)-[:OWNS]->(n) "
            "RETURN n IS NOT NULL AS found, o.uid AS owner, o.name AS owner_name ORDER BY o.uid LIMIT 1")


@cache
def set_owner(label: str) -> str:
    """Replace a record's owners by one user (``$user``); returns the uids of the previous owners."""
    return f"""
MATCH (n:{_check(label)} {{uid: $uid}})
MATCH (u:User {{uid: $user}})
OPTIONAL MATCH (old:User)-[o:OWNS]->(n)
WITH n, u, collect(old.uid) AS before, collect(o) AS rels
FOREACH (r IN rels | DELETE r)
MERGE (u)-[r:OWNS]->(n)
SET r.updated_at = datetime(), r.updated_by = $actor
RETURN before
"""


@cache
def claim_unowned(label: str) -> str:
    """Make each row's actor (a user) the owner of each new record that has none: the creator owns it."""
    return f"""
UNWIND $rows AS row
MATCH (n:{_check(label)} {{uid: row.uid}})
WHERE NOT EXISTS {{ (:User)-[:OWNS]->(n) }}
MATCH (u:User {{uid: row.actor}})
MERGE (u)-[r:OWNS]->(n)
SET r.updated_at = datetime(), r.updated_by = row.actor
RETURN count(*) AS claimed
"""


# Records (of every protected type) a user owns: what a change of the user's teams touches.
OWNED_BY = """
MATCH (:User {uid: $user})-[:OWNS]->(n)
UNWIND [l IN labels(n) WHERE l IN $labels] AS label
RETURN label, collect(n.uid) AS uids
"""

# The protected label of each of $uids (those that are protected records), one index seek per label.
LABELS_OF = "UNWIND $uids AS uid CALL (uid) { " + " UNION ".join(
    f"MATCH (n:{label} {{uid: uid}}) RETURN '{label}' AS label" for label in PROTECTED
) + " } RETURN uid, label"

# -- materialisation -----------------------------------------------------------------------------------------

_OWNER = """
CALL (n) {
  OPTIONAL MATCH (o:User)-[:OWNS]->(n)
  OPTIONAL MATCH (o)-[:MEMBER_OF]->(team:Team)
  RETURN collect(DISTINCT o.uid) AS owners, collect(DISTINCT team.uid) AS owner_teams
}
"""

# $rules: [{uid, name, label, kind ('owner' | 'criteria'), members (owner rules: users of the source team and
# below), prop, values (criteria rules: strings), keys (the team shared with and the teams below it), write}]
_RULES = """
WITH *, [r IN $rules WHERE (
         (r.kind = 'owner' AND any(o IN owners WHERE o IN r.members))
      OR (r.kind = 'criteria' AND n[r.prop] IS NOT NULL AND CASE
            WHEN valueType(n[r.prop]) STARTS WITH 'LIST' THEN any(v IN n[r.prop] WHERE toString(v) IN r.values)
            ELSE toString(n[r.prop]) IN r.values END))
    | {uid: r.uid, name: r.name, keys: r.keys, write: r.write}] AS rules
"""

_ACCOUNT_TEAM = """
CALL (n) {
  OPTIONAL MATCH (u:User)-[a:ACCOUNT_TEAM]->(n)
  RETURN collect(DISTINCT CASE WHEN u IS NOT NULL
           THEN {uid: u.uid, name: u.name, write: coalesce(a.access, 'read_write') = 'read_write'} END) AS account_team
}
"""

_TERRITORIES = """
CALL (n) {
  OPTIONAL MATCH (t:Territory) WHERE """ + _IN_TERRITORY + """
  RETURN collect(DISTINCT CASE WHEN t IS NOT NULL THEN {uid: t.uid, name: t.name} END) AS territories
}
"""

_NO_TERRITORIES = "WITH *, [] AS account_team, [] AS territories\n"

# The records a record's keys are copied from, and the staff it is assigned to / involves.
_PARENT_MATCH = {
    "Company": None,
    "Person": "(n)-[w:WORKS_AT]->(p:Company) WHERE w.until IS NULL",
    "Deal": "(n)-[:FOR]->(p:Company)",
    "Ticket": "(n)-[:FOR]->(p:Company)",
    "Interaction": "(n)-[:ABOUT|INVOLVED]->(p) WHERE p:Company OR p:Deal OR p:Ticket OR p:Person",
    "Order": "(n)-[:PLACED_BY]->(p) WHERE p:Company OR p:Person",
}
_STAFF_MATCH = {  # (users with read, users with read and write)
    "Ticket": "(u:User)-[:ASSIGNED]->(n)",
    "Interaction": "(n)-[:INVOLVED]->(u:User)",
}


def _parents(label: str) -> str:
    match = _PARENT_MATCH[label]
    if match is None:
        return "WITH *, [] AS parents\n"
    return f"""
CALL (n) {{
  OPTIONAL MATCH {match}
  RETURN collect(DISTINCT CASE WHEN p IS NOT NULL THEN {{label: [l IN labels(p) WHERE l IN {list(PROTECTED)!r}][0],
          uid: p.uid, name: coalesce(p.name, p.subject, p.number, p.uid), r: coalesce(p.acl_r, []), w: coalesce(p.acl_w, [])}}
          END) AS parents
}}
"""


def _staff(label: str) -> str:
    match = _STAFF_MATCH.get(label)
    if match is None:
        return "WITH *, [] AS staff\n"
    write = "true" if label == "Ticket" else "false"
    return f"""
CALL (n) {{
  OPTIONAL MATCH {match}
  RETURN collect(DISTINCT CASE WHEN u IS NOT NULL THEN {{uid: u.uid, name: u.name, write: {write}}} END) AS staff
}}
"""


def _sources(label: str) -> str:
    """For each ``n`` (matched before), where its keys come from, as named lists (see :func:`materialise`)."""
    _check(label)
    company = _ACCOUNT_TEAM + _TERRITORIES if label == "Company" else _NO_TERRITORIES
    return _OWNER + _RULES + company + _parents(label) + _staff(label)


_COMBINE = """
WITH n,
     [o IN owners | 'u:' + o]
     + [a IN account_team WHERE a.write | 'u:' + a.uid]
     + [t IN territories | 't:' + t.uid]
     + reduce(acc = [], r IN rules | acc + CASE WHEN r.write THEN r.keys ELSE [] END)
     + [s IN staff WHERE s.write | 'u:' + s.uid]
     + reduce(acc = [], p IN parents | acc + p.w) AS wk,
     [t IN owner_teams | 'g:' + t]
     + [a IN account_team | 'u:' + a.uid]
     + reduce(acc = [], r IN rules | acc + r.keys)
     + [s IN staff | 'u:' + s.uid]
     + reduce(acc = [], p IN parents | acc + p.r) AS rk
CALL (rk, wk) { UNWIND rk + wk AS k WITH DISTINCT k ORDER BY k RETURN collect(k) AS acl_r }
CALL (wk) { UNWIND wk AS k WITH DISTINCT k ORDER BY k RETURN collect(k) AS acl_w }
"""


@cache
def materialise(label: str) -> str:
    """Recompute ``acl_r``/``acl_w`` of the ``label`` records ``$uids`` (``$rules``: the sharing rules, see
    ``_RULES``); returns the uids whose keys changed (their dependents need recomputing too)."""
    return (f"UNWIND $uids AS uid MATCH (n:{_check(label)} {{uid: uid}})\n" + _sources(label) + _COMBINE + """
WITH n, acl_r, acl_w
WHERE n.acl_r IS NULL OR n.acl_w IS NULL OR n.acl_r <> acl_r OR n.acl_w <> acl_w
SET n.acl_r = acl_r, n.acl_w = acl_w
RETURN n.uid AS uid
""")


@cache
def sources(label: str) -> str:
    """Where one record's keys come from (for the explanation), and its stored keys."""
    return (f"MATCH (n:{_check(label)} {{uid: $uid}})\n" + _sources(label) + """
CALL (n) { OPTIONAL MATCH (o:User)-[:OWNS]->(n) RETURN collect(DISTINCT {uid: o.uid, name: o.name}) AS owner_names }
CALL (owner_teams) { UNWIND owner_teams AS tu MATCH (t:Team {uid: tu})
                     RETURN collect({uid: t.uid, name: t.name}) AS owner_team_names }
RETURN coalesce(n.name, n.subject, n.uid) AS name, owner_names, owner_team_names, rules, account_team, territories,
       parents, staff, coalesce(n.acl_r, []) AS acl_r, coalesce(n.acl_w, []) AS acl_w
""")


# The records whose keys copy those of $uids (a record of `label`), by their label.
_DEPENDENTS = {
    "Company": (("Person", "MATCH (d:Person)-[w:WORKS_AT]->(:Company {uid: uid}) WHERE w.until IS NULL"),
                ("Deal", "MATCH (d:Deal)-[:FOR]->(:Company {uid: uid})"),
                ("Ticket", "MATCH (d:Ticket)-[:FOR]->(:Company {uid: uid})"),
                ("Interaction", "MATCH (d:Interaction)-[:ABOUT]->(:Company {uid: uid})"),
                ("Order", "MATCH (d:Order)-[:PLACED_BY]->(:Company {uid: uid})")),
    "Person": (("Interaction", "MATCH (d:Interaction)-[:INVOLVED]->(:Person {uid: uid})"),
               ("Order", "MATCH (d:Order)-[:PLACED_BY]->(:Person {uid: uid})")),
    "Deal": (("Interaction", "MATCH (d:Interaction)-[:ABOUT]->(:Deal {uid: uid})"),),
    "Ticket": (("Interaction", "MATCH (d:Interaction)-[:ABOUT]->(:Ticket {uid: uid})"),),
}


@cache
def dependents(label: str) -> str:
    """The records whose keys copy those of the ``label`` records ``$uids``: rows (label, uids)."""
    parts = _DEPENDENTS.get(_check(label), ())
    if not parts:
        return "RETURN null AS label, [] AS uids LIMIT 0"
    union = " UNION ".join(f"UNWIND $uids AS uid {match} RETURN '{dep}' AS label, d.uid AS duid"
                           for dep, match in parts)
    return f"CALL () {{ {union} }} RETURN label, collect(DISTINCT duid) AS uids"


@cache
def uids_page(label: str) -> str:
    """The uids of ``label`` records after ``$after`` (in uid order), ``$limit`` at most: rebuild's pages."""
    return f"MATCH (n:{_check(label)}) WHERE n.uid > $after RETURN n.uid AS uid ORDER BY n.uid LIMIT $limit"


@cache
def count_label(label: str) -> str:
    """How many ``label`` records there are."""
    return f"MATCH (n:{_check(label)}) RETURN count(n) AS n"


@cache
def lacking_acl(label: str) -> str:
    """Whether any ``label`` record has no keys yet (an install upgraded from before record-level access)."""
    return f"MATCH (n:{_check(label)}) WHERE n.acl_r IS NULL RETURN n.uid AS uid LIMIT 1"


# The sharing rules with their teams expanded: ``keys`` (the team shared with and every team below it) and
# ``members`` (an owner rule's sources: users of its source team and of the teams below it).
RULES_EXPANDED = """
MATCH (r:SharingRule)
CALL (r) {
  OPTIONAL MATCH (t:Team)-[:PART_OF*0..]->(:Team {uid: r.team})
  RETURN collect(DISTINCT 'g:' + t.uid) AS keys
}
CALL (r) {
  OPTIONAL MATCH (u:User)-[:MEMBER_OF]->(:Team)-[:PART_OF*0..]->(:Team {uid: r.source_team})
  RETURN collect(DISTINCT u.uid) AS members
}
RETURN r.uid AS uid, r.name AS name, r.label AS label, r.kind AS kind, r.prop AS prop,
       coalesce(r.values, []) AS values, keys, members, r.level = 'read_write' AS write
ORDER BY r.uid
"""

TEAM_MEMBERS = "MATCH (u:User)-[:MEMBER_OF]->(:Team {uid: $uid}) RETURN collect(u.uid) AS users"


@cache
def record_access(label: str) -> str:
    """Whether ``$uid`` exists and the bound viewer (``$access``) may read and change it."""
    from crn.graph.queries.access import readable, writable

    return (f"OPTIONAL MATCH (n:{_check(label)} {{uid: $uid}}) RETURN n IS NOT NULL AS found, "
            f"n IS NOT NULL AND {readable('n', label)} AS can_read, "
            f"n IS NOT NULL AND {writable('n', label)} AS can_write")

# A user by uid or e-mail (the CLI names users either way).
USER_BY_REF = """
MATCH (u:User) WHERE u.uid = $ref OR u.email = toLower($ref)
RETURN u.uid AS uid, u.name AS name, u.email AS email, u.role AS role LIMIT 1
"""

# A team or territory by uid or (case-insensitive) name.
GROUP_BY_REF = """
MATCH (g) WHERE (g:Team OR g:Territory) AND (g.uid = $ref OR toLower(g.name) = toLower($ref))
RETURN g.uid AS uid, g.name AS name, labels(g)[0] AS label LIMIT 1
"""

# -- the demo's organisation (crn.demo.access) -----------------------------------------------------------------

DEMO_USERS = "MATCH (u:User) RETURN u.uid AS uid, u.team AS team, u.territory AS territory, u.role AS role " \
             "ORDER BY u.uid"

DEMO_TEAMS = """
UNWIND $rows AS row
MERGE (t:Team {uid: row.uid})
SET t.name = row.name
WITH t, row
OPTIONAL MATCH (p:Team {uid: row.parent})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (t)-[:PART_OF]->(p))
"""

DEMO_TERRITORIES = """
UNWIND $rows AS row
MERGE (t:Territory {uid: row.uid})
SET t.name = row.name, t.countries = row.countries, t.industries = [], t.tiers = []
"""

DEMO_MEMBERS = """
UNWIND $rows AS row
MATCH (u:User {uid: row.user}), (g {uid: row.group}) WHERE g:Team OR g:Territory
MERGE (u)-[:MEMBER_OF]->(g)
"""

# The users' `team` text property (from before Team nodes), grouped: what teams_from_users() turns into teams.
USER_TEAM_NAMES = """
MATCH (u:User) WHERE trim(coalesce(u.team, '')) <> ''
RETURN trim(u.team) AS name, collect(u.uid) AS users ORDER BY name
"""
