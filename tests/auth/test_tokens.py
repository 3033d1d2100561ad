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


def test_cached_token_is_remembered_until_revoked_here(clean_db):
    from crn.auth import tokens
    from crn.graph import db

    user = auth.create_user("c@x.io", "C", "longenough", "viewer")
    token = auth.create_token("c@x.io", "cache")
    assert tokens.remembered_user(token) is None
    assert tokens.cached_user_for_token(token, ttl=60) == user
    before = db.total_round_trips()
    assert tokens.cached_user_for_token(token, ttl=60) == user and tokens.remembered_user(token) == user
    assert db.total_round_trips() == before  # answered from memory
    assert tokens.cached_user_for_token("crn_nope_nope", ttl=60) is None  # misses are not remembered
    assert auth.revoke_token(token) == 1
    assert tokens.remembered_user(token) is None
    assert tokens.cached_user_for_token(token, ttl=60) is None
