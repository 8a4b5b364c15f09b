"""Attacks on confinement: no command reads or writes outside the project root (symlinks
resolved), except an output or TMX path the user typed on the command line.

Each case plants a symlink that leads out of the project (where the catalogs, templates,
caches, lock files or build output go) and checks that the command refuses with exit 2,
naming the path, and that nothing outside changed: not a file written, overwritten or
truncated, not a temporary file left there.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_sample, tree_digest

AID = "2026-02/oita-bay-area"
ART = f"content/{AID}.md"
APPROVE = ["approve", AID, "--lang", "en", "--all", "--as", "R"]


def snapshot(d: Path) -> dict[str, bytes]:
    """Every entry under d (files, links, folders) with its bytes: what 'unchanged' means."""
    out = {}
    for p in sorted(d.rglob("*")):
        rel = p.relative_to(d).as_posix()
        out[rel] = p.read_bytes() if p.is_file() and not p.is_symlink() else b"<dir or link>"
    return out


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    from l10n.cli import main

    root = copy_sample(tmp_path_factory.mktemp("conf") / "sample")
    assert main(["-C", str(root), "sync", "--no-mt"]) == 0
    return root


@pytest.fixture
def project(synced, tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(synced, root, symlinks=True)
    return root


def change_article(root: Path) -> None:
    art = root / ART
    art.write_text(art.read_text("utf-8").replace("ベイエリアを訪問しました。", "ベイエリアを訪れました。"),
                   "utf-8")


def move_out(root: Path, rel: str, outside: Path, keep: bool = True) -> None:
    """Replace project folder `rel` by a symlink to `outside` (holding its files if keep)."""
    src = root / rel
    if keep and src.exists():
        shutil.move(str(src), str(outside))
    else:
        if src.exists():
            shutil.rmtree(src)
        outside.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, src)


@pytest.mark.parametrize("rel", ["locales/en", "locales/templates", "locales/en/2026-02",
                                 "locales/templates/2026-02"])
@pytest.mark.parametrize("keep", [True, False], ids=["with-files", "empty"])
def test_a_symlinked_locales_folder_makes_sync_refuse(rel, keep, project, tmp_path, cli):
    outside = tmp_path / "outside" / "dir"
    outside.parent.mkdir()
    move_out(project, rel, outside, keep)
    change_article(project)
    before_out, before_in = snapshot(outside.parent), tree_digest(project)
    r = cli("-C", str(project), "sync", "--no-mt")
    assert r.code == 2, (r.out, r.err)
    assert rel.split("/")[1] in r.err and "outside the project" in r.err, r.err
    assert snapshot(outside.parent) == before_out  # nothing written there, no temp file
    assert tree_digest(project) == before_in  # and the sync stopped before any write


@pytest.mark.parametrize("args", [["status"], ["check"], APPROVE, ["build", "--partial"]])
def test_every_command_refuses_a_symlinked_language_folder(args, project, tmp_path, cli):
    """Even when the folder outside holds no catalog yet (nothing to trip over on read)."""
    outside = tmp_path / "outside"
    move_out(project, "locales/en", outside, keep=False)
    before = snapshot(outside)
    r = cli("-C", str(project), *args)
    assert r.code == 2, (args, r.out, r.err)
    assert "locales/en" in r.err and "outside the project" in r.err
    assert snapshot(outside) == before


def test_a_fresh_project_with_a_symlinked_language_folder_writes_nothing(sample, tmp_path, cli):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (sample / "locales" / "en").symlink_to(outside)
    r = cli("-C", str(sample), "sync", "--no-mt")
    assert r.code == 2 and "locales/en" in r.err, r.err
    assert list(outside.iterdir()) == []
    assert not (sample / "locales" / "templates").exists()


def test_a_symlinked_cache_folder_is_refused(project, tmp_path, cli):
    outside = tmp_path / "cache"
    move_out(project, ".l10n", outside)
    change_article(project)
    before = snapshot(outside)
    for args in (["sync", "--no-mt"], APPROVE, ["status"]):
        r = cli("-C", str(project), *args)
        assert r.code == 2, (args, r.err)
        assert ".l10n" in r.err and "outside the project" in r.err
    assert snapshot(outside) == before


@pytest.mark.parametrize("entry", ["locks", "memory.sqlite", "sync-state.json"])
def test_a_symlinked_entry_of_the_cache_folder_is_refused(entry, project, tmp_path, cli):
    target = project / ".l10n" / entry
    outside = tmp_path / "outside" / entry
    outside.parent.mkdir()
    if target.is_dir():
        move_out(project, f".l10n/{entry}", outside)
    else:
        outside.write_bytes(b"precious: not a cache\n")
        if target.exists():
            target.unlink()
        target.symlink_to(outside)
    change_article(project)
    before = snapshot(outside.parent)
    r = cli("-C", str(project), "sync", "--no-mt")
    assert r.code == 2, r.err
    assert entry in r.err and "outside the project" in r.err
    assert snapshot(outside.parent) == before


def test_a_planted_lock_file_symlink_does_not_truncate_its_target(project, tmp_path, cli):
    """filelock opens a lock file with O_TRUNC: a lock file that is a symlink would empty
    whatever it points to."""
    from l10n.storage import lock_path

    victim = tmp_path / "victim.txt"
    victim.write_text("important\n")
    catalog = project / "locales" / "en" / f"{AID}.po"
    lock = lock_path(project / ".l10n", catalog)
    if lock.exists():
        lock.unlink()
    lock.symlink_to(victim)
    r = cli("-C", str(project), *APPROVE)
    assert r.code == 2, r.err
    assert lock.name in r.err and "symlink" in r.err
    assert victim.read_text() == "important\n"


@pytest.mark.parametrize("where", ["--out", "config"])
def test_a_symlinked_folder_in_the_build_output_is_refused(where, project, tmp_path, cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "site" if where == "--out" else project / "build"
    out.mkdir()
    (out / "en").symlink_to(outside)
    args = ["build", "--partial"] + (["--out", str(out)] if where == "--out" else [])
    r = cli("-C", str(project), *args)
    assert r.code == 2, (r.out, r.err)
    assert "output folder" in r.err and "symbolic link" in r.err and "/en" in r.err
    assert list(outside.iterdir()) == []
    assert not (out / "ko").exists()  # refused before any file was written


def test_build_writes_where_the_user_typed(project, tmp_path, cli):
    """--out is the user's choice: outside the project is fine."""
    out = tmp_path / "site"
    r = cli("-C", str(project), "build", "--partial", "--out", str(out))
    assert r.code == 0, r.err
    assert (out / "en" / "index.html").is_file()


