"""Attacks found by the review of the merged security work (issue 10), each on a code path the first round
of tests did not cover: parallel password guessing, IPv6 address rotation, and the UI's other views under
the CSP.

Every test here failed on main before the fix next to it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import httpx
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from tests.security.test_browser import chromium, server  # noqa: F401 (fixtures)

PASSWORD = "longenough"


def _run(coro):
    """asyncio.run on a thread of its own (Playwright's sync API keeps a loop running on this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _guard(app):
    return next(r for r in app.routes if getattr(r, "path", "") == "/auth/login").endpoint.__self__


async def _storm(app, bodies: list[dict], client_address: str = "203.0.113.9") -> list[httpx.Response]:
    """Every body POSTed to /auth/login at once, from one client address."""
    transport = httpx.ASGITransport(app=app, client=(client_address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await asyncio.gather(*(client.post("/auth/login", json=body) for body in bodies))


# ---- logins: guesses sent in parallel --------------------------------------------------------------

def test_parallel_guesses_get_no_more_tries_than_sequential_ones(clean_db, monkeypatch):
    """30 guesses sent at once all passed the throttle check before the first one failed (the check ran
    before the argon2 queue, the count after it): 30 guesses instead of 5. At the limit (5) a guess gets
    its answer; every one past it is refused 429 without a password check."""
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "5")
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "1000")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    auth.create_user("target@test.io", "T", PASSWORD)
    app = create_app()
    responses = _run(_storm(app, [{"email": "target@test.io", "password": f"guess-{i}"} for i in range(30)]))
    codes = [r.status_code for r in responses]
    assert codes.count(401) == 5, codes
    assert codes.count(429) == 25, codes
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 429)


def test_parallel_guesses_from_one_address_are_held_to_the_address_budget(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "1000")
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "4")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    app = create_app()
    responses = _run(_storm(app, [{"email": f"u{i}@test.io", "password": "Winter2026!"} for i in range(20)]))
    codes = [r.status_code for r in responses]
    assert codes.count(401) == 4 and codes.count(429) == 16, codes


def test_a_right_password_among_parallel_guesses_still_signs_in_and_resets_the_account(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    auth.create_user("owner@test.io", "O", PASSWORD)
    app = create_app()
    responses = _run(_storm(app, [{"email": "owner@test.io", "password": PASSWORD},
                                         {"email": "owner@test.io", "password": "wrong-one"}]))
    assert [r.status_code for r in responses] == [200, 401]
    guard = _guard(app)
    assert guard.accounts.retry_after("owner@test.io") == 0
    # the success gave its reserved address attempt back: only the one wrong guess counts
    assert guard.addresses._failures["203.0.113.9"][0] == 1


# ---- logins: an attacker rotating through IPv6 addresses --------------------------------------------

def test_ipv6_clients_are_throttled_per_64_network(clean_db, monkeypatch):
    """An IPv6 client usually holds a whole /64: a fresh address per guess escaped the address throttle."""
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "1000")
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    app = create_app()

    def guess(address: str, n: int) -> int:
        return _run(_storm(app, [{"email": f"v{n}@test.io", "password": "Winter2026!"}], address))[0].status_code

    assert [guess(f"2001:db8:7:7::{n + 1:x}", n) for n in range(3)] == [401] * 3  # at the limit
    assert guess("2001:db8:7:7:ffff:1:2:3", 3) == 429  # one past, from another address of the same /64
    assert guess("2001:db8:7:8::1", 4) == 401  # the next /64 is someone else
    assert guess("::ffff:198.51.100.4", 5) == 401  # an IPv4-mapped client counts as its IPv4 address


# ---- the CSP on every view of the UI ----------------------------------------------------------------

