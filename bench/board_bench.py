"""Browser benchmark of the pipeline board: click on "Pipeline" -> board interactive, for a 500-deal board.

Like bench/ui_bench.py, it runs crn's app (uvicorn, free port) for the static files and answers /auth and
/graphql with synthetic data through Playwright's request routing, so the browser figure measures the
front end (fetch, JSON, building six columns of cards, first paint), not the database. With ``--api`` it
also times the board's database work (``crn.crm.board.pipeline_board``, first page of 100 per column)
against the configured Neo4j, read-only, e.g. after ``crn demo load --size medium``.

    .venv/bin/python bench/board_bench.py [--deals 500] [--runs 5] [--api]

Prints: machine; click -> interactive (median of runs; target < 1500 ms); with --api, p50/p95 of the query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ui_bench import CHROME_ARGS, CHROMIUM, free_port, gid, machine, start_server  # noqa: E402

STAGES = ["QUALIFICATION", "DISCOVERY", "PROPOSAL", "NEGOTIATION", "CLOSED_WON", "CLOSED_LOST"]


def synthetic_board(n: int) -> list[dict]:
    """n deals spread over the six stages (at most 100 cards per column are served, as the API pages them)."""
    columns = []
    for s, stage in enumerate(STAGES):
        count = n // len(STAGES) + (1 if s < n % len(STAGES) else 0)
        deals = [{"id": gid("Deal", f"d{s}-{i}"), "name": f"Deal {s}-{i}", "amount": 1000.0 + i, "currency": "USD",
                  "stage": stage.lower(), "status": "open", "probability": 0.3, "expectedClose": "2030-01-01",
                  "company": {"id": gid("Company", f"c{i % 40}"), "name": f"Company {i % 40}"},
                  "owners": [{"id": gid("User", f"u{i % 7}"), "name": f"Seller {i % 7}"}]} for i in range(count)]
        page = deals[:100]
        columns.append({"stage": stage, "count": count,
                        "totals": [{"currency": "USD", "count": count, "amount": sum(d["amount"] for d in deals),
                                    "weighted": 0.3 * sum(d["amount"] for d in deals)}],
                        "deals": {"totalCount": count, "pageInfo": {"hasNextPage": count > 100, "endCursor": None},
                                  "edges": [{"node": d} for d in page]}})
    return columns


def browser_figures(deals: int, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    board = synthetic_board(deals)
    users = {"users": {"edges": [{"node": {"id": gid("User", f"u{i}"), "name": f"Seller {i}", "team": "East"}}
                                 for i in range(7)]}}

    def handle(route, request):
        path = request.url.split("/", 3)[3]
        if path.startswith("auth/"):
            user = {"uid": "u0", "name": "Bench", "email": "bench@example.com", "role": "admin"}
            return route.fulfill(json={"ok": True, "user": user})
        query = json.loads(request.post_data)["query"]
        if "PipelineBoard" in query:
            return route.fulfill(json={"data": {"pipelineBoard": board}})
        if "BoardOwners" in query:
            return route.fulfill(json={"data": users})
        return route.fulfill(json={"errors": [{"message": "not part of the benchmark"}], "data": None})

    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/auth/**", handle)
            page.route("**/graphql", handle)
            base = f"http://127.0.0.1:{port}/"

            def click_to_interactive() -> float:
                page.goto(base + "#/")
                page.wait_for_selector("[data-testid=nav-pipeline]")
                page.evaluate("() => document.querySelector('[data-testid=nav-pipeline]').addEventListener('click',"
                              " () => { window.benchClick = performance.now(); })")
                page.click("[data-testid=nav-pipeline]")
                page.wait_for_function("() => document.querySelector('#view').dataset.ready === '1'"
                                       " && document.querySelector('#view').dataset.view === 'pipeline'", timeout=60000)
                # interactive: a card's stage picker answers and a frame was painted
                return page.evaluate("""() => new Promise((resolve) => {
                    const select = document.querySelector('[data-testid=card-stage]'); select.focus();
                    requestAnimationFrame(() => requestAnimationFrame(() => resolve(
                      document.activeElement === select ? performance.now() - window.benchClick : -1))); })""")

            click_to_interactive()  # warm-up (module loading, JIT)
            figures = [click_to_interactive() for _ in range(runs)]
            cards = page.locator("[data-testid=deal-card]").count()
            print(f"cards on the board: {cards}")
            browser.close()
            return figures
    finally:
        server.terminate()
        server.wait(timeout=10)


def api_figures(runs: int) -> list[float]:
    from crn.crm import board
    from crn.graph import db

    db.connect()
    total = sum(c.count for c in board.pipeline_board({}, 0, 100))
    print(f"deals in the configured database: {total}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        board.pipeline_board({}, 0, 100)
        times.append((time.perf_counter() - start) * 1000)
    db.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--api", action="store_true", help="also time the board query on the configured Neo4j")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
    print(f"browser: {CHROMIUM} (headless, software rendering)")
    figures = browser_figures(args.deals, args.runs)
    print(f"click -> interactive, {args.deals}-deal board: median {statistics.median(figures):.0f} ms "
          f"(runs: {', '.join(f'{f:.0f}' for f in figures)}; target < 1500 ms)")
    if args.api:
        times = sorted(api_figures(max(args.runs, 20)))
        print(f"board query (6 columns x 100 cards): p50 {statistics.median(times):.0f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
