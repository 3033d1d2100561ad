"""Benchmark: load the demo network (medium by default) into an empty Neo4j and print the rates.

Uses the Neo4j given by NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, or else the test server of this
checkout (.crn/test-neo4j, started if needed). Prints the load time, nodes/s and relationships/s, a
baseline measured in the same run (a plain ``UNWIND range(...) CREATE`` of the same number of nodes, in
the same batch size), and the machine.

    .venv/bin/python bench/demo_load.py [--size medium] [--seed 7] [--wipe]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine() -> str:
    """Cores, CPU model, RAM and current load average."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "RAM unknown"
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {model}, {ram}, {platform.system()} {platform.release()}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium", choices=("small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wipe", action="store_true", help="delete everything in the database first")
    args = parser.parse_args()

    if not os.environ.get("NEO4J_URI"):
        from tests.conftest import _managed_test_server

        os.environ.update(_managed_test_server())
    from rich.console import Console

    from crn.config import get_settings
    from crn.demo import loader
    from crn.graph import db, migrations
    import baselines

    console = Console()
    db.connect()
    migrations.migrate()
    if args.wipe:
        db.run_in_auto_commit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    if not loader.database_is_empty():
        raise SystemExit("The database already holds crn data; rerun with --wipe (deletes everything) "
                         "or point NEO4J_URI at an empty database.")
    server = db.read_one(baselines.SERVER_VERSION)

    summary = loader.load(size=args.size, seed=args.seed, answers_path=get_settings().home / "bench-answers.json",
                          console=console)

    # Baseline: the same number of plain nodes, created in batches of the same size.
    batch = get_settings().demo_batch_size
    started = time.perf_counter()
    for start in range(1, summary.nodes_written + 1, batch):
        db.write(baselines.BASELINE_CREATE, start=start, end=min(start + batch - 1, summary.nodes_written))
    baseline = time.perf_counter() - started
    db.run_in_auto_commit(baselines.BASELINE_DELETE)

    console.print(f"[bold]crn demo load --size {args.size} --seed {args.seed}[/]")
    console.print(f"  time                {summary.seconds:8.1f} s")
    console.print(f"  nodes               {summary.nodes_written:8,}   {summary.nodes_per_second:10,.0f} nodes/s")
    console.print(f"  relationships       {summary.relationships_written:8,}   "
                  f"{summary.relationships_per_second:10,.0f} relationships/s")
    console.print(f"  all rows            {summary.nodes_written + summary.relationships_written:8,}   "
                  f"{(summary.nodes_written + summary.relationships_written) / summary.seconds:10,.0f} rows/s")
    console.print(f"[bold]baseline[/] UNWIND range(...) CREATE of {summary.nodes_written:,} bare nodes "
                  f"(batches of {batch:,}): {baseline:.1f} s, {summary.nodes_written / baseline:,.0f} nodes/s")
    console.print(f"[bold]server[/]  {server['name']} {server['version']} {server['edition']} at "
                  f"{db.connection_details()[0]}")
    console.print(f"[bold]machine[/] {machine()}")
    db.close()


if __name__ == "__main__":
    main()
