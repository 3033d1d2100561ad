"""Attacks on logins: password-less accounts, guessing, oversized and parallel login requests, sessions
that outlive a change of password or role, and tokens that never expire.

Every test here fails on the main branch before the login hardening and passes after it.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from crn import auth
from crn.app import create_app
from crn.auth import tokens, users
from crn.cli import app as cli
from crn.schema.base import encode_id
from tests.schema.conftest import Api

PASSWORD = "longenough"
SAME_ORIGIN = {"Origin": "http://testserver"}
runner = CliRunner()


def _login(client: TestClient, email: str, password: str = PASSWORD):
    return client.post("/auth/login", json={"email": email, "password": password})


def _signed_in(email: str, role: str = "manager", password: str = PASSWORD) -> TestClient:
    """A browser-like client with a live session cookie for a new user."""
    auth.create_user(email, email.split("@")[0].title(), password, role)
    client = TestClient(create_app())
    assert _login(client, email, password).status_code == 200
    assert client.get("/auth/me").status_code == 200
    return client


# ---- accounts without a password --------------------------------------------------------------------

def test_demo_staff_cannot_log_in_until_given_a_password(clean_db, tmp_path):
    """The demo creates its staff (an admin among them) without a password; the timing dummy's password
    used to open every one of them."""
    from crn.demo import loader

    loader.load("small", seed=7, answers_path=tmp_path / "answers.json")
    auth.create_user("sec-admin@test.io", "Sec", PASSWORD, "admin")
    admin = Api(TestClient(create_app()), tokens.create_token("sec-admin@test.io"))
    staff = [e["node"] for e in admin.data("{ users(first: 100) { edges { node { email role } } } }")
             ["users"]["edges"] if e["node"]["email"].endswith("@crn-demo.example")]
    assert staff and any(u["role"] == "admin" for u in staff)
    client = TestClient(create_app())
    for user in staff:
        for guess in ("crn-dummy-password", "", PASSWORD):
            assert auth.authenticate(user["email"], guess) is None
        response = _login(client, user["email"], "crn-dummy-password")
        assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_credentials"

    demo_admin = next(u["email"] for u in staff if u["role"] == "admin")
    given = runner.invoke(cli, ["users", "set-password", "--email", demo_admin, "--password-stdin"],
                          input="a-real-password\n")
    assert given.exit_code == 0, given.output
    assert _login(client, demo_admin, "a-real-password").status_code == 200
    assert _login(TestClient(create_app()), demo_admin, "crn-dummy-password").status_code == 401


def test_set_password_cli_prompts_without_echo_and_checks_strength(clean_db):
    auth.create_user("p@test.io", "P", PASSWORD)
    prompted = runner.invoke(cli, ["users", "set-password", "--email", "p@test.io"],
                             input="brand-new-pass\nbrand-new-pass\n")
    assert prompted.exit_code == 0, prompted.output
    assert "brand-new-pass" not in prompted.output
    assert auth.authenticate("p@test.io", "brand-new-pass") is not None
    assert auth.authenticate("p@test.io", PASSWORD) is None
    weak = runner.invoke(cli, ["users", "set-password", "--email", "p@test.io", "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "at least 8 characters" in weak.output
    unknown = runner.invoke(cli, ["users", "set-password", "--email", "nobody@test.io", "--password-stdin"],
                            input="long-enough-1\n")
    assert unknown.exit_code == 1 and "no user" in unknown.output


# ---- changing your own password over the API ---------------------------------------------------------

PASSWORD_CHANGE = """
mutation($current: String!, $new: String!) {
  passwordChange(currentPassword: $current, newPassword: $new) {
    __typename
    ... on PasswordChangeError { errors { code field message } }
  }
}
"""


def _change(client: TestClient, current: str, new: str, **headers) -> dict:
    response = client.post("/graphql", json={"query": PASSWORD_CHANGE, "variables": {"current": current, "new": new}},
                           headers={**SAME_ORIGIN, **headers})
    assert response.status_code == 200, response.text
    return response.json()["data"]["passwordChange"]


def test_password_change_needs_the_current_password_and_ends_every_session(clean_db):
    me = _signed_in("me@test.io")
    other_device = TestClient(create_app())
    assert _login(other_device, "me@test.io").status_code == 200

    wrong = _change(me, "not-my-password", "another-password")
    assert wrong["__typename"] == "PasswordChangeError"
    assert wrong["errors"][0]["code"] == "wrong_password" and wrong["errors"][0]["field"] == "currentPassword"
    weak = _change(me, PASSWORD, "short")
    assert weak["errors"][0]["code"] == "weak_password" and weak["errors"][0]["field"] == "newPassword"
    same = _change(me, PASSWORD, PASSWORD)
    assert same["errors"][0]["code"] == "same_password"
    assert auth.authenticate("me@test.io", PASSWORD) is not None  # nothing changed yet

    assert _change(me, PASSWORD, "another-password") == {"__typename": "PasswordChangeSuccess"}
    assert me.get("/auth/me").status_code == 401
    assert other_device.get("/auth/me").status_code == 401
    assert auth.authenticate("me@test.io", PASSWORD) is None
    assert auth.authenticate("me@test.io", "another-password") is not None


def test_password_change_cannot_be_used_to_guess_the_current_password(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    auth.create_user("g@test.io", "G", PASSWORD)
    api = Api(TestClient(create_app()), tokens.create_token("g@test.io"))
    for attempt in range(3):  # at the limit: still told it is wrong
        result = api.data(PASSWORD_CHANGE, {"current": f"guess-{attempt}", "new": "another-password"})
        assert result["passwordChange"]["errors"][0]["code"] == "wrong_password"
    result = api.data(PASSWORD_CHANGE, {"current": PASSWORD, "new": "another-password"})
    assert result["passwordChange"]["errors"][0]["code"] == "too_many_attempts"  # even the right one waits
    assert auth.authenticate("g@test.io", PASSWORD) is not None


def test_a_password_less_user_with_a_token_is_told_to_get_a_password(clean_db, tmp_path):
    from crn.demo import loader

    loader.load("small", seed=7, answers_path=tmp_path / "answers.json")
    token = tokens.create_token(_demo_emails()[0])
    api = Api(TestClient(create_app()), token)
    result = api.data(PASSWORD_CHANGE, {"current": "crn-dummy-password", "new": "another-password"})
    assert result["passwordChange"]["errors"][0]["code"] == "no_password"


def _demo_emails() -> list[str]:
    from crn.graph import db

    rows = db.read("MATCH (u:User) WHERE u.email ENDS WITH '@crn-demo.example' RETURN u.email AS email ORDER BY email")
    return [row["email"] for row in rows]


# ---- /auth/login: throttling, body cap, argon2 limit, logging --------------------------------------

def test_login_is_throttled_per_account_with_retry_after(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "30")
    auth.create_user("victim@test.io", "V", PASSWORD)
    auth.create_user("bystander@test.io", "B", PASSWORD)
    client = TestClient(create_app())
    for attempt in range(3):  # at the limit: plain 401s
        response = _login(client, "victim@test.io", f"guess-{attempt}")
        assert response.status_code == 401, response.text
    refused = _login(client, "Victim@test.io ", PASSWORD)  # one past: refused even with the right password
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_attempts"
    assert 29 <= int(refused.headers["Retry-After"]) <= 30
    assert _login(client, "bystander@test.io").status_code == 200  # other accounts are not locked out


def test_successful_login_resets_the_account_count(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "30")
    auth.create_user("r@test.io", "R", PASSWORD)
    client = TestClient(create_app())
    for _ in range(2):
        assert _login(client, "r@test.io", "wrong-one").status_code == 401
    assert _login(client, "r@test.io").status_code == 200
    for _ in range(3):
        assert _login(client, "r@test.io", "wrong-one").status_code == 401
    assert _login(client, "r@test.io", "wrong-one").status_code == 429


def test_login_is_throttled_per_client_address(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "4")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "20")
    auth.create_user("a@test.io", "A", PASSWORD)
    client = TestClient(create_app())
    for n in range(4):  # spraying one password over many accounts, at the limit
        assert _login(client, f"user{n}@test.io", "Winter2026!").status_code == 401
    refused = _login(client, "a@test.io")
    assert refused.status_code == 429 and 19 <= int(refused.headers["Retry-After"]) <= 20
    bad_tokens = client.post("/auth/login", json={"token": "crn_abc_def"})
    assert bad_tokens.status_code == 429  # token guesses come from the same address budget


def test_backoff_doubles_per_failure_up_to_the_cap():
    from crn.auth.throttle import Throttle

    now = [1000.0]
    throttle = Throttle(free_failures=2, base_seconds=1, max_seconds=8, clock=lambda: now[0])
    waits = []
    for _ in range(7):
        throttle.fail("k")
        waits.append(throttle.retry_after("k"))
    assert waits == [0.0, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    now[0] += 8.0
    assert throttle.retry_after("k") == 0.0
    now[0] += 0.1  # quiet for longer than the cap: the count starts again
    throttle.fail("k")
    assert throttle.retry_after("k") == 0.0


def test_login_body_is_capped_at_the_limit(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_MAX_BODY_BYTES", "4096")
    client = TestClient(create_app())
    base = b'{"email": "x@test.io", "password": "wrong-password"}'
    at_limit = base[:-1] + b" " * (4096 - len(base)) + b"}"
    assert len(at_limit) == 4096
    response = client.post("/auth/login", content=at_limit, headers={"Content-Type": "application/json"})
    assert response.status_code == 401  # parsed and checked
    over = base[:-1] + b" " * (4097 - len(base)) + b"}"
    response = client.post("/auth/login", content=over, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length: the cap holds while the body streams
        for _ in range(1000):
            yield b" " * 1024

    streamed = client.post("/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


def test_a_large_content_length_is_refused_before_reading_the_body(clean_db):
    app = create_app()
    reads = []

    async def receive():  # a client that would send its gigabyte slowly (here: 1000 small chunks, then stop)
        reads.append(1)
        return {"type": "http.request", "body": b" ", "more_body": len(reads) < 1000}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/auth/login", "raw_path": b"/auth/login", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"content-length", b"1000000000")],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert reads == []


def test_argon2_verifications_are_bounded(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_CONCURRENCY", "2")
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "100")
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "100")
    auth.create_user("c@test.io", "C", PASSWORD)
    app = create_app()
    guard = next(r for r in app.routes if getattr(r, "path", "") == "/auth/login").endpoint.__self__

    async def storm():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(client.post("/auth/login", json={"email": "c@test.io", "password": f"p{i}"})
                                          for i in range(8)))

    responses = asyncio.run(storm())
    assert [r.status_code for r in responses] == [401] * 8
    assert guard.peak == 2  # eight at once, never more than two argon2 checks running


def test_failed_logins_are_logged_without_the_password(clean_db, caplog):
    auth.create_user("l@test.io", "L", PASSWORD)
    client = TestClient(create_app())
    with caplog.at_level(logging.INFO, logger="crn.auth"):
        assert _login(client, "l@test.io", "s3cret-guess").status_code == 401
        assert _login(client, "l@test.io").status_code == 200
    failed = [r for r in caplog.records if r.name == "crn.auth"]
    assert len(failed) == 1
    text = failed[0].getMessage()
    assert "l@test.io" in text and "testclient" in text  # who was tried, from where
    assert all("s3cret-guess" not in r.getMessage() and PASSWORD not in r.getMessage() for r in caplog.records)


# ---- sessions -------------------------------------------------------------------------------------------

def _me(client) -> tuple[float, int, float]:
    """GET /auth/me: (monotonic time before, status, monotonic time after).

    The session tests reason with these bounds instead of fixed sleeps, so a slow machine cannot turn a
    request sent in time into a late one: the server looked at the session somewhere between the two.
    """
    before = time.monotonic()
    status = client.get("/auth/me").status_code
    return before, status, time.monotonic()


def test_an_idle_session_ends(clean_db, monkeypatch):
    idle = 3.0
    monkeypatch.setenv("CRN_SESSION_IDLE_SECONDS", str(idle))
    signing_in = time.monotonic()  # the session was last seen no earlier than this
    client = _signed_in("idle@test.io")
    time.sleep(idle * 0.6)
    _, status, first_end = _me(client)
    if first_end - signing_in < idle:
        assert status == 200  # used within the idle time: stays (and is touched)
    time.sleep(idle * 0.6)
    _, status, second_end = _me(client)
    if second_end - first_end < idle:
        assert status == 200  # 1.2 idle times after login, 0.6 after its last use: touching kept it
    time.sleep(idle + 0.3)
    third_start, status, _ = _me(client)
    assert third_start - second_end > idle and status == 401


def test_an_idle_session_is_kept_alive_by_use(clean_db, monkeypatch):
    """Requests closer together than the idle time keep a session well past it."""
    idle = 3.0
    monkeypatch.setenv("CRN_SESSION_IDLE_SECONDS", str(idle))
    signing_in = time.monotonic()
    client = _signed_in("alive@test.io")
    last_end, answered_late = time.monotonic(), 0
    while time.monotonic() - signing_in < idle * 2.5:
        time.sleep(idle * 0.3)
        _, status, end = _me(client)
        if end - last_end < idle:  # touched at most `idle` before the server looked
            assert status == 200, "a session in use ended"
            answered_late += end - signing_in > idle
        last_end = end
    assert answered_late >= 1, "never asked past the idle time: the machine was too slow for this test"


def test_a_session_ends_at_its_absolute_age_however_busy(clean_db, monkeypatch):
    age = 4.0
    monkeypatch.setenv("CRN_SESSION_MAX_SECONDS", str(age))
    signing_in = time.monotonic()  # the session is younger than time.monotonic() - signing_in
    client = _signed_in("busy@test.io")
    signed_in = time.monotonic()  # ... and at least time.monotonic() - signed_in old
    answered = 0
    while time.monotonic() - signing_in < age * 0.7:
        _, status, end = _me(client)
        if end - signing_in < age:
            assert status == 200
            answered += 1
        time.sleep(0.3)
    assert answered >= 1, "the machine was too slow to ask even once within the session's age"
    time.sleep(max(0.0, signed_in + age + 0.3 - time.monotonic()))
    start, status, _ = _me(client)
    assert start - signed_in > age and status == 401  # busy all along, ended anyway


def test_sessions_end_when_the_password_is_set(clean_db):
    client = _signed_in("s@test.io")
    auth.set_password("s@test.io", "a-new-password")
    assert client.get("/auth/me").status_code == 401


def test_sessions_and_cached_tokens_end_when_an_admin_changes_the_role(admin_api, monkeypatch):
    monkeypatch.setenv("CRN_TOKEN_CACHE_SECONDS", "300")  # the web server remembers verified tokens
    browser = _signed_in("m@test.io", "manager")
    api = Api(TestClient(create_app()), tokens.create_token("m@test.io"))
    created = api.data('mutation { companyCreate(input: {name: "Before"}) { __typename } }')
    assert created["companyCreate"]["__typename"] == "CompanyCreateSuccess"  # token now remembered

    uid = users.get_user("m@test.io").uid
    changed = admin_api.data('mutation($id: ID!) { userUpdate(id: $id, input: {role: "viewer"}) { __typename } }',
                             {"id": encode_id("User", uid)})
    assert changed["userUpdate"]["__typename"] == "UserUpdateSuccess"
    assert browser.get("/auth/me").status_code == 401
    refused = api.gql('mutation { companyCreate(input: {name: "After"}) { __typename } }')
    assert refused["errors"][0]["extensions"]["code"] == "forbidden"  # the token acts as a viewer at once


def test_sessions_and_cached_tokens_end_when_a_user_is_deactivated(admin_api, monkeypatch):
    monkeypatch.setenv("CRN_TOKEN_CACHE_SECONDS", "300")
    browser = _signed_in("d@test.io", "manager")
    api = Api(TestClient(create_app()), tokens.create_token("d@test.io"))
    assert api.data("{ me { email } }") == {"me": {"email": "d@test.io"}}
    uid = users.get_user("d@test.io").uid
    admin_api.data('mutation($id: ID!) { userUpdate(id: $id, input: {active: false}) { __typename } }',
                   {"id": encode_id("User", uid)})
    assert browser.get("/auth/me").status_code == 401
    assert api.post("{ me { email } }").status_code == 401


def test_a_name_change_keeps_sessions(admin_api):
    browser = _signed_in("n@test.io", "manager")
    uid = users.get_user("n@test.io").uid
    admin_api.data('mutation($id: ID!) { userUpdate(id: $id, input: {name: "New Name"}) { __typename } }',
                   {"id": encode_id("User", uid)})
    assert browser.get("/auth/me").json()["user"]["name"] == "New Name"


# ---- tokens ---------------------------------------------------------------------------------------------

def _expire(token_id: str, seconds_from_now: int) -> None:
    from crn.graph import db

    db.write("MATCH (t:ApiToken {token_id: $id}) SET t.expires_at = datetime() + duration({seconds: $s})",
             id=token_id, s=seconds_from_now)


def test_tokens_expire(clean_db):
    auth.create_user("t@test.io", "T", PASSWORD)
    token = tokens.create_token("t@test.io", "ci", expires_days=1)
    assert tokens.user_for_token(token) is not None
    token_id = tokens.token_id_of(token)
    _expire(token_id, 5)
    assert tokens.user_for_token(token) is not None  # just before its expiry
    _expire(token_id, -1)
    assert tokens.user_for_token(token) is None
    assert tokens.cached_user_for_token(token, 300) is None
    listed = runner.invoke(cli, ["tokens", "list", "--email", "t@test.io"])
    assert "expired" in listed.output


def test_token_expiry_from_the_cli_at_its_edges(clean_db):
    auth.create_user("e@test.io", "E", PASSWORD)
    one = runner.invoke(cli, ["tokens", "create", "--email", "e@test.io", "--name", "short", "--expires-days", "1"])
    assert one.exit_code == 0, one.output
    token = one.stdout.strip().splitlines()[-1]
    row = next(r for r in tokens.list_tokens("e@test.io") if r["name"] == "short")
    assert row["expires_at"] is not None and tokens.user_for_token(token) is not None
    zero = runner.invoke(cli, ["tokens", "create", "--email", "e@test.io", "--expires-days", "0"])
    assert zero.exit_code != 0
    with pytest.raises(auth.AuthError):
        tokens.create_token("e@test.io", expires_days=0)


def test_token_last_use_is_recorded_at_most_once_a_minute_and_listed(clean_db):
    auth.create_user("u@test.io", "U", PASSWORD)
    token = tokens.create_token("u@test.io", "laptop")
    assert tokens.list_tokens("u@test.io")[0]["last_used_at"] is None
    api = Api(TestClient(create_app()), token)
    api.data("{ me { email } }")
    first = tokens.list_tokens("u@test.io")[0]["last_used_at"]
    assert first is not None
    api.data("{ me { email } }")
    assert tokens.list_tokens("u@test.io")[0]["last_used_at"] == first  # no write per request
    listed = runner.invoke(cli, ["tokens", "list", "--email", "u@test.io"])
    assert "laptop" in listed.output and first[:16] in listed.output and "never" in listed.output


MY_TOKENS = "{ myTokens { tokenId name createdAt expiresAt lastUsedAt revoked expired } }"


def test_my_tokens_lists_only_my_own_and_no_secrets(clean_db):
    auth.create_user("own@test.io", "Own", PASSWORD)
    auth.create_user("else@test.io", "Else", PASSWORD)
    mine = tokens.create_token("own@test.io", "mine", expires_days=30)
    tokens.create_token("else@test.io", "theirs")
    api = Api(TestClient(create_app()), mine)
    body = api.post(MY_TOKENS).text
    listed = api.data(MY_TOKENS)["myTokens"]
    assert [t["name"] for t in listed] == ["mine"]
    assert listed[0]["tokenId"] == tokens.token_id_of(mine) and listed[0]["expiresAt"] and not listed[0]["expired"]
    assert mine.split("_", 2)[2] not in body
    refused = api.post("{ myTokens { hash } }").json()
    assert "Cannot query field 'hash'" in refused["errors"][0]["message"]


def test_a_token_exchanged_for_a_browser_session_ends_with_the_token(clean_db):
    auth.create_user("x@test.io", "X", PASSWORD)
    token = tokens.create_token("x@test.io", "ui")
    client = TestClient(create_app())
    response = client.post("/auth/login", json={"token": token})
    assert response.status_code == 200 and "HttpOnly" in response.headers["set-cookie"]
    assert token not in response.text
    assert client.get("/auth/me").json()["user"]["email"] == "x@test.io"
    tokens.revoke_token(token)
    assert client.get("/auth/me").status_code == 401
    assert client.post("/auth/login", json={"token": token}).json()["error"]["code"] == "invalid_token"
