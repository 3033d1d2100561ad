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
    exactly as the same changes made through the API do, and binds crn's own access (``SYSTEM``: whoever
    runs the CLI holds the database credentials already) for the visibility checks (crn.graph.access).
    ``check_schema`` (default) refuses a database whose recorded schema version is not the one this crn
    needs (``crn db migrate`` and ``crn db restore`` pass False: they are how it gets there).
    """

    def __init__(self, check_schema: bool = True):
        self.check_schema = check_schema

    def __enter__(self):
        import crn.automation
        from crn.graph import access, db
        from crn.intel import strength

        self._previous = access.current_or_none()
        access.bind(access.SYSTEM)  # enforce (issue 13)

        settings = get_settings()
        crn.automation.install(settings)
        strength.install(settings)
        import crn.audit

        crn.audit.install()  # audit: changes made from the CLI are recorded like the API's
        try:
            db.connect(settings)
        except db.DatabaseUnavailable as exc:
            fail(str(exc))
        if self.check_schema:  # ops: refuse a database migrated by another crn version
            from crn.graph import migrations

            try:
                migrations.check()
            except migrations.SchemaOutOfDate as exc:
                self.__exit__(None, None, None)  # unbind and close before the exit
                fail(str(exc))
        return db

    def __exit__(self, *exc_info):
        from crn.graph import access, db

        access.bind(self._previous)  # enforce (issue 13): the command's SYSTEM access ends with its connection
        db.close()
        return False
