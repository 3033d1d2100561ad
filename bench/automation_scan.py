"""The scheduler's "no interaction in 90 days" scan over the demo network (goal: medium demo in < 5 s).

Loads nothing itself: run `crn demo load --size medium` first (into the configured Neo4j). Baseline in the
same run: counting the companies the scan walks (the cheapest query that touches the same nodes).
Nothing is written; the rule is evaluated the way the scheduler does (scan, then conditions per row).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _machine  # noqa: E402

import crn.automation  # noqa: E402,F401
from crn.automation import scheduler  # noqa: E402
from crn.automation.clock import SystemClock  # noqa: E402
from crn.automation.rules import parse_rule  # noqa: E402
from crn.config import get_settings  # noqa: E402
from crn.graph import db  # noqa: E402

RULE = {"id": "quiet-accounts", "name": "No interaction in 90 days",
        "trigger": {"kind": "schedule", "scan": "no_interaction", "params": {"days": 90}},
        "actions": [{"type": "create_task", "params": {"title": "Reconnect with {{row.name}}",
                                                        "assignee": "{{row.owner_email}}"}}]}


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Best of ``repeat`` wall times, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    db.connect()
    counts = db.read_one("""CALL () { MATCH (c:Company) RETURN count(c) AS companies }
                            CALL () { MATCH (p:Person) RETURN count(p) AS people }
                            CALL () { MATCH (i:Interaction) RETURN count(i) AS interactions }
                            CALL () { MATCH (n) RETURN count(n) AS nodes }
                            RETURN companies, people, interactions, nodes""")
    print(f"machine: {_machine.describe()}")
    print(f"graph: {counts['nodes']:,} nodes ({counts['companies']:,} companies, {counts['people']:,} people, "
          f"{counts['interactions']:,} interactions)")
    if counts["companies"] == 0:
        raise SystemExit("no companies: run `crn demo load --size medium` first")
    rule = parse_rule(RULE)
    now = SystemClock().now()
    baseline, _ = timed(lambda: db.read("MATCH (c:Company) RETURN count(c) AS n"))
    scan_time, rows = timed(lambda: scheduler.scan_rows(rule, now))
    plan_time, items = timed(lambda: scheduler.plan_rule(rule, now, now, get_settings().automation_max_attempts))
    print(f"baseline (count companies): {baseline * 1000:.0f} ms")
    print(f"scan no_interaction(days=90): {scan_time:.2f} s, {len(rows):,} quiet companies (goal < 5 s)")
    print(f"scan + conditions + outbox items planned (what the scheduler does before writing): {plan_time:.2f} s, "
          f"{len(items):,} items")
    db.close()


if __name__ == "__main__":
    main()
