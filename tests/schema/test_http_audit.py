"""GraphQL over HTTP: graphql-http's auditServer against a live uvicorn crn, 0 errors and 0 warnings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from crn import auth
from crn.graph.server import free_port

AUDIT_DIR = Path(__file__).resolve().parent / "http_audit"


@pytest.fixture
def live_crn(clean_db):
    """A uvicorn crn on a free 127.0.0.1 port, using the test database; yields (url, token)."""
    auth.create_user("audit@x.io", "Audit", "longenough", "viewer")
    token = auth.create_token("audit@x.io", "audit")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "crn.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"crn did not start: {process.stdout.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/graphql", token
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_graphql_over_http_audit(live_crn):
    url, token = live_crn
    assert shutil.which("node"), "the audit needs Node.js (node) on PATH"
    assert (AUDIT_DIR / "node_modules" / "graphql-http").exists(), "run `make test` (it runs npm install) first"
    run = subprocess.run(["node", "audit.mjs"], cwd=AUDIT_DIR, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "CRN_AUDIT_URL": url, "CRN_AUDIT_TOKEN": token})
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)
    assert len(results) > 20
    errors = [r for r in results if r["status"] == "error"]
    warnings = [r for r in results if r["status"] == "warn"]
    print(json.dumps(errors + warnings, indent=1))
    assert errors == []
    assert warnings == []
