"""`crn privacy export / erase / consent / retention` against the real Neo4j."""

from __future__ import annotations

import io
import json
import zipfile

from typer.testing import CliRunner

from crn.cli import app
from crn.crm import privacy, records
from crn.graph import db

runner = CliRunner()


def _person() -> str:
    made = records.create_record("Person", {"name": "Cleo Cli", "email": "cleo@cli.test", "phones": ["+44 7700 900123"]},
                                 actor=None)
    assert made.ok
    return made.record["uid"]


def test_export_by_email_writes_a_zip(clean_db, tmp_path):
    uid = _person()
    out = tmp_path / "cleo.zip"
    run = runner.invoke(app, ["privacy", "export", "cleo@cli.test", "-o", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads(zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("export.json"))
    assert data["person"]["uid"] == uid and data["person"]["name"] == "Cleo Cli"
    missing = runner.invoke(app, ["privacy", "export", "nobody@cli.test", "-o", str(out)])
    assert missing.exit_code == 1 and "no person with uid or e-mail 'nobody@cli.test'" in missing.output


def test_consent_then_erase_by_uid(clean_db):
    uid = _person()
    run = runner.invoke(app, ["privacy", "consent", uid, "--channel", "email", "--granted", "--source", "form"])
    assert run.exit_code == 0 and "email: given (form)" in run.output
    bad = runner.invoke(app, ["privacy", "consent", uid, "--channel", "fax", "--granted", "--source", "form"])
    assert bad.exit_code == 1 and "unknown channel 'fax'" in bad.output
    refused = runner.invoke(app, ["privacy", "erase", uid], input="n\n")
    assert refused.exit_code == 1 and db.read_one("MATCH (p:Person {uid: $u}) RETURN p.name AS n", u=uid)["n"] == \
        "Cleo Cli"
    run = runner.invoke(app, ["privacy", "erase", uid, "--yes"])
    assert run.exit_code == 0, run.output
    assert db.read_one("MATCH (p:Person {uid: $u}) RETURN p.name AS n", u=uid)["n"] == f"Erased person {uid[:8]}"
    assert privacy.may_send("email", "cleo@cli.test", "transactional").code == "erased"


def test_retention_with_nothing_configured_says_so(clean_db):
    run = runner.invoke(app, ["privacy", "retention"])
    assert run.exit_code == 0 and "nothing to do" in run.output
