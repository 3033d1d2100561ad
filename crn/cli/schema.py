"""`crn schema`: the GraphQL schema as SDL."""

from __future__ import annotations

import typer

from crn.cli.base import console

app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)


@app.command("export")
def schema_export(path: str = typer.Option("schema.graphql", help="Where to write the SDL ('-' for stdout).")) -> None:
    """Write the GraphQL schema as SDL (the contract checked in as schema.graphql)."""
    from pathlib import Path

    from crn.schema.schema import sdl

    text = sdl()
    if path == "-":
        print(text, end="")
    else:
        Path(path).write_text(text)
        console.print(f"Wrote {path}.")
