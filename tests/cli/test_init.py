"""The composed `crn` command: every group and top-level command is reachable, by name, as `crn --help` lists."""

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from crn.cli import app

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["serve", "import", "export", "dedupe", "merge", "worker", "doctor"]  # ops: + doctor
GROUPS = {"db": ["start", "stop", "status", "logs", "migrate", "version", "backup", "restore"], "demo": ["load"], "rules": ["list", "add", "test", "run"],
          "report": ["influence"], "analytics": ["refresh", "family", "paths", "committee"],
          "users": ["create", "set-password", "ensure-admin"], "tokens": ["create", "revoke", "list"],
          "schema": ["export"], "access": ["rebuild", "explain", "teams", "team-create", "teams-from-users", "member-add", "member-remove",
                     "territories", "territory-create", "defaults", "default-set", "rules", "rule-create", "owner-set",
                     "personal-data"], "audit": ["verify", "export", "purge"],
          "privacy": ["export", "erase", "consent", "retention"]}  # privacy (issue 13 §3)


def _listed(output: str) -> list[str]:
    """The command names of a rich help screen's Commands panel, in order."""
    panel = output.split("Commands", 1)[1]
    return [line.split()[1] for line in panel.splitlines() if line.startswith("│ ") and len(line.split()) > 1]


def test_root_lists_the_commands_then_the_groups_in_order():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "160", "TERM": "dumb"})
    assert result.exit_code == 0
    assert _listed(result.output) == COMMANDS + list(GROUPS)


def test_every_group_lists_its_commands_in_order():
    for group, commands in GROUPS.items():
        result = CliRunner().invoke(app, [group, "--help"], env={"COLUMNS": "160", "TERM": "dumb"})
        assert result.exit_code == 0, group
        assert _listed(result.output) == commands, group


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run([sys.executable, "-m", "crn.cli", "rules", "--help"], cwd=ROOT, capture_output=True,
                            text=True, env={"COLUMNS": "160", "TERM": "dumb", "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _listed(result.stdout) == GROUPS["rules"]
