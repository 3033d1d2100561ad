"""Saved list views over GraphQL: `mySavedViews`, `savedViewCreate`, `savedViewDelete` (crn.crm.saved_views).

Any signed-in user (viewers too) keeps their own views: a view is a preference, not a CRM record.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Union

import strawberry
from strawberry.types import Info

from crn.crm import saved_views
from crn.crm.records import Result
from crn.schema.base import JSON, UserError
from crn.schema.permissions import IsAuthenticated
from crn.schema.workers import run_db

SavedViewList = strawberry.enum(Enum("SavedViewList", {name.upper(): name for name in saved_views.LISTS}),
                                description="The list pages a view can be saved for.")


@strawberry.type(description="A named filter + sort of a list page, kept by the user who saved it.")
class SavedView:
    uid: str
    list: str = strawberry.field(description="companies | people | tickets")
    name: str
    params: JSON = strawberry.field(description="The list page's address parameters: filter names "
                                                "(snake_case, as the list's filter), `sort` and `dir`.")
    created_at: datetime | None = None


@strawberry.input(description="A view to save: the list, its name and the list page's current parameters.")
class SavedViewInput:
    list: SavedViewList  # type: ignore[valid-type]
    name: str
    params: JSON = strawberry.field(description="{filter name: text}, plus `sort` and `dir` (asc | desc).")


@strawberry.type(description="The view was saved (or deleted).")
class SavedViewSuccess:
    view: SavedView


@strawberry.type(description="Nothing was saved or deleted; `errors` say why and at which field.")
class SavedViewError:
    errors: list[UserError]


SavedViewResult = Annotated[Union[SavedViewSuccess, SavedViewError], strawberry.union("SavedViewResult")]


def _view(row: dict[str, Any]) -> SavedView:
    return SavedView(uid=row["uid"], list=row["list"], name=row["name"], params=row["params"],
                     created_at=row.get("created_at"))


def _result(result: Result) -> SavedViewSuccess | SavedViewError:
    if result.ok:
        return SavedViewSuccess(view=_view(result.record))
    return SavedViewError(errors=[UserError(code=e.code, message=e.message, field=e.field) for e in result.errors])


@strawberry.type
class SavedViewQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="My saved views (of one list, or all).")
    async def my_saved_views(self, info: Info, list: SavedViewList | None = None  # type: ignore[valid-type]
                             ) -> list[SavedView]:
        rows = await run_db(saved_views.my_views, info.context.user.uid, list.value if list else None)
        return [_view(r) for r in rows]


@strawberry.type
class SavedViewMutation:
    @strawberry.mutation(permission_classes=[IsAuthenticated], description="Save a list's filter and sort "
                         "under a name (names are unique per user and list).")
    async def saved_view_create(self, info: Info, input: SavedViewInput) -> SavedViewResult:
        params = input.params if isinstance(input.params, dict) else None
        if params is None:
            return SavedViewError(errors=[UserError(code="invalid_value", field="params",
                                                    message="params must be an object of {name: text}")])
        return _result(await run_db(saved_views.save_view, info.context.user.uid, input.list.value, input.name,
                                    params))

    @strawberry.mutation(permission_classes=[IsAuthenticated], description="Delete one of my saved views.")
    async def saved_view_delete(self, info: Info, uid: str) -> SavedViewResult:
        return _result(await run_db(saved_views.delete_view, info.context.user.uid, uid))
