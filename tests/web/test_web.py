"""crn.web: the app shell and its static files are served by create_app."""

from __future__ import annotations

from starlette.testclient import TestClient

from crn.app import create_app
from crn.web import VENDOR_DIR


def test_index_and_static_files_are_served():
    with TestClient(create_app()) as client:
        index = client.get("/")
        assert index.status_code == 200
        # no import map (an inline script the CSP refuses): graph.js imports the vendor modules by path
        assert '<script type="module" src="/static/js/app.js">' in index.text and "importmap" not in index.text
        assert client.get("/static/cytoscape.css").status_code == 200
        assert client.get("/static/js/app.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/static/styles.css").status_code == 200
        assert client.get("/static/nope.js").status_code == 404


def test_vendor_modules_are_built_from_npm():
    # `make web` copies the ES modules out of node_modules; they are never committed.
    for name in ("cytoscape.esm.min.mjs", "cytoscape-dagre.min.mjs"):
        assert (VENDOR_DIR / name).stat().st_size > 10_000
