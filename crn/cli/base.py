"""What every command shares: the consoles, a clear error exit and the database connection."""

from __future__ import annotations

import typer
from rich.console import Console

from crn.config import get_settings

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print a clear error (no traceback) and exit."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def quiet_notifications() -> None:
    """Keep Neo4j's query notifications (e.g. an unused relationship type) out of the output."""
    import logging

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


class database:
    """Context manager: connect to Neo4j (clear error if it is not there) and close at the end.

    Also subscribes the automation outbox, so changes made from the CLI (imports, merges) trigger rules
    exactly as the same changes made through the API do. ``check_schema`` (default) refuses a database whose
    recorded schema version is not the one this crn needs (``crn db migrate`` and ``crn db restore`` pass
    False: they are how it gets there).
    """

    def __init__(self, check_schema: bool = True):
        self.check_schema = check_schema

    def __enter__(self):
        import crn.automation
        from crn.graph import db
        from crn.intel import strength

        settings = get_settings()
        crn.automation.install(settings)
        strength.install(settings)
        try:
            db.connect(settings)
        except db.DatabaseUnavailable as exc:
            fail(str(exc))
        if self.check_schema:  # ops: refuse a database migrated by another crn version
            from crn.graph import migrations

            try:
                migrations.check()
            except migrations.SchemaOutOfDate as exc:
                db.close()
                fail(str(exc))
        return db

    def __exit__(self, *exc_info):
        from crn.graph import db

        db.close()
        return False
