"""`crn report` and `crn analytics`: relationship intelligence from the command line."""

from __future__ import annotations

import sys

import typer

from crn.cli.base import console, database, fail, quiet_notifications
from crn.config import get_settings

report_app = typer.Typer(help="Reports for strategists.", no_args_is_help=True)
analytics_app = typer.Typer(help="Relationship intelligence: strength, families, paths, committees.", no_args_is_help=True)


@report_app.command("influence")
def report_influence(
    scope: str = typer.Option(..., help="company:<uid>, family:<uid> or all."),
    fmt: str = typer.Option("html", "--format", help="html, md, csv or json."),
    out: str = typer.Option(None, help="Write to this file instead of standard output."),
    limit: int = typer.Option(50, help="People per ranking."),
    decay_days: int = typer.Option(90, help="Period over which strength drops count as decay."),
) -> None:
    """Key influencers, brokers, single-threaded accounts, decaying relationships and coverage."""
    from pathlib import Path

    from crn.intel import IntelError
    from crn.reports.influence import build_and_render

    quiet_notifications()
    with database():
        result = build_and_render(scope, fmt, limit=limit, decay_days=decay_days,
                                  half_life_days=get_settings().strength_half_life_days)
    if isinstance(result, IntelError):
        fail(result.message)
    if out:
        Path(out).write_text(result, encoding="utf-8")
        console.print(f"Wrote {out} ({len(result):,} characters).")
    else:
        sys.stdout.write(result)


@analytics_app.command("refresh")
def analytics_refresh() -> None:
    """Recompute relationship strength on every KNOWS edge from the interaction history."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crn.intel import strength

    quiet_notifications()
    with database(), Progress(TextColumn("strength"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              console=console) as progress:
        task = progress.add_task("pairs", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        pairs = strength.refresh_all(progress=step, half_life_days=get_settings().strength_half_life_days)
    console.print(f"Refreshed the strength of {pairs:,} pairs.")


@analytics_app.command("family")
def analytics_family(
    company: str = typer.Argument(..., help="uid of any company in the family."),
    threshold: float = typer.Option(0.5, help="Control threshold (more than this share)."),
    as_of: str = typer.Option(None, help="Ownership in force on this date (YYYY-MM-DD)."),
    weighted: bool = typer.Option(False, help="Consolidate roll-ups by effective share."),
) -> None:
    """Print a corporate family as JSON: ultimates, members with roll-ups, JVs, cycles, whitespace."""
    import datetime as dt
    import json
    from dataclasses import asdict

    from crn.intel import IntelError, families

    quiet_notifications()
    with database():
        result = families.corporate_family(company, threshold=threshold, weighted=weighted,
                                           as_of=dt.date.fromisoformat(as_of) if as_of else None)
    if isinstance(result, IntelError):
        fail(result.message)
    data = asdict(result)
    for node, member in zip(data["nodes"], result.nodes):
        node["rollup"]["coverage"] = member.rollup.coverage
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


@analytics_app.command("paths")
def analytics_paths(
    to: str = typer.Argument(..., help="uid of the person (or company) to reach."),
    from_user: str = typer.Option(None, "--from", help="uid of the user to start from."),
    team: bool = typer.Option(False, help="Start from anyone on the account team."),
    k: int = typer.Option(3, help="How many paths."),
    max_hops: int = typer.Option(4, help="Longest path in hops."),
) -> None:
    """Print the k best introduction paths, each hop explained."""
    from crn.intel import IntelError, paths

    quiet_notifications()
    with database():
        result = paths.intro_paths(to, from_user=from_user, team=team, k=k, max_hops=max_hops)
    if isinstance(result, IntelError):
        fail(result.message)
    if not result.paths:
        console.print("No path found.")
    for i, path in enumerate(result.paths, 1):
        console.print(f"[bold]{i}. strength {path.strength:.3f}[/] (cost {path.cost:.3f})")
        for hop in path.hops:
            console.print(f"   {hop.explanation}")


@analytics_app.command("committee")
def analytics_committee(
    deal: str = typer.Option(None, help="uid of the deal."),
    company: str = typer.Option(None, help="uid of the account (when there is no deal)."),
) -> None:
    """Print the buying committee: members with evidence, coverage, gaps and single-thread risks."""
    from crn.intel import IntelError, committees

    quiet_notifications()
    with database():
        result = committees.buying_committee(deal=deal, company=company)
    if isinstance(result, IntelError):
        fail(result.message)
    name = lambda uid: (result.people.get(uid) or {}).get("name") or uid  # noqa: E731
    for m in result.members:
        console.print(f"[bold]{m.role}[/]: {name(m.person)} ({'declared' if m.declared else f'{m.confidence:.2f}'})"
                      f" - {'; '.join(m.evidence)}", highlight=False)
    for gap, candidates in result.gaps:
        who = ", ".join(f"{name(c.person)} ({c.score:.2f})" for c in candidates)
        console.print(f"[yellow]gap[/] {gap.reason}" + (f": best candidates {who}" if who else ""), highlight=False)
