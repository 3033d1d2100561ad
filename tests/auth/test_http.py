"""crn.auth.http: /auth/login, /auth/logout, /auth/me and the 401 on /graphql."""

from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app


def test_login_me_logout(clean_db):
    auth.create_user("w@x.io", "Web", "longenough", "manager")
    client = TestClient(create_app())
    bad = client.post("/auth/login", json={"email": "w@x.io", "password": "nope-nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_credentials"
    assert client.get("/auth/me").status_code == 401
    ok = client.post("/auth/login", json={"email": "w@x.io", "password": "longenough"})
    assert ok.status_code == 200
    assert ok.json() == {"ok": True, "user": {"uid": ok.json()["user"]["uid"], "name": "Web", "email": "w@x.io",
                                              "role": "manager"}}
    cookie = ok.headers["set-cookie"]
    assert "crn_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie
    assert client.get("/auth/me").json()["user"]["email"] == "w@x.io"
    same_origin = {"Origin": "http://testserver"}  # a cookie-signed POST must come from crn's own pages
    assert client.post("/graphql", json={"query": "{ me { name role } }"}, headers=same_origin).json() == {
        "data": {"me": {"name": "Web", "role": "manager"}}}
    assert client.post("/auth/logout", headers=same_origin).status_code == 200
    assert client.get("/auth/me").status_code == 401


def test_secure_cookie_on_https(clean_db):
    auth.create_user("w@x.io", "Web", "longenough")
    client = TestClient(create_app(), base_url="https://testserver")
    ok = client.post("/auth/login", json={"email": "w@x.io", "password": "longenough"})
    assert "Secure" in ok.headers["set-cookie"]


def test_graphql_needs_token(clean_db):
    client = TestClient(create_app())
    response = client.post("/graphql", json={"query": "{ me { name } }"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    response = client.post("/graphql", json={"query": "{ me { name } }"}, headers={"Authorization": "Bearer crn_x_y"})
    assert response.status_code == 401
    auth.create_user("t@x.io", "Tok", "longenough")
    token = auth.create_token("t@x.io")
    response = client.post("/graphql", json={"query": "{ me { email } }"}, headers={"Authorization": f"Bearer {token}"})
    assert response.json() == {"data": {"me": {"email": "t@x.io"}}}


def test_login_needs_json(clean_db):
    client = TestClient(create_app())
    assert client.post("/auth/login", content=b"nope").status_code == 400
