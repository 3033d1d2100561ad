"""Run an import: read the file, map and validate every row, plan and check the upserts, write them in batches.

Bad rows never stop good ones (unless ``strict``): each problem becomes a :class:`RowError` (row
number, column, value, reason) in the summary and the error CSV, and the rows it touches are skipped.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from crn import audit, metrics
from crn.config import Settings
from crn.crm import records
from crn.ingest import validation as v
from crn.ingest.formats import Table, XlsxLimits, read_table
from crn.ingest.kinds import COMMITTEE_ROLE_PARSER, KINDS, LINK_COLUMNS, RECORD_OF, Mapping, fields as kind_fields
from crn.ingest.mapping import detect_mapping, load_map_file
from crn.ingest.plan import LinkOp, NodeOp, Plan, WriteStats

DEFAULT_SOURCE = "import"
PROGRESS_MIN_ROWS = 2000
MULTI_VALUE_RE = re.compile(r"[;|，；]")
FORMULA_STARTS = frozenset("=@\t\r+-")  # first characters worth a formula check


@dataclass(frozen=True)
class RowError:
    """One problem with one cell (or a whole row when ``column`` is empty)."""

    row: int
    column: str
    value: Any
    reason: str


@dataclass
class ImportSummary:
    """What an import read, wrote, left unchanged and skipped, with every error."""

    kind: str
    file: str
    read: int = 0
    written: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    mapping: Mapping | None = None
    stats: WriteStats = field(default_factory=WriteStats)
    dry_run: bool = False
    strict: bool = False
    committed: bool = False
    seconds: float = 0.0
    error_file: str | None = None

    @property
    def ok(self) -> bool:
        """True when no row had an error."""
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (API, logs)."""
        return {
            "kind": self.kind, "file": self.file, "read": self.read, "written": self.written,
            "unchanged": self.unchanged, "skipped": self.skipped, "errors": len(self.errors),
            "committed": self.committed, "dry_run": self.dry_run, "strict": self.strict,
            "nodes_created": self.stats.nodes_created, "relationships_created": self.stats.relationships_created,
            "relationships_closed": self.stats.relationships_closed, "properties_set": self.stats.properties_set,
            "seconds": round(self.seconds, 3), "error_file": self.error_file,
        }

    def table(self):
        """The summary as a rich table."""
        from rich.table import Table as RichTable

        title = f"import {self.kind} {Path(self.file).name}" + (" (dry run: nothing written)" if self.dry_run else "")
        if self.strict and self.errors:
            title += " (strict: nothing written)"
        t = RichTable(title=title)
        for name in ("read", "written", "unchanged", "skipped", "errors"):
            t.add_column(name, justify="right")
        t.add_row(str(self.read), str(self.written), str(self.unchanged), str(self.skipped), str(len(self.errors)))
        return t

    def mapping_table(self):
        """The column mapping as a rich table (field <- header)."""
        from rich.table import Table as RichTable

        t = RichTable(title=f"column mapping (source: {self.mapping.source or DEFAULT_SOURCE})" if self.mapping else "")
        t.add_column("field")
        t.add_column("column")
        if self.mapping:
            for name, header in self.mapping.columns.items():
                t.add_row(name, header)
            for header in self.mapping.unused:
                t.add_row("[dim](unused)[/]", header)
        return t

    def errors_table(self, limit: int = 20):
        """The first ``limit`` errors as a rich table."""
        from rich.table import Table as RichTable

        t = RichTable(title=f"errors ({len(self.errors)}; first {min(limit, len(self.errors))})")
        for name in ("row", "column", "value", "reason"):
            t.add_column(name)
        for e in self.errors[:limit]:
            t.add_row(str(e.row), e.column, str(e.value)[:40], e.reason)
        return t


def write_error_file(path: Path | str, errors: list[RowError]) -> None:
    """Write the errors as CSV (row, column, value, reason); values are neutralised against formulas."""
    from crn.ingest.formats import safe_cell

    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["row", "column", "value", "reason"])
        for e in sorted(errors, key=lambda e: (e.row, e.column)):
            writer.writerow([e.row, e.column, safe_cell(e.value), e.reason])


