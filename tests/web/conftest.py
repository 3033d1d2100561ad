"""Fixtures for the browser tests: the small demo in the test Neo4j, crn under uvicorn, Debian's Chromium.

Chromium is Debian's (`make test` installs it); Playwright never downloads a browser. Screenshots go to
test-artifacts/ (gitignored).
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.live import running_crn

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
    ARTIFACTS.mkdir(exist_ok=True)
    with running_crn(log_path=ARTIFACTS / "web-server.log") as port:
        yield f"http://127.0.0.1:{port}"


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
