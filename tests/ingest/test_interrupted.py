"""An import killed with SIGKILL half-way, run again, reaches the same end state as a clean import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import wipe
from tests.ingest.helpers import snapshot

ROWS = 6000


def _write_orgchart(path: Path) -> None:
    lines = ["employee_id,name,email,title,department,manager,company,start date"]
    for i in range(1, ROWS + 1):
        manager = "" if i == 1 else str(i // 3 or 1)
        lines.append(f"{i},Person {i},p{i}@kill.example,Title {i % 7},Dept {i % 5},{manager},Co {i % 4},2020-01-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _crn_import(path: Path, batch: int) -> subprocess.Popen:
    env = {**os.environ, "CRN_IMPORT_BATCH_SIZE": str(batch)}
    return subprocess.Popen([sys.executable, "-m", "crn.cli", "import", "orgchart", str(path)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_import_rerun_equals_clean_import(clean_db, tmp_path):
    path = tmp_path / "orgchart.csv"
    _write_orgchart(path)
    process = _crn_import(path, batch=100)
    deadline = time.monotonic() + 120
    count = 0
    while time.monotonic() < deadline and process.poll() is None:
        count = clean_db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"]
        if count >= 500:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    partial = clean_db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"]
    assert 0 < partial < ROWS
    rerun = _crn_import(path, batch=1000)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()[-2000:]
    after_rerun = snapshot(clean_db)
    wipe(clean_db)
    clean = _crn_import(path, batch=1000)
    assert clean.wait(timeout=300) == 0
    assert snapshot(clean_db) == after_rerun
    assert clean_db.read_one("MATCH (p:Person) RETURN count(p) AS n")["n"] == ROWS
    assert clean_db.read_one("MATCH (:Person)-[r:REPORTS_TO]->() RETURN count(r) AS n")["n"] == ROWS - 1
