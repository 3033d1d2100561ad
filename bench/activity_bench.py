"""Browser benchmark of logging an activity: click "Save" in the account's Log activity form -> the call is in
the account's timeline. Real parts end to end: crn under uvicorn on the configured Neo4j (e.g. after
``crn demo load --size medium``), Debian's Chromium driven by Playwright, a bench user signing in.

    .venv/bin/python bench/activity_bench.py [--runs 20]

For each run, on a typical account (the median number of current contacts): open the form, tick the first
participant, type a subject, click Save; the figure is the time from the click to the new subject showing in
the timeline panel (the interactionLog transaction, the strength listener, the panel's reload and paint).
Peer in the same run: the interactionLog mutation alone over HTTP with the same input (p50), so the share of
the browser is visible. Prints the machine, p50/p95 of both and the target (p50 < 300 ms). The bench's
interactions are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from baselines import ACTIVITY_ACCOUNT, ACTIVITY_CLEANUP  # noqa: E402
from ui_bench import CHROME_ARGS, CHROMIUM, free_port, gid, machine, start_server  # noqa: E402

EMAIL, PASSWORD = "activity-bench@crn.local", "activity bench password"
LOG = """mutation($input: InteractionLogInput!) { interactionLog(input: $input) { __typename } }"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from crn import auth
    from crn.graph import db

    db.connect()
    account = db.read_one(ACTIVITY_ACCOUNT)
    if account is None:
        raise SystemExit("no company with current contacts: load a demo first (crn demo load --size medium)")
    if auth.get_user(EMAIL) is None:
        auth.create_user(EMAIL, "Activity Bench", PASSWORD, "manager")
    token = auth.create_token(EMAIL, "activity-bench")
    tag = f"bench-activity-{uuid.uuid4().hex[:6]}"
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
    print(f"account: {account['name']} ({account['contacts']} current contacts); {args.runs} runs per side")
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    company = gid("Company", account["uid"])
    clicks: list[float] = []
    api_times: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(base + "/")
            page.fill("[data-testid=login-email]", EMAIL)
            page.fill("[data-testid=login-password]", PASSWORD)
            page.click("[data-testid=login-submit]")
            page.wait_for_selector("[data-testid=current-user]")
            page.goto(f"{base}/#/company/{company}")
            page.wait_for_function("() => document.querySelector('#view').dataset.ready === '1'")
            for i in range(args.runs + 1):  # the first run warms up (modules, JIT, caches)
                subject = f"{tag} {i}"
                page.click("[data-testid=log-activity]")
                page.wait_for_selector("[data-testid=log-form]")
                page.locator("[data-testid=log-participant]").first.check()
                page.fill("[data-testid=log-subject]", subject)
                # a minute apart and after every other one, so the new call is always first in the timeline
                when = (datetime.now() + timedelta(minutes=i + 1)).strftime("%Y-%m-%dT%H:%M")
                page.fill("[data-testid=log-when]", when)
                page.evaluate("() => document.querySelector('[data-testid=log-save]').addEventListener('click',"
                              " () => { window.benchClick = performance.now(); }, {once: true})")
                page.click("[data-testid=log-save]")
                elapsed = page.evaluate("""(subject) => new Promise((resolve) => {
                    const done = () => [...document.querySelectorAll('[data-testid=timeline-item]')]
                      .some((li) => li.textContent.includes(subject));
                    const give_up = performance.now() + 20000;
                    const check = () => done()
                      ? requestAnimationFrame(() => resolve(performance.now() - window.benchClick))
                      : performance.now() > give_up ? resolve(-1) : setTimeout(check, 2);
                    check(); })""", subject)
                if elapsed < 0:
                    raise SystemExit(f"run {i}: the new call did not show in the timeline within 20 s")
                if i:
                    clicks.append(elapsed)
            browser.close()
        participant = db.read_one("MATCH (p:Person)-[w:WORKS_AT]->(:Company {uid: $uid}) WHERE w.until IS NULL "
                                  "RETURN p.uid AS uid LIMIT 1", uid=account["uid"])["uid"]
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            for i in range(args.runs + 1):
                variables = {"input": {"kind": "call", "subject": f"{tag} api {i}", "participants":
                                       [gid("Person", participant)], "about": [company]}}
                start = time.perf_counter()
                body = client.post("/graphql", json={"query": LOG, "variables": variables}).json()
                if body["data"]["interactionLog"]["__typename"] != "InteractionLogSuccess":
                    raise SystemExit(f"interactionLog failed: {body}")
                if i:
                    api_times.append((time.perf_counter() - start) * 1000)
    finally:
        server.terminate()
        server.wait(timeout=10)
        removed = db.write(ACTIVITY_CLEANUP, prefix=tag)[0]["removed"]
        db.close()
    print(f"click Save -> in the timeline: p50 {statistics.median(clicks):.0f} ms, p95 {_percentile(clicks, 0.95):.0f} ms "
          f"(target p50 < 300 ms)")
    print(f"interactionLog over HTTP alone: p50 {statistics.median(api_times):.0f} ms, "
          f"p95 {_percentile(api_times, 0.95):.0f} ms")
    print(f"bench interactions removed: {removed}; load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