def test_every_view_of_the_ui_renders_under_the_csp(clean_db, server, chromium):
    """The first CSP test opened one view (influence); each view builds its own markup and canvas styles."""
    from crn.graph import db
    from tests.schema.conftest import make_account

    ids = make_account(db, prefix="csp")
    auth.create_user("csp@b.io", "Csp Admin", PASSWORD, "admin")
    views = ["#/", f"#/company/{ids['company']}", f"#/company/{ids['company']}/family",
             f"#/company/{ids['company']}/org", f"#/company/{ids['company']}/influence", f"#/deal/{ids['deal']}",
             f"#/person/{ids['person']}", f"#/paths/{ids['person']}", "#/no/such/view"]
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script("""window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    page = context.new_page()
    page.set_default_timeout(30_000)
    console, errors = [], []
    page.on("console", lambda msg: console.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/#/login")
    page.wait_for_selector("[data-testid=login]")
    page.fill("[data-testid=login-email]", "csp@b.io")
    page.fill("[data-testid=login-password]", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=current-user]")
    seen = {}
    for hash_ in views:
        page.goto(f"{server}/{hash_}")
        try:
            page.wait_for_function("() => { const v = document.querySelector('#view'); return v.dataset.hash === location.hash"
                               " && (v.dataset.ready === '1' || ['notfound', 'home'].includes(v.dataset.view) || !!v.querySelector('.error')); }", timeout=8000)
        except Exception:
            raise AssertionError((hash_, page.evaluate("() => [location.hash, JSON.stringify(document.querySelector('#view').dataset), document.querySelector('#view').innerText.slice(0, 300)]"), errors, console))
        page.wait_for_timeout(300)  # late canvas styling
        seen[hash_] = page.evaluate("() => [document.querySelector('#view').dataset.view, !!document.querySelector('#view .error')]")
    violations = page.evaluate("() => window.__csp")
    assert violations == [] and not [m for m in console if "Content Security Policy" in m], (violations, console, seen)
    assert errors == [], errors
    assert [view for view, _ in seen.values()] == ["home", "account", "family", "org", "influence", "committee",
                                                   "person", "paths", "notfound"], seen
    assert [hash_ for hash_, (_, failed) in seen.items() if failed] == ["#/no/such/view"], seen  # each view rendered
    context.close()


# ---- password change: guesses of the current password sent in parallel -----------------------------

PASSWORD_CHANGE = """mutation($current: String!, $new: String!) {
  passwordChange(currentPassword: $current, newPassword: $new) { ... on PasswordChangeError { errors { code } } } }"""


def test_parallel_password_changes_get_no_more_guesses_than_sequential_ones(clean_db, monkeypatch):
    """Someone holding a user's token or session guesses the current password with passwordChange: the
    check ran before argon2 and the count after, so requests in parallel (4 per user run at once) all
    passed the check. At the limit (3) a guess is answered wrong_password; past it too_many_attempts."""
    from crn.auth import tokens

    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    auth.create_user("pc@test.io", "Pc", PASSWORD)
    token = tokens.create_token("pc@test.io")
    app = create_app()

    async def storm():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver",
                                     headers={"Authorization": f"Bearer {token}"}) as client:
            return await asyncio.gather(*(client.post("/graphql", json={
                "query": PASSWORD_CHANGE, "variables": {"current": f"guess-{i}", "new": "another-password"}})
                for i in range(16)))

    codes = [r.json()["data"]["passwordChange"]["errors"][0]["code"] for r in _run(storm())]
    assert codes.count("wrong_password") == 3, codes
    assert codes.count("too_many_attempts") == 13, codes


# ---- credentials: every reader that hands out raw properties ----------------------------------------

SWEEP = [
    ("""query($u: ID!) { user(id: $u) { id uid name email role active accounts { role company { id } }
        knows { strength since origin person { id } } deals { id } tickets { id } } }""", {}),
    ("""{ users(first: 100) { edges { cursor properties node { id name email } } } }""", {}),
    ("""query($u: ID!) { neighbourhood(id: $u, depth: 3, limit: 1000) { nodes { id type label subtitle uid }
        edges { id source target type label properties } truncated } }""", {}),
    ("""query($c: ID!) { company(id: $c) { network(depth: 3, limit: 1000) { nodes { id type label subtitle uid }
        edges { type properties } } accountTeam { role user { id name email role } } } }""", {}),
    ("""{ search(text: "Sam", first: 50) { id uid type name detail score } }""", {}),
    ("""query($u: ID!, $c: ID!) { nodes(ids: [$u, $c]) { id ... on User { name email } } node(id: $u) { id } }""", {}),
    ("""{ ruleRuns(first: 100) { uid event subjectUid error chain } rules { id definition } automationVocabulary
        myTokens { name createdAt lastUsedAt expiresAt } me { id email } }""", {}),
    ("""query($c: ID!) { company(id: $c) { contacts(first: 100) { edges { properties node { id knownBy { user { id email } } } } } } }""", {}),
]


def test_no_graphql_reader_hands_out_a_credential(admin_api):
    """A user with a password, a token and a live session sits on an account: every reader of raw node or
    edge properties (JSON `properties`, the canvas, search, look-ahead views, rule runs) is swept for the
    stored hashes."""
    from crn.auth import tokens, users
    from crn.graph import db
    from crn.schema.base import encode_id
    from tests.schema.conftest import make_account

    ids = make_account(db, prefix="leak")
    users.set_password("leaksam@us.io", PASSWORD)
    tokens.create_token("leaksam@us.io", "sweep")
    assert TestClient(create_app()).post("/auth/login", json={"email": "leaksam@us.io", "password": PASSWORD}
                                         ).status_code == 200
    row = db.read_one("""MATCH (u:User {email: 'leaksam@us.io'}) OPTIONAL MATCH (t:ApiToken)-[:TOKEN_OF]->(u)
        OPTIONAL MATCH (s:Session)-[:SESSION_OF]->(u) RETURN u.password_hash AS p, t.hash AS t, s.hash AS s""")
    secrets = [v for v in row.values() if v]
    assert len(secrets) == 3, row
    variables = {"u": ids["user"], "c": ids["company"]}
    for query, _ in SWEEP:
        used = {k: v for k, v in variables.items() if f"${k}" in query}
        body = admin_api.post(query, used)
        assert body.status_code == 200, body.text
        assert "errors" not in body.json(), (query, body.json()["errors"])
        text = body.text
        assert not [s for s in secrets if s in text], query
        assert "password_hash" not in text and "argon2" not in text, query


# ---- search: text that makes the full-text index fail -----------------------------------------------

SEARCH = "query($t: String!) { search(text: $t, first: 10) { id } }"


def test_search_text_is_bounded_with_a_clear_error(admin_api):
    """Every word of a search is a prefix query: 1,500 words (3 KB) or one 10,000-character word made Lucene
    refuse the query, answered 'Unexpected error' (internal_error). Now: at most 16 words of at most 100
    characters, past that a `search_too_long` error naming the limit."""
    auth.create_user("alpha.searcher@test.io", "Alpha Searcher", PASSWORD)
    at_limit = admin_api.data(SEARCH, {"t": " ".join(["alpha"] + ["a"] * 15)})  # 16 words
    assert at_limit["search"] is not None
    assert admin_api.data(SEARCH, {"t": "alpha"})["search"]  # found
    assert admin_api.data(SEARCH, {"t": "x" * 100})["search"] == []  # a 100-character word: searched
    for text, says in ((" ".join(["a"] * 17), "17 words"), ("a " * 1500, "1500 words"),
                       ("x" * 101, "101 characters"), ("ab" * 5000, "10000 characters")):
        body = admin_api.gql(SEARCH, {"t": text})
        assert body["data"] is None
        error = body["errors"][0]
        assert error["extensions"]["code"] == "search_too_long", error
        assert says in error["message"], error


# ---- JSON nested past Python's recursion limit ------------------------------------------------------

def _nested(levels: int) -> str:
    """A /graphql body nesting ``levels`` levels in all: the body object, "variables", then the arrays of "r"."""
    arrays = levels - 2
    return ('{"query": "query($r: JSON!) { ruleDryRun(rule: $r) { note } }", "variables": {"r": '
            + "[" * arrays + "]" * arrays + "}}")


def test_deeply_nested_json_is_a_clear_400_not_a_crash(admin_api):
    """A 4 KB login body or a /graphql body of ``[[[[...`` raised RecursionError in json.loads: a 500 with a
    traceback per request, before signing in for /auth/login. Now 64 levels are read, 65 are a 400."""
    headers = {"Authorization": f"Bearer {admin_api.token}", "content-type": "application/json"}
    at_limit = admin_api.client.post("/graphql", content=_nested(64), headers=headers)
    assert at_limit.status_code == 200 and at_limit.json()["data"]["ruleDryRun"] is not None, at_limit.text
    for levels in (65, 2000, 100_000):
        refused = admin_api.client.post("/graphql", content=_nested(levels), headers=headers)
        assert refused.status_code == 400, (levels, refused.status_code)
        assert "nested" in refused.text and "64" in refused.text, refused.text
    over_get = admin_api.client.get("/graphql", params={"query": "query($r: JSON!) { ruleDryRun(rule: $r) { note } }",
                                                        "variables": '{"r": ' + "[" * 3000 + "]" * 3000 + "}"},
                                    headers={"Authorization": f"Bearer {admin_api.token}"})
    assert over_get.status_code == 400 and "nested" in over_get.text
    client = TestClient(create_app())
    login = client.post("/auth/login", content="[" * 2000 + "]" * 2000, headers={"content-type": "application/json"})
    assert login.status_code == 400 and login.json()["error"]["code"] == "bad_request"


# ---- supply chain: every way of running crn installs the locked packages -------------------------------

def test_every_install_command_in_the_repository_uses_the_lock():
    """`make` installed from requirements.lock, but docker-compose.yml ran `pip install .`: whatever the
    resolver picked that day, below the recorded advisory floors if an old wheel was cached."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [root / "Makefile", root / "docker-compose.yml", root / ".ci" / "run", *root.glob("Dockerfile*")]
    installs = []
    for path in files:
        if path.exists():
            installs += [(path.name, m.group(0)) for m in re.finditer(r"pip install[^&;\n\"]*", path.read_text())]
    crn_installs = [(name, cmd) for name, cmd in installs if "uv==" not in cmd]  # the lock tool itself is pinned
    assert crn_installs, "no install command found"
    for name, cmd in crn_installs:
        assert "-r requirements.lock" in cmd or "--no-deps" in cmd, (name, cmd)
    # docker compose builds crn from the Dockerfile (`build: .`): the image must install from the lock
    assert "build: ." in (root / "docker-compose.yml").read_text()
    assert any("-r requirements.lock" in cmd for name, cmd in crn_installs if name.startswith("Dockerfile"))


# ---- webhook URLs in rule definitions -----------------------------------------------------------------

RULE_READERS = """{ rules { id definition versions { definition } } rule(id: "hook") { definition } }"""


def test_webhook_urls_are_shown_to_admins_only(admin_api, manager_api, viewer_api):
    """Delivery errors were hidden from non-admins because they name URLs, but every role read the URL in
    the rule's definition: an incoming-webhook URL (Slack, Teams, a CI trigger) is itself the credential,
    in its path, query or user part. Non-admins now see the URL's scheme and host only."""
    from crn.automation import store

    url = "https://ops:hunter2@hooks.example.com:8443/services/T0/B0/s3cr3tPath?token=q5ecret#frag"
    _, errors = store.save_rule({"id": "hook", "name": "hook", "trigger": {"kind": "created", "label": "Company"},
                                 "actions": [{"type": "call_webhook", "params": {"url": url}},
                                             {"type": "create_task", "params": {"assignee": "a@b.io",
                                                                                 "title": "see /services/T0"}}]})
    assert errors == []
    # issue 13: a rule is visible to its author and to admins only; the manager here authors it (as an admin
    # demoted to manager would), the viewer sees nothing of it
    from crn import auth as _auth
    from crn.graph import db as _db

    _db.write("MATCH (r:Rule {id: 'hook'}) SET r.author = $uid", uid=_auth.get_user("manager@test.io").uid)
    admin = admin_api.data(RULE_READERS)
    assert admin["rule"]["definition"]["actions"][0]["params"]["url"] == url
    assert admin["rules"][0]["versions"][0]["definition"]["actions"][0]["params"]["url"] == url
    for api in (manager_api, viewer_api):
        text = api.post(RULE_READERS).text
        for secret in ("hunter2", "s3cr3tPath", "q5ecret", "services/T0/B0", "frag"):
            assert secret not in text, (secret, text)
    assert viewer_api.data(RULE_READERS)["rules"] == []
    for api in (manager_api,):
        seen = api.data(RULE_READERS)
        for definition in (seen["rule"]["definition"], seen["rules"][0]["definition"],
                           seen["rules"][0]["versions"][0]["definition"]):
            assert definition["actions"][0]["params"]["url"] == "https://hooks.example.com:8443/…"
            assert definition["actions"][1]["params"]["title"] == "see /services/T0"  # other actions untouched


# ---- numbers past the largest float ------------------------------------------------------------------

DRY_RUN = "query($r: JSON!) { ruleDryRun(rule: $r, sinceDays: %s) { note } }"


def test_an_infinite_argument_is_refused_with_a_code_not_a_crash(admin_api):
    """`sinceDays: 1e400` (a literal) or `Infinity` in the variables (Python's decoder accepts it) priced the
    query at infinity, and formatting the refusal raised OverflowError: an error without a code, naming
    Python's internals. Now the cost refusal names no number, and Infinity/NaN in a body are a 400."""
    rule = {"id": "r1"}
    body = admin_api.gql(DRY_RUN % "1e400", {"r": rule})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "query_too_expensive", error
    assert "more units than can be counted" in error["message"] and error["extensions"]["cost"] is None
    huge = admin_api.gql(DRY_RUN % "1e300", {"r": rule})["errors"][0]  # finite, but past 10^18: not shown either
    assert huge["extensions"]["code"] == "query_too_expensive" and huge["extensions"]["cost"] is None
    large = admin_api.gql(DRY_RUN % "1e12", {"r": rule})["errors"][0]  # 3 x 10^14: shown
    assert large["extensions"]["cost"] >= 300_000_000_000_000 and "300,000,000,000,0" in large["message"]
    for constant in ("Infinity", "NaN"):
        response = admin_api.client.post(
            "/graphql", content='{"query": "query($d: Float!) { ruleDryRun(rule: {}, sinceDays: $d) { note } }", '
                                '"variables": {"d": %s}}' % constant,
            headers={"Authorization": f"Bearer {admin_api.token}", "content-type": "application/json"})
        assert response.status_code == 400 and "not a JSON number" in response.text, response.text
