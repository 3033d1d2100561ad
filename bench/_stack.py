"""A dedicated crn stack for benches, started the way `make run` does: managed Neo4j, migrations, the admin,
the automation worker and `crn serve` — in its own CRN_HOME on free ports, never the user's data.

Used by bench/soak.py and bench/crash.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CRN = str(Path(sys.executable).with_name("crn"))
ADMIN = "admin@crn.local"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """Neo4j + worker + server for one bench run. ``home``: its CRN_HOME (wiped first unless ``keep``)."""

    def __init__(self, home: Path, heap: str = "512m", pagecache: str = "256m", keep: bool = False,
                 extra_env: dict[str, str] | None = None) -> None:
        self.home = home.resolve()
        if self.home.exists() and not keep:
            shutil.rmtree(self.home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.env = {**os.environ, "CRN_HOME": str(self.home), "CRN_BOLT_PORT": str(_free_port()),
                    "CRN_HTTP_PORT": str(_free_port()), "CRN_NEO4J_HEAP": heap, "CRN_NEO4J_PAGECACHE": pagecache,
                    "CRN_PORT": str(self.port), "CRN_ADMIN_PASSWORD": "bench-admin-password-1",
                    "CRN_AUTOMATION_POLL_SECONDS": "1", **(extra_env or {})}
        for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER"):
            self.env.pop(name, None)
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.logs = self.home / "bench-logs"
        self.logs.mkdir(exist_ok=True)

    def crn(self, *args: str, check: bool = True) -> str:
        done = subprocess.run([CRN, *args], env=self.env, cwd=ROOT, capture_output=True, text=True)
        if check and done.returncode:
            raise SystemExit(f"`crn {' '.join(args)}` failed: {done.stdout[-1500:]}{done.stderr[-1500:]}")
        return done.stdout

    def start(self) -> str:
        """Start everything; returns an admin API token."""
        self.crn("db", "start")
        self.crn("db", "migrate")
        self.crn("users", "ensure-admin")
        token = self.crn("tokens", "create", "--email", ADMIN, "--name", "bench").strip().splitlines()[-1]
        self.worker = self._spawn("worker", "worker")
        self.server = self._spawn("server", "serve", "--port", str(self.port))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return token
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"crn did not start; see {self.logs}")

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the child's life
        return subprocess.Popen([CRN, *args], env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def neo4j_pid(self) -> int | None:
        pid_file = self.home / "neo4j" / "neo4j.pid"
        candidates = [pid_file] + list((self.home / "neo4j").glob("**/*.pid"))
        for path in candidates:
            try:
                pid = int(path.read_text().strip())
                os.kill(pid, 0)
                return pid
            except (OSError, ValueError):
                continue
        return None

    def kill_neo4j(self) -> None:
        """``kill -9`` the managed Neo4j (a crash: no clean shutdown)."""
        pid = self.neo4j_pid()
        if pid is None:
            raise SystemExit("the bench Neo4j is not running")
        os.kill(pid, signal.SIGKILL)
        while True:
            try:
                os.kill(pid, 0)
                time.sleep(0.05)
            except ProcessLookupError:
                return

    def start_neo4j(self) -> None:
        self.crn("db", "start")

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.crn("db", "stop", check=False)


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` in KiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
