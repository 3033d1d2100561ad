"""Bench: the company 360° query over HTTP (GraphQL, uvicorn) vs one hand-written Cypher query via the driver.

Loads (once) a synthetic book of typical accounts — each a company in a 3-level family with 40 contacts
reporting to a CEO, 12 deals with committees, 20 tickets and 150 interactions — then measures, in the
same run, p50/p95 of:

- ``graphql``: POST /graphql with the full 360° document (tests/schema/conftest.py's COMPANY_360) to a
  live uvicorn crn, bearer token included (authentication is part of the cost);
- ``cypher``: ``bench/baselines.py``'s ``COMPANY_360_BASELINE`` through ``crn.graph.db.read`` — the same
  data in one round trip, no HTTP.

With ``--demo medium`` the book is crn's demo network instead (loaded with ``crn.demo.loader`` when the
database holds no company yet), and the accounts measured are the 50 companies whose number of current
contacts is closest to the median: typical accounts.

Usage: ``python bench/graphql_360.py [--demo medium] [--accounts 300] [--iterations 200] [--keep]``
against the configured Neo4j (``crn db start`` or NEO4J_URI). The synthetic records have uids starting
with ``bench``; they (and the bench user) are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crn import auth  # noqa: E402
from crn.graph import db, migrations  # noqa: E402
from crn.graph.server import free_port  # noqa: E402
from crn.schema.base import encode_id  # noqa: E402
from tests import cypher as fixtures  # noqa: E402
from tests.schema.conftest import COMPANY_360  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from baselines import COMPANY_360_BASELINE, COMPANY_SIZES  # noqa: E402

console = Console()
SIZES = {"contacts": 40, "deals": 12, "tickets": 20, "interactions": 150}
BENCH_USER = "bench@crn.local"
COUNT_BENCH = "MATCH (c:Company) WHERE c.uid STARTS WITH 'bench' AND c.uid ENDS WITH 'acct' RETURN count(c) AS n"
DELETE_BENCH = ("MATCH (n) WHERE n.uid STARTS WITH 'bench' OR n.email = $email "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")


def machine() -> str:
    """Cores, CPU model and RAM of this machine."""
    model, ram = platform.processor() or "unknown CPU", "unknown RAM"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, {ram}, Python {platform.python_version()}"


def load(accounts: int) -> None:
    """Create the bench accounts that are missing (one transaction of UNWIND batches per account)."""
    have = db.read_one(COUNT_BENCH)["n"]
    if have >= accounts:
        console.print(f"{have} bench accounts already loaded.")
        return
    with Progress(console=console) as progress:
        task = progress.add_task("loading bench accounts", total=accounts - have)
        for i in range(have, accounts):
            prefix = f"bench{i:05d}-"
            db.write_many([
                (fixtures.ACCOUNT, {"prefix": prefix}),
                (fixtures.CONTACTS, {"prefix": prefix, "n": SIZES["contacts"]}),
                (fixtures.STRUCTURE, {"prefix": prefix}),
                (fixtures.DEALS, {"prefix": prefix, "n": SIZES["deals"], "contacts": SIZES["contacts"]}),
                (fixtures.TICKETS, {"prefix": prefix, "n": SIZES["tickets"], "contacts": SIZES["contacts"]}),
                (fixtures.INTERACTIONS, {"prefix": prefix, "n": SIZES["interactions"],
                                         "contacts": SIZES["contacts"]}),
            ])
            progress.advance(task)


def typical_accounts(count: int = 50) -> tuple[list[str], str]:
    """The ``count`` companies whose number of current contacts is closest to the median (of companies
    with at least 3 contacts), and a description of them."""
    rows = [r for r in db.read(COMPANY_SIZES) if r["contacts"] >= 3]
    median = statistics.median(r["contacts"] for r in rows)
    chosen = sorted(rows, key=lambda r: (abs(r["contacts"] - median), r["uid"]))[:count]
    contacts = [r["contacts"] for r in chosen]
    deals = [r["deals"] for r in chosen]
    return [r["uid"] for r in chosen], (f"{len(chosen)} typical accounts of {len(rows)} with contacts: "
                                        f"{min(contacts)}-{max(contacts)} contacts (median {median}), "
                                        f"{min(deals)}-{max(deals)} deals")


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def start_server() -> tuple[subprocess.Popen, str]:
    """A uvicorn crn on a free port (same environment, so the same Neo4j)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "crn.app:create_app", "--factory", "--host",
                                "127.0.0.1", "--port", str(port), "--log-level", "warning"], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("crn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=300, help="accounts in the book (default 300)")
    parser.add_argument("--iterations", type=int, default=200, help="timed queries per side (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the bench data afterwards")
    parser.add_argument("--demo", choices=("small", "medium", "large"), help="bench on the demo network instead")
    args = parser.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    db.connect()
    migrations.migrate()
    if args.demo:
        if db.read_one("MATCH (c:Company) RETURN count(c) AS n")["n"] == 0:
            from crn.demo import loader

            loader.load(size=args.demo, console=console)
        uids, book = typical_accounts()
        book = f"the {args.demo} demo; {book}"
    else:
        load(args.accounts)
        uids = [f"bench{i:05d}-acct" for i in range(min(args.accounts, 50))]
        book = f"{args.accounts} synthetic accounts of {SIZES}"
    if auth.get_user(BENCH_USER) is None:
        auth.create_user(BENCH_USER, "Bench", "bench-password-123", "viewer")
    token = auth.create_token(BENCH_USER, "bench")
    nodes = db.read_one("MATCH (n) RETURN count(n) AS n")["n"]

    process, url = start_server()
    try:
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

        def graphql(uid: str) -> None:
            response = client.post("/graphql", json={"query": COMPANY_360,
                                                     "variables": {"id": encode_id("Company", uid)}})
            body = response.json()
            assert response.status_code == 200 and "errors" not in body, body
            sizes[uid] = body["data"]["company"]["contacts"]["totalCount"]

        def cypher(uid: str) -> None:
            row = db.read_one(COMPANY_360_BASELINE, uid=uid)
            assert row["contacts_total"] == sizes[uid] and len(row["contacts"]) == min(100, sizes[uid])

        sizes: dict[str, int] = {}

        timings: dict[str, list[float]] = {"graphql": [], "cypher": []}
        for fn in (graphql, cypher):  # warm-up: plans cached, connections open
            for uid in uids[:20]:
                fn(uid)
        with Progress(console=console) as progress:
            task = progress.add_task("measuring", total=args.iterations * 2)
            for i in range(args.iterations):
                uid = uids[i % len(uids)]
                for name, fn in (("graphql", graphql), ("cypher", cypher)):  # interleaved: same conditions
                    start = time.perf_counter()
                    fn(uid)
                    timings[name].append(time.perf_counter() - start)
                    progress.advance(task)
    finally:
        process.terminate()
        process.wait(10)

    console.print(f"machine: {machine()}")
    console.print(f"graph: {nodes} nodes; {book}; {args.iterations} queries per side")
    p = {name: (percentile(v, 50), percentile(v, 95), statistics.mean(v) * 1000) for name, v in timings.items()}
    for name, (p50, p95, mean) in p.items():
        console.print(f"{name:8s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   mean {mean:7.1f} ms")
    console.print(f"ratio graphql/cypher: p50 {p['graphql'][0] / p['cypher'][0]:.2f}   "
                  f"p95 {p['graphql'][1] / p['cypher'][1]:.2f}")
    auth.revoke_token(token)
    if not args.keep:
        db.run_in_auto_commit(DELETE_BENCH, email=BENCH_USER)
        console.print("bench data removed (use --keep to keep it).")
    db.close()


if __name__ == "__main__":
    main()
