"""The machine a benchmark ran on (cores, CPU model, RAM), printed with every figure."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> str:
    """One line: cores, CPU model, RAM, Python."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown RAM"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GB RAM"
    return f"{os.cpu_count()} cores, {cpu}, {ram}, Python {platform.python_version()}"
