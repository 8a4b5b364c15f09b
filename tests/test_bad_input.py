"""Bad input gets exit 2, a message that names the file and the line, and no change.

The broken files live in tests/bad_inputs/; each case says where the file goes in a
synced copy of the sample project and which command meets it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import tree_digest

BAD = Path(__file__).parent / "bad_inputs"
PO = "locales/ko/2026-02/oita-bay-area.po"
ART = "content/2026-02/oita-bay-area.md"
CFG = "l10n.yaml"
GLOSS = "locales/glossary.yaml"
ALL_PO_COMMANDS = [["status"], ["sync", "--no-mt"], ["check"],
                   ["approve", "2026-02/oita-bay-area", "--lang", "ko", "--all", "--as", "R"]]

# (file, where it goes, commands, the line the message must name or None)
CASES = [
    ("po_unterminated_string.po", PO, ALL_PO_COMMANDS, 8),
    ("po_duplicate_entry.po", PO, ALL_PO_COMMANDS, 10),
    ("po_bad_charset.po", PO, ALL_PO_COMMANDS, 1),
    ("po_no_charset.po", PO, ALL_PO_COMMANDS, 1),
    ("po_no_header.po", PO, ALL_PO_COMMANDS, 1),
    ("po_bad_header_line.po", PO, ALL_PO_COMMANDS, 3),
    ("po_msgstr_twice.po", PO, ALL_PO_COMMANDS, 8),
    ("po_keyword_typo.po", PO, ALL_PO_COMMANDS, 7),
    ("po_bad_escape.po", PO, ALL_PO_COMMANDS, 6),
    ("po_not_utf8.po", PO, ALL_PO_COMMANDS, 7),
    ("po_nul_byte.po", PO, ALL_PO_COMMANDS, 7),
    ("po_orphan_string.po", PO, ALL_PO_COMMANDS, 6),
    ("po_no_msgstr.po", PO, ALL_PO_COMMANDS, 6),
    ("po_plural_without_forms.po", PO, ALL_PO_COMMANDS, 6),
    ("po_second_header.po", PO, ALL_PO_COMMANDS, 6),
    ("po_nul_escape.po", PO, ALL_PO_COMMANDS, 7),
    ("po_msgstr_and_plural.po", PO, ALL_PO_COMMANDS, 9),
    ("po_absurd_plural.po", PO, ALL_PO_COMMANDS, 10),
    ("po_raw_escape_char.po", PO, ALL_PO_COMMANDS, 6),
    ("po_octal_not_utf8.po", PO, ALL_PO_COMMANDS, 7),
    ("article_bad_yaml.md", ART, [["sync", "--no-mt"]], 3),
    ("article_bad_indent.md", ART, [["sync", "--no-mt"]], 4),
    ("article_no_title.md", ART, [["sync", "--no-mt"]], 2),
    ("article_no_date.md", ART, [["sync", "--no-mt"]], 2),
    ("article_unclosed_front_matter.md", ART, [["sync", "--no-mt"]], 1),
    ("article_no_front_matter.md", ART, [["sync", "--no-mt"]], 1),
    ("article_shift_jis.md", ART, [["sync", "--no-mt"]], 2),
    ("article_nul_byte.md", ART, [["sync", "--no-mt"]], 6),
    ("article_front_matter_list.md", ART, [["sync", "--no-mt"]], 2),
    ("article_image_without_file.md", ART, [["sync", "--no-mt"]], 4),
    ("article_title_not_text.md", ART, [["sync", "--no-mt"]], 2),
    ("article_very_long_line.md", ART, [["sync", "--no-mt"]], 6),
    ("article_image_file_newline.md", ART, [["sync", "--no-mt"]], 4),
    ("article_title_escape_char.md", ART, [["sync", "--no-mt"]], 2),
    ("config_unknown_language.yaml", CFG, [["status"], ["sync", "--no-mt"]], 5),
    ("config_bad_deepl_code.yaml", CFG, [["status"]], 4),
    ("config_bad_yaml.yaml", CFG, [["status"]], 2),
    ("config_unknown_key.yaml", CFG, [["status"]], 4),
    ("config_bad_choice.yaml", CFG, [["status"]], 4),
    ("config_path_outside.yaml", CFG, [["status"]], 5),
    ("config_non_japanese_source.yaml", CFG, [["status"]], 2),
    ("config_bad_bool.yaml", CFG, [["status"]], 5),
    ("config_bad_date.yaml", CFG, [["status"]], 1),
    ("config_no_languages.yaml", CFG, [["status"]], 1),
    ("config_project_nul.yaml", CFG, [["status"], ["sync", "--no-mt"]], 1),
    ("glossary_duplicate_term.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 3),
    ("glossary_missing_ja.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 1),
    ("glossary_bad_yaml.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 2),
]


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    from l10n.cli import main
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path_factory.mktemp("bad") / "sample")
    assert main(["-C", str(root), "sync", "--no-mt"]) == 0
    return root


def fresh(synced, tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(synced, root, symlinks=True)
    return root


def test_corpus_is_large_enough():
    files = sorted(p.name for p in BAD.iterdir())
    assert len(files) >= 30
    covered = {c[0] for c in CASES} | {"tmx_malformed.tmx", "tmx_entity_bomb.tmx"}
    assert set(files) <= covered, set(files) - covered


@pytest.mark.parametrize("name, dest, commands, line", CASES, ids=[c[0] for c in CASES])
def test_bad_file(name, dest, commands, line, synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    shutil.copy(BAD / name, root / dest)
    before = tree_digest(root)
    for args in commands:
        r = cli("-C", str(root), *args)
        assert r.code == 2, (args, r.out, r.err)
        assert "Traceback" not in r.err
        assert dest.split("/")[-1] in r.err, r.err
        if line is not None:
            assert f"{dest.split('/')[-1]}:{line}:" in r.err, r.err
        assert tree_digest(root) == before, f"{args} changed files"


@pytest.mark.parametrize("name, line", [("tmx_malformed.tmx", 3), ("tmx_entity_bomb.tmx", 2)])
def test_bad_tmx(name, line, synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    before = tree_digest(root)
    r = cli("-C", str(root), "tm", "import", str(BAD / name))
    assert r.code == 2, r.err
    assert f"{name}:{line}" in r.err
    assert tree_digest(root) == before


@pytest.mark.parametrize("article", ["../../etc/passwd", "2026-02/../../../etc/passwd",
                                     "/etc/passwd", "..", "2026-02/..hidden/../x"])
def test_article_ids_with_dotdot_are_refused(article, synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    before = tree_digest(root)
    for args in (["approve", article, "--lang", "ko", "--all", "--as", "R"],
                 ["reject", article, "--lang", "ko", "--msgid", "x", "--note", "n", "--as", "R"],
                 ["status", article]):
        r = cli("-C", str(root), *args)
        assert r.code == 2, (args, r.err)
        assert "not an article id" in r.err
    assert tree_digest(root) == before


def test_symlinked_catalog_pointing_out_of_the_project(synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    outside = tmp_path / "outside.po"
    shutil.copy(root / PO, outside)
    (root / PO).unlink()
    os.symlink(outside, root / PO)
    before = outside.read_bytes()
    for args in (["status"], ["approve", "2026-02/oita-bay-area", "--lang", "ko", "--all", "--as", "R"]):
        r = cli("-C", str(root), *args)
        assert r.code == 2, r.err
        assert "outside the project" in r.err and "oita-bay-area.po" in r.err
    assert outside.read_bytes() == before


def test_symlinked_article_pointing_out_of_the_project(synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: 秘密\ndate: 2026-02-01\n---\n\n秘密です。\n", "utf-8")
    os.symlink(outside, root / "content/2026-02/zz-link.md")
    before = tree_digest(root)
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 2 and "outside the project" in r.err and "zz-link.md" in r.err
    assert tree_digest(root) == before


def test_unknown_language_and_article_are_usage_errors(synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    r = cli("-C", str(root), "approve", "2026-02/oita-bay-area", "--lang", "fr", "--all", "--as", "R")
    assert r.code == 2 and "'fr'" in r.err
    r = cli("-C", str(root), "approve", "2026-02/nope", "--lang", "ko", "--all", "--as", "R")
    assert r.code == 2 and "no article" in r.err
    r = cli("-C", str(root), "status", "--bogus")
    assert r.code == 2


def test_no_project_is_exit_2(tmp_path, cli):
    r = cli("-C", str(tmp_path), "status")
    assert r.code == 2 and "l10n.yaml" in r.err
