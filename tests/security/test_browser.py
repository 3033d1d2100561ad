"""Attacks through the browser: cross-site requests riding the session cookie, framing, inline script,
and a token left where injected script can read it.

Every test here fails on the main branch before the browser hardening and passes after it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.auth import tokens
from crn.crm import records
from crn.web import STATIC_DIR

from tests.live import running_crn

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "longenough"
CREATE = 'mutation { companyCreate(input: {name: "Forged"}) { __typename } }'


def _browser_session(role: str = "manager") -> TestClient:
    """A client holding a manager's session cookie, as a browser would after signing in."""
    auth.create_user(f"{role}@b.io", role.title(), PASSWORD, role)
    client = TestClient(create_app())
    assert client.post("/auth/login", json={"email": f"{role}@b.io", "password": PASSWORD}).status_code == 200
    return client


def _forged_count() -> int:
    return sum(1 for _ in records_named("Forged"))


def records_named(name: str):
    from crn.graph import db

    return db.read("MATCH (c:Company {name: $name}) RETURN c.uid AS uid", name=name)


# ---- same-origin rule for cookie-authenticated writes --------------------------------------------------

@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "http://testserver:8080"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"},
    {},  # neither header: not provably from crn's pages
])
def test_cross_site_mutation_with_the_session_cookie_is_refused(clean_db, headers):
    client = _browser_session()
    response = client.post("/graphql", json={"query": CREATE}, headers=headers)
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "cross_site" and "Bearer" in error["message"]
    assert _forged_count() == 0


@pytest.mark.parametrize("headers", [
    {"Origin": "http://testserver"},
    {"Origin": "http://testserver:80"},
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},
])
def test_same_origin_mutation_with_the_session_cookie_works(clean_db, headers):
    client = _browser_session()
    response = client.post("/graphql", json={"query": CREATE}, headers=headers)
    assert response.status_code == 200 and response.json()["data"]["companyCreate"]["__typename"] == \
        "CompanyCreateSuccess"


def test_origin_is_compared_with_the_host_it_was_sent_to(clean_db):
    auth.create_user("h@b.io", "H", PASSWORD, "manager")
    client = TestClient(create_app(), base_url="https://crm.example.org")
    assert client.post("/auth/login", json={"email": "h@b.io", "password": PASSWORD}).status_code == 200
    ok = client.post("/graphql", json={"query": CREATE}, headers={"Origin": "https://crm.example.org"})
    assert ok.status_code == 200
    refused = client.post("/graphql", json={"query": CREATE}, headers={"Origin": "https://crm.example.org.evil.io"})
    assert refused.status_code == 403


def test_bearer_tokens_are_exempt(clean_db):
    auth.create_user("bt@b.io", "Bt", PASSWORD, "manager")
    token = tokens.create_token("bt@b.io")
    client = TestClient(create_app())
    response = client.post("/graphql", json={"query": CREATE},
                           headers={"Authorization": f"Bearer {token}", "Origin": "https://elsewhere.example"})
    assert response.status_code == 200 and _forged_count() == 1


