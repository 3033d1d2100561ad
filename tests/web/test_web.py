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


def test_the_stylesheet_is_well_formed():
    """Every block of styles.css is closed (a block left open by a merge silently swallows the rules after it)."""
    import re
    from pathlib import Path

    css = re.sub(r"/\*.*?\*/", "", (Path(__file__).resolve().parents[2] / "crn/web/static/styles.css").read_text(), flags=re.S)
    depth = 0
    for number, line in enumerate(css.splitlines(), 1):
        if line[:1] not in ("", " ", "}"):  # a rule at the top level (not indented) must start outside any block
            assert depth == 0, f"line {number} ({line[:40]!r}) starts inside a block left open above it"
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"an extra closing brace at line {number}"
    assert depth == 0, "a block is left open"
