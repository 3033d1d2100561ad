"""The one-click unsubscribe page /u/<token> as an attacker sees it: forged, altered, expired and replayed
tokens; a cross-site POST carrying a signed-in admin's cookie; oversized bodies. Each test fails if the hole
it names reopens."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app
from crn.auth import sessions
from crn.crm import privacy
from crn.graph import db

ADDRESS = "una@unsub.test"


@pytest.fixture
def client(clean_db):
    db.write("CREATE (:Person {uid: 'p1', name: 'Una Sub', email: $a, consent_email: true, consent_sms: true})"
             "CREATE (:Person {uid: 'p2', name: 'Other One', email: 'other@unsub.test', consent_email: true})",
             a=ADDRESS)
    return TestClient(create_app())


def _token(uid: str = "p1", address: str = ADDRESS, **kw) -> str:
    key = privacy.address_hashes("email", [address])[address]
    return privacy.make_token("email", key, uid, kw.pop("days", 30), **kw)


def _state() -> list[dict]:
    """Every node's properties, sorted: what a request may or may not have changed."""
    rows = db.read("MATCH (n) WHERE NOT n:PrivacyKey RETURN labels(n)[0] AS label, properties(n) AS p")
    return sorted((json.dumps(r, sort_keys=True, default=str) for r in rows))


def _post(client, token: str, **headers):
    return client.post(f"/u/{token}", content=b"List-Unsubscribe=One-Click",
                       headers={"Content-Type": "application/x-www-form-urlencoded", **headers})


def test_the_token_names_no_address_and_get_changes_nothing(client):
    token = _token()
    payload = base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
    assert ADDRESS not in payload and "una" not in payload.lower()
    before = _state()
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and f'action="/u/{token}"' in page.text
    assert "<script" not in page.text and "style=" not in page.text and "<style" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert "退订" in page.text and "Unsubscribe" in page.text
    assert _state() == before  # mail scanners follow links: a GET never unsubscribes


def test_a_cross_site_post_with_an_admins_cookie_does_only_the_tokens_unsubscribe(client):
    admin = auth.create_user("admin@unsub.test", "Admin", "longenough", "admin")
    cookie = sessions.create_session(admin, ttl_seconds=3600)
    client.cookies.set(sessions.COOKIE_NAME, cookie)
    before = {r["uid"]: r for r in db.read("MATCH (p:Person) RETURN p.uid AS uid, properties(p) AS p")}
    answer = _post(client, _token(), Origin="https://evil.example", **{"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 200  # RFC 8058: mail clients POST from nowhere; the same-origin rule is not in the way
    after = {r["uid"]: r for r in db.read("MATCH (p:Person) RETURN p.uid AS uid, properties(p) AS p")}
    assert after["p2"] == before["p2"]
    changed = {k for k in after["p1"]["p"] if after["p1"]["p"].get(k) != before["p1"]["p"].get(k)}
    assert changed == {"consent_email", "consent_email_at", "consent_email_source", "updated_at", "updated_by"}
    assert after["p1"]["p"]["consent_email"] is False and after["p1"]["p"]["consent_sms"] is True
    assert after["p1"]["p"]["updated_by"] == "unsubscribe"  # not the admin whose cookie came along
    assert db.read("MATCH (s:Suppression) RETURN s.channel AS c, s.reason AS r") == [{"c": "email", "r": "unsubscribed"}]


def test_a_replayed_token_is_idempotent(client):
    token = _token()
    assert "You are unsubscribed" in _post(client, token).text
    state = _state()
    again = _post(client, token)
    assert again.status_code == 200 and "already unsubscribed" in again.text
    assert _state() == state


def _forge(token: str, **changes) -> str:
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{forged}.{signature}"


@pytest.mark.parametrize("make, code", [
    (lambda: _forge(_token(), p="p2"), "not issued by this server"),          # someone else's person
    (lambda: _forge(_token(), e=4102444800), "not issued by this server"),    # a later expiry
    (lambda: _token().split(".")[0] + "." + "A" * 43, "not issued by this server"),  # a guessed signature
    (lambda: "garbage", "incomplete or damaged"),
    (lambda: "a.b.c", "incomplete or damaged"),
    (lambda: _token(now=datetime.now(timezone.utc) - timedelta(days=40)), "has expired"),
])
def test_forged_altered_and_expired_tokens_get_a_400_page_and_change_nothing(client, make, code):
    before = _state()
    token = make()
    for answer in (client.get(f"/u/{token}"), _post(client, token)):
        assert answer.status_code == 400 and code in answer.text and "退订链接" in answer.text
        assert "<script" not in answer.text
    assert _state() == before


def test_a_token_signed_by_another_server_is_refused(client):
    token = _token()
    db.write("MATCH (k:PrivacyKey {name: 'unsubscribe'}) SET k.secret = $s", s="ab" * 32)  # a different server key
    assert _post(client, token).status_code == 400
    assert privacy.consent_of("p1")["email"]["granted"] is True


def test_an_oversized_body_is_refused_before_anything_changes(client):
    before = _state()
    answer = client.post(f"/u/{_token()}", content=b"x" * 5000,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413 and _state() == before


def test_the_secret_never_appears_in_pages_or_logs(client, caplog):
    token = _token()
    secret = db.read_one("MATCH (k:PrivacyKey {name: 'unsubscribe'}) RETURN k.secret AS s")["s"]
    with caplog.at_level("DEBUG"):
        pages = client.get(f"/u/{token}").text + _post(client, token).text + client.get("/u/garbage").text
    assert secret not in pages and secret not in caplog.text
