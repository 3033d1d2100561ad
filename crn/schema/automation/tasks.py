"""Task status changes over GraphQL (taskCreate/Complete/Reopen/Snooze/Assign) and `myOpenTasks`.

Resolvers call crn.crm.tasks; viewers are refused by ``CanWrite``; expected failures are
``TaskSuccess | TaskError`` data with the field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Union

import strawberry
from strawberry.types import Info

from crn.crm import tasks
from crn.crm.records import Result
from crn.schema.automation.types import Task, task_of
from crn.schema.base import Connection, Edge, UserError, page_window
from crn.schema.permissions import CanWrite, IsAuthenticated
from crn.schema.workers import run_db


@strawberry.type(description="A task change succeeded.")
class TaskSuccess:
    task: Task


@strawberry.type(description="A task change failed; nothing changed.")
class TaskError:
    errors: list[UserError]


TaskResult = Annotated[Union[TaskSuccess, TaskError], strawberry.union("TaskResult")]


@strawberry.input(description="A task made by hand; `title` is required; `assignee` (a user id) defaults to me.")
class TaskInput:
    title: str
    body: str | None = None
    due_at: dt.datetime | None = None
    assignee: str | None = None
    subject_uid: str | None = strawberry.field(default=None, description="The related record's uid.")


def _result(result: Result) -> TaskSuccess | TaskError:
    if result.ok:
        return TaskSuccess(task=task_of(result.record))
    return TaskError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in result.errors])


@strawberry.type
class TaskQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="My open tasks, overdue first, then by "
                      "due date; snoozed ones are hidden until their snooze ends.")
    async def my_open_tasks(self, info: Info, first: int | None = None, after: str | None = None
                            ) -> Connection[Task]:
        window = page_window(first, after, scope="myOpenTasks")
        total, rows = await run_db(tasks.my_open_tasks, info.context.user.uid, window.skip, window.limit)
        return window.connection(total, rows, lambda row, cursor: Edge(cursor=cursor, node=task_of(row)))


@strawberry.type
class TaskMutation:
    @strawberry.mutation(permission_classes=[CanWrite], description="Create a task by hand.")
    async def task_create(self, info: Info, input: TaskInput) -> TaskResult:
        values = {"title": input.title, "body": input.body, "due_at": input.due_at, "assignee": input.assignee,
                  "subject_uid": input.subject_uid}
        return _result(await run_db(tasks.create_task, values, info.context.actor))

    @strawberry.mutation(permission_classes=[CanWrite], description="Mark a task done.")
    async def task_complete(self, info: Info, uid: str) -> TaskResult:
        return _result(await run_db(tasks.complete_task, uid, info.context.actor))

    @strawberry.mutation(permission_classes=[CanWrite], description="Put a done task back to open.")
    async def task_reopen(self, info: Info, uid: str) -> TaskResult:
        return _result(await run_db(tasks.reopen_task, uid, info.context.actor))

    @strawberry.mutation(permission_classes=[CanWrite], description="Hide an open task until `until`.")
    async def task_snooze(self, info: Info, uid: str, until: dt.datetime) -> TaskResult:
        return _result(await run_db(tasks.snooze_task, uid, until, info.context.actor))

    @strawberry.mutation(permission_classes=[CanWrite], description="Give a task to another user.")
    async def task_assign(self, info: Info, uid: str, assignee: str) -> TaskResult:
        return _result(await run_db(tasks.assign_task, uid, assignee, info.context.actor))
