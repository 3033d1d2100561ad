"""An import plan: the node and relationship upserts a file asks for, resolved against the graph and written in batches.

The plan is built in memory from validated rows, resolved against the database with one read per
batch of keys, checked, and only then written: nodes first, then relationships, each batch one
write transaction. Every write is an upsert keyed on uid/ext_key/email/domain, and only changed
properties are set, so a re-run (after a crash, or of the same file) reaches the same end state and
an unchanged file writes nothing at all.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from crn.crm import events as domain_events
from crn.graph import db
from crn.crm import records
from crn.graph.queries import ingest as q

BATCH_SIZE = 5000
LIST_PROPS = ("external_ids", "emails", "phones", "tags")
SCOPE_DEFAULTS = {"kind": "solid"}  # a REPORTS_TO without a kind is a solid line


def native(value: Any) -> Any:
    """Neo4j temporal values as Python ones, so values read back compare equal to parsed cells."""
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def wire(props: dict[str, Any]) -> dict[str, Any]:
    """A row for the typed write statements: temporals as ISO text plus the keys to convert back.

    The driver's pure-Python packing of dates and datetimes costs ~0.5 ms each; strings are cheap.
    """
    out, dates, times = {}, [], []
    for key, value in props.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
            times.append(key)
        elif isinstance(value, date):
            out[key] = value.isoformat()
            dates.append(key)
        else:
            out[key] = value
    return {"props": out, "d": tuple(dates), "t": tuple(times)}


def by_signature(rows: list[dict[str, Any]]) -> dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]]:
    """Wired rows grouped by their (date keys, datetime keys): one statement per group."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row.pop("d"), row.pop("t"))].append(row)
    return groups


