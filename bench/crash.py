"""Bench: crash safety — ``kill -9`` the managed Neo4j under concurrent writes through the API, N rounds, and
count acknowledged writes that were lost (goal: 0).

Starts a dedicated stack (bench/_stack.py: its own CRN_HOME on free ports, never the user's data; the worker
and `crn serve` as `make run` starts them). ``--writers`` threads (default 4) create companies through
``companyCreate`` without pause, each remembering the names whose creation the API acknowledged. Each round:
writes for ``--before`` seconds (default 3), ``kill -9`` of the Neo4j process, writes keep going (and must fail
fast with ``database_unavailable``), Neo4j is started again, and the round ends when a write succeeds again.

At the end it prints: rounds, acknowledged writes, lost ones (acknowledged but not in the database), how the
refused writes were answered (status and code), the slowest refused write, /healthz latency while down, the
time from restart to the first successful write, and the machine.

Usage: ``python bench/crash.py [--rounds 20] [--writers 4] [--home .crn/bench-crash]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from _machine import describe  # noqa: E402
from _stack import Stack  # noqa: E402

CREATE = ("mutation CrashCreate($input: CompanyInput!) { companyCreate(input: $input) { __typename "
          "... on CompanyCreateSuccess { company { uid } } } }")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="kill -9 rounds (default 20)")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writers (default 4)")
    parser.add_argument("--before", type=float, default=3.0, help="seconds of writes before each kill (default 3)")
    parser.add_argument("--home", default=str(ROOT / ".crn" / "bench-crash"), help="the bench's CRN_HOME (wiped)")
    args = parser.parse_args()

    stack = Stack(Path(args.home))
    token = stack.start()
    stop = threading.Event()
    lock = threading.Lock()
    acknowledged: set[str] = set()
    refused: Counter[str] = Counter()
    down = threading.Event()
    slowest_refusal = [0.0]
    last_success = [0.0]

    def writer(index: int) -> None:
        n = 0
        with httpx.Client(base_url=stack.url, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
            while not stop.is_set():
                n += 1
                name = f"Crash w{index} n{n}"
                started = time.monotonic()
                try:
                    response = client.post("/graphql", json={"query": CREATE, "variables": {"input": {"name": name}}})
                    body = response.json()
                except (httpx.HTTPError, ValueError) as exc:
                    with lock:
                        refused[f"transport {type(exc).__name__}"] += 1
                    time.sleep(0.2)
                    continue
                took = time.monotonic() - started
                ok = (response.status_code == 200 and not body.get("errors")
                      and body["data"]["companyCreate"]["__typename"] == "CompanyCreateSuccess")
                with lock:
                    if ok:
                        acknowledged.add(name)
                        last_success[0] = time.monotonic()
                    else:
                        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
                        if isinstance(body.get("error"), dict):  # refused before GraphQL ran (e.g. token check)
                            codes.add(body["error"].get("code"))
                        refused[f"{response.status_code} {','.join(sorted(str(c) for c in codes))}"] += 1
                        slowest_refusal[0] = max(slowest_refusal[0], took)
                if not ok:
                    time.sleep(0.2)

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(args.writers)]
    health_while_down: list[float] = []
    recoveries: list[float] = []
    restarts: list[float] = []
    try:
        for thread in threads:
            thread.start()
        for round_ in range(1, args.rounds + 1):
            time.sleep(args.before)
            stack.kill_neo4j()
            down.set()
            killed_at = time.monotonic()
            for _ in range(3):
                started = time.monotonic()
                answer = httpx.get(stack.url + "/healthz", timeout=10)
                health_while_down.append(time.monotonic() - started)
                assert answer.status_code == 503, answer.text
                time.sleep(0.3)
            time.sleep(max(0.0, 2.0 - (time.monotonic() - killed_at)))
            restart = time.monotonic()
            stack.start_neo4j()
            restarts.append(time.monotonic() - restart)
            down.clear()
            while last_success[0] < restart + restarts[-1]:
                if time.monotonic() - restart > 300:
                    raise SystemExit("no write succeeded 5 minutes after the restart")
                time.sleep(0.1)
            recoveries.append(last_success[0] - (restart + restarts[-1]))
            print(f"round {round_}: acknowledged so far {len(acknowledged)}, Neo4j restart {restarts[-1]:.1f} s, "
                  f"first write {recoveries[-1]:.1f} s after it was ready", flush=True)
        time.sleep(args.before)
    finally:
        stop.set()
        for thread in threads:
            thread.join(130)

    try:
        os.environ.update({k: v for k, v in stack.env.items() if k.startswith(("CRN_", "NEO4J_"))})
        from crn.config import get_settings
        from crn.graph import access, db

        db.connect(get_settings())
        with access.bound(access.SYSTEM):
            present = {row["name"] for row in db.read(
                "MATCH (c:Company) WHERE c.name STARTS WITH 'Crash ' RETURN c.name AS name")}
        db.close()
    finally:
        stack.stop()
    lost = sorted(acknowledged - present)
    print()
    print(f"machine: {describe()}; load average {os.getloadavg()}")
    print(f"rounds {args.rounds} (kill -9 of Neo4j), writers {args.writers}")
    print(f"acknowledged writes {len(acknowledged)}, lost {len(lost)}" + (f": {lost[:10]}" if lost else ""))
    print(f"unacknowledged attempts that were written anyway (fine: the answer was lost, not the write): "
          f"{len(present - acknowledged)}")
    print("refused writes by answer: " + json.dumps(dict(refused.most_common())))
    print(f"slowest refused write {slowest_refusal[0]:.2f} s; /healthz while down: max "
          f"{max(health_while_down):.2f} s over {len(health_while_down)} probes")
    print(f"Neo4j restart: median {sorted(restarts)[len(restarts) // 2]:.1f} s; first successful write after it was "
          f"ready: median {sorted(recoveries)[len(recoveries) // 2]:.2f} s, max {max(recoveries):.2f} s")


if __name__ == "__main__":
    main()