@dataclass
class Context:
    """What planners need besides the rows."""

    kind: str
    source: str
    today: date
    mapping: Mapping
    errors: list[RowError]

    def error(self, row: int, column: str, value: Any, reason: str) -> None:
        """Record one error."""
        self.errors.append(RowError(row, column, "" if value is None else value, reason))

    def header(self, name: str) -> str:
        """The file column for field ``name`` (the field name itself when unmapped)."""
        return self.mapping.header_for(name) or name


# -- validation ----------------------------------------------------------------------------------

def validate_rows(kind: str, table: Table, mapping: Mapping, ctx: Context) -> list[tuple[int, dict[str, Any]]]:
    """Parse every mapped cell; rows with any bad cell are reported and left out."""
    fields = {f.name: f for f in kind_fields(kind)}
    label = RECORD_OF[kind]
    links = {f.name for f in LINK_COLUMNS[kind]}
    own = [f.name for f in records.spec(label).writable if f.name not in links]
    # Hoisted out of the row loop: (field, header, parser) per mapped column and the required fields.
    columns = [(name, header, fields[name].parse) for name, header in mapping.columns.items()]
    required = [f.name for f in fields.values() if f.required]
    risky = FORMULA_STARTS
    good = []
    for number, raw in table.rows:
        if "__error__" in raw:
            ctx.error(number, "", "", raw["__error__"])
            continue
        clean: dict[str, Any] = {}
        bad = False
        for name, header, parse in columns:
            value = raw.get(header)
            if value is None:
                continue
            try:
                if isinstance(value, str):
                    if not value or value.isspace():
                        continue
                    if value.lstrip(" ")[0] in risky:
                        v.check_formula(value)
                clean[name] = parse(value)
            except v.CellError as exc:
                ctx.error(number, header, value, str(exc))
                bad = True
        if not bad:
            for name in required:
                if name not in clean:
                    ctx.error(number, ctx.header(name), "", f"{name} is required")
                    bad = True
                    break
        if not bad:
            # the record's own rules (ranges, e-mail and domain shapes ...), as the domain layer checks them
            for error in records.VALIDATORS[label]({k: clean[k] for k in own if k in clean}):
                name = error.field.split("[")[0] if error.field else None
                ctx.error(number, ctx.header(name) if name else "", clean.get(name, ""), error.message)
                bad = True
        if not bad:
            good.append((number, clean))
    return good


# -- planners ------------------------------------------------------------------------------------

def _xid(ctx: Context, clean: dict[str, Any], key: str = "id") -> str | None:
    value = clean.get(key)
    return f"{clean.get('source') or ctx.source}:{value}" if value not in (None, "") else None


def _company_ref(plan: Plan, ctx: Context, number: int, clean: dict[str, Any]) -> NodeOp | None:
    name, domain, cid = clean.get("company"), clean.get("company_domain"), _xid(ctx, clean, "company_id")
    if not (name or domain or cid):
        return None
    props = {"name": name or domain, "domain": domain, "external_ids": [cid] if cid else []}
    keys = [("ext_key", cid), ("domain", domain), ("name", name)]
    mode = "reference" if (name or domain) else "existing"
    op = plan.node("Company", keys, props, number, mode)
    if mode == "existing":
        op.rows.discard(number)
        op.props.setdefault("_referenced_by", set()).add(number)
    return op


def _person_ref(plan: Plan, ctx: Context, value: str, number: int, names: dict[str, NodeOp | None]) -> NodeOp:
    """A person named in a cell by external id, e-mail or (unique, in this file) name."""
    value = str(value).strip()
    xid = f"{ctx.source}:{value}"
    for key, val in (("ext_key", xid), ("email", value.lower())):
        op = plan.lookup("Person", key, val)
        if op is not None:
            return op
    if names.get(value) is not None:
        return names[value]  # type: ignore[return-value]
    keys = [("ext_key", xid)]
    if v.EMAIL_RE.match(value.lower()):
        keys.append(("email", value.lower()))
    op = plan.node("Person", keys, {}, number, "existing")
    op.rows.discard(number)
    op.props.setdefault("_referenced_by", set()).add(number)
    return op


