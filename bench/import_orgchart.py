"""Bench: import a generated 100k-row org chart with `crn import` and with Neo4j's LOAD CSV, same run, same file.

Usage: python bench/import_orgchart.py [--rows 100000] [--wipe]
The database must be empty (or pass --wipe to empty it: this deletes everything in it). LOAD CSV reads
the file from the managed server's import folder (<neo4j home>/import); for an external server pass
--import-dir with its configured import directory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from pathlib import Path


def machine() -> str:
    """Cores, CPU model and RAM of this machine."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        ram_text = f"{ram / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram_text = "?"
    return f"{os.cpu_count()} cores, {cpu}, {ram_text} RAM, Python {platform.python_version()}"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """An org chart: 200 companies, each person's manager among the 5000 rows before, titles and departments."""
    rng = random.Random(seed)
    titles = ["Engineer", "Senior Engineer", "Manager", "Director", "Analyst", "Designer", "Sales Rep"]
    departments = ["Engineering", "Sales", "Marketing", "Finance", "Operations", "Support"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("employee_id,name,email,title,department,manager,company,since\n")
        for i in range(1, rows + 1):
            company = i % 200
            manager = "" if i <= 200 else str(rng.randrange(max(1, i - 5000), i))
            fh.write(f"{i},Person {i},person{i}@bench.example,{rng.choice(titles)},{rng.choice(departments)},"
                     f"{manager},Company {company},20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--wipe", action="store_true", help="empty the database first (deletes everything)")
    parser.add_argument("--import-dir", help="the server's import folder (default: the managed server's)")
    parser.add_argument("--no-audit", action="store_true", help="without the audit trail (`crn import` records every "
                        "change it makes; this measures what that costs)")
    args = parser.parse_args()

    from rich.console import Console

    from crn.config import get_settings
    from crn.graph import db, migrations
    import baselines
    from crn.graph.queries import ingest as q
    from crn.ingest.importer import run_import

    console = Console()
    db.connect()
    migrations.migrate()
    if not args.no_audit:  # as `crn import` does (crn.cli.base.database)
        import crn.audit

        crn.audit.install()

    def empty() -> None:
        db.run_in_auto_commit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

    if db.read_one(q.COUNT_NODES)["n"]:
        if not args.wipe:
            raise SystemExit("the database is not empty; pass --wipe to delete everything in it first")
        empty()
    import_dir = Path(args.import_dir) if args.import_dir else get_settings().neo4j_home / "import"
    import_dir.mkdir(parents=True, exist_ok=True)
    path = import_dir / "bench_orgchart.csv"
    generate(path, args.rows)
    console.print(f"machine: {machine()}; audit trail {'off' if args.no_audit else 'on'}")
    console.print(f"file: {path} ({args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB)")

    started = time.perf_counter()
    summary = run_import("orgchart", path, console=console, batch_size=args.batch)
    ours = time.perf_counter() - started
    assert not summary.errors, summary.errors[:5]
    people = db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"]
    lines = db.read_one("MATCH ()-[r:REPORTS_TO]->() RETURN count(r) AS n")["n"]
    console.print(f"crn import: {ours:.2f} s, {args.rows / ours:,.0f} rows/s ({people:,} people, {lines:,} reporting lines)")

    started = time.perf_counter()
    again = run_import("orgchart", path, batch_size=args.batch)
    rerun = time.perf_counter() - started
    console.print(f"crn re-import (nothing changes): {rerun:.2f} s, {args.rows / rerun:,.0f} rows/s, "
                  f"properties set {again.stats.properties_set}")

    empty()
    url = "file:///" + path.name
    started = time.perf_counter()
    db.run_in_auto_commit(baselines.LOAD_CSV_ORGCHART_PEOPLE, url=url, batch=args.batch)
    db.run_in_auto_commit(baselines.LOAD_CSV_ORGCHART_MANAGERS, url=url, batch=args.batch)
    baseline = time.perf_counter() - started
    people = db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"]
    console.print(f"LOAD CSV ... CALL {{}} IN TRANSACTIONS: {baseline:.2f} s, {args.rows / baseline:,.0f} rows/s "
                  f"({people:,} people)")
    console.print(f"ratio crn / LOAD CSV: {baseline / ours:.2f} (goal >= 0.8); goal >= 20,000 rows/s: "
                  f"{'met' if args.rows / ours >= 20000 else 'not met'}")
    empty()
    path.unlink()


if __name__ == "__main__":
    main()
