"""AutomationMutation: save (create or new version), switch on/off and retire rules; admins and managers."""

from __future__ import annotations


import strawberry
from strawberry.types import Info

from crn.automation import store
from crn.schema.automation import types as t
from crn.schema.base import JSON, UserError
from crn.schema.permissions import CanWrite
from crn.schema.workers import run_db

WRITE = [CanWrite]


def _not_found(rule_id: str) -> t.RuleChangeError:
    return t.RuleChangeError(errors=[UserError(code="not_found", message=f"no rule {rule_id!r}", field="id")])


@strawberry.type
class AutomationMutation:
    @strawberry.mutation(permission_classes=WRITE, description="Validate and store a rule (JSON: id, name, "
                         "trigger, conditions, actions); a changed definition becomes a new version.")
    async def rule_save(self, info: Info, rule: JSON) -> t.RuleSaveResult:
        saved, errors = await run_db(store.save_rule, rule, info.context.actor)
        if errors:
            return t.RuleSaveError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in errors])
        return t.RuleSaveSuccess(rule=t.rule_of(saved))

    @strawberry.mutation(permission_classes=WRITE, description="Switch a rule on or off.")
    async def rule_set_active(self, info: Info, id: str, active: bool) -> t.RuleChangeResult:
        found, errors = await run_db(store.switch_rule, id, active, info.context.actor)
        if errors:
            return t.RuleChangeError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in errors])
        return t.RuleChangeSuccess(id=id) if found else _not_found(id)

    @strawberry.mutation(permission_classes=WRITE, description="Retire a rule (its versions and runs stay).")
    async def rule_delete(self, info: Info, id: str) -> t.RuleChangeResult:
        found = await run_db(store.delete_rule, id, info.context.actor)
        return t.RuleChangeSuccess(id=id) if found else _not_found(id)
