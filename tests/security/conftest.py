"""Fixtures for the security suite: GraphQL clients of each role on an empty database.

Every test in this package is written as an attack on crn: it fails if the hole it names reopens.
"""

from __future__ import annotations

import pytest

from tests.schema.conftest import Api, _api
from tests.schema.conftest import _verify_every_token  # noqa: F401 - autouse: check the token on every request


@pytest.fixture
def admin_api(clean_db) -> Api:
    """An admin's client on an empty database."""
    return _api("admin")


@pytest.fixture
def manager_api(admin_api) -> Api:
    """A manager's client (same database as ``admin_api``)."""
    return _api("manager")


@pytest.fixture
def viewer_api(admin_api) -> Api:
    """A viewer's client (same database as ``admin_api``)."""
    return _api("viewer")