def plan_people(rows: list[tuple[int, dict[str, Any]]], plan: Plan, ctx: Context) -> None:
    """Contacts and org charts: people, their employer and their reporting lines."""
    seen: dict[tuple[str, Any], tuple[int, Any]] = {}
    people: list[tuple[int, dict[str, Any], NodeOp]] = []
    names: dict[str, NodeOp | None] = {}
    for number, clean in rows:
        name = clean.get("name") or " ".join(p for p in (clean.get("first_name"), clean.get("last_name")) if p)
        if not name:
            ctx.error(number, ctx.header("name"), "", "name is required")
            continue
        xid, email = _xid(ctx, clean), clean.get("email")
        if not xid and not email:
            ctx.error(number, ctx.header("id"), "", "missing key: a person needs an id or an e-mail")
            continue
        employer = (clean.get("company_domain") or clean.get("company") or clean.get("company_id"))
        duplicate = False
        for key in (("ext_key", xid), ("email", email)):
            if key[1] is None:
                continue
            if key in seen:
                first_row, first_employer = seen[key]
                column = ctx.header("id" if key[0] == "ext_key" else "email")
                if employer and first_employer and employer != first_employer and not clean.get("until"):
                    ctx.error(number, ctx.header("company"), employer,
                              f"one person active at two employers ({first_employer} in row {first_row})")
                else:
                    ctx.error(number, column, key[1], f"duplicate key in the file (first in row {first_row})")
                duplicate = True
                break
        if duplicate:
            continue
        manager = clean.get("manager")
        if manager and MULTI_VALUE_RE.search(str(manager)) \
                and len([m for m in MULTI_VALUE_RE.split(str(manager)) if m.strip()]) > 1:
            ctx.error(number, ctx.header("manager"), manager, "more than one solid-line manager")
            continue
        for key in (("ext_key", xid), ("email", email)):
            if key[1] is not None:
                seen[key] = (number, employer)
        props = {**record_props("contacts", clean), "name": name, "email": email,
                 "emails": clean.get("emails") or ([email] if email else []), **_common(ctx, clean)}
        op = plan.node("Person", [("ext_key", xid), ("email", email)], props, number)
        names[name] = None if name in names else op
        people.append((number, clean, op))
    for number, clean, op in people:
        company = _company_ref(plan, ctx, number, clean)
        if company is not None:
            plan.link(LinkOp("WORKS_AT", op, company, {
                "title": clean.get("title"), "department": clean.get("department"),
                "since": clean.get("since"), "until": clean.get("until")}, number,
                exclusive=True, history=True, close_on=clean.get("since")))
        if clean.get("manager"):
            manager = _person_ref(plan, ctx, clean["manager"], number, names)
            plan.link(LinkOp("REPORTS_TO", op, manager, {"kind": "solid", "since": clean.get("since")}, number,
                             exclusive=True, history=True, scope={"kind": "solid"}))
        for dotted in v.parse_list(clean.get("dotted_manager") or ""):
            manager = _person_ref(plan, ctx, dotted, number, names)
            plan.link(LinkOp("REPORTS_TO", op, manager, {"kind": "dotted", "since": clean.get("since")}, number,
                             scope={"kind": "dotted"}))


