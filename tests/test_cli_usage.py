"""The command line as a new user meets it: naming entries, what approve says, paths,
configuration ranges, init, words and help, and outside text shown inert."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from l10n import catalog as po
from l10n import review
from l10n.cli import build_parser
from tests.conftest import tree_digest

ART = "2026-02/oita-bay-area"
KO = f"locales/ko/{ART}.po"


def entries(root: Path, lang: str = "ko") -> list:
    return po.read(root / f"locales/{lang}/{ART}.po").active()


def numbered(root: Path, state: str, lang: str = "ko") -> list[tuple[int, object]]:
    return [(i, e) for i, e in enumerate(entries(root, lang), 1) if review.state(e) == state]


# --------------------------------------------------------------------------- entry selection
def test_status_lists_entry_numbers_that_approve_takes(sample_committed, cli):
    root = sample_committed
    r = cli("-C", str(root), "status", ART, "--lang", "ko")
    assert r.code == 0
    n, e = numbered(root, review.TRANSLATED)[-1]
    row = next(ln for ln in r.out.splitlines() if re.match(rf"^\s*{n}\s", ln))
    assert e.msgid[:20] in row and "translated" in row
    r = cli("-C", str(root), "approve", ART, "--lang", "ko", "--entry", str(n), "--as", "Rev")
    assert r.code == 0, r.err
    assert review.state(entries(root)[n - 1]) == review.APPROVED
    assert sum(review.state(x) == review.APPROVED for x in entries(root)) == \
        1 + sum(review.state(x) == review.APPROVED for x in po.read(
            Path(__file__).parent.parent / KO).active())


def test_a_unique_prefix_with_an_ellipsis_names_one_entry(sample_committed, cli):
    root = sample_committed
    n, e = next((i, x) for i, x in numbered(root, review.DRAFT) if x.msgid.startswith("今回の訪問は、"))
    r = cli("-C", str(root), "reject", ART, "--lang", "ko", "--msgid", "今回の訪問は、…",
            "--note", "Use 판로 개척", "--as", "Rev")
    assert r.code == 0, r.err
    got = entries(root)[n - 1]
    assert review.rejection(got) is not None and "판로" in review.rejection(got)[2]


def test_an_ambiguous_prefix_lists_the_candidates_and_changes_nothing(sample_committed, cli):
    root = sample_committed
    before = tree_digest(root)
    r = cli("-C", str(root), "approve", ART, "--lang", "ko", "--msgid", "大分", "--as", "Rev")
    assert r.code == 2
    starts = [(i, x) for i, x in enumerate(entries(root), 1) if x.msgid.startswith("大分")]
    assert len(starts) > 1
    assert f"starts {len(starts)} entries" in r.err
    for i, x in starts:
        assert re.search(rf"^\s+{i}\s+\[{x.msgctxt}\] {re.escape(x.msgid[:15])}", r.err, re.M), r.err
    assert tree_digest(root) == before


@pytest.mark.parametrize("args, message", [
    (["--entry", "0"], "numbered 1 to"),
    (["--entry", "999"], "numbered 1 to"),
    (["--msgid", "存在しない文"], "no entry whose msgid is or starts with"),
])
def test_a_name_that_matches_nothing_is_exit_2(sample_committed, cli, args, message):
    before = tree_digest(sample_committed)
    r = cli("-C", str(sample_committed), "approve", ART, "--lang", "ko", *args, "--as", "Rev")
    assert r.code == 2 and message in r.err, r.err
    assert tree_digest(sample_committed) == before


def test_resolve_by_entry_number_needs_a_conflict(sample_committed, cli):
    r = cli("-C", str(sample_committed), "resolve", ART, "--lang", "ko", "--entry", "3",
            "--take", "ours")
    assert r.code == 2 and "entry 3 has no merge conflict" in r.err


# --------------------------------------------------------------------------- approve reports
def test_approving_an_untranslated_entry_says_so_and_exits_1(sample_committed, cli):
    root = sample_committed
    n, e = numbered(root, review.UNTRANSLATED)[0]
    before = tree_digest(root)
    r = cli("-C", str(root), "approve", ART, "--lang", "ko", "--entry", str(n), "--as", "Rev")
    assert r.code == 1
    assert f"skipped #{n} (untranslated: nothing to approve)" in r.err
    r = cli("-C", str(root), "approve", ART, "--lang", "ko", "--msgid", e.msgid, "--as", "Rev")
    assert r.code == 1 and f"skipped #{n}" in r.err
    assert {k: v for k, v in tree_digest(root).items()} == before


def test_approve_shows_warnings_of_the_entries_it_approved(sample_committed, cli):
    root = sample_committed
    path = root / KO
    cat = po.read(path)
    n, e = next((i, x) for i, x in enumerate(cat.active(), 1) if review.state(x) == review.TRANSLATED
                and x.msgctxt == "body")
    # a translation three times too long: the length-ratio check's warning, not an error
    e.msgstr = " ".join([e.msgstr] * 4)
    path.write_bytes(po.serialize(cat))
    from l10n.project import Project
    from l10n.quality import entry_findings

    found = entry_findings(Project(root), "ko", e)
    assert found and all(f.severity == "warning" for f in found), found
    r = cli("-C", str(root), "approve", ART, "--lang", "ko", "--entry", str(n), "--as", "Rev")
    assert r.code == 0, r.err
    assert f"warning on #{n}" in r.out and f"{found[0].check}:" in r.out


@pytest.mark.parametrize("name", ["", "   "])
@pytest.mark.parametrize("command", [
    ["approve", ART, "--lang", "ko", "--all"],
    ["reject", ART, "--lang", "ko", "--entry", "6", "--note", "n"],
    ["resolve", ART, "--lang", "ko", "--all", "--take", "ours"],
    ["tui"],
], ids=["approve", "reject", "resolve", "tui"])
def test_an_empty_reviewer_name_is_refused(sample_committed, cli, monkeypatch, name, command):
    monkeypatch.setenv("L10N_USER", "Somebody Else")
    before = tree_digest(sample_committed)
    r = cli("-C", str(sample_committed), *command, "--as", name)
    assert r.code == 2 and "--as needs a name" in r.err
    assert tree_digest(sample_committed) == before


# --------------------------------------------------------------------------- paths
def test_c_goes_before_or_after_the_tm_subcommand(sample_committed, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("tm", "export", "-C", str(sample_committed), "a.tmx").code == 0
    assert cli("-C", str(sample_committed), "tm", "export", "b.tmx").code == 0
    assert (tmp_path / "a.tmx").read_bytes() == (tmp_path / "b.tmx").read_bytes()
    assert cli("tm", "import", "-C", str(sample_committed), "a.tmx").code == 0


def test_user_paths_are_relative_to_the_users_folder_not_to_c(sample_committed, cli, tmp_path,
                                                               monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    r = cli("-C", str(sample_committed), "tm", "export", "relx.tmx")
    assert r.code == 0 and (here / "relx.tmx").is_file()
    r = cli("-C", str(sample_committed), "build", "--out", "relbuild", "--partial")
    assert r.code == 0, r.err
    assert (here / "relbuild").is_dir() and not (sample_committed / "relbuild").exists()
    assert str(here / "relbuild") in r.out


@pytest.mark.parametrize("args", [["tm", "export", "/nonexistent/dir/x.tmx"],
                                  ["build", "--out", "/nonexistent/dir/site", "--partial"]])
def test_a_missing_output_folder_is_exit_2_and_never_created(sample_committed, cli, args):
    r = cli("-C", str(sample_committed), *args)
    assert r.code == 2 and "/nonexistent/dir does not exist" in r.err
    assert not Path("/nonexistent").exists()


# --------------------------------------------------------------------------- configuration
def test_an_integer_fuzzy_threshold_in_range_is_accepted(sample, cli):
    cfg = sample / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8") + "memory:\n  fuzzy_threshold: 1\n  min_score: 0\n", "utf-8")
    r = cli("-C", str(sample), "status")
    assert r.code == 0, r.err
    from l10n.project import Project

    assert Project(sample).config.fuzzy_threshold == 1.0


# --------------------------------------------------------------------------- init
def test_init_outside_git_says_how_to_set_up_the_merge_driver(tmp_path, cli):
    r = cli("init", str(tmp_path / "news"))
    assert r.code == 0
    assert "git init" in r.out and "merge-driver --install" in r.out


def test_init_inside_git_sets_up_the_driver_and_says_nothing_about_it(tmp_path, cli):
    root = tmp_path / "news"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    r = cli("init", str(root))
    assert r.code == 0 and "merge-driver --install" not in r.out
    assert ".git/config (merge.l10n-po)" in r.out


def test_init_in_a_subfolder_of_a_git_repository_says_to_install_the_driver(tmp_path, cli):
    subprocess.run(["git", "init", "-q", str(tmp_path / "mono")], check=True)
    r = cli("init", str(tmp_path / "mono" / "news"))
    assert r.code == 0
    assert "inside a git repository" in r.out and "merge-driver --install" in r.out
    assert "git init" not in r.out


def test_init_refuses_to_nest_a_project(sample, cli):
    before = tree_digest(sample)
    for inner in (sample / "content" / "sub", sample / "deeper" / "news"):
        r = cli("init", str(inner))
        assert r.code == 2 and "inside the l10n project" in r.err
        assert not inner.exists()
    assert tree_digest(sample) == before


def test_init_never_overwrites_an_existing_glossary(tmp_path, cli):
    root = tmp_path / "news"
    (root / "locales").mkdir(parents=True)
    mine = "- ja: 大分県\n  en: Oita Prefecture\n"
    (root / "locales/glossary.yaml").write_text(mine, "utf-8")
    r = cli("init", str(root))
    assert r.code == 0
    assert (root / "locales/glossary.yaml").read_text("utf-8") == mine
    assert "kept locales/glossary.yaml" in r.out


# --------------------------------------------------------------------------- words and help
def _subparsers(parser):
    for a in parser._actions:
        if a.dest in ("command", "tm_command") and a.choices:
            for name, sp in a.choices.items():
                yield name, sp
                yield from ((f"{name} {n}", s) for n, s in _subparsers(sp))


def test_every_option_of_every_command_has_help():
    missing = []
    for name, sp in _subparsers(build_parser()):
        for a in sp._actions:
            if a.option_strings and not a.help:
                missing.append(f"{name} {a.option_strings[0]}")
            if not a.option_strings and a.dest not in ("command", "tm_command") and not a.help:
                missing.append(f"{name} {a.dest}")
    assert missing == []


@pytest.mark.parametrize("command, group", [
    ("approve", "(--all | --msgid TEXT | --entry N)"),
    ("reject", "(--msgid TEXT | --entry N)"),
])
def test_the_required_choice_shows_as_required(command, group):
    sp = dict(_subparsers(build_parser()))[command]
    usage = " ".join(sp.format_usage().split())
    assert group in usage and f"[{group[1:-1]}]" not in usage


def test_a_mistyped_article_gets_a_did_you_mean(sample_committed, cli):
    r = cli("-C", str(sample_committed), "approve", "oita-bay-area", "--lang", "ko", "--all",
            "--as", "Rev")
    assert r.code == 2 and "did you mean 2026-02/oita-bay-area?" in r.err


def test_counts_are_grammatical(sample_committed, cli, tmp_path, monkeypatch):
    from l10n.cli.common import plural

    assert [plural(1, "entry"), plural(2, "entry"), plural(1, "file"), plural(0, "article")] == \
        ["1 entry", "2 entries", "1 file", "0 articles"]
    monkeypatch.chdir(tmp_path)
    tmx = tmp_path / "one.tmx"
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                   'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
                   'adminlang="en" srclang="ja" datatype="plaintext"/><body><tu>'
                   '<tuv xml:lang="ja"><seg>外務省</seg></tuv><tuv xml:lang="ko"><seg>외무성</seg>'
                   '</tuv></tu></body></tmx>\n', "utf-8")
    r = cli("-C", str(sample_committed), "tm", "import", "one.tmx")
    assert r.code == 0 and "read 1 pair from" in r.out
    r = cli("-C", str(sample_committed), "build", "--out", "site", "--lang", "ko", "--partial")
    assert not re.search(r"\b1 (files|entries|articles|conflicts)\b", r.out + r.err)


# --------------------------------------------------------------------------- inert output
ESC = "\x1b]0;pwned\x07\x1b[2J"
RLO = "\u202e"  # right-to-left override: a PO file may hold it, the terminal must not act on it


def _plant(root: Path, text: str) -> int:
    """Text in a Korean translation (as a hostile merge could bring in)."""
    path = root / KO
    cat = po.read(path)
    n, e = next((i, x) for i, x in enumerate(cat.active(), 1) if review.state(x) == review.TRANSLATED
                and x.msgctxt == "body")
    e.msgstr = f"{text}{e.msgstr} 大分"  # Japanese left over: an error finding for check
    path.write_bytes(po.serialize(cat))
    return n


def test_bidi_controls_in_a_translation_are_shown_inert(sample_committed, cli):
    root = sample_committed
    n = _plant(root, RLO + "txet")
    outputs = [cli("-C", str(root), "check", ART, "--lang", "ko"),
               cli("-C", str(root), "status", ART, "--lang", "ko"),
               cli("-C", str(root), "approve", ART, "--lang", "ko", "--entry", str(n), "--as", "R"),
               cli("-C", str(root), "check", ART, "--lang", "ko", "--json")]
    for r in outputs:
        assert RLO not in r.out + r.err, r.out + r.err
    assert "\\u202etxet" in outputs[1].out  # status shows the translation, inert
    assert outputs[2].code == 1


def test_an_escape_sequence_smuggled_into_a_catalog_is_refused_and_shown_inert(sample_committed, cli):
    """The writer never writes one (tests/test_po_attacks.py); a hand-edited file that holds
    one raw, or as GNU's octal escape, stops every command with the file and line, and the
    message itself shows the bytes inert."""
    path = sample_committed / KO
    text = path.read_text("utf-8")
    i = text.index('msgstr "', text.index('msgctxt "body"')) + len('msgstr "')
    for planted in (ESC, "\\033]0;pwned\\007"):
        path.write_text(text[:i] + planted + text[i:], "utf-8")
        for args in (["check", ART, "--lang", "ko"], ["status", ART, "--lang", "ko"]):
            r = cli("-C", str(sample_committed), *args)
            assert r.code == 2, (args, r.out, r.err)
            assert "\x1b" not in r.out + r.err and "\x07" not in r.out + r.err
            assert re.search(r"oita-bay-area\.po:\d+: ", r.err), r.err  # the file and its line


def test_inert_escapes_controls_and_bidi_but_keeps_text():
    from l10n.display import inert

    assert inert("大分県 café ok") == "大分県 café ok"
    assert inert("a\x1b[31mb\x9bc\u202ed\ne") == "a\\x1b[31mb\\x9bc\\u202ed\\x0ae"
    assert inert("one\ntwo\x1b", keep_newlines=True) == "one\ntwo\\x1b"


def test_error_messages_are_inert(sample_committed, cli):
    r = cli("-C", str(sample_committed), "approve", ART, "--lang", "ko", "--msgid",
            "\x1b[2J消えろ", "--as", "R")
    assert r.code == 2 and "\x1b" not in r.err and "\\x1b[2J" in r.err


def test_json_output_escapes_what_json_leaves_raw(capsys):
    import json

    from l10n.cli.common import print_json

    value = {"msgstr": "a\x1bb\x9bc\u202ed 대분"}
    print_json(value)
    out = capsys.readouterr().out
    assert not re.search("[\x1b\x9b\u202e]", out)
    assert json.loads(out) == value
