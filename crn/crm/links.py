"""Validated link/unlink for every relationship type, with property checks and cycle checks.

``LINKS`` is the vocabulary: each kind names its relationship type, the labels at both ends, the
properties it carries and the rules it obeys (one per start node, employment stints, no cycles).
Operations take the acting user's uid, run in one write transaction, stamp the relationship with
``updated_at``/``updated_by`` and publish ``linked``/``unlinked`` events in that transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from neo4j import ManagedTransaction

from crn.crm import events
from neomodel import StructuredRel

from crn.crm.records import FormField, Result, _convert, describe_fields
from crn.crm.validation import FieldError, OperationError, check_choice, check_range, check_share
from crn.crm.views import props
from crn.graph import db
from crn.graph.access import PROTECTED
from crn.graph.models.catalog import FieldSpec, relationship_fields
from crn.graph.models.commerce import Contains
from crn.graph.models.company import CompanyLink, SubsidiaryOf
from crn.graph.models.deal import OnCommittee
from crn.graph.models.interaction import Involved
from crn.graph.models.person import AccountTeam, BoardMemberOf, Knows, OwnsShare, ReportsTo, WorksAt
from crn.graph.queries import links as q


def _share_rules(v: dict[str, Any]) -> list[FieldError]:
    return (check_share(v, "share") + check_share(v, "share_min") + check_share(v, "share_max")
            + check_range(v, "share_min", "share_max") + check_range(v, "since", "until"))


def _committee_rules(v: dict[str, Any]) -> list[FieldError]:
    errors = check_share(v, "confidence")
    if not v.get("role"):
        errors.append(FieldError("required", "a committee role is required", "role"))
    return errors


@dataclass(frozen=True)
class LinkKind:
    """One kind of link: ``(from)-[:rel_type]->(to)``, the relationship class declaring its properties
    (crn.graph.models), and the rules it obeys."""

    rel_type: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    model: type[StructuredRel] | None = None
    rules: Callable[[dict[str, Any]], list[FieldError]] = lambda v: []
    single: bool = False          # the start node has at most one such link (e.g. a deal is FOR one company)
    open_stint: bool = False      # employment: update the open stint or start a new one
    acyclic: bool = False         # refuse links that close a loop
    solid_only_cycles: bool = False
    marks_customer: bool = False  # an order makes its buyer a :Customer
    marks_won_customer: bool = False  # a won deal makes its company a :Customer

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        """The properties a caller may set on the link (from its relationship class)."""
        return tuple(f for f in relationship_fields(self.model) if f.writable) if self.model else ()

    @property
    def properties(self) -> dict[str, str]:
        """Property name -> kind, of the settable properties."""
        return {f.name: f.kind for f in self.fields}

    @property
    def choices(self) -> dict[str, tuple[str, ...]]:
        """Property name -> allowed values, for properties with choices."""
        return {f.name: f.choices for f in self.fields if f.choices}


LINKS: dict[str, LinkKind] = {
    "employment": LinkKind("WORKS_AT", ("Person",), ("Company",), WorksAt,
                           lambda v: check_range(v, "since", "until"), open_stint=True),
    "reporting": LinkKind("REPORTS_TO", ("Person",), ("Person",), ReportsTo,
                          lambda v: check_range(v, "since", "until"), acyclic=True, solid_only_cycles=True),
    "user_reporting": LinkKind("REPORTS_TO", ("User",), ("User",), acyclic=True),
    "subsidiary": LinkKind("SUBSIDIARY_OF", ("Company",), ("Company",), SubsidiaryOf, _share_rules, acyclic=True),
    "committee": LinkKind("ON_COMMITTEE", ("Person",), ("Deal",), OnCommittee, _committee_rules),
    "account_team": LinkKind("ACCOUNT_TEAM", ("User",), ("Company",), AccountTeam),
    "board_member": LinkKind("BOARD_MEMBER_OF", ("Person",), ("Company",), BoardMemberOf,
                             lambda v: check_range(v, "since", "until")),
    "shareholder": LinkKind("OWNS_SHARE", ("Person",), ("Company",), OwnsShare, lambda v: check_share(v, "share")),
    "knows": LinkKind("KNOWS", ("Person", "User"), ("Person",), Knows, lambda v: check_share(v, "strength")),
    "participant": LinkKind("INVOLVED", ("Interaction",), ("Person", "User"), Involved),
    "interaction_about": LinkKind("ABOUT", ("Interaction",), ("Deal", "Ticket", "Company")),
    "deal_company": LinkKind("FOR", ("Deal",), ("Company",), single=True, marks_won_customer=True),
    "deal_owner": LinkKind("OWNS", ("User",), ("Deal",)),
    "ticket_company": LinkKind("FOR", ("Ticket",), ("Company",), single=True),
    "ticket_raised_by": LinkKind("RAISED_BY", ("Ticket",), ("Person",), single=True),
    "ticket_assignee": LinkKind("ASSIGNED", ("User",), ("Ticket",)),
    "order_buyer": LinkKind("PLACED_BY", ("Order",), ("Person", "Company"), single=True, marks_customer=True),
    "order_item": LinkKind("CONTAINS", ("Order",), ("Product",), Contains),
    "partner": LinkKind("PARTNER_OF", ("Company",), ("Company",), CompanyLink),
    "supplier": LinkKind("SUPPLIES", ("Company",), ("Company",), CompanyLink),
    "competitor": LinkKind("COMPETES_WITH", ("Company",), ("Company",), CompanyLink),
}


def _coerce(kind: LinkKind, properties: dict[str, Any]) -> dict[str, Any]:
    errors, out = [], {}
    for name, value in (properties or {}).items():
        if name not in kind.properties:
            errors.append(FieldError("unknown_field", f"{kind.rel_type} has no property {name!r}",
                                     f"properties.{name}"))
            continue
        try:
            out[name] = _convert(kind.properties[name], value, f"properties.{name}")
        except OperationError as exc:
            errors += exc.errors
        except (TypeError, ValueError):
            errors.append(FieldError("invalid_value", f"{name} must be a {kind.properties[name]}",
                                     f"properties.{name}"))
    if errors:
        raise OperationError(errors)
    return out


def _prefixed(errors: list[FieldError]) -> list[FieldError]:
    return [FieldError(e.code, e.message, e.field if not e.field or e.field.startswith("properties.")
                       else f"properties.{e.field}") for e in errors]


def link(kind_name: str, from_uid: str, to_uid: str, properties: dict[str, Any] | None, actor: str | None) -> Result:
    """Create (or update the properties of) a link of kind ``kind_name``; ``record`` is its properties."""
    kind = LINKS.get(kind_name)
    if kind is None:
        return Result(errors=[FieldError("unknown_link", f"unknown link kind {kind_name!r}", "type")])
    try:
        values = _coerce(kind, properties or {})
    except OperationError as exc:
        return Result(errors=exc.errors)
    errors = _prefixed([e for name, allowed in kind.choices.items() for e in check_choice(values, name, allowed)]
                       + kind.rules(values))
    if errors:
        return Result(errors=errors)
    stamped = {**values, "updated_at": datetime.now(timezone.utc), "updated_by": actor}

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        ends = _ends(tx, kind, from_uid, to_uid)
        missing = []
        if not ends["from_found"]:
            missing.append(FieldError("not_found", f"no {' or '.join(kind.from_labels)} with id {from_uid}", "fromId"))
        if not ends["to_found"]:
            missing.append(FieldError("not_found", f"no {' or '.join(kind.to_labels)} with id {to_uid}", "toId"))
        if missing:
            raise OperationError(missing)
        _check_writable(kind, ends)
        if kind.acyclic and (not kind.solid_only_cycles or values.get("kind", "solid") == "solid"):
            if tx.run(q.would_cycle(kind.rel_type, kind.solid_only_cycles), from_uid=from_uid,
                      to_uid=to_uid).single()["cycle"]:
                what = {"SUBSIDIARY_OF": "a company cannot be its own parent, even indirectly",
                        "REPORTS_TO": "this would make a reporting cycle"}[kind.rel_type]
                raise OperationError(FieldError("cycle", what, "toId"))
        rel = tx.run(q.link(kind.rel_type, kind.from_labels, kind.to_labels, kind.single, kind.open_stint),
                     from_uid=from_uid, to_uid=to_uid, props=stamped).single()["rel"]
        if kind.marks_customer:
            tx.run(q.mark_customer(kind.to_labels), to_uid=to_uid)
        if kind.marks_won_customer:
            tx.run(q.MARK_WON_DEAL_CUSTOMER, from_uid=from_uid)
        events.publish(tx, [events.Event("linked", kind.rel_type, from_uid, actor=actor, other_uid=to_uid,
                                         changed=tuple(sorted(values)), after=values)])
        return rel

    return _run(work)


def link_form(kind_name: str) -> list[FormField] | None:
    """The form of a link's properties (kinds, choices, labels) from its LinkKind; None for an unknown kind."""
    kind = LINKS.get(kind_name)
    return None if kind is None else describe_fields(kind.fields)