def plan_companies(rows: list[tuple[int, dict[str, Any]]], plan: Plan, ctx: Context) -> None:
    """Companies with their parents and ownership shares (several parents per company allowed)."""
    seen: dict[tuple[Any, Any], int] = {}
    companies = []
    for number, clean in rows:
        xid, domain = _xid(ctx, clean), clean.get("domain")
        key = xid or domain or clean["name"]
        if (key, clean.get("parent")) in seen:
            ctx.error(number, ctx.header("id" if xid else "domain" if domain else "name"), key,
                      f"duplicate key in the file (first in row {seen[(key, clean.get('parent'))]})")
            continue
        seen[(key, clean.get("parent"))] = number
        props = {**record_props("companies", clean), "tags": clean.get("tags", []),
                 "external_ids": [xid] if xid else [], "ext_key": xid}
        op = plan.node("Company", [("ext_key", xid), ("domain", domain), ("name", clean["name"])], props, number)
        companies.append((number, clean, op))
    owned: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for number, clean, op in companies:
        parent_value = clean.get("parent")
        if not parent_value:
            continue
        parent = _company_lookup(plan, ctx, str(parent_value), number)
        if parent is op:
            ctx.error(number, ctx.header("parent"), parent_value, "company is its own parent")
            continue
        low, high = clean.get("share_range", (None, None))
        share = clean.get("share")
        plan.link(LinkOp("SUBSIDIARY_OF", op, parent, {
            "share": share, "share_min": low if share is None else None, "share_max": high if share is None else None,
            "kind": clean.get("parent_kind", "subsidiary"), "since": clean.get("since"), "until": clean.get("until")},
            number))
        if not clean.get("until"):
            owned[id(op)].append((number, share if share is not None else (low or 0.0)))
    _check_ownership(owned, {id(op): op for _, _, op in companies}, ctx, "share")


def _check_ownership(owned: dict[int, list[tuple[int, float]]], ops: dict[int, NodeOp], ctx: Context,
                     column: str) -> None:
    for key, shares in owned.items():
        total = sum(s for _, s in shares)
        if total > 1.0 + 1e-9:
            rows = ", ".join(str(n) for n, _ in shares)
            for number, share in shares:
                ctx.error(number, ctx.header(column), f"{share:.0%}",
                          f"ownership of {ops[key].describe()} adds up to {total:.0%} (rows {rows}), above 100%")


def check_ownership_with_graph(plan: Plan, ctx: Context) -> set[int]:
    """Rows whose child's ownership, with the graph's other open parents, adds up to more than 100%."""
    from crn.graph import db
    from crn.graph.queries.ingest import OPEN_PARENT_SHARES

    by_child: dict[int, list[LinkOp]] = defaultdict(list)
    for link in plan.links:
        if link.type == "SUBSIDIARY_OF" and not link.props.get("until"):
            by_child[id(link.start)].append(link)
    known = {links[0].start.uid: key for key, links in by_child.items() if links[0].start.uid}
    if not known:
        return set()
    others: dict[int, list[float]] = defaultdict(list)
    for row in db.read(OPEN_PARENT_SHARES, uids=list(known)):
        key = known[row["child"]]
        if all(link.end.uid != row["parent"] for link in by_child[key]):
            others[key].append(row["share"])
    bad: set[int] = set()
    for key, extra in others.items():
        links = by_child[key]
        in_file = sum((l.props.get("share") if l.props.get("share") is not None else l.props.get("share_min") or 0.0)
                      for l in links)
        total = in_file + sum(extra)
        if in_file <= 1.0 + 1e-9 < total:
            for link in links:
                ctx.error(link.row, ctx.header("share"), link.props.get("share"),
                          f"ownership of {link.start.describe()} adds up to {total:.0%} with its other parents "
                          "in the graph, above 100%")
                bad.add(link.row)
    return bad


def _company_lookup(plan: Plan, ctx: Context, value: str, number: int) -> NodeOp:
    xid = f"{ctx.source}:{value}"
    try:
        domain = v.parse_domain(value)
    except v.CellError:
        domain = None
    for key, val in (("ext_key", xid), ("domain", domain), ("name", value)):
        op = plan.lookup("Company", key, val) if val else None
        if op is not None:
            return op
    op = plan.node("Company", [("ext_key", xid), ("domain", domain), ("name", value)], {}, number, "existing")
    op.rows.discard(number)
    op.props.setdefault("_referenced_by", set()).add(number)
    return op


