"""crn.auth.tokens: random tokens, stored as hashes, revocable."""

import pytest

from crn import auth


def test_token_round_trip_and_revoke(clean_db):
    user = auth.create_user("t@x.io", "T", "longenough", "viewer")
    token = auth.create_token("t@x.io", "ci")
    assert token.startswith("crn_")
    stored = clean_db.read_one("MATCH (t:ApiToken) RETURN properties(t) AS t")["t"]
    assert token.split("_", 2)[2] not in str(stored)
    assert auth.user_for_token(token) == user
    assert auth.user_for_token(token + "x") is None
    assert auth.user_for_token("garbage") is None
    assert auth.revoke_token(token) == 1
    assert auth.user_for_token(token) is None


def test_two_tokens_differ_and_revoke_by_name(clean_db):
    auth.create_user("t@x.io", "T", "longenough")
    a, b = auth.create_token("t@x.io", "a"), auth.create_token("t@x.io", "b")
    assert a != b
    assert auth.revoke_token(email="t@x.io", name="a") == 1
    assert auth.user_for_token(a) is None and auth.user_for_token(b) is not None
    assert [t["name"] for t in auth.list_tokens("t@x.io")] == ["a", "b"]


def test_token_for_unknown_user_is_refused(clean_db):
    with pytest.raises(auth.AuthError) as info:
        auth.create_token("ghost@x.io")
    assert info.value.code == "unknown_user"
