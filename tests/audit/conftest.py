"""The GraphQL fixtures of tests/schema (an admin's and a viewer's client over HTTP) for the audit tests."""

from tests.schema.conftest import Api, _verify_every_token, api, viewer_api  # noqa: F401 - fixtures
