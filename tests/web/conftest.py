"""Fixtures for the browser tests: the small demo in the test Neo4j, crn under uvicorn, Debian's Chromium.

Chromium is Debian's (`make test` installs it); Playwright never downloads a browser. Screenshots go to
test-artifacts/ (gitignored).
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CRN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
ADMIN_EMAIL = "web-test-admin@example.com"
PASSWORD = "correct horse battery staple"


def gid(kind: str, uid: str) -> str:
    """The API's Relay global id of a node."""
    return base64.b64encode(f"{kind}:{uid}".encode()).decode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="package")
def demo(graph):
    """The small demo network (seed 7) in an otherwise empty database; yields its answers (the planted truth)."""
    from crn.demo import loader
    from tests.conftest import wipe

    wipe(graph)
    summary = loader.load("small", seed=7)
    yield loader.read_answers(summary.answers_path)
    wipe(graph)


@pytest.fixture(scope="package")
def server(demo):
    """crn (create_app) under uvicorn on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "web-server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "crn.app:create_app", "--factory", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=dict(os.environ),
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"crn did not start; see {ARTIFACTS / 'web-server.log'}")
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=15)
    log.close()


@pytest.fixture(scope="package")
def api(server):
    """A GraphQL caller with an admin's API token, to read what the UI is expected to show."""
    from crn.auth import tokens, users

    if users.get_user(ADMIN_EMAIL) is None:
        users.create_user(ADMIN_EMAIL, "Web Test Admin", PASSWORD, role="admin")
    token = tokens.create_token(ADMIN_EMAIL, "web-tests")

    def call(query: str, **variables):
        response = httpx.post(f"{server}/graphql", json={"query": query, "variables": variables},
                              headers={"Authorization": f"Bearer {token}"}, timeout=60)
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    return call


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (installs Debian's chromium) or set CRN_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shot(request):
    """shot(page, name): save a screenshot as test-artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return take
