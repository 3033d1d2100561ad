"""What the audit trail costs on the write path: the same domain write with and without the audit listener.

    .venv/bin/python bench/audit_bench.py [--runs 200] [--threads 4]

On the configured Neo4j (any database: the bench's companies are deleted at the end). Sequential: ``runs``
company creates + updates, alternating with/without the listener so load drifts hit both sides alike (p50/p95
per write). Concurrent: ``threads`` writers at once, with and without (writes/s), since every audited write takes
the one AuditHead lock. Prints the machine and the figures; `crn audit verify` still passes afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ui_bench import machine  # noqa: E402


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    from crn import audit
    from crn.crm import events, records
    from crn.graph import access, db

    db.connect()
    tag = f"bench-audit-{uuid.uuid4().hex[:6]}"
    times: dict[bool, list[float]] = {True: [], False: []}

    def write(i: int) -> float:
        start = time.perf_counter()
        uid = records.create_record("Company", {"name": f"{tag} {i}"}, None).record["uid"]
        records.update_record("Company", uid, {"city": "Lyon"}, None)
        return (time.perf_counter() - start) * 1000 / 2

    def toggle(on: bool) -> None:
        if on:
            audit.install()
        else:
            events.unsubscribe(audit.LISTENER_NAME)

    print(f"machine: {machine()}")
    with access.bound(access.SYSTEM):
        for i in range(args.runs + 2):
            on = i % 2 == 0
            toggle(on)
            elapsed = write(i)
            if i >= 2:
                times[on].append(elapsed)
        rates = {}
        for on in (False, True):
            toggle(on)
            per = max(1, args.runs // args.threads)

            def worker(n: int) -> None:
                with access.bound(access.SYSTEM):
                    for j in range(per):
                        write(100_000 * (n + 1) + j)

            threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            rates[on] = 2 * per * args.threads / (time.perf_counter() - start)
        verdict = audit.verify()
        removed = db.write("MATCH (c:Company) WHERE c.name STARTS WITH $tag DETACH DELETE c RETURN count(*) AS n",
                           tag=tag)[0]["n"]
    for on in (False, True):
        label = "with audit   " if on else "without audit"
        print(f"{label}: one write p50 {statistics.median(times[on]):.1f} ms, p95 {_p(times[on], 0.95):.1f} ms; "
              f"{args.threads} writers at once {rates[on]:.0f} writes/s")
    print(f"audit verify: {'OK' if verdict.ok else 'BROKEN'} ({verdict.checked} entries); bench companies removed: "
          f"{removed}")


if __name__ == "__main__":
    main()
