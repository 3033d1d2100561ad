"""`crn rules add|list|test|run` and `crn worker --once` against the real Neo4j."""

from __future__ import annotations

import logging

import pytest
from typer.testing import CliRunner

from crn.cli import app
from crn.graph import db

runner = CliRunner()


@pytest.fixture(autouse=True)
def restore_logging():
    """`crn worker` configures logging onto the runner's captured stderr; undo that after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_rules_commands(automation, tmp_path):
    rule_file = tmp_path / "vip.yaml"
    rule_file.write_text("id: vip\nname: Make VIP\ntrigger: {kind: manual}\n"
                         "actions: [{type: set_tier, params: {tier: strategic}}]\n")
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("id: bad\nname: Bad\ntrigger: {kind: manual}\nactions: [{type: set_tier, params: {}}]\n")
    db.write("CREATE (:Company {uid: 'c1', name: 'Acme', tags: [], external_ids: []})")

    added = runner.invoke(app, ["rules", "add", str(rule_file)])
    assert added.exit_code == 0 and "Saved rule vip version 1" in added.output
    rejected = runner.invoke(app, ["rules", "add", str(bad_file)])
    assert rejected.exit_code == 1
    assert runner.invoke(app, ["rules", "add", "--template", "win_back"]).exit_code == 0
    listed = runner.invoke(app, ["rules", "list"])
    assert "vip" in listed.output and "win-back" in listed.output
    tested = runner.invoke(app, ["rules", "test", "win-back"])
    assert tested.exit_code == 0 and "0 action(s) would fire." in tested.output
    ran = runner.invoke(app, ["rules", "run", "vip", "--uid", "c1"])
    assert ran.exit_code == 0 and "Enqueued 1" in ran.output
    assert runner.invoke(app, ["worker", "--once", "--no-schedules"]).exit_code == 0
    assert db.read_one("MATCH (c:Company {uid: 'c1'}) RETURN c.tier AS t")["t"] == "strategic"
