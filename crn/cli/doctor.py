"""`crn doctor`: check Java, Neo4j, ports, migrations, the automation worker and the outbox; say how to fix."""

from __future__ import annotations

import typer

from crn.cli.base import console
from crn.config import get_settings

_MARK = {"ok": "[green]ok[/]", "warn": "[yellow]warn[/]", "fail": "[bold red]FAIL[/]", "skip": "[dim]skip[/]"}


def doctor() -> None:
    """Check Java, Neo4j, ports, migrations, the worker and the outbox; print a fix for each problem.

    Exit code 1 when something is wrong (warnings alone exit 0)."""
    from crn import doctor as checks
    from crn.graph import db

    try:
        found = checks.run_checks(get_settings())
    finally:
        db.close()
    for check in found:
        console.print(f"{_MARK[check.state]:>22}  [bold]{check.name}[/]: {check.detail}", highlight=False,
                      soft_wrap=True)
        if check.fix:
            console.print(f"{'':>8}fix: {check.fix}", highlight=False, soft_wrap=True)
    failed = [c.name for c in found if c.state == "fail"]
    if failed:
        console.print(f"[bold red]{len(failed)} problem(s)[/]: {', '.join(failed)}", highlight=False)
        raise typer.Exit(1)
    console.print("[green]crn looks healthy.[/]")
