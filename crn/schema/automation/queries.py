"""AutomationQuery: rules, their run history, dry runs, the vocabulary and the current user's tasks."""

from __future__ import annotations


import strawberry
from strawberry.types import Info

import crn.automation  # noqa: F401 - registers the action vocabulary
from crn.automation import authority, outbox, runs, store, tasks, vocabulary
from crn.automation.rules import validate_rule
from crn.schema.automation import types as t
from crn.schema.base import JSON, ClientError, UserError
from crn.schema.permissions import CanWrite, IsAuthenticated
from crn.schema.workers import run_db

AUTH = [IsAuthenticated]
MAX_RUNS = 500


@strawberry.type
class AutomationQuery:
    @strawberry.field(permission_classes=AUTH, description="Automation rules (current versions).")
    async def rules(self, active_only: bool = False) -> list[t.Rule]:
        found, last = await run_db(store.visible_rules_with_last_runs, active_only)
        return [t.rule_of(r, last.get(r.id)) for r in found]

    @strawberry.field(permission_classes=AUTH, description="One rule by its id.")
    async def rule(self, id: str) -> t.Rule | None:
        found, last = await run_db(store.visible_rules_with_last_runs, rule_id=id)
        return t.rule_of(found[0], last.get(id)) if found else None

    @strawberry.field(permission_classes=AUTH, description="Delivery attempts, newest first (of one rule or all).")
    async def rule_runs(self, rule_id: str | None = None, first: int = 50) -> list[t.RuleRun]:
        if not 0 < first <= MAX_RUNS:
            raise ClientError(f"first must be between 1 and {MAX_RUNS}", "invalid_page_size")
        return [t.run_of(r) for r in await run_db(store.visible_rule_runs, rule_id, first)]

    @strawberry.field(permission_classes=[CanWrite], description="What a rule (JSON, as `ruleSave` takes, or the "
                      f"stored rule `id`) would have fired over the last `sinceDays` days (at most "
                      f"{runs.DRY_RUN_MAX_DAYS}), acting on nothing.")
    async def rule_dry_run(self, info: Info, rule: JSON | None = None, since_days: float = 7.0,
                           id: str | None = None) -> t.RuleDryRunResult:  # noqa: A002
        def refused(code: str, message: str, field: str) -> t.RuleDryRunResult:
            return t.RuleDryRunResult(fired=[], note=None, errors=[UserError(code=code, message=message, field=field)])

        problem = runs.since_days_problem(since_days)
        if problem:
            return refused("invalid_since_days", problem, "sinceDays")
        if (rule is None) == (id is None):
            return refused("invalid_input", "give either `rule` (a definition) or `id` (a stored rule)", "rule")
        if id is not None:
            parsed = await run_db(store.get_rule, id) if await run_db(store.visible, [id]) else None
            if parsed is None:
                return refused("not_found", f"no rule {id!r}", "id")
        else:
            parsed, errors = validate_rule(rule)
            if errors:
                return t.RuleDryRunResult(fired=[], note=None, errors=[
                    UserError(code=e.code, message=e.message, field=e.field) for e in errors])
        result = await run_db(runs.dry_run, parsed, info.context.settings, since_days)
        return t.RuleDryRunResult(fired=[t.DryRunItem(**item) for item in result["fired"]], note=result["note"],
                                  errors=[])

    @strawberry.field(permission_classes=AUTH, description="Variables, operators, actions, scans and graph "
                      "triggers a rule may name, with labels and parameter types.")
    def automation_vocabulary(self) -> JSON:
        return {**vocabulary.describe(), "limits": authority.describe()}

    @strawberry.field(permission_classes=AUTH, description="Tasks assigned to the current user, soonest due first.")
    async def my_tasks(self, info: Info, status: str | None = None) -> list[t.Task]:
        rows = await run_db(tasks.tasks_for_user, info.context.user.uid)
        return [t.task_of(r) for r in rows if status is None or r["status"] == status]