def test_a_symlinked_memory_file_is_neither_read_nor_written(project, tmp_path, cli):
    from l10n.memory import TranslationMemory
    from l10n.tmx import export_tmx

    outside = tmp_path / "someone-elses.tmx"
    tm = TranslationMemory()
    tm.add("en", "秘密", "secret", "x")
    export_tmx(tm, outside)
    (project / "locales" / "memory.tmx").symlink_to(outside)
    mine = tmp_path / "mine.tmx"
    tm2 = TranslationMemory()
    tm2.add("en", "大分県", "Oita Prefecture", "y")
    export_tmx(tm2, mine)
    before = outside.read_bytes()
    r = cli("-C", str(project), "tm", "import", str(mine))
    assert r.code == 2, r.err
    assert "memory.tmx" in r.err and "outside the project" in r.err
    assert outside.read_bytes() == before
    assert (project / "locales" / "memory.tmx").is_symlink()


def test_tm_export_writes_where_the_user_typed(project, tmp_path, cli):
    dest = tmp_path / "elsewhere" / "export.tmx"
    dest.parent.mkdir()
    r = cli("-C", str(project), "tm", "export", str(dest))
    assert r.code == 0, r.err
    assert dest.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_a_symlinked_configuration_file_is_not_read(project, tmp_path, cli):
    secret = tmp_path / "secret.yaml"
    secret.write_text("project: x\nlanguages: {en: }\napi_key: hunter2\n")
    (project / "l10n.yaml").unlink()
    (project / "l10n.yaml").symlink_to(secret)
    r = cli("-C", str(project), "status")
    assert r.code == 2, r.err
    assert "l10n.yaml" in r.err and "outside the project" in r.err
    assert "hunter2" not in r.err + r.out and "api_key" not in r.err + r.out
