"""`crn tokens`: API tokens for the GraphQL API (created, listed, revoked)."""

from __future__ import annotations

import typer

from crn.cli.base import console, database, err, fail

app = typer.Typer(help="API tokens for the GraphQL API (shown once, stored hashed).", no_args_is_help=True)


@app.command("create")
def tokens_create(
    email: str = typer.Option(..., help="The user the token acts as."),
    name: str = typer.Option("default", help="A label to recognise the token by."),
    expires_days: int = typer.Option(None, "--expires-days", min=1,
                                     help="Stop working this many days from now (default: never)."),
) -> None:
    """Create an API token and print it (this is the only time it is shown)."""
    from crn import auth

    with database():
        try:
            token = auth.create_token(email, name, expires_days=expires_days)
        except auth.AuthError as exc:
            fail(exc.message)
    err.print(f"Token {name!r} for {email} (shown once; send it as 'Authorization: Bearer <token>'):")
    print(token)


@app.command("revoke")
def tokens_revoke(
    token: str = typer.Option(None, help="The token itself."),
    token_id: str = typer.Option(None, "--id", help="The token id (the part after crn_)."),
    email: str = typer.Option(None, help="With --name: the owner's email."),
    name: str = typer.Option(None, help="With --email: the token's name."),
) -> None:
    """Revoke a token, by value, by id, or by owner email and name."""
    from crn import auth

    with database():
        try:
            count = auth.revoke_token(token, token_id=token_id, email=email, name=name)
        except auth.AuthError as exc:
            fail(exc.message)
    if not count:
        fail("no such token")
    console.print(f"Revoked {count} token(s).")


@app.command("list")
def tokens_list(email: str = typer.Option(None, help="Only this user's tokens.")) -> None:
    """List tokens (never secrets): id, name, owner, state, created, expires, last used."""
    from crn import auth

    with database():
        rows = auth.list_tokens(email)
    console.print("id  name  owner  state  created  expires  last-used", style="bold", highlight=False)
    for row in rows:
        state = "revoked" if row["revoked"] else "expired" if row["expired"] else "active"
        console.print(f"{row['token_id']}  {row['name']}  {row['email']}  {state}  {row['created_at']}  "
                      f"{row['expires_at'] or 'never'}  {row['last_used_at'] or 'never'}", highlight=False)
