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
    ("config_fuzzy_out_of_range.yaml", CFG, [["status"]], 5),
    ("config_min_score_out_of_range.yaml", CFG, [["status"]], 6),
    ("config_min_score_not_integer.yaml", CFG, [["status"]], 5),
    ("config_content_missing.yaml", CFG, [["status"], ["sync", "--no-mt"]], 5),
    ("config_language_without_deepl.yaml", CFG, [["status"]], 4),
    ("config_server_url_not_http.yaml", CFG, [["status"]], 5),
    ("config_project_nul.yaml", CFG, [["status"], ["sync", "--no-mt"]], 1),
    ("glossary_duplicate_term.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 3),
    ("glossary_missing_ja.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 1),
    ("glossary_bad_yaml.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 2),
    # issue 13: values PyYAML cannot build, numbers past Python's 4,300-digit int limit
    ("article_date_month_13.md", ART, [["sync", "--no-mt"], ["build", "--partial"]], 3),
    ("article_date_feb_30.md", ART, [["sync", "--no-mt"]], 3),
    ("article_date_bad_time.md", ART, [["sync", "--no-mt"]], 3),
    ("article_date_huge_number.md", ART, [["sync", "--no-mt"]], 3),
    ("article_title_huge_number.md", ART, [["sync", "--no-mt"], ["build", "--partial"]], 2),
    ("article_caption_huge_number.md", ART, [["sync", "--no-mt"]], 7),
    ("po_huge_plural_index.po", PO, ALL_PO_COMMANDS, 9),
    ("config_out_outside.yaml", CFG, [["status"], ["build"]], 20),
    ("config_out_absolute.yaml", CFG, [["status"], ["build"]], 20),
    ("config_huge_number.yaml", CFG, [["status"]], 27),
    ("glossary_huge_number.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 3),
    ("glossary_bad_date.yaml", GLOSS, [["sync", "--no-mt"], ["check"]], 1),
]

# (file, the line the message must name): `l10n tm import FILE` refuses it, changing nothing
TMX_CASES = [
    ("tmx_malformed.tmx", 3), ("tmx_entity_bomb.tmx", 2),
    ("tmx_shift_jis.tmx", 1), ("tmx_euc_jp.tmx", 1), ("tmx_latin1.tmx", 1), ("tmx_windows_1252.tmx", 1),
    ("tmx_undefined_entity.tmx", 6), ("tmx_wrong_root.tmx", 2), ("tmx_tuv_without_lang.tmx", 6),
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
    assert len(files) >= 60
    covered = {c[0] for c in CASES} | {c[0] for c in TMX_CASES}
    assert set(files) == covered, set(files) ^ covered


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


@pytest.mark.parametrize("name, line", TMX_CASES, ids=[c[0] for c in TMX_CASES])
def test_bad_tmx(name, line, synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    before = tree_digest(root)
    r = cli("-C", str(root), "tm", "import", str(BAD / name))
    assert r.code == 2, r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert f"{name}:{line}:" in r.err, r.err
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


# ------------------------------------------------------------------ folders and the disk
def _temps(root: Path) -> list[str]:
    return [p.as_posix() for p in root.rglob("*.tmp")]


@pytest.mark.parametrize("loop", ["parent", "pair", "self"])
def test_a_symlink_loop_in_content_is_bad_input(loop, synced, tmp_path, cli):
    root = fresh(synced, tmp_path)
    content = root / "content"
    if loop == "parent":
        os.symlink("..", content / "2026-02" / "back")
    elif loop == "pair":
        os.symlink("loop-b", content / "loop-a")
        os.symlink("loop-a", content / "loop-b")
    else:
        os.symlink("me.md", content / "2026-02" / "me.md")
    before = tree_digest(root)
    for args in (["sync", "--no-mt"], ["status"], ["build", "--partial"]):
        r = cli("-C", str(root), *args)
        assert r.code == 2, (args, r.err)
        assert "internal error" not in r.err
        assert ("back" if loop == "parent" else "loop-" if loop == "pair" else "me.md") in r.err
    assert tree_digest(root) == before


def _change_article(root: Path) -> None:
    art = root / ART
    art.write_text(art.read_text("utf-8").replace("ベイエリアを訪問しました。", "ベイエリアを訪れました。"),
                   "utf-8")


@pytest.mark.parametrize("what", ["catalog", "folder", "cache"])
def test_read_only_files_are_a_clear_disk_error(what, synced, tmp_path, cli):
    """A read-only catalog, catalog folder or .l10n/: exit 1 naming it, not a crash, and
    no file half-written (every file old or new, no temporary file left)."""
    root = fresh(synced, tmp_path)
    _translate_ko(root)
    _change_article(root)
    target = {"catalog": root / PO, "folder": (root / PO).parent, "cache": root / ".l10n"}[what]
    mode = target.stat().st_mode
    os.chmod(target, 0o555 if target.is_dir() else 0o444)
    before = tree_digest(root)
    try:
        args = APPROVE if what == "catalog" else ["sync", "--no-mt"]
        r = cli("-C", str(root), *args)
    finally:
        os.chmod(target, mode)
    assert r.code == 1, r.err
    assert "internal error" not in r.err and "read-only" in r.err
    assert target.name in r.err
    assert not _temps(root)
    if what == "catalog":
        assert tree_digest(root) == before


def _translate_ko(root: Path) -> None:
    """Give every entry of the ko catalog a translation, so that `approve` has work."""
    from l10n.project import Project
    from l10n.workspace import update_catalog

    def fill(cat):
        for e in cat.entries:
            if not e.obsolete and not e.msgstr:
                e.msgstr = "번역"

    update_catalog(Project(root), "ko", "2026-02/oita-bay-area", fill)


APPROVE = ["approve", "2026-02/oita-bay-area", "--lang", "ko", "--all", "--as", "R"]


@pytest.mark.parametrize("fail", ["fsync", "write"])
def test_a_full_disk_is_exit_1_and_keeps_the_old_file(fail, synced, tmp_path, cli, monkeypatch):
    """ENOSPC where a real full disk reports it (the write, or the fsync of delayed
    allocation): exit 1 naming the file, the catalog keeps its old bytes, no temp file."""
    import errno

    import l10n.storage

    root = fresh(synced, tmp_path)
    _translate_ko(root)
    before = tree_digest(root)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if fail == "fsync":
        monkeypatch.setattr(os, "fsync", full)
    else:
        real_fdopen = os.fdopen
        monkeypatch.setattr(l10n.storage.os, "fdopen", lambda fd, *a, **k: _FullFile(real_fdopen(fd, *a, **k)))
    r = cli("-C", str(root), *APPROVE)
    assert r.code == 1, r.err
    assert "No space left on device" in r.err and "oita-bay-area.po" in r.err
    assert "internal error" not in r.err
    assert tree_digest(root) == before
    assert not _temps(root)


class _FullFile:
    """A file whose writes fail the way a full disk makes them fail."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, data):
        import errno

        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.f, name)


@pytest.mark.parametrize("rel", ["locales/glossary.yaml", "content/.gitkeep", ".gitignore"])
def test_init_never_overwrites_a_file_that_exists(rel, tmp_path, cli):
    root = tmp_path / "new"
    existing = root / rel
    existing.parent.mkdir(parents=True)
    mine = "- ja: 東京都\n  en: Tokyo\n" if rel.endswith(".yaml") else "my own line\n"
    existing.write_text(mine, "utf-8")
    r = cli("init", str(root))
    assert r.code == 0, r.err
    assert (root / "l10n.yaml").is_file()
    if rel == ".gitignore":  # init may add its lines to it, never drop the user's
        assert existing.read_text("utf-8").startswith(mine)
    else:
        assert existing.read_text("utf-8") == mine
    assert not list(root.rglob("*.tmp"))


def test_a_huge_l10n_jobs_is_not_a_crash(synced, tmp_path, cli, monkeypatch):
    """L10N_JOBS of over 4,300 digits (Python's int limit) was an internal error."""
    root = fresh(synced, tmp_path)
    _change_article(root)
    monkeypatch.setenv("L10N_JOBS", "9" * 5000)
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 0, r.err
    assert "internal error" not in r.err


def test_a_disk_that_fills_up_during_a_sync_leaves_every_file_whole(synced, tmp_path, cli,
                                                                      monkeypatch):
    """The disk fills up after two files: exit 1, no temporary file, every catalog and
    template old or new and valid; the next sync (space freed) finishes the job exactly
    as an undisturbed sync does."""
    import errno

    from l10n import catalog as po

    root, clean = fresh(synced, tmp_path), tmp_path / "clean"
    _change_article(root)
    shutil.copytree(root, clean, symlinks=True)
    assert cli("-C", str(clean), "sync", "--no-mt").code == 0
    real_fsync, calls = os.fsync, [0]

    def filling(fd):
        calls[0] += 1
        if calls[0] > 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", filling)
    r = cli("-C", str(root), "sync", "--no-mt")
    assert r.code == 1, r.err
    assert "No space left on device" in r.err and "internal error" not in r.err
    assert not _temps(root)
    for p in [*root.rglob("*.po"), *root.rglob("*.pot")]:
        po.read(p)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert cli("-C", str(root), "sync", "--no-mt").code == 0
    assert tree_digest(root) == tree_digest(clean)
