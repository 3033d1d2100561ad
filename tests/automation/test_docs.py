"""The rule written by hand in docs/automation.md is valid, and every template it lists exists."""

from __future__ import annotations

import re
from pathlib import Path

import crn.automation  # noqa: F401 - registers actions
from crn.automation.rules import parse_rule
from crn.automation.templates import TEMPLATES, template_rule

DOC = (Path(__file__).resolve().parents[2] / "docs" / "automation.md").read_text()


def test_the_hand_written_rule_validates():
    block = re.search(r"```yaml\n(.*?)```", DOC, re.S).group(1)
    rule = parse_rule(block)
    assert rule.id == "key-account-qbr" and [a.type for a in rule.actions] == ["create_task", "call_webhook"]


def test_every_template_is_listed_and_valid():
    for name in TEMPLATES:
        assert f"`{name}`" in DOC, name
        parse_rule(template_rule(name))
