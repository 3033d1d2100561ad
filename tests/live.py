"""A real crn for tests that need one over the network: ``create_app`` under uvicorn on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from crn.graph.server import free_port

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def running_crn(env: dict[str, str] | None = None, log_path: Path | None = None,
                start_timeout: float = 60.0) -> Iterator[int]:
    """Run crn in a child process until the block ends; yields its port once ``/healthz`` answers 200.

    ``env`` is added to this process's environment; the server's output goes to ``log_path`` (else it is
    kept and shown if the server does not start).
    """
    port = free_port()
    log = open(log_path, "w") if log_path else None  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "crn.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = f"see {log_path}" if log_path else process.stdout.read().decode()[-2000:]
                raise RuntimeError(f"crn did not start on port {port}: {output}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            log.close()