def _plain_rows(tx, query: str, values: list[Any], props: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts by direct field access (``Record.data()`` walks every nested value: slow for 5k rows)."""
    result = tx.run(query, **db.with_access(query, {"values": values, "props": props}))  # enforce (issue 13)
    keys = result.keys()
    return [dict(zip(keys, record.values())) for record in result]


def model_defaults(label: str, now: datetime) -> dict[str, Any]:
    """What a new ``label`` record gets for the fields a row left empty: the domain layer's defaults (the
    model's and custom fields'), "now" for fields stamped at creation (a ticket's ``opened_at``) and empty lists."""
    spec = records.spec(label)
    return {**{f.prop: [] for f in spec.fields if f.kind == "strs"},
            **{f.prop: f.default for f in spec.fields if f.default is not None},
            **{f.prop: now for f in spec.writable if f.default_now}}


@dataclass(eq=False)
class NodeOp:
    """Upsert one node. ``keys`` are (property, value) pairs tried in order to find it.

    ``mode`` is "upsert" (the row describes this record: changed fields are updated), "reference"
    (a record named by a row: created when missing, only empty fields filled) or "existing" (must
    already exist in the file or the graph, e.g. a manager; nothing is written to it).
    """

    label: str
    keys: list[tuple[str, Any]]
    props: dict[str, Any]
    rows: set[int] = field(default_factory=set)
    mode: str = "upsert"
    uid: str | None = None
    existing: dict[str, Any] | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    readable: bool = True  # enforce (issue 13): the importer may read / change the node found
    writable: bool = True

    def describe(self) -> str:
        """A short human name for messages."""
        return str(self.props.get("name") or (self.keys[0][1] if self.keys else "?"))


@dataclass(eq=False)
class LinkOp:
    """Upsert one relationship ``start -[type]-> end``.

    ``exclusive``: other open relationships of this type (and the same ``scope`` properties) from
    ``start`` are ended; with ``history`` their ``until`` is set to ``close_on``, otherwise deleted.
    """

    type: str
    start: NodeOp
    end: NodeOp
    props: dict[str, Any]
    row: int
    exclusive: bool = False
    history: bool = True
    scope: dict[str, Any] = field(default_factory=dict)
    close_on: date | None = None


@dataclass
class WriteStats:
    """What the writes did, from the query counters (summary.counters)."""

    nodes_created: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    relationships_closed: int = 0
    changed_rows: set[int] = field(default_factory=set)

    def add(self, counters: Any) -> None:
        """Add one statement's counters."""
        self.nodes_created += counters.nodes_created
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set


class Plan:
    """The node and link upserts of one import, deduplicated by key."""

    def __init__(self, actor: str | None = None, today: date | None = None):
        self.nodes: list[NodeOp] = []
        self.links: list[LinkOp] = []
        self._index: dict[tuple[str, str, Any], NodeOp] = {}
        self.actor = actor
        self.today = today or datetime.now(timezone.utc).date()

    # -- building -------------------------------------------------------------------------------
    def lookup(self, label: str, key: str, value: Any) -> NodeOp | None:
        """The op already planned for ``label`` with ``key`` = ``value``."""
        return self._index.get((label, key, value))

    def node(self, label: str, keys: list[tuple[str, Any]], props: dict[str, Any], row: int,
             mode: str = "upsert") -> NodeOp:
        """Add (or merge into an existing op with a shared key) a node upsert and return it."""
        keys = [(k, v) for k, v in keys if v not in (None, "")]
        props = {k: v for k, v in props.items() if v is not None and v != []}
        op = next((self._index[(label, k, v)] for k, v in keys if (label, k, v) in self._index), None)
        if op is None:
            op = NodeOp(label, list(keys), props, {row}, mode)
            self.nodes.append(op)
        else:
            op.rows.add(row)
            rank = {"existing": 0, "reference": 1, "upsert": 2}
            if rank[mode] > rank[op.mode]:
                op.mode = mode
                op.props.update(props)
            else:
                for k, v in props.items():
                    if k in LIST_PROPS:
                        op.props[k] = list(dict.fromkeys([*op.props.get(k, []), *v]))
                    else:
                        op.props.setdefault(k, v)
            for key in keys:
                if key not in op.keys:
                    op.keys.append(key)
        for k, v in keys:
            self._index.setdefault((label, k, v), op)
        return op

    def link(self, op: LinkOp) -> LinkOp:
        """Add a relationship upsert."""
        self.links.append(op)
        return op

    def drop_rows(self, rows: set[int]) -> list[LinkOp]:
        """Forget everything only these rows asked for (they were rejected).

        Returns the links of *other* rows that pointed at a node only the rejected rows described.
        """
        if not rows:
            return []
        dead = set()
        for op in self.nodes:
            if op.rows & rows:
                op.rows -= rows
                if not op.rows:
                    dead.add(id(op))
        self.nodes = [op for op in self.nodes if id(op) not in dead]
        self._index = {k: op for k, op in self._index.items() if id(op) not in dead}
        orphaned = [l for l in self.links if l.row not in rows and (id(l.start) in dead or id(l.end) in dead)]
        self.links = [l for l in self.links if l.row not in rows and id(l.start) not in dead and id(l.end) not in dead]
        return orphaned

    # -- resolving ------------------------------------------------------------------------------
    def resolve(self) -> None:
        """Find each planned node in the graph (one read per label, key and batch) and diff it."""
        by_label: dict[str, list[NodeOp]] = defaultdict(list)
        for op in self.nodes:
            by_label[op.label].append(op)
        for label, ops in by_label.items():
            key_names = list(dict.fromkeys(k for op in ops for k, _ in op.keys))
            for key in key_names:
                wanted = [op for op in ops if op.uid is None and any(k == key for k, _ in op.keys)]
                for start in range(0, len(wanted), BATCH_SIZE):
                    chunk = wanted[start:start + BATCH_SIZE]
                    values = list({v for op in chunk for k, v in op.keys if k == key})
                    props = list({k for op in chunk for k in op.props if not k.startswith("_")})
                    found: dict[Any, dict[str, Any]] = {}
                    for row in db.read_tx(_plain_rows, query=q.find_nodes_by(label, key), values=values,
                                          props=props):
                        found.setdefault(row["value"], row)
                    for op in chunk:
                        value = next(v for k, v in op.keys if k == key)
                        if value in found:
                            op.uid = found[value]["uid"]
                            op.existing = {k: native(v) for k, v in found[value]["pairs"]}
                            op.readable, op.writable = found[value]["readable"], found[value]["writable"]
        for op in self.nodes:
            self._diff(op)

    def access_problems(self) -> list[tuple[int, str, str]]:
        """enforce (issue 13): (row, value, reason) for each row that touches a record the importer may not see
        (any use of it) or may not change (a change to it, or a link from it)."""
        problems: list[tuple[int, str, str]] = []
        for op in self.nodes:
            if op.uid is None:
                continue
            if not op.readable:
                problems += [(row, op.describe(), f"matches a {op.label.lower()} you cannot see") for row in op.rows]
            elif op.changes and not op.writable:
                problems += [(row, op.describe(), f"would change a {op.label.lower()} you may read but not change")
                             for row in op.rows]
        for link in self.links:
            start = link.start
            if start.uid is not None and start.readable and not start.writable:
                problems.append((link.row, start.describe(), f"would link a {start.label.lower()} you may read but "
                                 f"not change ({link.type})"))
        return problems

    def _diff(self, op: NodeOp) -> None:
        if op.existing is None:
            op.changes = {}
            return
        changes: dict[str, Any] = {}
        for key, value in op.props.items():
            old = op.existing.get(key)
            if key in LIST_PROPS:
                merged = list(dict.fromkeys([*(old or []), *value]))
                if merged != list(old or []):
                    changes[key] = merged
            elif key == "ext_key":
                if old is None:
                    changes[key] = value
            elif op.mode == "reference":
                if old is None:
                    changes[key] = value
            elif op.mode == "upsert" and old != value:
                changes[key] = value
        op.changes = changes

    # -- writing --------------------------------------------------------------------------------
    def write(self, progress: Callable[[float], None] | None = None, batch_size: int = BATCH_SIZE) -> WriteStats:
        """Write nodes then relationships in batches, one transaction each; returns the counters.

        Batches are prepared in this thread while a writer thread runs the previous transaction, so
        Python's share of the work overlaps the database's (at most two batches in flight).
        """
        import contextvars
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        stats = WriteStats()
        now = datetime.now(timezone.utc)
        for op in self.nodes:
            if op.uid is None:
                op.uid = uuid.uuid4().hex
        units = len(self.nodes) + len(self.links) or 1
        in_flight: deque = deque()

        def submit(pool, work, size: int) -> None:
            # in this context (the audit channel and the bound viewer reach the writer thread)
            in_flight.append((pool.submit(contextvars.copy_context().run, db.write_tx, work), size))
            while len(in_flight) > 1:
                drain_one()

        def drain_one() -> None:
            future, size = in_flight.popleft()
            future.result()
            if progress:
                progress(size / units)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crn-import") as pool:
            by_label: dict[str, list[NodeOp]] = defaultdict(list)
            for op in self.nodes:
                if op.mode != "existing":
                    by_label[op.label].append(op)
            for label, ops in by_label.items():
                for start in range(0, len(ops), batch_size):
                    chunk = ops[start:start + batch_size]
                    payload = self._prepare_nodes(label, chunk, now, stats)
                    submit(pool, lambda tx, lbl=label, p=payload: self._execute_nodes(tx, lbl, p, stats), len(chunk))
            while in_flight:  # every node exists before any relationship is written
                drain_one()
            groups: dict[tuple[str, str, str], list[LinkOp]] = defaultdict(list)
            for link in self.links:
                groups[(link.start.label, link.type, link.end.label)].append(link)
            # One transaction per round writes the i-th batch of every relationship group (WORKS_AT and
            # REPORTS_TO of the same rows together): half the commits of one transaction per group.
            rounds = max((len(links) + batch_size - 1) // batch_size for links in groups.values()) if groups else 0
            for number in range(rounds):
                parts, size = [], 0
                for key, links in groups.items():
                    chunk = links[number * batch_size:(number + 1) * batch_size]
                    if not chunk:
                        continue
                    size += len(chunk)
                    if any(link.start.existing is not None for link in chunk):
                        parts.append((key, chunk, None))
                    else:  # only new start nodes: nothing to read, plan here
                        parts.append((key, None, self._plan_links(key, chunk, defaultdict(list), stats)))
                submit(pool, lambda tx, ps=parts: self._write_link_parts(tx, ps, stats), size)
            while in_flight:
                drain_one()
        return stats

    def _write_link_parts(self, tx, parts: list[tuple], stats: WriteStats) -> None:
        """Write several relationship groups' batches in one transaction (each read-planned or pre-planned)."""
        for key, chunk, planned in parts:
            if planned is None:
                self._write_links(tx, key, chunk, stats)
            else:
                self._execute_links(tx, key, planned, stats)

    def _prepare_nodes(self, label: str, ops: list[NodeOp], now: datetime, stats: WriteStats) -> tuple:
        creates, updates, events = [], [], []
        defaults = model_defaults(label, now)
        for op in ops:
            if op.existing is None:
                props = {**defaults, **op.props, "uid": op.uid, "created_at": now, "updated_at": now,
                         "updated_by": self.actor}
                creates.append(wire({k: v for k, v in props.items() if v is not None}))
                events.append(domain_events.Event("created", label, op.uid, actor=self.actor, at=now, after=op.props))
                stats.changed_rows |= op.rows
            elif op.changes:
                updates.append({"uid": op.uid, **wire({**op.changes, "updated_at": now, "updated_by": self.actor})})
                events.append(domain_events.Event(
                    "updated", label, op.uid, actor=self.actor, at=now, changed=tuple(op.changes),
                    before={k: op.existing.get(k) for k in op.changes}, after=dict(op.changes)))
                stats.changed_rows |= op.rows
        return creates, updates, events

    def _execute_nodes(self, tx, label: str, payload: tuple, stats: WriteStats) -> None:
        creates, updates, events = payload
        for (dates, times), rows in by_signature(creates).items():
            stats.add(tx.run(q.create_nodes(label, dates, times), rows=rows).consume().counters)
        for (dates, times), rows in by_signature(updates).items():
            stats.add(tx.run(q.update_nodes(label, dates, times), rows=rows).consume().counters)
        domain_events.publish(tx, events)

    def _write_links(self, tx, key: tuple[str, str, str], links: list[LinkOp], stats: WriteStats) -> None:
        start_label, rel_type, end_label = key
        # Nodes this import created have no relationships yet: only look up the others.
        uids = list({link.start.uid for link in links if link.start.existing is not None})
        existing: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in (tx.run(q.existing_rels(start_label, rel_type, end_label), uids=uids) if uids else []):
            props = {k: native(v) for k, v in record["props"].items()}
            existing[record["start"]].append({"rid": record["rid"], "end": record["end"], "props": props})
        self._execute_links(tx, key, self._plan_links(key, links, existing, stats), stats)

    def _plan_links(self, key: tuple[str, str, str], links: list[LinkOp], existing: dict[str, list[dict[str, Any]]],
                    stats: WriteStats) -> tuple:
        """Decide per link: create, update changed properties, close or delete the edges it replaces."""
        rel_type = key[1]
        now = datetime.now(timezone.utc)  # one clock read per batch: its events share a transaction
        creates, updates, closes, deletes, events = [], [], [], [], []
        handled: set[str] = set()
        for link in links:
            mine = existing[link.start.uid]
            props = {k: v for k, v in link.props.items() if v is not None}
            in_scope = [r for r in mine
                        if all(r["props"].get(k, SCOPE_DEFAULTS.get(k)) == d for k, d in link.scope.items())]
            if props.get("until") is None:
                match = next((r for r in in_scope if r["end"] == link.end.uid and r["props"].get("until") is None
                              and r["rid"] not in handled), None)
            else:
                match = next((r for r in in_scope if r["end"] == link.end.uid and r["rid"] not in handled and (
                    r["props"].get("since") == props.get("since") if props.get("since") else
                    r["props"].get("until") == props.get("until"))), None)
            created = match is None
            if match is None:
                creates.append({"start": link.start.uid, "end": link.end.uid, "props": props})
                new = {"rid": f"new:{len(creates)}", "end": link.end.uid, "props": props}
                mine.append(new)
                handled.add(new["rid"])
                events.append(domain_events.Event("linked", rel_type, link.start.uid, actor=self.actor, at=now,
                                                  other_uid=link.end.uid, after=props))
                stats.changed_rows.add(link.row)
            else:
                handled.add(match["rid"])
                # ``since`` marks when a stint or line began: filled when missing, never moved by a re-import
                # (a line opened by a change starts at the change, not at the row's hire date).
                changed = {k: v for k, v in props.items() if match["props"].get(k) != v
                           and not (k == "since" and match["props"].get("since") is not None)}
                if changed:
                    updates.append({"rid": match["rid"], "props": changed})
                    match["props"].update(changed)
                    stats.changed_rows.add(link.row)
            if link.exclusive:
                for other in in_scope:
                    if other["end"] == link.end.uid or other["props"].get("until") is not None:
                        continue
                    if other["rid"].startswith("new:"):
                        continue
                    if link.history:
                        other["props"]["until"] = link.close_on or self.today
                        if created and (props.get("since") is None or props["since"] < other["props"]["until"]):
                            props["since"] = other["props"]["until"]  # the new line starts when the old one ends
                        closes.append({"rid": other["rid"], "props": {"until": other["props"]["until"]}})
                    else:
                        deletes.append(other["rid"])
                        mine.remove(other)
                    events.append(domain_events.Event("unlinked", rel_type, link.start.uid, actor=self.actor, at=now,
                                                      other_uid=other["end"]))
                    stats.changed_rows.add(link.row)
        return creates, updates, closes, deletes, events

    def _execute_links(self, tx, key: tuple[str, str, str], planned: tuple, stats: WriteStats) -> None:
        start_label, rel_type, end_label = key
        creates, updates, closes, deletes, events = planned
        rows = [{"start": c["start"], "end": c["end"], **wire(c["props"])} for c in creates]
        for (dates, times), group in by_signature(rows).items():
            stats.add(tx.run(q.create_rels(start_label, rel_type, end_label, dates, times), rows=group).consume().counters)
        if updates or closes:
            rows = [{"rid": u["rid"], **wire(u["props"])} for u in updates + closes]
            for (dates, times), group in by_signature(rows).items():
                stats.add(tx.run(q.update_rels(dates, times), rows=group).consume().counters)
            stats.relationships_closed += len(closes)
        if deletes:
            stats.add(tx.run(q.DELETE_RELS, rids=deletes).consume().counters)
        domain_events.publish(tx, events)
