"""The import/export/dedupe/merge commands: exit codes, summaries and files (against the real Neo4j)."""

from __future__ import annotations

import pytest

from typer.testing import CliRunner

from crn.cli import app
from tests.ingest.helpers import fixture

runner = CliRunner()


def text(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


# issue 13: counts every node, so runs on a fresh install (no organisation-wide defaults stored)
@pytest.mark.usefixtures("private_defaults")
def test_import_strict_fails_and_writes_nothing(clean_db, tmp_path):
    errors = tmp_path / "errors.csv"
    result = runner.invoke(app, ["import", "orgchart", str(fixture("orgchart.csv")), "--strict", "--errors", str(errors)])
    assert result.exit_code == 2
    assert "strict: nothing written" in text(result)
    assert errors.read_text(encoding="utf-8-sig").count("\n") == 12  # header + 11 errors
    assert clean_db.read_one("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")["n"] == 0


# issue 13: counts every node, so runs on a fresh install (no organisation-wide defaults stored)
@pytest.mark.usefixtures("private_defaults")
def test_dry_run_shows_mapping_then_import_and_export(clean_db, tmp_path):
    dry = runner.invoke(app, ["import", "contacts", str(fixture("contacts_hubspot.csv")), "--dry-run",
                              "--errors", str(tmp_path / "e.csv")])
    assert dry.exit_code == 0 and "column mapping (source: hubspot)" in text(dry) and "dry run" in text(dry)
    assert clean_db.read_one("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")["n"] == 0
    ok = runner.invoke(app, ["import", "contacts", str(fixture("contacts_hubspot.csv")), "--errors", str(tmp_path / "e.csv")])
    assert ok.exit_code == 0 and "Phone Number" in text(ok)
    out = tmp_path / "people.json"
    exported = runner.invoke(app, ["export", "people", "--format", "json", "--out", str(out), "--where", "title=Mathematician"])
    assert exported.exit_code == 0 and "Exported 1 people" in text(exported)
    assert "Alan Turing" in out.read_text(encoding="utf-8")
    refused = tmp_path / "people.csv"  # never the working directory: a stray people.csv was once committed
    bad = runner.invoke(app, ["export", "people", "--where", "shoe=42", "--out", str(refused)])
    assert bad.exit_code == 1 and "cannot filter" in text(bad) and not refused.exists()
    chinese = tmp_path / "people-zh.csv"
    zh = runner.invoke(app, ["export", "people", "--headers", "zh", "--out", str(chinese)])
    assert zh.exit_code == 0 and chinese.read_text(encoding="utf-8-sig").splitlines()[0].startswith("编号,姓名,电子邮箱")
    wrong = runner.invoke(app, ["export", "people", "--headers", "fr", "--out", str(tmp_path / "x.csv")])
    assert wrong.exit_code == 1 and "unknown headers 'fr'" in text(wrong)


# issue 13: counts every node, so runs on a fresh install (no organisation-wide defaults stored)
@pytest.mark.usefixtures("private_defaults")
def test_graph_export_import_dedupe_and_merge_commands(clean_db, tmp_path):
    runner.invoke(app, ["import", "orgchart", str(fixture("orgchart.csv")), "--errors", str(tmp_path / "e.csv")])
    graph = tmp_path / "graph.jsonl"
    assert runner.invoke(app, ["export", "graph", "--out", str(graph)]).exit_code == 0
    refused = runner.invoke(app, ["import", "graph", str(graph)])
    assert refused.exit_code == 1 and "empty database" in text(refused)
    clean_db.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
    loaded = runner.invoke(app, ["import", "graph", str(graph)])
    assert loaded.exit_code == 0 and "Imported 5 nodes and 7 relationships" in text(loaded)
    listed = runner.invoke(app, ["dedupe", "people", "--threshold", "0.1"])
    assert listed.exit_code == 0 and "likely duplicate people" in text(listed)
    a, b = [r["uid"] for r in clean_db.read("MATCH (p:Person) WHERE p.name IN ['Cy Dee', 'Di Fox'] RETURN p.uid AS uid ORDER BY p.name")]
    merged = runner.invoke(app, ["merge", a, b])
    assert merged.exit_code == 0 and "moved 2 relationships" in text(merged)
    assert runner.invoke(app, ["merge", a, b]).exit_code == 1


def test_default_error_file_is_written_beside_the_input_only_when_needed(clean_db, tmp_path):
    bad = tmp_path / "orgchart.csv"
    bad.write_bytes(fixture("orgchart.csv").read_bytes())
    assert runner.invoke(app, ["import", "orgchart", str(bad)]).exit_code == 0
    assert (tmp_path / "orgchart.errors.csv").read_text(encoding="utf-8-sig").startswith("row,column,value,reason")
    good = tmp_path / "good.csv"
    good.write_text("id,name,email\n1,Ann Lee,ann@x.example\n")
    assert runner.invoke(app, ["import", "contacts", str(good)]).exit_code == 0
    assert not (tmp_path / "good.errors.csv").exists()
