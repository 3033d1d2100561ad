"""`crn users`: the people who use crn (our staff), their passwords and roles."""

from __future__ import annotations

import sys

import typer

from crn.cli.base import console, database, fail
from crn.config import get_settings

app = typer.Typer(help="Users of crn (our staff) and their roles.", no_args_is_help=True)


@app.command("create")
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
    with database():
        try:
            user = auth.create_user(email, name, password, role)
        except auth.AuthError as exc:
            fail(exc.message)
    console.print(f"Created {user.role} {user.email} ({user.uid}).")


@app.command("set-password")
def users_set_password(
    email: str = typer.Option(..., help="The user's login email."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Give a user a new password (prompted for without echo, or read from stdin; stored argon2-hashed).

    Every session of the user ends. This is how the demo's staff, who have no password, get a login.
    """
    from crn import auth

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with database():
        try:
            auth.set_password(email, password)
        except auth.AuthError as exc:
            fail(exc.message)
    console.print(f"Password of {email.strip().lower()} changed; their sessions have ended.")


@app.command("ensure-admin")
def users_ensure_admin() -> None:
    """Make sure admin@crn.local exists; its password is CRN_ADMIN_PASSWORD or generated and printed once."""
    from crn import auth

    with database():
        user, generated = auth.ensure_admin(get_settings().admin_password)
    if generated:
        console.print(f"Created admin [bold]{user.email}[/] with password [bold]{generated}[/] "
                      "(shown only now; change it or set CRN_ADMIN_PASSWORD before the first run).")
    else:
        console.print(f"Admin {user.email} exists.")
