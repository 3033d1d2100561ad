"""The network UI: a static single-page app served at / that talks to /graphql and /auth/* only."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"

__all__ = ["STATIC_DIR", "web_routes"]


async def index(request: Request) -> Response:
    """The app shell (index.html); every view lives behind a #/ route inside it."""
    if not (VENDOR_DIR / "cytoscape.esm.min.mjs").exists():
        return PlainTextResponse(
            "The network UI is not built: run `make web` (npm ci + node crn/web/build.mjs).", status_code=503
        )
    return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def web_routes() -> list:
    """`/` (the app shell) and `/static` (its modules, styles and the npm-built vendor folder)."""
    return [
        Route("/", index, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
