"""Shared bits of the intelligence benches: the machine, timing, percentiles, the demo answer file."""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    """Cores, CPU model and RAM of this machine, for the printed figures."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        ram = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        ram = 0.0
    return f"{os.cpu_count()} cores, {model}, {ram:.1f} GB RAM, Python {platform.python_version()}"


def connect():
    """Connect to the configured database (``crn db start`` + ``crn demo load --size medium``)."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    from crn.graph import db

    db.connect()
    return db


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000.0, result


def summary(name: str, ms: list[float]) -> str:
    """p50/p95/max of a list of timings."""
    if not ms:
        return f"{name}: no samples"
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{name}: n={len(ms)} p50={statistics.median(ms):.1f} ms p95={p95:.1f} ms max={ordered[-1]:.1f} ms"


def answers(size: str = "medium") -> dict | None:
    """The demo generator's answer file (evaluation only; the inference never reads it)."""
    home = Path(os.environ.get("CRN_HOME", ROOT / ".crn"))
    files = sorted(home.glob(f"demo-answers-{size}-*.json"))
    return json.loads(files[-1].read_text()) if files else None
