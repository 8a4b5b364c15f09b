"""Shared fixtures: a copy of the sample project, and ways to run the CLI."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fake_deepl import deepl_client, deepl_fast_retries, deepl_server  # noqa: F401

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path_factory):
    """No test sees a real key, a real server or the developer's identity."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for var in ("DEEPL_AUTH_KEY", "DEEPL_SERVER_URL", "L10N_USER", "L10N_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def copy_sample(dest: Path, with_catalogs: bool = False) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "l10n.yaml", dest / "l10n.yaml")
    shutil.copytree(REPO / "content", dest / "content")
    (dest / "locales").mkdir()
    shutil.copy(REPO / "locales" / "glossary.yaml", dest / "locales" / "glossary.yaml")
    if with_catalogs:
        for sub in ("templates", "en", "ko", "es"):
            if (REPO / "locales" / sub).exists():
                shutil.copytree(REPO / "locales" / sub, dest / "locales" / sub)
    return dest


@pytest.fixture
def sample(tmp_path) -> Path:
    """The sample newsletter without catalogs (a fresh project)."""
    return copy_sample(tmp_path / "sample")


@pytest.fixture
def sample_committed(tmp_path) -> Path:
    """The sample newsletter with its committed catalogs and their review states."""
    return copy_sample(tmp_path / "sample", with_catalogs=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(args: list[str], cwd: Path | None = None, env: dict | None = None,
        timeout: float = 120) -> Result:
    """Run the real console entry point in a subprocess."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("PYTHONPATH", str(REPO))
    p = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=cwd, env=full_env,
                       capture_output=True, text=True, timeout=timeout)
    return Result(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process (fast); returns Result."""
    from l10n.cli import main

    def go(*args: str) -> Result:
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return go


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root (but the cache) with a hash of its bytes."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and ".l10n" not in p.parts:
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    """GNU `msgfmt -c` on a file we wrote: a warning counts as a failure (returncode 1)."""
    p = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)],
                       capture_output=True, text=True)
    if p.stderr and p.returncode == 0:
        p.returncode = 1
    return p


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    """The sample in the fixed state the TUI tests and snapshots expect (tests/demo.py)."""
    from tests.demo import make_demo

    return make_demo(REPO, tmp_path_factory.mktemp("demo") / "sample").root


@pytest.fixture
def demo(_demo_template, tmp_path):
    """A fresh copy of that demo project, as an l10n Project."""
    from l10n.project import Project

    dest = tmp_path / "sample"
    shutil.copytree(_demo_template, dest, ignore=shutil.ignore_patterns(".l10n"))
    return Project(dest)
