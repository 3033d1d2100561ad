"""Who a rule acts for: what its author may save, and whether the author may still do it when it runs.

A rule runs with its author's authority. The author is who saved the current version (a user's uid), or
the operator: rules saved by code or the CLI (``crn rules add``, actor ``cli`` or none) run as an admin,
since whoever runs the CLI already holds the database credentials. The checks:

- at save (:func:`check_rule`): users, API tokens and sessions are never rule subjects; ``update_field``
  sets only fields declared for records (crn.crm.records.FIELDS) minus :data:`PROTECTED_FIELDS`; templates
  and conditions never name a credential; only admins save rules that call webhooks or are triggered by a
  link that starts at a user (OWNS, ACCOUNT_TEAM, ASSIGNED, KNOWS, REPORTS_TO), and transactional rules
  (their messages skip marketing consent, crn.crm.privacy);
- at delivery (:func:`refusal`): the author still exists, is active and holds a role the action needs,
  else the action is refused and recorded as a dead :RuleRun (``author_missing``, ``author_inactive``,
  ``author_forbidden``).
"""

from __future__ import annotations

import re
from typing import Any

from crn.auth import access as user_access
from crn.auth.users import WRITE_ROLES, AuthUser
from crn.automation import vocabulary as vocab
from crn.automation.rules import FieldError, Group, Leaf, Rule
from crn.crm import links, records
from crn.graph import db
from crn.graph.access import SYSTEM, Access
from crn.graph.queries import automation as q
from crn.graph.queries.audit import LABELS as AUDIT_LABELS
from crn.graph.secrets import SECRET_LABELS, SECRET_PROPERTIES, SECRET_REL_TYPES, is_secret_name

OPERATORS: tuple[str | None, ...] = (None, "cli")
ADMIN = "admin"
# Labels a rule may never trigger on nor act on.
PROTECTED_LABELS: tuple[str, ...] = ("User", *SECRET_LABELS, *SECRET_REL_TYPES, *AUDIT_LABELS)  # audit: entries too
# Fields no rule ever sets, on any record.
PROTECTED_FIELDS: frozenset[str] = frozenset({"role", "active", "uid", "created_at", "updated_at", "updated_by",
                                              "external_ids", *SECRET_PROPERTIES})
# label -> the fields update_field may set, from the one declaration of record fields.
UPDATABLE_FIELDS: dict[str, tuple[str, ...]] = {
    label: tuple(name for name in fields if name not in PROTECTED_FIELDS)
    for label, fields in records.FIELDS.items() if label not in PROTECTED_LABELS
}
# Relationship types that can start at a user: a rule triggered by one sees that user as its record.
USER_LINK_TYPES: tuple[str, ...] = tuple(sorted({kind.rel_type for kind in links.LINKS.values()
                                                 if "User" in kind.from_labels}))
# Actions that need more than a write role.
ACTION_ROLES: dict[str, tuple[str, ...]] = {"call_webhook": (ADMIN,)}
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


def roles_for(action: str) -> tuple[str, ...]:
    """The roles whose rules may take ``action``."""
    return ACTION_ROLES.get(action, WRITE_ROLES)


def updatable_fields(label: str | None) -> tuple[str, ...]:
    """The fields update_field may set on a ``label`` record (all record labels' when not known)."""
    if label in UPDATABLE_FIELDS:
        return UPDATABLE_FIELDS[label]
    return tuple(sorted({name for fields in UPDATABLE_FIELDS.values() for name in fields}))


def author_role(actor: str | None) -> str | None:
    """The role ``actor`` acts with: admin for the operator, the user's role if active, else None."""
    if actor in OPERATORS:
        return ADMIN
    row = db.read_one(q.USER_AUTHORITY, uid=actor)
    if row is None or not row["active"]:
        return None
    return row["role"]


def _condition_names(group: Group | Leaf | None) -> list[tuple[str, str]]:
    if isinstance(group, Leaf):
        return [(group.name, "")]
    if group is None:
        return []
    key = "all" if group.all is not None else "any"
    return [(name, f".{key}.{i}{path}") for i, item in enumerate(getattr(group, key) or [])
            for name, path in _condition_names(item)]


