"""crn.auth.sessions: hashed browser sessions that expire."""

from crn import auth


def test_session_round_trip(clean_db):
    user = auth.create_user("s@x.io", "S", "longenough")
    session_id = auth.create_session(user, ttl_seconds=3600)
    assert auth.user_for_session(session_id, idle_seconds=3600, max_seconds=3600) == user
    stored = clean_db.read_one("MATCH (s:Session) RETURN s.hash AS h")["h"]
    assert stored != session_id
    auth.end_session(session_id)
    assert auth.user_for_session(session_id, idle_seconds=3600, max_seconds=3600) is None


def test_expired_session_is_refused(clean_db):
    user = auth.create_user("s@x.io", "S", "longenough")
    session_id = auth.create_session(user, ttl_seconds=-1)
    assert auth.user_for_session(session_id, idle_seconds=3600, max_seconds=3600) is None
