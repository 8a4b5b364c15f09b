"""The command line contract: --help everywhere, init, -C, and `l10n check`'s exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from l10n import catalog as po
from l10n.actions import save_translation
from l10n.cli import build_parser
from l10n.project import Project
from tests.conftest import run

ART = "2026-02/oita-bay-area"


def commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


def test_the_parser_has_every_command_in_a_fresh_process():
    # it used to return 5 of 11 commands unless another module had been imported first
    code = ("from l10n.cli import build_parser\n"
            "sub = next(a for a in build_parser()._actions if a.dest == 'command')\n"
            "print(' '.join(sorted(sub.choices)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == sorted(["approve", "audit", "build", "check", "init", "merge-driver",
                                         "reject", "resolve", "status", "sync", "tm", "tui"])


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help(name, cli):
    with pytest.raises(SystemExit) as done:
        cli(name, "--help")
    assert done.value.code == 0


def test_help_through_the_console_script(tmp_path):
    r = run(["--help"], cwd=tmp_path)
    assert r.code == 0 and "sync" in r.out and "approve" in r.out
    r = run(["check", "--help"], cwd=tmp_path)
    assert r.code == 0 and "leftover_source" in r.out
    r = run([], cwd=tmp_path)
    assert r.code == 2


def test_init_makes_an_empty_project_that_works(tmp_path, cli):
    target = tmp_path / "newsletter"
    r = cli("init", str(target))
    assert r.code == 0, r.err
    for rel in ("l10n.yaml", "content", "locales/glossary.yaml", ".gitignore", ".gitattributes"):
        assert (target / rel).exists(), rel
    assert cli("-C", str(target), "sync", "--no-mt").code == 0
    data = json.loads(cli("-C", str(target), "status", "--json").out)
    assert data["articles"] == [] and data["languages"] == ["en", "ko", "es"]
    assert cli("init", str(target)).code == 2  # never over an existing project


def test_dash_c_accepts_a_subdirectory_of_the_project(sample_committed, cli):
    r = cli("-C", str(sample_committed / "content" / "2026-02"), "status", "--json")
    assert r.code == 0
    assert len(json.loads(r.out)["articles"]) == 5


def test_check_exit_codes_and_json_shape(sample, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    p = Project(sample)
    clean = "Governor Sato held talks with Mayor Lurie of San Francisco."
    save_translation(p, ART, "en", ("body", "佐藤知事は、サンフランシスコのルーリー市長と会談しました。"),
                     clean, "Tr")
    r = cli("-C", str(sample), "check", "--json")
    assert r.code == 0, r.out
    assert json.loads(r.out)["findings"] == []
    # a dropped link and Japanese left behind: errors, exit 1
    src = next(e.msgid for e in po.read(p.catalog_path("en", ART)).active() if "](https://" in e.msgid)
    save_translation(p, ART, "en", ("body", src), "Details are on the 公式サイト.", "Tr")
    r = cli("-C", str(sample), "check", "--json")
    assert r.code == 1
    findings = json.loads(r.out)["findings"]
    assert {f["check"] for f in findings} >= {"markup", "leftover_source"}
    for f in findings:
        assert set(f) >= {"article", "lang", "msgctxt", "msgid", "check", "severity", "message", "msgstr"}
        assert f["article"] == ART and f["lang"] == "en" and f["msgid"] == src
        assert f["severity"] in ("error", "warning")
    # one language, one article
    assert cli("-C", str(sample), "check", "--lang", "ko").code == 0
    assert cli("-C", str(sample), "check", "2026-02/kanra-nicaragua").code == 0
    assert cli("-C", str(sample), "check", ART, "--lang", "en").code == 1
    text = cli("-C", str(sample), "check").out
    assert "error markup" in text and "errors" in text