def check_rule(rule: Rule, actor: str | None) -> list[FieldError]:
    """What ``actor`` may not save in ``rule`` (empty when the rule is within their authority)."""
    role = author_role(actor)
    if role not in WRITE_ROLES:
        return [FieldError("forbidden", "only active admins and managers save rules", None)]
    errors: list[FieldError] = []
    trigger = rule.trigger
    if trigger.label in PROTECTED_LABELS:
        errors.append(FieldError("forbidden_subject", f"rules cannot be triggered by {trigger.label} records: users, "
                                 "API tokens, sessions and audit entries are not rule subjects", "trigger.label"))
    elif trigger.label in USER_LINK_TYPES and role != ADMIN:
        errors.append(FieldError("forbidden_action", f"only admins save rules triggered by {trigger.label} links "
                                 f"(they start at a user); links from users: {', '.join(USER_LINK_TYPES)}",
                                 "trigger.label"))
    if rule.purpose == "transactional" and role != ADMIN:
        errors.append(FieldError("forbidden_purpose", "only admins save transactional rules: their messages go out "
                                 "without marketing consent; save it as a marketing rule, or ask an admin",
                                 "purpose"))
    for name, path in _condition_names(rule.conditions):
        if is_secret_name(name):
            errors.append(FieldError("forbidden_variable", f"{name!r} is a credential; rules never read one",
                                     f"conditions{path}.name"))
    for i, action in enumerate(rule.actions):
        if role not in roles_for(action.type):
            errors.append(FieldError("forbidden_action", f"only {' or '.join(roles_for(action.type))}s save rules "
                                     f"that {vocab.ACTIONS[action.type].label.lower()}", f"actions.{i}.type"))
        for param, value in action.params.items():
            for name in _PLACEHOLDER.findall(value) if isinstance(value, str) else []:
                if is_secret_name(name):
                    errors.append(FieldError("forbidden_variable", f"{{{{{name}}}}} names a credential; "
                                             "templates never render one", f"actions.{i}.params.{param}"))
        if action.type == "update_field":
            field, allowed = action.params.get("field"), updatable_fields(trigger.label)
            if field not in allowed:
                on = f"a {trigger.label}" if trigger.label in UPDATABLE_FIELDS else "records"
                errors.append(FieldError("forbidden_field", f"update_field cannot set {field!r}; fields a rule may "
                                         f"set on {on}: {', '.join(allowed)}", f"actions.{i}.params.field"))
    return errors


def author_of(rule_id: str) -> str | None:
    """The author of a stored rule's current version (None: the operator, or no such rule)."""
    row = db.read_one(q.RULE_AUTHOR, id=rule_id)
    return row["author"] if row else None


def refusal(rule_id: str | None, action: str, purpose: str = "marketing") -> str | None:
    """Why the author of rule ``rule_id`` may not take ``action`` for ``purpose`` now (None when they may)."""
    row = db.read_one(q.RULE_AUTHOR, id=rule_id) if rule_id else None
    if row is None:
        return f"author_unknown: rule {rule_id!r} is not stored, so nobody answers for its actions"
    author = row["author"]
    if author in OPERATORS:
        return None
    if not row["found"]:
        return (f"author_missing: the rule's author ({author}) no longer exists; "
                "an admin or manager must save the rule again to take it over")
    if not row["active"]:
        return (f"author_inactive: the rule's author ({author}) is deactivated; "
                "an active admin or manager must save the rule again to take it over")
    if purpose == "transactional" and row["role"] != ADMIN:
        return (f"author_forbidden: the rule's author ({author}) is a {row['role']} and transactional rules need "
                "an admin; an admin must save the rule again (or make it a marketing rule)")
    if row["role"] not in roles_for(action):
        return (f"author_forbidden: the rule's author ({author}) is a {row['role']} and {action} needs "
                f"{' or '.join(roles_for(action))}; save the rule again as one")
    return None


def access_of(rule_id: str | None) -> Access:
    """enforce (issue 13): what the author of rule ``rule_id`` may read and change, bound while the rule's
    actions run, so that a rule never reaches a record its author cannot see. The operator's rules (saved by
    the CLI or code) act with crn's own access; an unknown, missing or inactive author with nothing (their
    actions are refused by :func:`refusal` anyway)."""
    row = db.read_one(q.RULE_AUTHOR, id=rule_id) if rule_id else None
    if row is None:
        return Access(user=None)
    if row["author"] in OPERATORS:
        return SYSTEM
    if not row["found"] or not row["active"]:
        return Access(user=row["author"])
    return user_access.for_user(AuthUser(uid=row["author"], name="", email="", role=row["role"] or "viewer"))


def sees(subject_uid: str | None) -> bool:
    """True when the bound access (a rule author's, see :func:`access_of`) may read record ``subject_uid`` (a
    record that no longer exists is left to the action to report)."""
    from crn.graph import access

    if subject_uid is None or access.current().all:
        return True
    return all(row["readable"] for row in db.read(q.SUBJECT_READABLE, uids=[subject_uid]))


def describe() -> dict[str, Any]:
    """The limits rules are saved under, as plain data (part of the automation vocabulary a UI lists)."""
    return {"protected_labels": list(PROTECTED_LABELS), "updatable_fields": {k: list(v) for k, v in UPDATABLE_FIELDS.items()},
            "admin_only_actions": sorted(ACTION_ROLES), "user_link_types": list(USER_LINK_TYPES)}