def test_cookie_multipart_needs_the_csrf_header(clean_db):
    client = _browser_session("admin")
    operations = ('{"query": "mutation($f: Upload!) { importFile(kind: \\"companies\\", file: $f, dryRun: true) '
                  '{ __typename } }", "variables": {"f": null}}')
    files = {"operations": (None, operations), "map": (None, '{"0": ["variables.f"]}'),
             "0": ("c.csv", b"name\nForged\n", "text/csv")}
    same_origin = {"Origin": "http://testserver"}
    refused = client.post("/graphql", files=files, headers=same_origin)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_header_missing"
    assert "X-CRN-CSRF" in refused.json()["error"]["message"]
    cross = client.post("/graphql", files=files, headers={"Origin": "https://evil.example", "X-CRN-CSRF": "1"})
    assert cross.status_code == 403 and cross.json()["error"]["code"] == "cross_site"
    accepted = client.post("/graphql", files=files, headers={**same_origin, "X-CRN-CSRF": "1"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["data"]["importFile"]["__typename"]


def test_a_cookie_get_cannot_run_a_mutation(clean_db):
    client = _browser_session()
    response = client.get("/graphql", params={"query": CREATE})
    assert response.status_code == 400 and "mutations are not allowed when using GET" in response.text
    assert _forged_count() == 0


def test_cross_site_logout_is_refused_and_the_session_stays(clean_db):
    client = _browser_session()
    refused = client.post("/auth/logout", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_site"
    assert client.get("/auth/me").status_code == 200
    assert client.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert client.get("/auth/me").status_code == 401


def test_login_from_another_site_is_refused(clean_db):
    auth.create_user("attacker@b.io", "A", PASSWORD)
    client = TestClient(create_app())
    forged = client.post("/auth/login", json={"email": "attacker@b.io", "password": PASSWORD},
                         headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    plain = client.post("/auth/login", json={"email": "attacker@b.io", "password": PASSWORD})
    assert plain.status_code == 200  # scripts and curl send no Origin


# ---- security headers and the CSP -------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [("GET", "/"), ("GET", "/healthz"), ("GET", "/static/js/app.js"),
                                         ("GET", "/auth/me"), ("POST", "/graphql"), ("GET", "/nope")])
def test_every_response_carries_the_security_headers(clean_db, method, path):
    response = TestClient(create_app()).request(method, path)
    headers = response.headers
    csp = {part.split()[0]: part.split()[1:] for part in headers["content-security-policy"].split("; ")}
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["default-src"] == ["'self'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.problems.append(f"inline <script {names}>")
        if tag == "style":
            self.problems.append("inline <style>")
        self.problems += [f"{name} on <{tag}>" for name in names if name.startswith("on") or name == "style"]


def test_the_ui_has_no_inline_script_or_style():
    finder = _InlineFinder()
    finder.feed((STATIC_DIR / "index.html").read_text())
    assert finder.problems == []
    for path in (STATIC_DIR / "js").rglob("*.js"):
        text = path.read_text()
        assert ' style="' not in text and " onclick=" not in text, path  # markup built in JS is parsed too


def test_the_ui_keeps_no_token_in_script_readable_storage():
    text = (STATIC_DIR / "js" / "api.js").read_text()
    assert "Authorization" not in text and "localStorage" not in text and "sessionStorage" not in text


# ---- the real UI in Chromium under the CSP ----------------------------------------------------------

@pytest.fixture(scope="module")
def server(graph, tmp_path_factory):
    """crn under uvicorn on 127.0.0.1 (the browser needs a real server)."""
    with running_crn(log_path=tmp_path_factory.mktemp("browser") / "server.log") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def chromium():
    from tests.web.conftest import CHROME_ARGS, CHROMIUM

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (installs Debian's chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield browser
        browser.close()


def test_the_ui_works_under_the_csp_and_keeps_the_token_out_of_reach(clean_db, server, chromium):
    auth.create_user("ui@b.io", "Ui Person", PASSWORD, "admin")
    token = tokens.create_token("ui@b.io", "browser")
    company = records.create_record("Company", {"name": "Acme Browser"}, None).record
    from crn.schema.base import encode_id

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script("""window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    page = context.new_page()
    page.set_default_timeout(30_000)
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    page.goto(f"{server}/#/company/{encode_id('Company', company['uid'])}/influence")
    page.wait_for_selector("[data-testid=login]")
    page.click("[data-testid=login] summary")
    page.fill("[data-testid=login-token]", token)
    page.click("#token-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#view').dataset.ready === '1'")
    assert page.inner_text("[data-testid=current-user]") == "Ui Person"
    page.wait_for_selector(".legend-body .legend-row")
    broker = page.evaluate("""() => { const s = [...document.querySelectorAll('.legend-body .swatch')]
        .find((e) => e.style.borderStyle === 'double'); return s ? getComputedStyle(s).borderTopStyle : null; }""")
    assert broker == "double"  # legend swatches styled without style="" markup

    storage = page.evaluate("() => JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})")
    assert token not in storage and token.split("_", 2)[2] not in storage
    assert "crn_session" not in page.evaluate("() => document.cookie")  # HttpOnly
    violations = page.evaluate("() => window.__csp")
    assert violations == [] and not [m for m in console if "Content Security Policy" in m], (violations, console)

    page.click("[data-testid=signout]")  # the browser's own POST passes the same-origin rule
    page.wait_for_selector("[data-testid=login]")
    assert httpx.get(f"{server}/auth/me", cookies={c["name"]: c["value"] for c in context.cookies()}).status_code == 401
    context.close()


def test_only_the_development_graphiql_page_gets_a_looser_policy(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_DEV", "1")
    client = TestClient(create_app())
    ide = client.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200 and "frame-ancestors 'none'" in ide.headers["content-security-policy"]
    api = client.post("/graphql", json={"query": "{ __typename }"})
    assert "'unsafe-inline'" not in api.headers["content-security-policy"]
    monkeypatch.setenv("CRN_DEV", "0")
    page = TestClient(create_app()).get("/graphql", headers={"Accept": "text/html"})
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