def _record_ops(rows, plan: Plan, ctx: Context, label: str, props_of: Callable[[dict[str, Any]], dict[str, Any]],
                key_of: Callable[[dict[str, Any]], list[tuple[str, Any]]]) -> list[tuple[int, dict[str, Any], NodeOp]]:
    seen: dict[Any, int] = {}
    out = []
    for number, clean in rows:
        keys = [(k, val) for k, val in key_of(clean) if val]
        if not keys:
            ctx.error(number, ctx.header("id"), "", f"missing key: a {label.lower()} needs an id")
            continue
        if keys[0] in seen:
            ctx.error(number, ctx.header("number" if keys[0][0] == "number" else "id"), keys[0][1],
                      f"duplicate key in the file (first in row {seen[keys[0]]})")
            continue
        seen[keys[0]] = number
        out.append((number, clean, plan.node(label, keys, props_of(clean), number)))
    return out


def _common(ctx: Context, clean: dict[str, Any]) -> dict[str, Any]:
    xid = _xid(ctx, clean)
    return {"tags": clean.get("tags", []), "external_ids": [xid] if xid else [], "ext_key": xid}


def record_props(kind: str, clean: dict[str, Any]) -> dict[str, Any]:
    """The row's values of the record type's own fields (model and custom, by the property that holds them);
    columns that are links of the kind (a company row's ``since``) are not record fields."""
    links = {f.name for f in LINK_COLUMNS[kind]}
    return {f.prop: clean.get(f.name) for f in records.spec(RECORD_OF[kind]).writable
            if f.name not in links and f.name not in ("tags", "external_ids")}


def plan_deals(rows, plan: Plan, ctx: Context) -> None:
    """Deals, the company they are for, and their buying committee (``who:role; who:role``)."""
    records = _record_ops(rows, plan, ctx, "Deal", lambda c: {
        **record_props("deals", c),
        "status": {"closed_won": "won", "closed_lost": "lost"}.get(c.get("stage") or "", "open" if c.get("stage") else None),
        **_common(ctx, c)}, lambda c: [("ext_key", _xid(ctx, c)), ("name", c.get("name"))])
    for number, clean, op in records:
        company = _company_ref(plan, ctx, number, clean)
        if company is not None:
            plan.link(LinkOp("FOR", op, company, {}, number, exclusive=True, history=False))
        for member in clean.get("committee", []):
            who, _, role = member.rpartition(":")
            try:
                role = COMMITTEE_ROLE_PARSER(role)
                if not who:
                    raise v.CellError("committee members are written who:role")
            except v.CellError as exc:
                ctx.error(number, ctx.header("committee"), member, str(exc))
                plan.drop_rows({number})
                break
            person = _person_ref(plan, ctx, who, number, {})
            plan.link(LinkOp("ON_COMMITTEE", person, op, {"role": role, "declared": True, "confidence": 1.0}, number,
                             scope={"role": role}))


def plan_tickets(rows, plan: Plan, ctx: Context) -> None:
    """Tickets, their company and the person who raised them."""
    records = _record_ops(rows, plan, ctx, "Ticket", lambda c: {
        **record_props("tickets", c), **_common(ctx, c)}, lambda c: [("ext_key", _xid(ctx, c))])
    for number, clean, op in records:
        company = _company_ref(plan, ctx, number, clean)
        if company is not None:
            plan.link(LinkOp("FOR", op, company, {}, number, exclusive=True, history=False))
        if clean.get("contact"):
            person = _person_ref(plan, ctx, clean["contact"], number, {})
            plan.link(LinkOp("RAISED_BY", op, person, {}, number, exclusive=True, history=False))


def plan_interactions(rows, plan: Plan, ctx: Context) -> None:
    """Interactions with their participants; rows without an id get a stable id from their content."""
    def key_of(c: dict[str, Any]) -> list[tuple[str, Any]]:
        if c.get("id"):
            return [("ext_key", _xid(ctx, c))]
        digest = hashlib.sha1("|".join(str(c.get(k, "")) for k in ("kind", "at", "subject", "contacts")).encode())
        c["id"] = digest.hexdigest()[:16]
        return [("ext_key", _xid(ctx, c))]

    records = _record_ops(rows, plan, ctx, "Interaction", lambda c: {
        **record_props("interactions", c), **_common(ctx, c)}, key_of)
    for number, clean, op in records:
        company = _company_ref(plan, ctx, number, clean)
        if company is not None:
            plan.link(LinkOp("ABOUT", op, company, {}, number))
        for who in clean.get("contacts", []):
            person = _person_ref(plan, ctx, who, number, {})
            plan.link(LinkOp("INVOLVED", op, person, {"role": "participant"}, number))


