"""Team tooling: the lock the test command installs, and the pre-commit hook.

The default test run installs requirements/test.lock (pip-compile output) so that a new
release upstream cannot change what CI runs; pyproject.toml keeps open ranges for users.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO, copy_sample

LOCK = REPO / "requirements" / "test.lock"


def _pins() -> dict[str, Version]:
    pins = {}
    for line in LOCK.read_text("utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9._-]+)==([^\s;]+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = Version(m.group(2))
    return pins


def test_the_lock_pins_every_requirement_within_pyprojects_ranges():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    pins = _pins()
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in {LOCK.name}: run pip-compile (see requirements/test.in)"
        assert req.specifier.contains(pins[name], prereleases=True), (req, pins[name])
    for line in LOCK.read_text("utf-8").splitlines():  # exact pins only: nothing left open
        if line and not line.startswith((" ", "#")):
            assert "==" in line, line


def test_the_lock_keeps_babel_before_the_spanish_plural_change():
    assert _pins()["babel"] < Version("2.19")


def test_the_test_command_installs_the_lock_and_offers_the_newest_versions():
    script = (REPO / "scripts" / "test").read_text("utf-8")
    assert "-c requirements/test.lock" in script
    assert "--latest" in script and "L10N_LATEST" in script
    readme = (REPO / "README.md").read_text("utf-8")
    assert "scripts/test --latest" in readme and "requirements/test.lock" in readme


def test_pre_commit_hook_checks_changed_catalogs(tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "l10n-check")
    assert hook["entry"].split()[:2] == ["l10n", "check"]
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("locales/ko/2026-02/oita-bay-area.po")
    assert not files.search("content/2026-02/oita-bay-area.md")
    assert not files.search("locales/templates/2026-02/oita-bay-area.pot")
    # pre-commit runs the entry with the changed files as arguments, from the repository
    # root: `l10n check` takes catalog paths as well as article ids.
    root = copy_sample(tmp_path / "news", with_catalogs=True)
    args = hook["entry"].split()[1:] + ["locales/ko/2026-02/oita-bay-area.po",
                                        "locales/es/2026-02/oita-bay-area.po"]
    r = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=root, capture_output=True,
                       text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert r.returncode in (0, 1), r.stderr
    assert "Traceback" not in r.stderr
    articles = {ln.split(" ")[0] for ln in r.stdout.splitlines() if ln.startswith("2026-")}
    assert articles <= {"2026-02/oita-bay-area"}
