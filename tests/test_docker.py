"""The Dockerfile and docker-compose.yml, checked against what `make run` does.

This machine has no Docker engine, so nothing is built or started here: the test reads the Makefile's `run`
(and `db`) recipes, takes the `crn ...` steps they run, and checks that the compose file runs each one as a
service, in the same order (by `depends_on` conditions), with health checks, volumes and the settings crn
reads; and that the Dockerfile installs the hash-locked requirements as a non-root user with a health check.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from crn.config import NEO4J_VERSION_DEFAULT

ROOT = Path(__file__).resolve().parent.parent


def _recipe(target: str) -> list[str]:
    """The shell lines of a Makefile target (continuations joined)."""
    lines = (ROOT / "Makefile").read_text().replace("\\\n", " ").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^{target}:", line))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        body.append(line.strip())
    return body


def make_run_steps() -> list[list[str]]:
    """The `crn` commands `make run` runs (through `make db`), in order, as argument lists."""
    steps = []
    for line in _recipe("db") + _recipe("run"):
        for match in re.finditer(r"\$\(BIN\)/crn ([a-z][a-z -]*?[a-z0-9])(?=\s*(?:&|;|$))", line):
            steps.append(shlex.split(match.group(1)))
    return steps


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _service_running(compose: dict, argv: list[str]) -> str:
    found = [name for name, svc in compose["services"].items() if svc.get("command") == ["crn", *argv]]
    assert len(found) == 1, f"`crn {' '.join(argv)}` (a step of make run) is the command of one compose service"
    return found[0]


def _after(compose: dict, name: str) -> dict[str, str]:
    return {dep: cond["condition"] for dep, cond in compose["services"][name].get("depends_on", {}).items()}


def test_make_run_steps_are_what_the_test_expects():
    """The parser reads the Makefile as it is (a changed `make run` shows up here first)."""
    assert make_run_steps() == [["db", "start"], ["db", "migrate"], ["demo", "load", "--size", "small", "--if-empty"],
                                ["users", "ensure-admin"], ["worker"], ["serve"]]


def test_every_step_of_make_run_is_a_service_in_the_same_order(compose):
    services = compose["services"]
    # `crn db start` runs crn's managed Neo4j; compose runs the official image of the same version instead
    assert services["neo4j"]["image"] == f"neo4j:{NEO4J_VERSION_DEFAULT}-community"
    names = {}
    for step in make_run_steps():
        if step == ["db", "start"]:
            continue
        names[step[0] if step[0] != "users" else "admin"] = _service_running(compose, step)
    migrate, demo, admin, worker, serve = (names["db"], names["demo"], names["admin"], names["worker"], names["serve"])
    assert _after(compose, migrate) == {"neo4j": "service_healthy"}
    for one_shot in (demo, admin):  # after the migrations, like make run
        assert _after(compose, one_shot).get(migrate) == "service_completed_successfully"
        assert services[one_shot]["restart"] == "no"
    assert services[migrate]["restart"] == "no"
    assert _after(compose, serve) == {"neo4j": "service_healthy", migrate: "service_completed_successfully",
                                      admin: "service_completed_successfully"}
    assert _after(compose, worker) == {"neo4j": "service_healthy", migrate: "service_completed_successfully"}
    for long_running in (serve, worker, "neo4j"):
        assert services[long_running]["restart"] == "unless-stopped"
    # the demo data is make run's sample: a profile away in compose, never loaded into a real install by default
    assert services[demo]["profiles"] == ["demo"]
    assert not any(demo in _after(compose, name) for name in services)


def test_health_checks_volumes_ports_and_settings(compose):
    services = compose["services"]
    assert "cypher-shell" in " ".join(services["neo4j"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["crn"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"] == {"disable": True}  # no HTTP in the worker: the process is the check
    assert "neo4j-data:/data" in services["neo4j"]["volumes"] and "neo4j-data" in compose["volumes"]
    for name in ("migrate", "admin", "demo", "crn", "worker"):
        env = services[name]["environment"]
        assert services[name]["build"] == "." and services[name]["image"] == "crn:local"
        assert env["NEO4J_URI"] == "neo4j://neo4j:7687" and env["NEO4J_USER"] == "neo4j"
        assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD:?")  # required, never written in the file
    assert services["neo4j"]["environment"]["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    for svc in services.values():  # published on the loopback only: a proxy with TLS goes in front
        for port in svc.get("ports", []):
            assert port.startswith("127.0.0.1:"), port
    from crn.config import Settings

    readable = Settings.__doc__
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "CRN_ADMIN_PASSWORD", "CRN_HOST", "CRN_PORT"):
        assert name in readable, f"{name} is a setting crn reads (crn/config.py)"


def test_dockerfile_installs_the_lock_as_a_non_root_user(dockerfile):
    froms = [line for line in dockerfile if line.startswith("FROM ")]
    assert froms[-1] == "FROM python:3.11-slim"
    assert any("pip install --require-hashes -r requirements.lock" in line for line in dockerfile)
    assert any("pip install --no-deps ." in line for line in dockerfile)
    users = [line.split()[1] for line in dockerfile if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") and "/healthz" in line for line in dockerfile)
    assert 'CMD ["crn", "serve"]' in dockerfile and "EXPOSE 8000" in dockerfile
    # the UI's vendor files are built as `make web` builds them, then copied in
    assert any("node crn/web/build.mjs" in line for line in dockerfile)
    assert any(line.startswith("COPY --from=web") and "static/vendor" in line for line in dockerfile)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", ".crn", ".git", "node_modules", ".env"} <= set(ignored)


def test_make_stop_stops_what_make_run_and_make_test_start():
    stop = " ".join(_recipe("stop"))
    run = " ".join(_recipe("run"))
    assert "worker.pid" in run and "worker.pid" in stop        # the worker make run put in the background
    assert "serve-parent.pid" in run and "pkill -TERM -P" in stop  # crn serve, the child of make run's shell
    assert "crn db stop" in stop                                # the dev Neo4j
    assert "CRN_NEO4J_HOME=.crn/test-neo4j" in stop             # the tests' Neo4j
    assert "make stop" in " ".join(_recipe("test"))             # make test says what it leaves running
