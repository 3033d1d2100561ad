"""Saved list views: a user keeps a list page's filter and sort under a name, sees their views, deletes one.

A view belongs to the user who saved it (``(:User)-[:SAVED_VIEW]->(:SavedView)``); nobody else sees or
deletes it. Its ``params`` are the list page's address parameters (filter names from
``crn.graph.queries.views.LIST_FILTERS`` plus ``sort`` and ``dir``), checked here so a saved view always
opens a list the API can serve. Saving and deleting publish ``created``/``deleted`` SavedView events.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events
from crn.crm.records import Result
from crn.crm.validation import FieldError, OperationError
from crn.crm.views import LIST_FILTERS, LIST_SORTS, props
from crn.graph import db
from crn.graph.models import new_uid
from crn.graph.queries import saved_views as q

# list page -> the node label it lists
LISTS: dict[str, str] = {"companies": "Company", "people": "Person", "tickets": "Ticket"}
MAX_NAME = 80            # characters in a view's name
MAX_VALUE = 200          # characters in one parameter's value
MAX_VIEWS_PER_LIST = 50  # views one user may keep for one list


def allowed_params(list_name: str) -> tuple[str, ...]:
    """The parameter names a saved view of ``list_name`` may hold: its list's filters, ``sort`` and ``dir``."""
    return (*LIST_FILTERS[LISTS[list_name]], "sort", "dir")


def _check(list_name: str, name: str, params: dict[str, Any]) -> list[FieldError]:
    if list_name not in LISTS:
        return [FieldError("invalid_value", f"list must be one of {', '.join(LISTS)}", "list")]
    errors = []
    if not name:
        errors.append(FieldError("required", "a saved view needs a name", "name"))
    elif len(name) > MAX_NAME:
        errors.append(FieldError("too_long", f"a view's name has at most {MAX_NAME} characters", "name"))
    allowed = allowed_params(list_name)
    for key, value in params.items():
        if key not in allowed:
            errors.append(FieldError("unknown_field", f"{key!r} is not a filter of the {list_name} list "
                                     f"(allowed: {', '.join(allowed)})", f"params.{key}"))
        elif not isinstance(value, str) or len(value) > MAX_VALUE:
            errors.append(FieldError("invalid_value", f"{key} must be text of at most {MAX_VALUE} characters",
                                     f"params.{key}"))
    label = LISTS[list_name]
    if isinstance(params.get("sort"), str) and params["sort"] not in LIST_SORTS[label]:
        errors.append(FieldError("invalid_value", f"sort must be one of {', '.join(LIST_SORTS[label])}",
                                 "params.sort"))
    if isinstance(params.get("dir"), str) and params["dir"] not in ("asc", "desc"):
        errors.append(FieldError("invalid_value", "dir must be asc or desc", "params.dir"))
    return errors


def _view(row: dict[str, Any]) -> dict[str, Any]:
    view = props(row)
    view["params"] = json.loads(view.get("params") or "{}")
    return view


def save_view(user_uid: str, list_name: str, name: str, params: dict[str, Any]) -> Result:
    """Save ``params`` (filter + sort) of the ``list_name`` page as the user's view called ``name``;
    ``duplicate_name`` when the user already has a view of that name (any case) for that list."""
    name = (name or "").strip()
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    errors = _check(list_name, name, params)
    if errors:
        return Result(errors=errors)
    uid, now = new_uid(), datetime.now(timezone.utc)

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        if tx.run(q.NAME_TAKEN, user=user_uid, list=list_name, name=name).single() is not None:
            raise OperationError(FieldError("duplicate_name", f"you already have a view called {name!r}; "
                                            "pick another name or delete that one first", "name"))
        if tx.run(q.COUNT_VIEWS, user=user_uid, list=list_name).single()["n"] >= MAX_VIEWS_PER_LIST:
            raise OperationError(FieldError("too_many_views", f"at most {MAX_VIEWS_PER_LIST} saved views per "
                                            "list; delete one first", "name"))
        row = tx.run(q.CREATE_VIEW, user=user_uid, uid=uid, list=list_name, name=name,
                     params=json.dumps(params, sort_keys=True), now=now).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"no user with id {user_uid}", "user"))
        view = row["view"]
        events.publish(tx, [events.Event("created", "SavedView", uid, actor=user_uid,
                                         changed=("list", "name", "params"),
                                         after={"list": list_name, "name": name, "params": params})])
        return view

    try:
        return Result(record=_view(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def delete_view(user_uid: str, uid: str) -> Result:
    """Delete one of the user's own saved views (``not_found`` for an unknown view or someone else's)."""

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = tx.run(q.DELETE_VIEW, user=user_uid, uid=uid).single()
        if row is None:
            raise OperationError(FieldError("not_found", f"you have no saved view with id {uid}", "id"))
        events.publish(tx, [events.Event("deleted", "SavedView", uid, actor=user_uid,
                                         before={"list": row["view"]["list"], "name": row["view"]["name"]})])
        return row["view"]

    try:
        return Result(record=_view(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)


def my_views(user_uid: str, list_name: str | None = None) -> list[dict[str, Any]]:
    """The user's saved views (of one list, or all), by list then name."""
    return [_view(r["view"]) for r in db.read(q.MY_VIEWS, user=user_uid, list=list_name)]
