"""`crn serve`: the GraphQL API, the network UI and /healthz under uvicorn."""

from __future__ import annotations

import typer

from crn.cli.base import err, fail
from crn.config import get_settings


def serve(
    host: str = typer.Option(None, help="Interface to listen on (default CRN_HOST=127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CRN_PORT=8000)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Serve the GraphQL API, the network UI and /healthz with uvicorn (HTTPS when CRN_TLS_CERT/KEY are set)."""
    import uvicorn

    from crn.audit import channel

    channel.bind(channel.SYSTEM)  # audit: each request binds its own channel (ui/api); nothing here is the CLI's

    from crn.transport import ServeError, plain_http_warning, uvicorn_options

    try:
        options = uvicorn_options(get_settings(), host=host, port=port, reload=reload)
    except ServeError as exc:
        fail(str(exc))
    if get_settings().log_format == "json":
        options["log_config"] = None  # ops: uvicorn's loggers go through crn's JSON handler (crn/logs.py)
    if warning := plain_http_warning(options):
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    uvicorn.run(**options)
