"""Attacks found by the review of the merged security work (issue 10), each on a code path the first round
of tests did not cover: parallel password guessing, IPv6 address rotation, and the UI's other views under
the CSP.

Every test here failed on main before the fix next to it.
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.testclient import TestClient

from crn import auth
from crn.app import create_app

PASSWORD = "longenough"


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
    responses = asyncio.run(_storm(app, [{"email": "target@test.io", "password": f"guess-{i}"} for i in range(30)]))
    codes = [r.status_code for r in responses]
    assert codes.count(401) == 5, codes
    assert codes.count(429) == 25, codes
    assert all(r.headers.get("Retry-After") for r in responses if r.status_code == 429)


def test_parallel_guesses_from_one_address_are_held_to_the_address_budget(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "1000")
    monkeypatch.setenv("CRN_LOGIN_ADDRESS_FAILURES", "4")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    app = create_app()
    responses = asyncio.run(_storm(app, [{"email": f"u{i}@test.io", "password": "Winter2026!"} for i in range(20)]))
    codes = [r.status_code for r in responses]
    assert codes.count(401) == 4 and codes.count(429) == 16, codes


def test_a_right_password_among_parallel_guesses_still_signs_in_and_resets_the_account(clean_db, monkeypatch):
    monkeypatch.setenv("CRN_LOGIN_ACCOUNT_FAILURES", "3")
    monkeypatch.setenv("CRN_LOGIN_BACKOFF_SECONDS", "60")
    auth.create_user("owner@test.io", "O", PASSWORD)
    app = create_app()
    responses = asyncio.run(_storm(app, [{"email": "owner@test.io", "password": PASSWORD},
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
        return asyncio.run(_storm(app, [{"email": f"v{n}@test.io", "password": "Winter2026!"}], address))[0].status_code

    assert [guess(f"2001:db8:7:7::{n + 1:x}", n) for n in range(3)] == [401] * 3  # at the limit
    assert guess("2001:db8:7:7:ffff:1:2:3", 3) == 429  # one past, from another address of the same /64
    assert guess("2001:db8:7:8::1", 4) == 401  # the next /64 is someone else
    assert guess("::ffff:198.51.100.4", 5) == 401  # an IPv4-mapped client counts as its IPv4 address
