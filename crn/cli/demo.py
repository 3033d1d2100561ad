"""`crn demo`: load the deterministic demo network."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, fail
from crn.config import get_settings

app = typer.Typer(help="The demo network.", no_args_is_help=True)


@app.command("load")
def demo_load(
    size: str = typer.Option("small", help="small (~2k nodes), medium (~100k) or large (~1M)."),
    seed: int = typer.Option(7, help="Same seed, same network."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Only load when the database holds no crn data."),
    answers: str = typer.Option(None, help="Where to write the answer file (planted roles and groups)."),
) -> None:
    """Load a realistic, deterministic demo network."""
    from crn.demo import loader

    if size not in loader.SIZES:
        fail(f"unknown size {size!r}; choose one of {', '.join(loader.SIZES)}")
    with database():
        if if_empty and not loader.database_is_empty():
            console.print("The database already holds data; demo not loaded (drop --if-empty to add it anyway).")
            return
        summary = loader.load(size=size, seed=seed, answers_path=answers, console=console,
                              settings=get_settings())
    console.print(summary.table())
