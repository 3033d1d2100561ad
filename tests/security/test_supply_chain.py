"""Supply chain: every dependency is locked, and nothing locked is older than its published advisories allow.

No vulnerability database answers from the build machines, so security/advisories.toml records, per package,
the lowest safe version and the advisories behind it (looked up by hand). These tests read the lock files and
pyproject.toml/package.json as they are committed: no network, no database.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
ADVISORIES = ROOT / "security" / "advisories.toml"
LOCK = ROOT / "requirements.lock"
PACKAGE_JSONS = [ROOT / "package.json", ROOT / "tests" / "schema" / "http_audit" / "package.json"]


def normalise(name: str) -> str:
    """A Python package name as PEP 503 compares them ("PyYAML" and "pyyaml" are one package)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def advisories() -> dict:
    data = tomllib.loads(ADVISORIES.read_text())
    return {"python": {normalise(k): v for k, v in data["python"].items()}, "npm": data["npm"]}


def direct_python_requirements() -> list[Requirement]:
    """dependencies, every optional extra, and the build-system requires of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lines = list(project["project"]["dependencies"]) + list(project["build-system"]["requires"])
    for extra in project["project"].get("optional-dependencies", {}).values():
        lines += extra
    return [Requirement(line) for line in lines]


def locked_python_versions(text: str) -> dict[str, list[Version]]:
    """name -> every version requirements.lock pins for it (a universal lock may pin one per Python version)."""
    pins: dict[str, list[Version]] = {}
    for match in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", text, re.MULTILINE):
        pins.setdefault(normalise(match.group(1)), []).append(Version(match.group(2)))
    return pins


def direct_npm_dependencies() -> dict[str, tuple[Path, str]]:
    """name -> (package.json, range) for every dependency the UI and the audit declare."""
    out = {}
    for path in PACKAGE_JSONS:
        manifest = json.loads(path.read_text())
        for section in ("dependencies", "devDependencies"):
            for name, spec in manifest.get(section, {}).items():
                out[name] = (path, spec)
    return out


def locked_npm_versions() -> dict[str, list[tuple[Path, Version]]]:
    """name -> (lock file, version) for every package in the package-lock.json files beside the package.jsons."""
    out: dict[str, list[tuple[Path, Version]]] = {}
    for manifest in PACKAGE_JSONS:
        lock = manifest.with_name("package-lock.json")
        for key, entry in json.loads(lock.read_text())["packages"].items():
            if key.startswith("node_modules/") and "version" in entry:
                out.setdefault(key.rsplit("node_modules/", 1)[1], []).append((lock, Version(entry["version"])))
    return out


def npm_floor(spec: str) -> Version:
    """The lowest version an npm range such as ^16.9.0, ~3.34.4 or >=1.2 admits."""
    match = re.search(r"\d+(\.\d+)*", spec)
    assert match, f"cannot read a version from the npm range {spec!r}"
    return Version(match.group(0))


def python_floor(requirement: Requirement) -> Version | None:
    floors = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    return max(floors) if floors else None


# -- the lock file exists and make installs from it ----------------------------------------------------------

def test_python_dependencies_are_locked_with_hashes_and_make_installs_from_the_lock():
    assert LOCK.exists(), "requirements.lock is missing: run `make lock`"
    text = LOCK.read_text()
    pins = locked_python_versions(text)
    for requirement in direct_python_requirements():
        name = normalise(requirement.name)
        if name in ("setuptools", "wheel", "recordlinkage"):
            continue  # build-system and the bench extra are not installed from the lock
        assert name in pins, f"{requirement.name} is a dependency in pyproject.toml but not in requirements.lock"
        for version in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), \
                f"requirements.lock pins {name}=={version}, outside pyproject.toml's {requirement}: run `make lock`"
    lines = text.splitlines()
    unhashed = [line.split()[0] for line, after in zip(lines, lines[1:] + [""])
                if re.match(r"[A-Za-z0-9].*==", line) and not after.strip().startswith("--hash=sha256:")]
    assert not unhashed, f"pins without a hash in requirements.lock (pip then skips checking): {unhashed}"
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install -q --disable-pip-version-check -r requirements.lock" in makefile
    assert "--no-deps -e ." in makefile
    assert re.search(r"^\$\(STAMP\): pyproject.toml requirements.lock$", makefile, re.MULTILINE)
    assert "npm ci" in makefile and "npm install" not in makefile


# -- every direct dependency has an entry, and nothing is below its minimum ------------------------------------

def test_every_direct_python_dependency_has_an_advisory_entry():
    known = advisories()["python"]
    missing = sorted({r.name for r in direct_python_requirements() if normalise(r.name) not in known})
    assert not missing, f"add these to security/advisories.toml (minimum safe version, advisories): {missing}"
    assert all(known[normalise(r.name)]["direct"] for r in direct_python_requirements())


def test_every_direct_npm_dependency_has_an_advisory_entry():
    known = advisories()["npm"]
    missing = sorted(set(direct_npm_dependencies()) - set(known))
    assert not missing, f"add these to security/advisories.toml under [npm.<name>]: {missing}"


def test_locked_python_versions_are_at_or_above_their_minimum():
    pins = locked_python_versions(LOCK.read_text())
    below = [f"{name}=={version} < {entry['minimum']} ({'; '.join(entry['advisories'])})"
             for name, entry in advisories()["python"].items()
             for version in pins.get(name, []) if version < Version(entry["minimum"])]
    assert not below, "requirements.lock pins versions with published advisories:\n" + "\n".join(below)


def test_locked_npm_versions_are_at_or_above_their_minimum():
    locked = locked_npm_versions()
    below = [f"{name}@{version} in {lock.relative_to(ROOT)} < {entry['minimum']}"
             for name, entry in advisories()["npm"].items()
             for lock, version in locked.get(name, []) if version < Version(entry["minimum"])]
    assert not below, "package-lock.json pins versions with published advisories:\n" + "\n".join(below)
    for name in direct_npm_dependencies():
        assert name in locked, f"{name} is in a package.json but not in its package-lock.json: run npm install"


def test_declared_floors_exclude_versions_with_advisories():
    """A fresh resolve (pip install crn, npm install) can never pick a version the advisories rule out."""
    known = advisories()
    low = []
    for requirement in direct_python_requirements():
        minimum = Version(known["python"][normalise(requirement.name)]["minimum"])
        floor = python_floor(requirement)
        if floor is None or floor < minimum:
            low.append(f"{requirement} (pyproject.toml) admits versions below {minimum}")
    for name, (path, spec) in direct_npm_dependencies().items():
        minimum = Version(known["npm"][name]["minimum"])
        if npm_floor(spec) < minimum:
            low.append(f"{name}@{spec} ({path.relative_to(ROOT)}) admits versions below {minimum}")
    assert not low, "\n".join(low)


def test_every_entry_names_its_advisories_or_says_none_were_found():
    for ecosystem, entries in advisories().items():
        for name, entry in entries.items():
            assert set(entry) >= {"direct", "minimum", "checked", "advisories"}, f"{ecosystem}.{name}"
            Version(entry["minimum"])
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["checked"]), f"{ecosystem}.{name}: checked date"
            for advisory in entry["advisories"]:
                assert re.search(r"GHSA-\w{4}-\w{4}-\w{4}|CVE-\d{4}-\d+|SNYK-|PYSEC-", advisory), advisory


# -- the checks themselves catch what they are for ------------------------------------------------------------

@pytest.mark.parametrize("lock_line, flagged", [
    ("starlette==1.3.0 \\\n    --hash=sha256:00", True),   # one release below the recorded minimum
    ("starlette==1.3.1 \\\n    --hash=sha256:00", False),  # at the minimum
    ("python-multipart==0.0.30 ; python_full_version < '3.12' \\\n    --hash=sha256:00", True),
])
def test_a_version_below_its_minimum_is_caught(lock_line, flagged):
    pins = locked_python_versions(lock_line)
    known = advisories()["python"]
    name = next(iter(pins))
    assert (pins[name][0] < Version(known[name]["minimum"])) is flagged
