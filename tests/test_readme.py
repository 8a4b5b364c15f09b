"""The README documents the quick start and every command; CI runs the README's command."""
from __future__ import annotations

import re

from l10n.cli import build_parser
from tests.conftest import REPO

README = (REPO / "README.md").read_text("utf-8")


def test_quick_start_has_the_two_commands_and_ci_runs_the_test_one():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    lines = [ln.split("#")[0].strip() for ln in block.strip().splitlines()[1:]]
    assert lines == ["scripts/try", "scripts/test"]
    assert (REPO / "scripts/try").stat().st_mode & 0o111
    assert (REPO / "scripts/test").stat().st_mode & 0o111
    assert "l10n -C . tui" in (REPO / "scripts/try").read_text()
    ci = (REPO / ".ci/run").read_text()
    assert re.search(r"^exec \./scripts/test\s*$", ci, re.M)


def test_every_command_is_documented_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`l10n {name}" in README, name
        assert re.search(rf"^l10n {name}\b", README, re.M) or name in ("tui", "merge-driver", "resolve"), name


def test_readme_shows_a_tui_screenshot():
    m = re.search(r"!\[[^\]]*\]\((docs/[^)]+\.svg)\)", README)
    assert m and (REPO / m.group(1)).exists()
