"""Streams the demo generator's batches into Neo4j with a progress bar and writes the answer file."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from neo4j import ManagedTransaction
from rich.console import Console, Group
from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from crn.config import Settings, get_settings
from crn.demo import access as demo_access
from crn.demo.generator import SIZES as SIZE_SPECS
from crn.demo.generator import Batch, DemoGenerator
from crn.graph import db
from crn.graph.queries import demo as q

SIZES: tuple[str, ...] = tuple(SIZE_SPECS)

# Rows (nodes + relationships) each size hands out, roughly; only sizes the progress bar.
APPROX_ROWS = {"small": 8_600, "medium": 410_000, "large": 4_100_000}


@dataclass
class LoadSummary:
    """What a load wrote and what the database now holds, with timings."""

    size: str
    seed: int
    seconds: float
    written: dict[str, int]  # rows handed to Neo4j per label ("Company", "Company:Customer") or rel type
    nodes_written: int
    relationships_written: int
    database_nodes: dict[str, int] = field(default_factory=dict)
    database_relationships: dict[str, int] = field(default_factory=dict)
    answers_path: Path | None = None
    merged: bool = False  # True when the network (or part of it) was already there
    access_seconds: float = 0.0  # computing every record's access keys after the load (crn.demo.access)

    @property
    def nodes_per_second(self) -> float:
        """Node rows written per second."""
        return self.nodes_written / self.seconds if self.seconds else 0.0

    @property
    def relationships_per_second(self) -> float:
        """Relationship rows written per second."""
        return self.relationships_written / self.seconds if self.seconds else 0.0

    def table(self) -> Group:
        """A rich renderable: counts per label and relationship type, then time and rates."""
        table = Table(title=f"Demo network {self.size} (seed {self.seed})", title_justify="left")
        table.add_column("label / relationship")
        table.add_column("written", justify="right")
        table.add_column("in database", justify="right")
        for label, n in self.database_nodes.items():
            table.add_row(f":{label}", f"{self.written.get(label, 0):,}", f"{n:,}")
        table.add_section()
        for rtype, n in self.database_relationships.items():
            table.add_row(f"[:{rtype}]", f"{self.written.get(rtype, 0):,}", f"{n:,}")
        how = "merged into existing data" if self.merged else "created"
        footer = Text(
            f"{self.nodes_written:,} nodes and {self.relationships_written:,} relationships {how} in "
            f"{self.seconds:.1f} s ({self.nodes_per_second:,.0f} nodes/s, "
            f"{self.relationships_per_second:,.0f} relationships/s)."
            + (f"\nAccess keys of every record computed in {self.access_seconds:.1f} s." if self.access_seconds else "")
            + (f"\nAnswer file: {self.answers_path}" if self.answers_path else "")
        )
        return Group(table, footer)


class _RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task) -> Text:  # noqa: ANN001 - rich's Task
        speed = task.speed
        if not speed and task.elapsed:
            speed = task.completed / task.elapsed  # finished: the average over the whole load
        return Text(f"{speed or 0:,.0f} rows/s", style="progress.data.speed")


def database_is_empty() -> bool:
    """True when no node carries a crn label (other data in the database does not count)."""
    row = db.read_one(q.ANY_CRN_NODE)
    return not (row and row["found"])


def default_answers_path(size: str, seed: int, home: Path) -> Path:
    """Where the answer file goes unless told otherwise: ``<home>/demo-answers-<size>-<seed>.json`` (home: CRN_HOME)."""
    return home / f"demo-answers-{size}-{seed}.json"


def _encode(rows: list[dict[str, Any]], relationship: bool) -> list[dict[str, Any]]:
    """Dates and datetimes as ISO strings (the statements turn them back into native Neo4j values)."""
    out = []
    for row in rows:
        values = row["p"] if relationship else row
        if any(isinstance(v, date) for v in values.values()):
            values = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
            row = {**row, "p": values} if relationship else values
        out.append(row)
    return out


def _prefetched(batches: Iterator[Batch], depth: int = 6) -> Iterator[tuple[Batch, list[dict[str, Any]]]]:
    """Generate and encode the next batches in a thread while Neo4j writes the current one."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def offer(item: Any) -> bool:
        """Hand an item over unless the consumer has stopped (then never block)."""
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not offer((batch, _encode(batch.rows, relationship=batch.is_relationship))):
                    return
            offer(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            offer(exc)

    thread = threading.Thread(target=produce, name="crn-demo-generator", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


class _Writer:
    """Writes batches: CREATE while the network is new, MERGE on uid once any of it is found."""

    def __init__(self) -> None:
        self.fresh = True

    def write(self, batch: Batch, rows: list[dict[str, Any]]) -> None:
        """Write one batch whose rows were encoded by :func:`_encode`."""
        if batch.is_relationship:
            a_label, rtype, b_label = batch.kind
            statement = (q.create_relationships if self.fresh else q.merge_relationships)(a_label, rtype, b_label)
            db.write(statement, rows=rows)
            return
        kind = batch.kind

        def work(tx: ManagedTransaction) -> bool:
            # Existence check and write in one transaction: CREATE if none of the batch is there yet.
            found = 0
            if self.fresh:
                found = tx.run(q.count_existing(kind), uids=[row["uid"] for row in rows]).single()["n"]
            statement = q.create_nodes(kind) if self.fresh and not found else q.merge_nodes(kind)
            tx.run(statement, rows=rows).consume()
            return bool(found)

        if db.write_tx(work):
            self.fresh = False


def load(size: str = "small", seed: int = 7, answers_path: str | Path | None = None,
         console: Console | None = None, as_of: date | None = None, batch_size: int | None = None,
         settings: Settings | None = None) -> LoadSummary:
    """Load the demo network of ``size`` for ``seed`` and write its answer file.

    Deterministic: the same size, seed and ``as_of`` day give the same graph; loading it again adds
    nothing (nodes and relationships are merged on uid). Returns the counts, timings and where the
    answers went. ``settings`` (the command's) give the batch size, the writers and CRN_HOME; without them
    they are read from the environment (scripts and tests).
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    settings = settings or get_settings()
    batch_size = batch_size or settings.demo_batch_size
    writers = max(1, settings.demo_writers)
    generator = DemoGenerator(size, seed, as_of)
    writer = _Writer()
    written: dict[str, int] = defaultdict(int)
    nodes = rels = 0
    started = time.perf_counter()
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed:,} rows"),
                        _RateColumn(), TimeElapsedColumn(), console=console, disable=console is None, transient=False)
    with progress, ThreadPoolExecutor(max_workers=writers, thread_name_prefix="crn-demo-writer") as pool:
        task = progress.add_task(f"Loading the {size} demo network", total=APPROX_ROWS[size])
        in_flight: deque[Future] = deque()
        node_writes: list[Future] = []
        for batch, rows in _prefetched(generator.batches(batch_size)):
            if batch.is_relationship:
                # A relationship batch may point at any node handed out before it: wait for those writes.
                for future in node_writes:
                    future.result()
                node_writes.clear()
            while len(in_flight) >= writers:
                in_flight.popleft().result()
            n = len(batch.rows)
            future = pool.submit(writer.write, batch, rows)
            future.add_done_callback(lambda _, n=n: progress.update(task, advance=n))
            in_flight.append(future)
            if batch.is_relationship:
                rels += n
                written[batch.kind[1]] += n
            else:
                node_writes.append(future)
                nodes += n
                written[batch.kind] += n
            progress.update(task, total=max(APPROX_ROWS[size], nodes + rels + 1))
        for future in in_flight:
            future.result()
        progress.update(task, total=nodes + rels, completed=nodes + rels)
    loaded = time.perf_counter()
    # access (issue 13): teams, territories and every record's keys (crn.demo.access)
    keys = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed:,} records"),
                    TimeElapsedColumn(), console=console, disable=console is None, transient=False)
    with keys:
        task = keys.add_task("Computing access keys", total=None)
        demo_access.organise(lambda label, done, total: keys.update(
            task, description=f"Computing access keys: {label}", completed=done, total=total))
    access_seconds = time.perf_counter() - loaded
    seconds = loaded - started

    path = Path(answers_path) if answers_path else default_answers_path(size, seed, settings.home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(generator.answers, ensure_ascii=False, indent=1))

    # Fold "Company:Customer" rows into their primary label, and count the Customer label apart.
    by_label: dict[str, int] = defaultdict(int)
    for kind, n in written.items():
        if kind in q.REL_TYPES:
            by_label[kind] += n
            continue
        primary, *extra = kind.split(":")
        by_label[primary] += n
        for label in extra:
            by_label[label] += n
    in_db_nodes, in_db_rels = database_counts()
    return LoadSummary(
        size=size, seed=seed, seconds=seconds, written=dict(by_label), nodes_written=nodes,
        relationships_written=rels, database_nodes=in_db_nodes, database_relationships=in_db_rels,
        answers_path=path, merged=not writer.fresh, access_seconds=access_seconds,
    )


def database_counts() -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per crn label, relationships per crn type) now in the database."""
    nodes = {row["kind"]: row["n"] for row in db.read(q.COUNT_NODES_BY_LABEL)}
    rels = {row["kind"]: row["n"] for row in db.read(q.COUNT_RELATIONSHIPS_BY_TYPE)}
    return nodes, rels


def read_answers(path: str | Path) -> dict[str, Any]:
    """The planted truth of a loaded demo network, from its answer file."""
    return json.loads(Path(path).read_text())
