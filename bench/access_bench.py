"""Bench: the cost of record-level visibility (issue 13) on the company 360° query, on vs off, in one run.

Loads (once) the synthetic book of bench/graphql_360.py (each account a company in a 3-level family with 40
contacts reporting to a CEO, 12 deals with committees, 20 tickets and 150 interactions), gives every record a
realistic access list (its owner, the owner's team, two other teams, a territory: ``acl_r``/``acl_w`` as
crn.crm.access materialises them), keeps every record type private (a fresh install), and measures
interleaved, same accounts, same documents (tests/schema/conftest.py's COMPANY_360) over HTTP:

- ``off``: an admin (``Access.all``: every visibility check short-circuits, as before issue 13);
- ``on``: a manager who reads those accounts through their team, holding a realistic key set (their own key,
  five reports below them, their team and the team below it, a territory), with every check evaluated on
  every record the 360° view touches.

Both answers are checked to be the same (the manager's team covers the measured accounts), so the ratio is
the price of the checks alone. Target: on/off <= 1.2 (issue 13).

Usage: ``python bench/access_bench.py [--accounts 300] [--iterations 200] [--keep]`` against the configured
Neo4j (``crn db start`` or NEO4J_URI). Bench records have uids starting with ``bench``; they, the bench users
and teams are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crn import auth  # noqa: E402
from crn.graph import db, migrations  # noqa: E402
from crn.graph.access import PROTECTED, SYSTEM, bound  # noqa: E402
from crn.schema.base import encode_id  # noqa: E402
from graphql_360 import load, machine, percentile, start_server  # noqa: E402
from tests.schema.conftest import COMPANY_360  # noqa: E402

console = Console()
ADMIN, MANAGER = "bench-admin@crn.local", "bench-manager@crn.local"
PASSWORD = "bench-password-123"
REPORTS = 5

# every bench record: owned by one of the manager's reports (u:), visible to the manager's team (g:) and to
# two other teams, in a territory; writable by the owner and the team
SET_ACL = """
MATCH (n) WHERE n.uid STARTS WITH 'bench' AND any(l IN labels(n) WHERE l IN $labels)
CALL (n) {
  WITH n, toInteger(rand() * 1000) AS r
  SET n.acl_r = ['u:' + $owners[r % size($owners)], 'g:' + $team, 'g:bench-other-' + toString(r % 7),
                 'g:bench-other-' + toString(r % 11), 't:bench-territory-' + toString(r % 5)],
      n.acl_w = ['u:' + $owners[r % size($owners)], 'g:' + $team]
} IN TRANSACTIONS OF 5000 ROWS
"""
previous: dict[str, str] = {}  # the organisation-wide defaults before the bench (restored at the end)
CLEAN = ("MATCH (n) WHERE n.uid STARTS WITH 'bench' OR n.email STARTS WITH 'bench-' "
         "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")


def setup_access(manager_uid: str) -> tuple[str, list[str]]:
    """Private defaults, the manager's team (and one below it), five reports, and every bench record's lists."""
    from crn.crm import access

    with bound(SYSTEM):
        previous.update(access.defaults())
        for label in PROTECTED:
            assert access.set_default(label, "private").ok
        team = access.create_team(f"bench team {manager_uid[:6]}").record["uid"]
        below = access.create_team(f"bench team below {manager_uid[:6]}", parent=team).record["uid"]
        assert access.add_member(team, manager_uid).ok
        owners = []
        for i in range(REPORTS):
            report = auth.create_user(f"bench-report-{i}-{manager_uid[:6]}@crn.local", f"Report {i}", PASSWORD,
                                      "viewer").uid
            db.write("MATCH (a:User {uid: $a}), (b:User {uid: $b}) MERGE (a)-[:REPORTS_TO]->(b)", a=report,
                     b=manager_uid)
            assert access.add_member(below, report).ok
            owners.append(report)
    db.run_in_auto_commit(SET_ACL, labels=list(PROTECTED), owners=owners, team=team)
    return team, owners


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=300, help="accounts in the book (default 300)")
    parser.add_argument("--iterations", type=int, default=200, help="timed queries per side (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the bench data afterwards")
    args = parser.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    db.connect()
    migrations.migrate()
    load(args.accounts)
    uids = [f"bench{i:05d}-acct" for i in range(min(args.accounts, 50))]
    tokens = {}
    for email, role in ((ADMIN, "admin"), (MANAGER, "manager")):
        user = auth.get_user(email) or auth.create_user(email, email.split("@")[0], PASSWORD, role)
        tokens[email] = auth.create_token(email, "bench")
    setup_access(auth.get_user(MANAGER).uid)
    from crn.auth.access import access_of

    keys = access_of(auth.get_user(MANAGER).uid).keys
    nodes = db.read_one("MATCH (n) RETURN count(n) AS n")["n"]

    process, url = start_server()
    answers: dict[tuple[str, str], str] = {}
    try:
        clients = {side: httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {tokens[email]}"})
                   for side, email in (("off", ADMIN), ("on", MANAGER))}

        def ask(side: str, uid: str) -> None:
            response = clients[side].post("/graphql", json={"query": COMPANY_360,
                                                            "variables": {"id": encode_id("Company", uid)}})
            body = response.json()
            assert response.status_code == 200 and "errors" not in body and body["data"]["company"], body
            answers[(side, uid)] = response.text

        for uid in uids[:20]:  # warm-up: plans cached, connections open
            for side in ("off", "on"):
                ask(side, uid)
        timings: dict[str, list[float]] = {"off": [], "on": []}
        with Progress(console=console) as progress:
            task = progress.add_task("measuring", total=args.iterations * 2)
            for i in range(args.iterations):
                uid = uids[i % len(uids)]
                order = ("off", "on") if i % 2 == 0 else ("on", "off")  # interleaved, alternating who goes first
                for side in order:
                    start = time.perf_counter()
                    ask(side, uid)
                    timings[side].append(time.perf_counter() - start)
                    progress.advance(task)
        different = [uid for uid in uids if (("off", uid) in answers
                                              and answers[("off", uid)] != answers.get(("on", uid)))]
    finally:
        process.terminate()
        process.wait(10)

    console.print(f"machine: {machine()}")
    console.print(f"graph: {nodes} nodes; {args.accounts} synthetic accounts; every record private with 5 keys; "
                  f"the manager holds {len(keys)} keys; {args.iterations} queries per side, interleaved")
    p = {side: (percentile(v, 50), percentile(v, 95), statistics.mean(v) * 1000) for side, v in timings.items()}
    for side, (p50, p95, mean) in p.items():
        who = "visibility off (admin)" if side == "off" else "visibility on (manager)"
        console.print(f"{who:26s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   mean {mean:7.1f} ms")
    console.print(f"ratio on/off: p50 {p['on'][0] / p['off'][0]:.2f}   p95 {p['on'][1] / p['off'][1]:.2f}   "
                  f"mean {p['on'][2] / p['off'][2]:.2f}   (target <= 1.2)")
    if different:
        console.print(f"[red]answers differ for {len(different)} accounts (e.g. {different[0]})[/]")
    for token in tokens.values():
        auth.revoke_token(token)
    if not args.keep:
        db.run_in_auto_commit(CLEAN)
        db.write("MATCH (t:Team) WHERE t.name STARTS WITH 'bench team' DETACH DELETE t")
        from crn.crm import access

        with bound(SYSTEM):
            for label, level in previous.items():
                access.set_default(label, level)
        console.print("bench data removed and the organisation-wide defaults restored (use --keep to keep it).")
    db.close()


if __name__ == "__main__":
    main()