def unlink(kind_name: str, from_uid: str, to_uid: str, actor: str | None) -> Result:
    """Remove the links of kind ``kind_name`` between two records (``not_found`` when there is none)."""
    kind = LINKS.get(kind_name)
    if kind is None:
        return Result(errors=[FieldError("unknown_link", f"unknown link kind {kind_name!r}", "type")])

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        ends = _ends(tx, kind, from_uid, to_uid)
        if not ends["from_found"] or not ends["to_found"]:  # enforce (issue 13): an end you cannot read
            raise OperationError(FieldError("not_found", f"no {kind.rel_type} link between these records", "toId"))
        _check_writable(kind, ends)
        removed = tx.run(q.unlink(kind.rel_type, kind.from_labels, kind.to_labels), from_uid=from_uid,
                         to_uid=to_uid).single()["removed"]
        if not removed:
            raise OperationError(FieldError("not_found", f"no {kind.rel_type} link between these records", "toId"))
        events.publish(tx, [events.Event("unlinked", kind.rel_type, from_uid, actor=actor, other_uid=to_uid)])
        return {"removed": removed}

    return _run(work)


def _ends(tx: ManagedTransaction, kind: LinkKind, from_uid: str, to_uid: str) -> Any:
    """Both ends of a link as the viewer sees them (crn.graph.queries.links.endpoints)."""
    query = q.endpoints(kind.from_labels, kind.to_labels)
    return tx.run(query, **db.with_access(query, {"from_uid": from_uid, "to_uid": to_uid,
                                                  "protected": list(PROTECTED)})).single()


def _check_writable(kind: LinkKind, ends: Any) -> None:
    """enforce (issue 13): a link changes its start record (the end record when the start is one of our users,
    e.g. an account team or a deal owner); the viewer must be allowed to change that one."""
    changed, field = ("from", "fromId") if ends["from_protected"] else ("to", "toId")
    if not ends[f"{changed}_writable"]:
        raise OperationError(FieldError("forbidden", f"you may read this record but not change it, so you cannot "
                                        f"{'link it' if changed == 'from' else 'link to it'} ({kind.rel_type}); ask "
                                        "its owner or an admin to share it with you for editing", field))


def _run(work: Callable[[ManagedTransaction], dict[str, Any]]) -> Result:
    try:
        return Result(record=props(events.write_tx(work)))
    except OperationError as exc:
        return Result(errors=exc.errors)