def plan_orders(rows, plan: Plan, ctx: Context) -> None:
    """Orders, who placed them and their items (``sku:qty:price; ...``)."""
    records = _record_ops(rows, plan, ctx, "Order", lambda c: {
        **record_props("orders", c), "tags": c.get("tags", [])}, lambda c: [("number", c.get("number"))])
    for number, clean, op in records:
        company = _company_ref(plan, ctx, number, clean)
        if company is not None:
            plan.link(LinkOp("PLACED_BY", op, company, {}, number, exclusive=True, history=False))
        if clean.get("contact"):
            person = _person_ref(plan, ctx, clean["contact"], number, {})
            plan.link(LinkOp("PLACED_BY", op, person, {}, number, exclusive=True, history=False))
        for item in clean.get("items", []):
            parts = item.split(":")
            try:
                qty = v.parse_int(parts[1]) if len(parts) > 1 else 1
                price = v.parse_float(parts[2]) if len(parts) > 2 else None
            except v.CellError as exc:
                ctx.error(number, ctx.header("items"), item, f"{exc} (items are written sku:qty:price)")
                plan.drop_rows({number})
                break
            product = plan.node("Product", [("sku", parts[0].strip())], {"sku": parts[0].strip(), "name": parts[0].strip()},
                                number, "reference")
            plan.link(LinkOp("CONTAINS", op, product, {"qty": qty, "price": price}, number))


PLANNERS: dict[str, Callable[..., None]] = {
    "orgchart": plan_people, "contacts": plan_people, "companies": plan_companies, "deals": plan_deals,
    "tickets": plan_tickets, "interactions": plan_interactions, "orders": plan_orders,
}


# -- checks after resolving ----------------------------------------------------------------------

def check_references(plan: Plan, ctx: Context) -> set[int]:
    """Rows naming a record found neither in the file nor in the graph; returns the rows to drop."""
    bad: set[int] = set()
    for op in plan.nodes:
        referenced = op.props.pop("_referenced_by", set())
        if op.mode == "existing" and op.uid is None:
            what = {"Person": "person", "Company": "company"}.get(op.label, op.label.lower())
            for number in sorted(referenced):
                link = next((l for l in plan.links if l.row == number and (l.end is op or l.start is op)), None)
                column = {"REPORTS_TO": "manager", "SUBSIDIARY_OF": "parent", "ON_COMMITTEE": "committee",
                          "INVOLVED": "contacts", "FOR": "company_id", "WORKS_AT": "company_id"}.get(
                    link.type if link else "", "contact")
                if link is not None and link.type == "REPORTS_TO" and link.props.get("kind") == "dotted":
                    column = "dotted_manager"
                reason = "unknown manager (not in the file nor in the graph)" if column in ("manager", "dotted_manager") \
                    else f"unknown {what} (not in the file nor in the graph)"
                ctx.error(number, ctx.header(column), op.keys[0][1].split(":", 1)[-1] if op.keys else "", reason)
                bad.add(number)
    return bad


