"""Browser benchmark of the network UI: click-to-interactive for an account network, pan/zoom frame rate.

Runs crn's app (uvicorn, free port) and drives Debian's Chromium with Playwright. The /auth and /graphql
answers are synthetic graphs served by Playwright's request routing, so the figures measure the front end
(fetch, JSON, Cytoscape build, layout, first paint) and not the database.

    .venv/bin/python bench/ui_bench.py [--nodes 500] [--big 5000] [--seconds 3]

Prints: machine (cores, CPU, RAM); click -> interactive for a 50-node baseline and the N-node account;
frames per second while the mouse pans (drag) and zooms (wheel) a 500-node baseline and the big graph.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CRN_CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]


def gid(kind: str, uid: str) -> str:
    """A Relay global id like the API's."""
    return base64.b64encode(f"{kind}:{uid}".encode()).decode()


def synthetic_network(n: int, seed: int = 7) -> dict:
    """An account-shaped Network: one company, n-1 people/users with WORKS_AT, REPORTS_TO and KNOWS edges."""
    rng = random.Random(seed)
    company = gid("Company", "c0")
    nodes = [{"id": company, "type": "Company", "label": "Synthetic Corp", "subtitle": None}]
    edges = []
    for i in range(1, n):
        kind = "User" if i % 25 == 0 else "Person"
        node = gid(kind, f"n{i}")
        nodes.append({"id": node, "type": kind, "label": f"{kind} {i}", "subtitle": "Title"})
        edges.append({"id": f"w{i}", "source": node, "target": company, "type": "ACCOUNT_TEAM" if kind == "User" else "WORKS_AT",
                      "label": None, "properties": {}})
        if i > 1:
            other = nodes[rng.randrange(1, i)]["id"]
            edges.append({"id": f"r{i}", "source": node, "target": other, "type": "REPORTS_TO" if kind == "Person" else "KNOWS",
                          "label": None, "properties": {"kind": "solid"}})
        if i > 2 and rng.random() < 0.5:
            other = nodes[rng.randrange(1, i)]["id"]
            edges.append({"id": f"k{i}", "source": node, "target": other, "type": "KNOWS", "label": None, "properties": {}})
    return {"truncated": False, "nodes": nodes, "edges": edges}


def machine() -> str:
    """Cores, CPU model and RAM of this machine."""
    model = "unknown"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {model}, {ram:.0f} GiB RAM, {platform.system()} {platform.release()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """crn's app on 127.0.0.1:port (the UI's static files; data comes from the routed synthetic answers)."""
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "crn.app:create_app", "--factory", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/index.html", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("crn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--big", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    networks = {n: synthetic_network(n) for n in {50, 500, args.nodes, args.big}}
    current = {"n": 50}

    def handle(route, request):
        path = request.url.split("/", 3)[3]
        if path.startswith("auth/"):
            return route.fulfill(json={"ok": True, "user": {"name": "Bench", "email": "bench@example.com", "role": "admin"},
                                       "name": "Bench", "email": "bench@example.com", "role": "admin"})
        query = json.loads(request.post_data)["query"]
        net = networks[current["n"]]
        if "AccountNetwork" in query:
            return route.fulfill(json={"data": {"company": {"id": gid("Company", "c0"), "uid": "c0", "name": "Synthetic Corp",
                                                            "network": net}}})
        return route.fulfill(json={"errors": [{"message": "not part of the benchmark"}], "data": None})

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
    print(f"browser: {CHROMIUM} (headless, software rendering)")
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/auth/**", handle)
            page.route("**/graphql", handle)
            base = f"http://127.0.0.1:{port}/"

            def click_to_interactive(n: int) -> float:
                """ms from the click on an account link to the canvas answering a node tap after layout."""
                current["n"] = n
                page.goto(base + "#/")
                page.wait_for_selector("[data-testid=search-input]")
                page.evaluate("""() => { const a = document.createElement('a'); a.id = 'bench-link';
                    a.href = '#/company/' + encodeURIComponent(btoa('Company:c0')); a.textContent = 'open';
                    document.querySelector('.home').append(a); }""")
                page.evaluate("() => { window.crnTimings = {}; document.getElementById('bench-link').addEventListener('click', () => { window.benchClick = performance.now(); }); }")
                page.click("#bench-link")
                page.wait_for_function("() => document.querySelector('#view').dataset.ready === '1'", timeout=60000)
                # interactive = a tap on a node is handled (selection panel filled) and a frame was painted
                return page.evaluate("""() => new Promise((resolve) => {
                    const cy = window.crnCanvas; const node = cy.nodes()[1];
                    node.emit('tap');
                    requestAnimationFrame(() => requestAnimationFrame(() => {
                      const ok = document.querySelector('[data-testid=selection-name]') !== null;
                      resolve(ok ? performance.now() - window.benchClick : -1); })); })""")

            def fps(n: int) -> float:
                """Frames per second while the mouse drags (pans) and wheels (zooms) the canvas for args.seconds."""
                current["n"] = n
                page.goto(base + "#/")
                page.goto(base + "#/company/" + gid("Company", "c0"))
                page.wait_for_function("() => document.querySelector('#view').dataset.ready === '1'", timeout=120000)
                box = page.locator("[data-testid=canvas]").bounding_box()
                cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                page.evaluate("""() => { window.benchFrames = 0; window.benchRun = true; const tick = () => {
                    window.benchFrames++; if (window.benchRun) requestAnimationFrame(tick); };
                    window.benchStart = performance.now(); requestAnimationFrame(tick); }""")
                end = time.monotonic() + args.seconds
                step = 0
                while time.monotonic() < end:
                    page.mouse.move(cx, cy)
                    page.mouse.down()
                    for i in range(10):
                        page.mouse.move(cx + 15 * i * (-1) ** step, cy + 8 * i)
                    page.mouse.up()
                    for _ in range(5):
                        page.mouse.wheel(0, 120 if step % 2 else -120)
                    step += 1
                return page.evaluate("() => { window.benchRun = false; return window.benchFrames / ((performance.now() - window.benchStart) / 1000); }")

            click_to_interactive(50)  # warm-up (module loading, JIT)
            base_ms = min(click_to_interactive(50) for _ in range(2))
            runs, parts = [], []
            for _ in range(3):
                runs.append(click_to_interactive(args.nodes))
                parts.append(page.evaluate("() => window.crnTimings"))
            print(f"click -> interactive, 50-node account (baseline): {base_ms:.0f} ms")
            print(f"click -> interactive, {args.nodes}-node account: median {sorted(runs)[1]:.0f} ms "
                  f"(runs: {', '.join(f'{r:.0f}' for r in runs)}; target < 2000 ms)")
            part = parts[runs.index(sorted(runs)[1])]
            print(f"  of which: build {part.get('build', 0):.0f} ms, layout {part.get('layout', 0):.0f} ms, "
                  f"fit+legend {part.get('fitAndLegend', 0):.0f} ms; the rest is routing, fetch, JSON and painting")
            base_fps = fps(500)
            big_fps = fps(args.big)
            print(f"pan/zoom, 500 nodes (baseline): {base_fps:.1f} frames/s")
            print(f"pan/zoom, {args.big} nodes ({len(networks[args.big]['edges'])} edges): {big_fps:.1f} frames/s")
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
