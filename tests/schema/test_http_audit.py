"""GraphQL over HTTP: graphql-http's auditServer against a live uvicorn crn, 0 errors and 0 warnings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from crn import auth

from tests.live import running_crn

AUDIT_DIR = Path(__file__).resolve().parent / "http_audit"


@pytest.fixture
def live_crn(clean_db):
    """A uvicorn crn on a free 127.0.0.1 port, using the test database; yields (url, token)."""
    auth.create_user("audit@x.io", "Audit", "longenough", "viewer")
    token = auth.create_token("audit@x.io", "audit")
    with running_crn() as port:
        yield f"http://127.0.0.1:{port}/graphql", token


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
