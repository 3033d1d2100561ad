"""The canvases' pure layouts (crn/web/static/js/layouts.js) under Node's own test runner: tests/web/js/*.test.mjs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_layout_unit_tests_pass_under_node():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: the web build needs it (`make web`)")
    tests = sorted(str(p) for p in (ROOT / "tests" / "web" / "js").glob("*.test.mjs"))
    assert tests, "no layout unit tests found"
    run = subprocess.run([node, "--test", *tests], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout
