"""`crn demo load` end to end: the summary table, the answer file, --if-empty and a bad size."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from crn.cli import app

runner = CliRunner()


def test_demo_load_command(clean_db, tmp_path):
    answers = tmp_path / "answers.json"
    result = runner.invoke(app, ["demo", "load", "--size", "small", "--seed", "5", "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    assert ":Company" in result.output and "[:WORKS_AT]" in result.output and "relationships/s" in result.output
    planted = json.loads(answers.read_text())
    assert planted["seed"] == 5 and planted["deals"] and len(planted["cycle"]) == 3
    companies = clean_db.read_one("MATCH (c:Company) RETURN count(c) AS n")["n"]
    assert companies > 20

    again = runner.invoke(app, ["demo", "load", "--if-empty", "--answers", str(tmp_path / "other.json")])
    assert again.exit_code == 0 and "demo not loaded" in again.output
    assert clean_db.read_one("MATCH (c:Company) RETURN count(c) AS n")["n"] == companies

    bad = runner.invoke(app, ["demo", "load", "--size", "huge"])
    assert bad.exit_code == 1 and "unknown size" in bad.output