def check_reporting_cycles(plan: Plan, ctx: Context) -> set[int]:
    """Rows whose solid reporting lines (with the graph's current ones) form a cycle."""
    import networkx as nx

    from crn.graph import db
    from crn.graph.queries.ingest import OPEN_SOLID_MANAGERS

    solid = [l for l in plan.links if l.type == "REPORTS_TO" and l.props.get("kind") == "solid"]
    if not solid:
        return set()
    graph = nx.DiGraph()
    in_file = set()
    for link in solid:
        a, b = link.start.uid or id(link.start), link.end.uid or id(link.end)
        graph.add_edge(a, b, row=link.row)
        in_file.add(a)
    # Only people the file names but does not give a manager can bring a reporting line from the graph
    # (the file's own lines replace the graph's), so only they are looked up.
    known = [n for n in graph.nodes if isinstance(n, str) and n not in in_file]
    for row in (db.read(OPEN_SOLID_MANAGERS, uids=known) if known else []):
        graph.add_edge(row["person"], row["manager"], row=None)
    bad: set[int] = set()
    names = {(op.uid or id(op)): op.describe() for op in plan.nodes if op.label == "Person"}
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            node = next(iter(component))
            if not graph.has_edge(node, node):
                continue
        cycle = nx.find_cycle(graph.subgraph(component))
        path = " -> ".join(names.get(a, str(a)) for a, _ in cycle) + f" -> {names.get(cycle[0][0], '?')}"
        for a, b in cycle:
            number = graph.edges[a, b]["row"]
            if number is not None:
                ctx.error(number, ctx.header("manager"), names.get(b, b), f"reporting cycle: {path}")
                bad.add(number)
    return bad


# -- running -------------------------------------------------------------------------------------

Progress = Callable[[str, int, int], None]
"""Told ``(phase, done, total)`` as an import goes: read, validate, write (rows), done."""


def build_plan(kind: str, path: Path, ctx_errors: list[RowError], *, map_file: Path | str | None, source: str | None,
               actor: str | None, today: date | None, fmt: str | None, xlsx_limits: XlsxLimits | None = None,
               columns: dict[str, Any] | None = None, progress: Progress | None = None
               ) -> tuple[Plan, Context, int]:
    """Read, map, validate and plan a file; resolve it against the graph and check it (no writes).

    ``columns``: an explicit mapping (``{"columns": {field: header}, "exclusive": bool}``, see
    :func:`crn.ingest.mapping.chosen_mapping`); it wins over ``map_file``."""
    tell = progress or (lambda phase, done, total: None)
    plan = Plan(actor=actor, today=today)
    if kind == "bods":
        from crn.ingest import bods

        mapping = Mapping(source=source or "bods")
        ctx = Context(kind, source or "bods", plan.today, mapping, ctx_errors)
        read = bods.plan_bods(path, plan, ctx)
    else:
        tell("read", 0, 0)
        table = read_table(path, fmt, xlsx_limits=xlsx_limits)
        tell("validate", 0, len(table.rows))
        explicit = columns if columns is not None else load_map_file(map_file) if map_file else None
        mapping = detect_mapping(kind, table.headers, explicit)
        ctx = Context(kind, source or mapping.source or DEFAULT_SOURCE, plan.today, mapping, ctx_errors)
        rows = validate_rows(kind, table, mapping, ctx)
        PLANNERS[kind](rows, plan, ctx)
        read = len(table.rows)
    tell("validate", read, read)
    plan.resolve()
    bad = set()
    for row, value, reason in plan.access_problems():  # enforce (issue 13): reported per row, the rest goes on
        ctx.error(row, "", value, reason)
        bad.add(row)
    bad |= check_references(plan, ctx)
    if kind in ("orgchart", "contacts"):
        bad |= check_reporting_cycles(plan, ctx)
    if kind == "companies":
        bad |= check_ownership_with_graph(plan, ctx)
    bad |= {e.row for e in ctx.errors}
    # Rejections cascade: a rejected manager's row makes its reports' manager unknown, and so on.
    while bad:
        orphaned = plan.drop_rows(bad)
        for link in orphaned:
            column = {"REPORTS_TO": "manager", "SUBSIDIARY_OF": "parent"}.get(link.type, "")
            ctx.error(link.row, ctx.header(column) if column else "", link.end.describe(),
                      f"refers to a record whose own row was rejected ({link.type})")
        bad = {link.row for link in orphaned}
    return plan, ctx, read


