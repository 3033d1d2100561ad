"""Fixtures of the CLI tests: the automation fixture (migrated clean database, movable clock) is shared."""

from tests.automation.conftest import automation  # noqa: F401 - a fixture, re-exported for tests/cli
