"""Look-ahead for 360° entry points: the requested selection compiled into one query that fills the cache.

``company(id)`` and ``person(id)`` read ``info.selected_fields``, turn the relations asked for (and the
relations asked on their rows, a few levels deep) into a plan, fetch it with ONE query
(``crn.crm.views.view``) and store every list under the key the nested resolvers look up
(``Loaders.prefetched``): the resolvers below then answer from memory, synchronously. Fields the plan
does not cover (or arguments it cannot read) simply fall back to the per-request DataLoaders.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from crn.crm import views
from crn.schema.base import ClientError, page_window
from crn.schema.loaders import Loaders
from crn.schema.workers import run_db

MAX_DEPTH = 3

# GraphQL type -> field -> (kind, relation, paths from the field to the rows' node selections, node type,
# default filters of a page)
_N = ((),)
_FIELDS: dict[str, dict[str, tuple[str, str, tuple, str | None, dict[str, Any]]]] = {
    "Company": {
        "parents": ("rel", "company_parents", (("company",),), "Company", {}),
        "subsidiaries": ("rel", "company_subsidiaries", (("company",),), "Company", {}),
        "parentChain": ("parent_chain", "", (), None, {}),
        "ultimateParent": ("parent_chain", "", (), None, {}),
        "familyRollup": ("family_rollup", "", (), None, {}),
        "contacts": ("page", "company_contacts", (("edges", "node"), ("nodes",)), "Person", {"current": True}),
        "deals": ("page", "company_deals", (("edges", "node"), ("nodes",)), "Deal", {"status": None}),
        "tickets": ("page", "company_tickets", (("edges", "node"), ("nodes",)), "Ticket", {"open": None}),
        "interactions": ("page", "company_interactions", (("edges", "node"), ("nodes",)), "Interaction", {}),
        "accountTeam": ("rel", "company_account_team", (("user",),), "User", {}),
        "boardMembers": ("rel", "company_board_members", _N, "Person", {}),
        "boardSeats": ("rel", "company_board_members", (("person",),), "Person", {}),
        "shareholders": ("rel", "company_shareholders", (("person",),), "Person", {}),
        "partners": ("rel", "company_partners", _N, "Company", {}),
        "suppliers": ("rel", "company_suppliers", _N, "Company", {}),
        "customers": ("rel", "company_customers", _N, "Company", {}),
        "competitors": ("rel", "company_competitors", _N, "Company", {}),
    },
    "Person": {
        "employments": ("rel", "person_employments", (("company",),), "Company", {}),
        "company": ("rel", "person_employments", _N, "Company", {}),
        "manager": ("rel", "person_managers", _N, "Person", {}),
        "dottedLine": ("rel", "person_managers", _N, "Person", {}),
        "directReports": ("rel", "person_reports", _N, "Person", {}),
        "reportingChain": ("reporting_chain", "", (), None, {}),
        "deals": ("rel", "person_deals", (("deal",),), "Deal", {}),
        "tickets": ("page", "person_tickets", (("edges", "node"), ("nodes",)), "Ticket", {}),
        "interactions": ("page", "person_interactions", (("edges", "node"), ("nodes",)), "Interaction", {}),
        "knownBy": ("rel", "person_known_by", (("user",),), "User", {}),
        "knows": ("rel", "person_knows", (("person",),), "Person", {}),
        "boardSeats": ("rel", "person_boards", (("company",),), "Company", {}),
        "shareholdings": ("rel", "person_shareholdings", (("company",),), "Company", {}),
    },
    "Deal": {
        "company": ("rel", "deal_company", _N, "Company", {}),
        "committee": ("rel", "deal_committee", (("person",),), "Person", {}),
        "owners": ("rel", "deal_owners", _N, "User", {}),
        "interactions": ("page", "deal_interactions", (("edges", "node"), ("nodes",)), "Interaction", {}),
    },
    "Ticket": {
        "company": ("rel", "ticket_company", _N, "Company", {}),
        "raisedBy": ("rel", "ticket_raised_by", _N, "Person", {}),
        "assignees": ("rel", "ticket_assignees", _N, "User", {}),
    },
    "Interaction": {
        "participants": ("rel", "interaction_participants", (("person",),), "Person", {}),
        "deals": ("rel", "interaction_deals", _N, "Deal", {}),
        "tickets": ("rel", "interaction_tickets", _N, "Ticket", {}),
        "companies": ("rel", "interaction_companies", _N, "Company", {}),
    },
}


# Fields whose resolvers hand the parent object itself on (Employment.person, CommitteeMember.person/deal):
# what is asked of it there is read from the parent's row too.
_SELF_REFS = {("Person", "employments"): ("person",), ("Person", "deals"): ("person",),
              ("Deal", "committee"): ("deal",)}
# Computed fields and the properties they read.
_NEEDS = {("Ticket", "slaState"): ("sla_due_at", "resolved_at"),
          ("Ticket", "slaBreached"): ("sla_due_at", "resolved_at")}
# Relations whose rows mix labels: the other label's path and type.
_MIXED = {"interaction_participants": (("user",), "User")}


@functools.cache
def _attributes(type_name: str) -> dict[str, str]:
    """GraphQL name -> property name of the plain (resolver-less) fields of a node type."""
    from crn.schema.nodes import TYPE_BY_LABEL

    out = {}
    for f in TYPE_BY_LABEL[type_name].__strawberry_definition__.fields:
        if f.base_resolver is None and f.python_name != "id":
            out[f.graphql_name or _camel(f.python_name)] = f.python_name
    return out


def _properties(type_name: str, selections: list) -> tuple[str, ...] | None:
    """The properties the selection reads on nodes of ``type_name`` (None: all of them)."""
    attributes, names = _attributes(type_name), {"uid"}
    for field in _fields(selections):
        if (type_name, field.name) in _SELF_REFS:
            names.update(_properties(type_name, _follow(field, _SELF_REFS[type_name, field.name])))
        if field.name in attributes:
            names.add(attributes[field.name])
        names.update(_NEEDS.get((type_name, field.name), ()))
    return tuple(sorted(names))


def _fields(selections: list) -> list[SelectedField]:
    """Selected fields, fragments expanded."""
    out: list[SelectedField] = []
    for s in selections:
        if isinstance(s, SelectedField):
            out.append(s)
        elif isinstance(s, (FragmentSpread, InlineFragment)):
            out.extend(_fields(s.selections))
    return out


def _follow(field: SelectedField, path: tuple[str, ...]) -> list:
    """The selections found at ``path`` below ``field`` (several when aliases repeat a step)."""
    level = [field]
    for step in path:
        level = [child for f in level for child in _fields(f.selections) if child.name == step]
    return [s for f in level for s in f.selections]


def _filter_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str) and value.isupper():  # an enum literal, e.g. status: OPEN
        return value.lower()
    return value


class _Planner:
    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.count = 0

    def plan(self, type_name: str, selections: list, depth: int) -> tuple[tuple, list]:
        """(plan, keys): plan entries and, parallel to them, (cache kind, cache args, node type)."""
        groups: dict[tuple, tuple[str, str, str, tuple, str | None, list, list]] = {}
        for field in _fields(selections):
            spec = _FIELDS.get(type_name, {}).get(field.name)
            if spec is None:
                continue
            kind, relation, paths, node_type, defaults = spec
            args: tuple = ()
            cache: tuple
            if kind == "page":
                a = field.arguments or {}
                try:  # literals arrive unparsed (ints as strings); variables already coerced
                    window = page_window(_int(a.get("first")), a.get("after"), _int(a.get("last")), a.get("before"),
                                         scope=relation)
                except (ClientError, TypeError, ValueError):
                    continue  # the resolver reports it
                filters = {name: _filter_value(a.get(_camel(name), default)) for name, default in defaults.items()}
                args = (window.reverse, tuple(sorted(filters)))
                cache = ("page", relation, window.skip, window.limit, window.reverse, tuple(sorted(filters.items())))
            elif kind == "rel":
                cache = ("rel", relation)
            else:
                cache = (kind,)
            below = [s for path in paths for s in _follow(field, path)]
            other = _follow(field, _MIXED[relation][0]) if relation in _MIXED else []
            if cache in groups:
                groups[cache][5].extend(below)
                groups[cache][6].extend(other)
            else:
                groups[cache] = (kind, relation, cache, args, node_type, below, other)
        entries, keys = [], []
        for kind, relation, cache, args, node_type, below, other in groups.values():
            key = f"f{self.count}"
            self.count += 1
            subplan, subkeys = ((), [])
            if node_type and depth < MAX_DEPTH and below:
                subplan, subkeys = self.plan(node_type, below, depth + 1)
            fields = _properties(node_type, below) if node_type else None
            if fields is not None and relation in _MIXED:
                fields = tuple(sorted({*fields, *_properties(_MIXED[relation][1], other)}))
            if kind == "page":
                self.params[f"skip_{key}"], self.params[f"limit_{key}"] = cache[2], cache[3]
                for name, value in cache[5]:
                    self.params[f"{key}_{name}"] = value
            entries.append((key, kind, relation, args, subplan, fields))
            keys.append((key, cache, subkeys))
        return tuple(entries), keys


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _prime(cache: dict, view: views.View, keys: list) -> None:
    uid = (view.node or {}).get("uid")
    for key, cache_key, subkeys in keys:
        cache[(*cache_key, uid)] = view.values[key]
        if subkeys:
            for below in view.below.get(key, []):
                _prime(cache, below, subkeys)


async def fetch(info: Any, label: str, uid: str, loaders: Loaders) -> dict[str, Any] | None:
    """The node's properties, with everything the selection asks below it fetched in one query and
    stored in ``loaders.prefetched``; a plain lookup when the selection asks no relation."""
    planner = _Planner()
    plan, keys = planner.plan(label, info.selected_fields[0].selections, 1)
    if not plan:
        return await loaders.node(label).load(uid)
    found = await run_db(views.view, label, uid, plan, planner.params)
    if found is None:
        return None
    _prime(loaders.prefetched, found, keys)
    return found.node
