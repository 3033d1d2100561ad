"""Bench: a soak run — a mixed workload (reads, writes, imports, automation) against a running crn for a while,
watching memory, latency and errors.

Starts a dedicated stack the way `make run` does (bench/_stack.py: managed Neo4j in its own CRN_HOME on free
ports, migrations, the admin, `crn worker`, `crn serve` on 127.0.0.1), installs one automation rule (every new
company gets a follow-up task: each write makes the worker deliver), then runs for ``--minutes`` (default 60):

- readers: the company list (first 20) and a search, in a loop (``--readers``, default 2);
- a writer: ``companyCreate`` every ``--write-every`` seconds (default 0.5);
- an importer: ``importFile`` of a 50-row companies CSV every ``--import-every`` seconds (default 30).

Every ``--interval`` seconds (default 60) it samples the server's and the worker's RSS and the p95 of the
requests of that interval; at the end it prints RSS growth in %/hour (least-squares slope over the samples after
the first interval, relative to their mean), p95 per interval, the error count, the outbox at the end, the
machine and its load average.

Usage: ``python bench/soak.py [--minutes 60] [--interval 60] [--home .crn/bench-soak]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _machine import describe  # noqa: E402
from _stack import ADMIN, Stack, rss_kb  # noqa: E402

RULE = {"id": "soak-follow-up", "name": "Soak: follow up every new company",
        "trigger": {"kind": "created", "label": "Company"},
        "actions": [{"type": "create_task", "params": {"title": "Follow up {{record.name}}", "assignee": ADMIN}}]}
LIST = "query SoakList { companies(first: 20) { totalCount edges { node { id name } } } }"
SEARCH = "query SoakSearch($t: String!) { search(text: $t, first: 10) { __typename } }"
CREATE = ("mutation SoakCreate($input: CompanyInput!) { companyCreate(input: $input) { __typename "
          "... on CompanyCreateError { errors { message } } } }")
IMPORT = ("mutation SoakImport($file: Upload!) { importFile(kind: \"companies\", file: $file) { __typename "
          "... on ImportFileSuccess { read written } ... on ImportFileError { errors { message } } } }")


class Recorder:
    """Latencies and errors of the current interval (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if error:
                self.errors.append(f"{kind}: {error}")

    def take(self) -> tuple[list[float], list[str], dict[str, int]]:
        with self.lock:
            out = (self.latencies, self.errors, self.counts)
            self.latencies, self.errors, self.counts = [], [], {}
            return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))] * 1000 if ordered else 0.0


