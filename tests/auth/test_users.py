"""crn.auth.users: creation, argon2 hashing, authentication, ensure_admin."""

import pytest

from crn import auth
from crn.auth.users import ADMIN_EMAIL


def test_create_user_hashes_password_and_authenticates(clean_db):
    user = auth.create_user("Ada@Example.com", "Ada", "correct horse", "manager")
    assert user.email == "ada@example.com" and user.role == "manager"
    stored = clean_db.read_one("MATCH (u:User {uid: $uid}) RETURN u.password_hash AS h", uid=user.uid)["h"]
    assert stored.startswith("$argon2") and "correct horse" not in stored
    assert auth.authenticate("ada@example.com", "correct horse") == user
    assert auth.authenticate("ada@example.com", "wrong password") is None
    assert auth.authenticate("nobody@example.com", "correct horse") is None


@pytest.mark.parametrize("email,name,password,role,code", [
    ("not-an-email", "A", "longenough", "viewer", "invalid_email"),
    ("a@b.io", "", "longenough", "viewer", "required"),
    ("a@b.io", "A", "short", "viewer", "weak_password"),
    ("a@b.io", "A", "longenough", "root", "invalid_role"),
])
def test_create_user_refuses_bad_input(clean_db, email, name, password, role, code):
    with pytest.raises(auth.AuthError) as info:
        auth.create_user(email, name, password, role)
    assert info.value.code == code
    assert clean_db.read_one("MATCH (u:User) RETURN count(u) AS n")["n"] == 0


def test_duplicate_email_is_refused(clean_db):
    auth.create_user("a@b.io", "A", "longenough")
    with pytest.raises(auth.AuthError) as info:
        auth.create_user("A@B.io", "A2", "longenough")
    assert info.value.code == "duplicate_email"


def test_ensure_admin_is_idempotent(clean_db):
    user, generated = auth.ensure_admin()
    assert user.email == ADMIN_EMAIL and user.role == "admin" and generated
    assert auth.authenticate(ADMIN_EMAIL, generated) == user
    again, generated_again = auth.ensure_admin()
    assert again == user and generated_again is None
    assert clean_db.read_one("MATCH (u:User) RETURN count(u) AS n")["n"] == 1


def test_ensure_admin_uses_given_password(clean_db):
    user, generated = auth.ensure_admin("from-the-env-123")
    assert generated is None
    assert auth.authenticate(ADMIN_EMAIL, "from-the-env-123") == user
