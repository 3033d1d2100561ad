"""GraphQL types for automation rules, their runs, dry-run results and tasks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Union

import strawberry
from strawberry.permission import PermissionExtension

from crn.schema.base import JSON, UserError
from crn.schema.permissions import IsAdmin


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _shown(definition: dict[str, Any], info: strawberry.Info) -> dict[str, Any]:
    """The definition for admins; for other roles without webhook URLs' secrets (user part, path, query)."""
    from crn.automation.rules import without_webhook_secrets

    user = info.context.user
    return definition if user is not None and user.role == "admin" else without_webhook_secrets(definition)


@strawberry.type(description="A stored version of a rule.")
class RuleVersion:
    version: int
    stored: strawberry.Private[dict[str, Any]]
    created_at: datetime | None
    created_by: str | None

    @strawberry.field(description="The version as JSON; webhook URLs show only scheme and host to non-admins.")
    def definition(self, info: strawberry.Info) -> JSON:
        return _shown(self.stored, info)


@strawberry.type(description="An automation rule: a trigger, nested all/any conditions and actions (as data).")
class Rule:
    id: str
    name: str
    description: str
    version: int
    active: bool
    trigger_kind: str
    stored: strawberry.Private[dict[str, Any]]
    last: strawberry.Private[dict[str, Any] | None] = None

    @strawberry.field(description="The newest delivery attempt of this rule (null: it never ran), fetched with "
                                  "the list in one read.")
    def last_run(self) -> RuleRun | None:
        return run_of(self.last) if self.last else None

    @strawberry.field(description="marketing (default: sends only to people with consent for the channel, with "
                                  "an unsubscribe link) or transactional (admins only; no marketing consent needed).")
    def purpose(self) -> str:  # privacy (issue 13 §3)
        return self.stored.get("purpose") or "marketing"

    @strawberry.field(description="The rule as JSON, as `ruleSave` accepts it (for non-admins, webhook URLs "
                                  "show only their scheme and host: the rest may be the webhook's credential).")
    def definition(self, info: strawberry.Info) -> JSON:
        return _shown(self.stored, info)

    @strawberry.field(description="Every stored version, oldest first.")
    def versions(self) -> list[RuleVersion]:
        from crn.automation import store

        return [RuleVersion(version=v["version"], stored=v["definition"], created_at=_native(v["created_at"]),
                            created_by=v["created_by"]) for v in store.rule_versions(self.id)]


def rule_of(rule: Any, last: dict[str, Any] | None = None) -> Rule:
    """The GraphQL type of a crn.automation.rules.Rule (``last``: its newest crn.automation.outbox row)."""
    return Rule(id=rule.id, name=rule.name, description=rule.description, version=rule.version, active=rule.active,
                trigger_kind=rule.trigger.kind, stored=rule.definition(), last=last)


def _admins_only() -> list[PermissionExtension]:
    """Field extension: the value for admins, null for every other role (no error: the run stays readable)."""
    return [PermissionExtension(permissions=[IsAdmin()], fail_silently=True, use_directives=False)]


@strawberry.type(description="One delivery attempt of one action of a rule (or a rule stopped before it ran).")
class RuleRun:
    uid: str
    rule_id: str
    key: str = strawberry.field(description="The idempotency key (rule, event, action).")
    action: str
    outcome: str = strawberry.field(description="success, retry or dead; skipped (privacy: no consent, a suppressed "
                                    "or unknown address; nothing sent); cancelled (the rule was switched off or "
                                    "deleted before delivery); stopped (a chain of rules went past "
                                    "CRN_AUTOMATION_MAX_DEPTH).")
    error: str | None = strawberry.field(description="What went wrong (may name URLs and addresses): admins "
                                         "only, null for other roles.", extensions=_admins_only())
    attempt: int
    at: datetime | None
    worker: str | None = strawberry.field(description="The worker that made the attempt: admins only.",
                                          extensions=_admins_only())
    subject_uid: str | None
    event: JSON | None
    duration_ms: int | None
    depth: int | None = strawberry.field(description="How many rules deep in a chain of rule-caused changes this "
                                         "action was (1: caused by a person, an import or a schedule).")
    chain: list[str] | None = strawberry.field(description="The rules of that chain, outermost first.")


def run_of(row: dict[str, Any]) -> RuleRun:
    """A RuleRun from a crn.automation.outbox.rule_runs row."""
    return RuleRun(uid=row["uid"], rule_id=row["rule_id"], key=row["key"], action=row["action"],
                   outcome=row["outcome"], error=row["error"], attempt=row["attempt"] or 0, at=_native(row["at"]),
                   worker=row["worker"], subject_uid=row["subject_uid"],
                   event=json.loads(row["event"]) if row["event"] else None, duration_ms=row["duration_ms"],
                   depth=row.get("depth"), chain=row.get("chain"))


@strawberry.type(description="An action a dry run says the rule would have taken.")
class DryRunItem:
    key: str
    action: str
    subject_uid: str | None
    already_done: bool = strawberry.field(description="True when this action was already enqueued or delivered.")
    subject_label: str | None = strawberry.field(default=None, description="The subject's record type.")
    subject_name: str | None = strawberry.field(default=None, description="The subject's name (or subject, "
                                                "number, title) as a list shows it.")
    consent_skip: str | None = strawberry.field(default=None, description="Privacy: why this send would be skipped "
                                                "(no consent, suppressed, unknown address ...); null when it would "
                                                "go out or sends nothing to people.")


@strawberry.type(description="What a rule would have fired, without acting; `errors` when the rule is invalid.")
class RuleDryRunResult:
    fired: list[DryRunItem]
    note: str | None
    errors: list[UserError]


@strawberry.type(description="A task for a user, created by a rule or by hand; `open` or `done`.")
class Task:
    uid: str
    title: str
    body: str | None
    due_at: datetime | None
    status: str
    rule_id: str | None
    subject_uid: str | None
    snoozed_until: datetime | None = None
    completed_at: datetime | None = None
    assignee_uid: str | None = None
    overdue: bool = strawberry.field(default=False, description="Open and past its due date.")


def task_of(row: dict[str, Any]) -> Task:
    """A Task from a crn.automation.tasks row."""
    return Task(uid=row["uid"], title=row["title"], body=row.get("body"), due_at=_native(row.get("due_at")),
                status=row["status"], rule_id=row.get("rule_id"), subject_uid=row.get("subject_uid"),
                snoozed_until=_native(row.get("snoozed_until")), completed_at=_native(row.get("completed_at")),
                assignee_uid=row.get("assignee_uid"), overdue=bool(row.get("overdue")))


@strawberry.type
class RuleSaveSuccess:
    rule: Rule


@strawberry.type
class RuleSaveError:
    errors: list[UserError]


RuleSaveResult = Annotated[Union[RuleSaveSuccess, RuleSaveError], strawberry.union("RuleSaveResult")]


@strawberry.type
class RuleChangeSuccess:
    id: str


@strawberry.type
class RuleChangeError:
    errors: list[UserError]


RuleChangeResult = Annotated[Union[RuleChangeSuccess, RuleChangeError], strawberry.union("RuleChangeResult")]