def call(client: httpx.Client, recorder: Recorder, kind: str, **kwargs) -> dict | None:
    started = time.perf_counter()
    error = None
    body = None
    try:
        response = client.post("/graphql", **kwargs)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            error = f"HTTP {response.status_code}: {json.dumps(body.get('errors'))[:300]}"
        else:
            result = next(iter(body["data"].values()))
            if isinstance(result, dict) and result.get("__typename", "").endswith("Error"):
                error = json.dumps(result)[:300]
    except (httpx.HTTPError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    recorder.record(kind, time.perf_counter() - started, error)
    return body


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value) in % of the mean value per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    if not var or not my:
        return 0.0
    slope = sum((t - mx) * (v - my) for t, v in points) / var
    return slope * 3600 / my * 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="how long to run (default 60)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds per sample (default 60)")
    parser.add_argument("--readers", type=int, default=2, help="reading threads (default 2)")
    parser.add_argument("--write-every", type=float, default=0.5, help="seconds between writes (default 0.5)")
    parser.add_argument("--import-every", type=float, default=30.0, help="seconds between imports (default 30)")
    parser.add_argument("--home", default=str(ROOT / ".crn" / "bench-soak"), help="the bench's CRN_HOME (wiped)")
    args = parser.parse_args()

    stack = Stack(Path(args.home))
    token = stack.start()
    recorder = Recorder()
    stop = threading.Event()
    client_args = {"base_url": stack.url, "headers": {"Authorization": f"Bearer {token}"}, "timeout": 60}
    (Path(args.home) / "soak-rule.json").write_text(json.dumps(RULE))
    stack.crn("rules", "add", str(Path(args.home) / "soak-rule.json"))
    serial = [0]
    serial_lock = threading.Lock()

    def next_serial() -> int:
        with serial_lock:
            serial[0] += 1
            return serial[0]

    def reader() -> None:
        with httpx.Client(**client_args) as client:
            while not stop.is_set():
                call(client, recorder, "list", json={"query": LIST})
                call(client, recorder, "search", json={"query": SEARCH, "variables": {"t": "soak"}})
                stop.wait(0.05)

    def writer() -> None:
        with httpx.Client(**client_args) as client:
            while not stop.wait(args.write_every):
                n = next_serial()
                call(client, recorder, "write", json={"query": CREATE, "variables": {
                    "input": {"name": f"Soak company {n}", "domain": f"soak{n}.example.com"}}})

    def importer() -> None:
        with httpx.Client(**client_args) as client:
            while not stop.wait(args.import_every):
                rows = "\n".join(f"Soak import {n},soakimp{n}.example.com" for n in (next_serial() for _ in range(50)))
                operations = json.dumps({"query": IMPORT, "variables": {"file": None}})
                call(client, recorder, "import", data={"operations": operations, "map": json.dumps({"0": ["variables.file"]})},
                     files={"0": ("soak.csv", f"name,domain\n{rows}\n".encode(), "text/csv")})

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(args.readers)]
    threads += [threading.Thread(target=writer, daemon=True), threading.Thread(target=importer, daemon=True)]
    started = time.monotonic()
    samples: list[dict] = []
    errors_total = 0
    error_examples: list[str] = []
    try:
        for thread in threads:
            thread.start()
        end = started + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(min(args.interval, max(end - time.monotonic(), 0.1)))
            latencies, errors, counts = recorder.take()
            errors_total += len(errors)
            error_examples += errors[:3]
            sample = {"t": time.monotonic() - started, "server_kb": rss_kb(stack.server.pid),
                      "worker_kb": rss_kb(stack.worker.pid), "p95_ms": p95(latencies), "requests": len(latencies),
                      "errors": len(errors), "counts": counts, "load": os.getloadavg()[0]}
            samples.append(sample)
            print(f"[{sample['t'] / 60:5.1f} min] server {sample['server_kb'] / 1024:6.1f} MiB  worker "
                  f"{sample['worker_kb'] / 1024:6.1f} MiB  p95 {sample['p95_ms']:7.1f} ms  requests "
                  f"{sample['requests']:5d}  errors {sample['errors']}  load {sample['load']:.2f}", flush=True)
        stop.set()
        for thread in threads:
            thread.join(70)
        metrics = httpx.get(stack.url + "/metrics", timeout=10).text
    finally:
        stop.set()
        stack.stop()

    steady = samples[1:] if len(samples) > 2 else samples
    print()
    print(f"machine: {describe()}; load average at the end {os.getloadavg()}")
    kinds = ", ".join(f"{k} {sum(s['counts'].get(k, 0) for s in samples)}" for k in ("list", "search", "write", "import"))
    print(f"ran {(time.monotonic() - started) / 60:.1f} min, {sum(s['requests'] for s in samples)} requests "
          f"({kinds}), errors {errors_total}")
    for name in ("server", "worker"):
        first, last = samples[0][f"{name}_kb"] / 1024, samples[-1][f"{name}_kb"] / 1024
        growth = slope_per_hour([(s["t"], s[f"{name}_kb"]) for s in steady])
        print(f"{name} RSS: {first:.1f} MiB after the first interval, {last:.1f} MiB at the end; "
              f"growth {growth:+.1f} %/hour (slope after the first interval)")
    print("p95 per interval (ms): " + ", ".join(f"{s['p95_ms']:.0f}" for s in samples))
    for line in metrics.splitlines():
        if line.startswith(("crn_outbox_items{", "crn_outbox_oldest", "crn_rule_failures{")):
            print("end: " + line)
    for example in error_examples[:10]:
        print("error: " + example)


if __name__ == "__main__":
    main()
