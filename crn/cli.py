"""The `crn` command: each sub-command is a few lines calling into the packages below it."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from crn.config import get_settings

app = typer.Typer(help="crn, the Customer Relationship Network.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Manage the Neo4j database crn uses.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo network.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
users_app = typer.Typer(help="Users of crn (our staff) and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for the GraphQL API (shown once, stored hashed).", no_args_is_help=True)
schema_app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(schema_app, name="schema")

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a clear error (no traceback) and exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _local_server():
    from crn.graph.server import LocalNeo4j

    settings = get_settings()
    if not settings.managed:
        fail(f"NEO4J_URI is set ({settings.neo4j_uri}): crn does not manage that server. "
             "Unset NEO4J_URI to use the local one.")
    return LocalNeo4j(settings)


@db_app.command("start")
def db_start() -> None:
    """Download (once), configure and start the local Neo4j; a no-op if it is running."""
    from crn.graph.server import ServerError

    settings = get_settings()
    if not settings.managed:
        console.print(f"Using the Neo4j at {settings.neo4j_uri} (NEO4J_URI); nothing to start.")
        return
    try:
        _local_server().start(echo=console.print)
    except ServerError as exc:
        fail(str(exc))


@db_app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j (data is kept)."""
    _local_server().stop(echo=console.print)


@db_app.command("status")
def db_status() -> None:
    """Say whether the local Neo4j runs, where, and on which ports."""
    status = _local_server().status()
    console.print(status.describe())
    if not status.running:
        raise typer.Exit(3)


@db_app.command("logs")
def db_logs(lines: int = typer.Option(50, help="How many lines of each log to show.")) -> None:
    """Show the tail of the local Neo4j's logs."""
    console.print(_local_server().log_tail(lines), highlight=False, markup=False)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create missing constraints and indexes (idempotent; never drops anything)."""
    import crn.auth  # noqa: F401 - registers the auth constraints
    from crn.graph import migrations

    with _database():
        created = migrations.migrate()
    console.print(f"Created {len(created)}: {', '.join(created)}" if created else "Schema is up to date.")


@demo_app.command("load")
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
    with _database():
        if if_empty and not loader.database_is_empty():
            console.print("The database already holds data; demo not loaded (drop --if-empty to add it anyway).")
            return
        summary = loader.load(size=size, seed=seed, answers_path=answers, console=console)
    console.print(summary.table())


@app.command("serve")
def serve(
    host: str = typer.Option(None, help="Interface to listen on (default CRN_HOST=127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CRN_PORT=8000)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the GraphQL API, the network UI and /healthz with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("crn.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                reload=reload, log_level="info")


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., help="Login email."),
    name: str = typer.Option(..., help="Display name."),
    role: str = typer.Option("viewer", help="admin, manager or viewer."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Create a user (the password is prompted for, or read from stdin; stored argon2-hashed)."""
    from crn import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _database():
        try:
            user = auth.create_user(email, name, password, role)
        except auth.AuthError as exc:
            fail(exc.message)
    console.print(f"Created {user.role} {user.email} ({user.uid}).")


@users_app.command("ensure-admin")
def users_ensure_admin() -> None:
    """Make sure admin@crn.local exists; its password is CRN_ADMIN_PASSWORD or generated and printed once."""
    from crn import auth

    with _database():
        user, generated = auth.ensure_admin(get_settings().admin_password)
    if generated:
        console.print(f"Created admin [bold]{user.email}[/] with password [bold]{generated}[/] "
                      "(shown only now; change it or set CRN_ADMIN_PASSWORD before the first run).")
    else:
        console.print(f"Admin {user.email} exists.")


@tokens_app.command("create")
def tokens_create(
    email: str = typer.Option(..., help="The user the token acts as."),
    name: str = typer.Option("default", help="A label to recognise the token by."),
) -> None:
    """Create an API token and print it (this is the only time it is shown)."""
    from crn import auth

    with _database():
        try:
            token = auth.create_token(email, name)
        except auth.AuthError as exc:
            fail(exc.message)
    err.print(f"Token {name!r} for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    print(token)


@tokens_app.command("revoke")
def tokens_revoke(
    token: str = typer.Option(None, help="The token itself."),
    token_id: str = typer.Option(None, "--id", help="The token id (the part after crn_)."),
    email: str = typer.Option(None, help="With --name: the owner's email."),
    name: str = typer.Option(None, help="With --email: the token's name."),
) -> None:
    """Revoke a token, by value, by id, or by owner email and name."""
    from crn import auth

    with _database():
        try:
            count = auth.revoke_token(token, token_id=token_id, email=email, name=name)
        except auth.AuthError as exc:
            fail(exc.message)
    if not count:
        fail("no such token")
    console.print(f"Revoked {count} token(s).")


@tokens_app.command("list")
def tokens_list(email: str = typer.Option(None, help="Only this user's tokens.")) -> None:
    """List tokens (ids and names, never secrets)."""
    from crn import auth

    with _database():
        for row in auth.list_tokens(email):
            state = "revoked" if row["revoked"] else "active"
            console.print(f"{row['token_id']}  {row['name']}  {row['email']}  {state}  {row['created_at']}")


@schema_app.command("export")
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


class _database:
    """Context manager: connect to Neo4j (clear error if it is not there) and close at the end."""

    def __enter__(self):
        from crn.graph import db

        try:
            db.connect()
        except db.DatabaseUnavailable as exc:
            fail(str(exc))
        return db

    def __exit__(self, *exc_info):
        from crn.graph import db

        db.close()
        return False


def main() -> None:
    """Entry point of the `crn` console script."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # its retries are reported by our own errors
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