def run_import(kind: str, path: Path | str, *, map_file: Path | str | None = None, dry_run: bool = False,
               strict: bool = False, errors_path: Path | str | None = None, source: str | None = None,
               actor: str | None = None, today: date | None = None, fmt: str | None = None,
               console=None, batch_size: int | None = None, settings: Settings | None = None,
               columns: dict[str, Any] | None = None, progress: Progress | None = None) -> ImportSummary:
    """Import ``path`` as ``kind``; returns the summary (errors included). Writes nothing on dry runs and,
    with ``strict``, when any row has an error. ``settings`` (the caller's: the API's or the command's) give the
    batch size and the XLSX caps; without them they are read from the environment (scripts and tests).

    ``columns``: an explicit mapping that wins over ``map_file`` (see :func:`build_plan`); ``progress`` is told
    each phase and, while writing, the rows written so far (of the valid rows)."""
    if settings is None:
        from crn.config import get_settings

        settings = get_settings()
    if kind not in KINDS or kind == "graph":
        raise ValueError(f"unknown import kind {kind!r}; choose one of {', '.join(k for k in KINDS if k != 'graph')}")
    started = time.perf_counter()
    path = Path(path)
    errors: list[RowError] = []
    plan, ctx, read = build_plan(kind, path, errors, map_file=map_file, source=source, actor=actor, today=today,
                                 fmt=fmt, xlsx_limits=XlsxLimits.from_settings(settings), columns=columns,
                                 progress=progress)
    errors.sort(key=lambda e: (e.row, e.column))
    summary = ImportSummary(kind=kind, file=str(path), read=read, errors=errors, mapping=ctx.mapping,
                            dry_run=dry_run, strict=strict)
    skipped_rows = {e.row for e in errors}
    summary.skipped = len(skipped_rows)
    valid = read - summary.skipped
    if not dry_run and not (strict and errors):
        # audit: the record changes come through "import", under this run's id, which its summary entry shares
        run_id, via = uuid.uuid4().hex[:12], audit.channel.current().name
        with audit.through("import", ref=run_id):
            _write_planned(plan, summary, valid, skipped_rows, console, progress, kwargs={
                "batch_size": batch_size or settings.import_batch_size})
            audit.record_alone("import", actor=actor, details={
                "kind": kind, "file": path.name, "read": read, "written": summary.written,
                "skipped": summary.skipped, "unchanged": valid - summary.written, "errors": len(errors),
                "strict": strict, "via": via})
    summary.unchanged = valid - summary.written if summary.committed else 0
    if errors_path:
        write_error_file(errors_path, errors)
        summary.error_file = str(errors_path)
    summary.seconds = time.perf_counter() - started
    # ops: /metrics crn_import_rows_total by outcome
    metrics.IMPORT_ROWS.labels("written").inc(summary.written)
    metrics.IMPORT_ROWS.labels("unchanged").inc(summary.unchanged)
    metrics.IMPORT_ROWS.labels("skipped").inc(summary.skipped)
    if progress is not None:
        progress("done", read, read)
    return summary


def _write_planned(plan: Plan, summary: ImportSummary, valid: int, skipped_rows: set[int], console,
                   progress: Progress | None, kwargs: dict[str, Any]) -> None:
    """Write a checked plan (with the progress the caller asked for) and fill in the summary's counts."""
    if console is not None and summary.read >= PROGRESS_MIN_ROWS:
        summary.stats = _write_with_progress(plan, valid, console, kwargs)
    elif progress is not None:
        written = [0.0]

        def advance(fraction: float) -> None:
            written[0] = min(1.0, written[0] + fraction)
            progress("write", round(written[0] * valid), valid)

        progress("write", 0, valid)
        summary.stats = plan.write(progress=advance, **kwargs)
    else:
        summary.stats = plan.write(**kwargs)
    summary.committed = True
    summary.written = len(summary.stats.changed_rows - skipped_rows)


def _write_with_progress(plan: Plan, rows: int, console, kwargs: dict[str, Any]) -> WriteStats:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("[bold]writing"), BarColumn(), TextColumn("{task.completed:,.0f}/{task.total:,} rows"),
               TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("write", total=rows, rate="-")
        started = time.perf_counter()

        def advance(fraction: float) -> None:
            progress.advance(task, fraction * rows)
            done = progress.tasks[0].completed
            progress.update(task, rate=f"{done / max(time.perf_counter() - started, 1e-6):,.0f}")

        return plan.write(progress=advance, **kwargs)
