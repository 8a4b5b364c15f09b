"""A no-op `l10n sync --no-mt` answered from its record (l10n/sync_noop.py).

The promise: the record answers only when the full sync would find nothing to do, and
then prints exactly what the full sync prints. Each attack below changes one thing the
decision rests on and checks that the record no longer answers (`replay` is None) and
that what the command then does is what the full sync does.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import sync_noop
from l10n.cli import main
from l10n.cli.commands import run
from tests.conftest import REPO

NOOP = "5 articles, 5 unchanged, 0 changed\n"
ART = "2026-02/oita-bay-area"


def full(capsys, root: Path, *extra: str) -> tuple[int, str, str]:
    """The full sync (argparse, the one driver), as before this record existed."""
    capsys.readouterr()
    code = run(["-C", str(root), "sync", "--no-mt", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def fast(root: Path) -> str | None:
    return sync_noop.replay(str(root))


@pytest.fixture
def synced(sample, capsys) -> Path:
    """The sample, synced; the sync left a record of the no-op to come."""
    assert full(capsys, sample)[0] == 0
    assert fast(sample) is not None
    return sample


def same_file_times(path: Path, st: os.stat_result) -> None:
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


# ------------------------------------------------------------------ a real no-op

def test_the_answer_is_the_full_syncs_output_byte_for_byte(synced, capsys):
    answer = fast(synced)
    code, out, err = full(capsys, synced)
    assert code == 0 and err == ""
    assert answer == out and out.startswith(NOOP)
    assert "note: machine translation off (--no-mt)\n" in out
    # and the command itself, through its entry point, prints the same and exits 0
    capsys.readouterr()
    assert main(["-C", str(synced), "sync", "--no-mt"]) == 0
    assert capsys.readouterr() == (out, "")


def test_the_console_script_prints_the_same_bytes_in_a_fresh_process(synced, capsys):
    code, out, _ = full(capsys, synced)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    p = subprocess.run([sys.executable, "-m", "l10n", "sync", "--no-mt"], cwd=synced / "content",
                       env=env, capture_output=True)
    assert (p.returncode, p.stdout, p.stderr) == (0, out.encode(), b"")


def test_the_answer_loads_neither_yaml_nor_argparse_nor_the_command_table(synced):
    # nor `re` or `collections` (through `array`): each costs a no-op several ms
    code = ("import sys; before = set(sys.modules); from l10n.cli import main; "
            "rc = main(['-C', sys.argv[1], 'sync', '--no-mt']); "
            "heavy = {'yaml', 'argparse', 'babel', 'pathlib', 'l10n.cli.commands', 'l10n.sync', "
            "'l10n.config', 'dataclasses', 're', 'array', 'collections', 'operator'} "
            "& (set(sys.modules) - before); print(rc, sorted(heavy))")
    # without `site` (-S), whose hooks (an editable install's finder) load some of them
    # first; the libraries' folder given as a path instead
    import sysconfig

    path = os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]])
    p = subprocess.run([sys.executable, "-S", "-c", code, str(synced)], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=path))
    assert p.stdout.splitlines()[-1] == "0 []", p.stdout + p.stderr


def test_a_project_without_articles_gets_the_same_answer(tmp_path, capsys):
    root = tmp_path / "empty"
    capsys.readouterr()
    assert main(["init", str(root)]) == 0
    assert full(capsys, root)[0] == 0
    answer = fast(root)
    code, out, _ = full(capsys, root)
    assert code == 0 and answer == out and out.startswith("0 articles, 0 unchanged, 0 changed\n")


def test_an_orphan_template_is_reported_the_same_way(synced, capsys):
    tpl = synced / "locales" / "templates" / "2026-02" / "gone.pot"
    shutil.copy(synced / "locales" / "templates" / f"{ART}.pot", tpl)
    assert fast(synced) is None  # a new file under templates/
    code, out, _ = full(capsys, synced)
    assert code == 0 and "note: 2026-02/gone has a template but no article" in out
    assert fast(synced) == out  # recorded with its note


@pytest.mark.parametrize("argv", [["sync", "--no-mt", "-C", "{root}"],
                                  ["sync", "-C", "{root}", "--no-mt"],
                                  ["-C", "{root}", "sync", "--no-mt"]])
def test_every_spelling_of_C_is_answered_from_the_record(synced, capsys, monkeypatch, argv):
    out = fast(synced)
    monkeypatch.setattr("l10n.cli.commands.run", lambda argv: pytest.fail("full path"))
    capsys.readouterr()
    assert main([a.format(root=synced) for a in argv]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("extra", [["--json"], ["--dry-run"], ["--lang", "en"]])
def test_other_options_take_the_full_path(synced, capsys, extra):
    code, out, _ = full(capsys, synced, *extra)
    capsys.readouterr()
    assert main(["-C", str(synced), "sync", "--no-mt", *extra]) == code
    assert capsys.readouterr().out == out


def test_a_subfolder_finds_the_project_as_the_full_sync_does(synced, capsys, monkeypatch):
    out = fast(synced)
    monkeypatch.chdir(synced / "content" / "2026-02")
    capsys.readouterr()
    assert main(["sync", "--no-mt"]) == 0
    assert capsys.readouterr().out == out
    # a nearer l10n.yaml makes another project: the record of this one does not answer
    (synced / "content" / "l10n.yaml").write_text((synced / "l10n.yaml").read_text("utf-8"), "utf-8")
    assert sync_noop.replay(os.getcwd()) is None


# ------------------------------------- the catalogs stated by a forked child meanwhile

SPLIT = """
import json, os, sys
from l10n import sync_noop
sync_noop.SPLIT_FROM = 1  # the sample's 15 catalogs are enough to split
same_keys = sync_noop._same_keys
def counted(paths, keys):
    os.write(fd, json.dumps([os.getpid(), len(paths)]).encode() + b"\\n")
    return same_keys(paths, keys)
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND)
sync_noop._same_keys = counted
out = sync_noop.replay(sys.argv[1], split=True)
try:
    os.waitpid(-1, os.WNOHANG)
    left = "a child"
except ChildProcessError:
    left = "none"
print(json.dumps([out, os.getpid(), left]))
"""


def split_replay(root: Path, tmp_path: Path) -> tuple[str | None, dict[str, int]]:
    """replay(split=True) in a fresh interpreter (one thread: what the console script
    is); its answer, and how many files each role stat'ed ("here", "child")."""
    log = tmp_path / "stats.log"
    log.write_bytes(b"")
    p = subprocess.run([sys.executable, "-c", SPLIT, str(root), str(log)], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=str(REPO)), check=True)
    out, pid, left = json.loads(p.stdout)
    assert left == "none"  # the child was reaped, whatever the answer
    counts = {"here": 0, "child": 0}
    for line in log.read_text().splitlines():
        who, n = json.loads(line)
        counts["here" if who == pid else "child"] += n
    return out, counts


def test_catalogs_stated_by_a_forked_child_give_the_same_answer(synced, tmp_path):
    out, counts = split_replay(synced, tmp_path)
    assert out == fast(synced) and out.startswith(NOOP)
    assert counts == {"here": 10, "child": 15}  # articles and templates; 3 x 5 catalogs


@pytest.mark.parametrize("change", ["touched", "deleted"])
def test_a_catalog_changed_in_the_childs_share_is_seen(synced, tmp_path, capsys, change):
    cat = synced / "locales" / "es" / f"{ART}.po"  # the last language: the child's
    if change == "touched":
        st = cat.stat()
        os.utime(cat, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    else:
        cat.unlink()
    out, counts = split_replay(synced, tmp_path)
    assert out is None and counts["child"] > 0
    assert full(capsys, synced)[0] == 0 and fast(synced) is not None


def test_a_child_that_dies_or_fails_means_differs_and_a_refused_fork_checks_here(tmp_path):
    code = ("import os, sys\n"
            "from l10n.sync_noop import _Meanwhile\n"
            "def dies(): os._exit(0)\n"
            "def fails(): raise OSError\n"
            "def truthy(): return 1\n"
            "def ok(): return True\n"
            "got = []\n"
            "for check in (dies, fails, truthy, ok):\n"
            "    with _Meanwhile(check, True) as m:\n"
            "        assert m.pid is not None and m.pid != os.getpid()\n"
            "        got.append(m.result())\n"
            "def refused(): raise OSError(11, 'no more processes')\n"
            "os.fork = refused\n"
            "for check in (fails, truthy, ok):\n"
            "    with _Meanwhile(check, True) as m:\n"
            "        assert m.pid is None\n"
            "        try:\n"
            "            got.append(m.result())\n"
            "        except OSError:\n"
            "            got.append('raised')\n"
            "print(got, len(os.listdir('/proc/self/fd')) if os.path.isdir('/proc/self/fd') else 0)\n")
    before = ("import os; print(len(os.listdir('/proc/self/fd')) "
              "if os.path.isdir('/proc/self/fd') else 0)")
    fds = subprocess.run([sys.executable, "-c", before], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(REPO))).stdout.split()[0]
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO)))
    # a refused fork: the check runs here, where a missing file raises as it always did
    assert p.stdout == f"[False, False, False, True, 'raised', 1, True] {fds}\n", p.stderr


def test_the_console_script_splits_its_stats(synced, capsys):
    """main() with no argv is the process itself: it forks once, prints the answer."""
    code = ("import os, sys\n"
            "from l10n import sync_noop\n"
            "from l10n.cli import main\n"
            "sync_noop.SPLIT_FROM = 1\n"
            "fork = os.fork\n"
            "def counted():\n"
            "    os.write(2, b'fork\\n')\n"
            "    return fork()\n"
            "os.fork = counted\n"
            "sys.argv = ['l10n', '-C', sys.argv[1], 'sync', '--no-mt']\n"
            "main()\n")
    p = subprocess.run([sys.executable, "-c", code, str(synced)], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert (p.returncode, p.stdout, p.stderr) == (0, fast(synced), "fork\n")


def test_a_call_in_a_running_process_never_forks(synced, capsys, monkeypatch):
    """main(argv) from other code (this test, a shell in Python) shares its process:
    only the console script itself, main(), may fork."""
    monkeypatch.setattr(sync_noop, "SPLIT_FROM", 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    out = fast(synced)
    capsys.readouterr()
    assert main(["-C", str(synced), "sync", "--no-mt"]) == 0
    assert capsys.readouterr().out == out


# ------------------------------------------------------------------ attacks: the files

def test_a_touched_article_is_not_a_no_op(synced, capsys):
    f = synced / "content" / f"{ART}.md"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert fast(synced) is None
    before = (synced / ".l10n" / "sync-state.json").read_bytes()
    assert full(capsys, synced)[0] == 0
    # the full sync re-read it and recorded the new time: the record could not have
    assert (synced / ".l10n" / "sync-state.json").read_bytes() != before


def test_an_edited_article_is_merged(synced, capsys):
    f = synced / "content" / f"{ART}.md"
    f.write_text(f.read_text("utf-8").replace("。", "。新しい文です。", 1), "utf-8")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and "1 changed" in out and f"  {ART}: new" in out


def test_a_catalog_replaced_with_the_same_size_and_time_is_seen(synced, capsys):
    cat = synced / "locales" / "ko" / f"{ART}.po"
    st = cat.stat()
    twin = cat.with_suffix(".tmp")
    shutil.copyfile(cat, twin)
    same_file_times(twin, st)
    os.replace(twin, cat)  # same bytes, size and mtime: only the inode differs
    assert cat.stat().st_ino != st.st_ino and cat.stat().st_mtime_ns == st.st_mtime_ns
    assert fast(synced) is None
    assert full(capsys, synced)[0] == 0
    assert fast(synced) is not None  # the full sync recorded the new catalog


def test_a_deleted_template_is_written_again(synced, capsys):
    (synced / "locales" / "templates" / f"{ART}.pot").unlink()
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and "1 changed" in out
    assert (synced / "locales" / "templates" / f"{ART}.pot").exists()


def test_a_deleted_catalog_is_written_again(synced, capsys):
    (synced / "locales" / "es" / f"{ART}.po").unlink()
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and "1 changed" in out


def test_a_new_article_is_not_a_no_op(synced, capsys):
    shutil.copy(synced / "content" / f"{ART}.md", synced / "content" / "2026-02" / "copy.md")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith("6 articles, 5 unchanged, 1 changed")


# ------------------------------------------- the walk saved by the folders' stat keys

def recorded_dirs(root: Path) -> list[str]:
    rec = sync_noop._unpack((root / ".l10n" / sync_noop.RECORD).read_bytes())
    return sync_noop._names(rec["dirs"])


def test_the_record_vouches_for_every_folder_it_saves_walking(synced):
    dirs = recorded_dirs(synced)
    assert str(synced / "content") in dirs and str(synced / "locales" / "templates") in dirs
    assert str(synced / "content" / "2026-02") in dirs
    assert all(Path(d).is_dir() for d in dirs)


def walk_counter(monkeypatch) -> list[str]:
    walked: list[str] = []
    for name in ("articles", "orphans"):
        real = getattr(sync_noop, name)
        monkeypatch.setattr(sync_noop, name,
                            lambda *a, _real=real, _n=name: walked.append(_n) or _real(*a))
    return walked


def test_a_no_op_lists_no_folder_and_a_changed_folder_is_walked(synced, monkeypatch):
    walked = walk_counter(monkeypatch)
    assert fast(synced) is not None and walked == []
    os.chmod(synced / "content" / "2026-02", 0o755)  # its ctime moves: walked again
    assert fast(synced) is not None and walked == ["articles", "orphans"]


def test_a_new_article_with_its_folders_times_put_back_is_seen(synced, capsys):
    """An article added, then its folder's mtime set back to the recorded one (what a
    careless copy tool does): the folder's ctime still tells, and the walk finds it."""
    d = synced / "content" / "2026-02"
    st = d.stat()
    shutil.copy(d / "oita-bay-area.md", d / "copy.md")
    os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert d.stat().st_mtime_ns == st.st_mtime_ns
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith("6 articles, 5 unchanged, 1 changed")


def test_an_orphan_template_in_a_new_subfolder_is_seen(synced, capsys):
    pot = synced / "locales" / "templates" / f"{ART}.pot"
    (synced / "locales" / "templates" / "2019-01").mkdir()
    shutil.copy(pot, synced / "locales" / "templates" / "2019-01" / "gone.pot")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and "2019-01/gone has a template but no article" in out


def test_a_folder_changed_in_the_clocks_current_tick_is_not_vouched_for(
        synced, capsys, monkeypatch):
    """A folder whose times are not older than the filesystem's clock when it is listed
    could change again within the same tick unseen: such a record walks every time."""
    real = sync_noop._dir_key
    monkeypatch.setattr(sync_noop, "_dir_key",
                        lambda p: (lambda k: (k[0], k[1] + 10**18, k[2]))(real(p)))
    f = synced / "content" / f"{ART}.md"
    os.utime(f)  # a sync that does something writes a new record
    assert full(capsys, synced)[0] == 0
    assert recorded_dirs(synced) == []
    monkeypatch.setattr(sync_noop, "_dir_key", real)
    walked = walk_counter(monkeypatch)
    assert fast(synced) is not None and walked == ["articles", "orphans"]
    shutil.copy(f, f.with_name("copy.md"))
    assert fast(synced) is None


def test_a_removed_article_is_not_a_no_op(synced, capsys):
    (synced / "content" / f"{ART}.md").unlink()
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and f"note: {ART} has a template but no article" in out


def test_an_article_renamed_with_its_template_and_catalogs_is_a_new_article(synced, capsys):
    # every file keeps its inode, size and time: only the ids tell the change
    old, new = ART, "2026-02/oita-bay-area-2"
    for d, ext in (("content", ".md"), ("locales/templates", ".pot"), ("locales/en", ".po"),
                   ("locales/ko", ".po"), ("locales/es", ".po")):
        os.rename(synced / d / f"{old}{ext}", synced / d / f"{new}{ext}")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith("5 articles, 4 unchanged, 1 changed")


def test_a_symlinked_article_is_left_to_the_full_sync(synced, capsys, tmp_path):
    outside = tmp_path / "outside.md"
    f = synced / "content" / f"{ART}.md"
    shutil.move(f, outside)
    f.symlink_to(outside)  # same file, same stat key, now outside the project
    assert fast(synced) is None
    code, out, err = full(capsys, synced)
    assert (code, out) == (0, fast(synced) or out)


def test_a_locales_folder_symlinked_to_a_copy_outside_is_refused(synced, capsys, tmp_path):
    shutil.copytree(synced / "locales" / "en", tmp_path / "en")
    shutil.rmtree(synced / "locales" / "en")
    (synced / "locales" / "en").symlink_to(tmp_path / "en")
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "leads outside the project" in err
    capsys.readouterr()
    assert main(["-C", str(synced), "sync", "--no-mt"]) == 2


def test_a_locales_folder_moved_out_behind_a_symlink_gets_the_full_syncs_answer(
        synced, capsys, tmp_path):
    # the same files (same inodes) behind a link: the full sync's no-op reads nothing
    # through the folder and does not refuse it; the record's answer is that same answer
    shutil.move(synced / "locales" / "en", tmp_path / "en")
    (synced / "locales" / "en").symlink_to(tmp_path / "en")
    answer = fast(synced)
    code, out, _ = full(capsys, synced)
    assert answer in (None, out) and code == 0


# ------------------------------------------------------------------ attacks: configuration

def test_an_edited_configuration_is_not_a_no_op(synced, capsys):
    cfg = synced / "l10n.yaml"
    cfg.write_text(cfg.read_text("utf-8") + "# a comment\n", "utf-8")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith(NOOP)  # every article re-read under the new digest


def test_a_broken_configuration_with_the_same_size_and_time_is_refused(synced, capsys):
    cfg = synced / "l10n.yaml"
    st = cfg.stat()
    text = cfg.read_text("utf-8")
    broken = text.replace("segmentation: sentence", "segmentation: sentencX")
    assert len(broken) == len(text) and broken != text
    with open(cfg, "r+", encoding="utf-8") as f:  # in place: the same inode
        f.write(broken)
    same_file_times(cfg, st)
    assert cfg.stat().st_ino == st.st_ino and cfg.stat().st_size == st.st_size
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "segmentation" in err
    capsys.readouterr()
    assert main(["-C", str(synced), "sync", "--no-mt"]) == 2


def test_a_configuration_behind_a_symlink_is_left_to_the_full_sync(synced, capsys, tmp_path):
    cfg = synced / "l10n.yaml"
    shutil.move(cfg, tmp_path / "l10n.yaml")
    cfg.symlink_to(tmp_path / "l10n.yaml")
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "outside the project" in err


def test_an_output_folder_turned_into_a_link_out_of_the_project_is_refused(
        synced, capsys, tmp_path):
    cfg = synced / "l10n.yaml"
    assert "out: build" in cfg.read_text("utf-8")
    assert full(capsys, synced)[0] == 0 and fast(synced) is not None
    (synced / "build").symlink_to(tmp_path)  # l10n.yaml's bytes are the same
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "publishing.out" in err


def test_a_broken_glossary_with_the_same_size_and_time_is_refused(synced, capsys):
    g = synced / "locales" / "glossary.yaml"
    st = g.stat()
    raw = g.read_bytes()
    broken = raw.replace(b"- ja:", b"- ja;", 1)
    assert len(broken) == len(raw) and broken != raw
    with open(g, "r+b") as f:
        f.write(broken)
    same_file_times(g, st)
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "glossary" in err


def test_a_removed_glossary_is_not_the_recorded_one(synced, capsys):
    (synced / "locales" / "glossary.yaml").unlink()
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and fast(synced) == out  # no glossary is valid too, and recorded


# ------------------------------------------------------------------ attacks: .l10n and the record

def test_a_corrupt_sync_state_is_not_a_no_op(synced, capsys):
    (synced / ".l10n" / "sync-state.json").write_text("{not json", "utf-8")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith(NOOP)
    assert json.loads((synced / ".l10n" / "sync-state.json").read_text("utf-8"))["version"]


def test_a_sync_state_of_another_shape_is_read_as_none(synced, capsys):
    (synced / ".l10n" / "sync-state.json").write_text('[1, 2]', "utf-8")
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)  # was an internal error (exit 3): list has no .get
    assert code == 0 and out.startswith(NOOP)


def test_a_missing_gitignore_in_the_cache_is_written_by_the_full_sync(synced, capsys):
    (synced / ".l10n" / ".gitignore").unlink()
    assert fast(synced) is None
    assert full(capsys, synced)[0] == 0
    assert (synced / ".l10n" / ".gitignore").read_bytes() == b"*\n"


def test_a_cache_folder_moved_out_behind_a_symlink_is_refused(synced, capsys, tmp_path):
    shutil.move(synced / ".l10n", tmp_path / "cache")
    (synced / ".l10n").symlink_to(tmp_path / "cache")  # the same record, state and files
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "outside the project" in err


def test_a_cache_entry_linking_out_of_the_project_is_refused(synced, capsys, tmp_path):
    (synced / ".l10n" / "elsewhere").symlink_to(tmp_path)
    assert fast(synced) is None
    code, _out, err = full(capsys, synced)
    assert code == 2 and "outside the project" in err


@pytest.mark.parametrize("damage", [b"", b"garbage", sync_noop.MAGIC + b"9:abc",
                                    sync_noop.MAGIC + b"-30:abc"])
def test_a_damaged_record_is_ignored(synced, capsys, damage):
    (synced / ".l10n" / sync_noop.RECORD).write_bytes(damage)
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and out.startswith(NOOP) and fast(synced) == out


def test_a_recorded_answer_with_an_escape_sequence_is_never_written_to_the_terminal(synced, capsys):
    """Someone who can write .l10n/ plants a record whose facts all hold but whose answer
    carries a terminal escape: the fast path does not replay it."""
    path = synced / ".l10n" / sync_noop.RECORD
    rec = sync_noop._unpack(path.read_bytes())
    assert fast(synced) is not None
    rec["out"] = rec["out"].replace(b"\n", b"\x1b]0;owned\x07\n", 1)
    path.write_bytes(sync_noop._pack(rec))
    assert fast(synced) is None
    code, out, _ = full(capsys, synced)
    assert code == 0 and "\x1b" not in out


def test_a_forged_answer_in_a_record_copied_from_another_project_is_ignored(
        synced, capsys, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(synced, other, symlinks=True)
    assert fast(other) is None  # its root, its files' inodes: none of it is this project


def test_a_module_that_ran_the_sync_changed_on_disk(synced, capsys, monkeypatch, tmp_path):
    mod = tmp_path / "plugin.py"
    mod.write_text("X = 1\n", "utf-8")
    fake = type(sys)("l10n.plugin")
    fake.__file__ = str(mod)
    monkeypatch.setitem(sys.modules, "l10n.plugin", fake)
    assert full(capsys, synced)[0] == 0
    assert fast(synced) is not None
    st = mod.stat()
    os.utime(mod, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert fast(synced) is None


def test_another_yaml_or_babel_on_the_path_does_not_take_the_record(synced, monkeypatch):
    import importlib.machinery

    other = type(sys)("babel")
    other.__spec__ = importlib.machinery.ModuleSpec("babel", None, origin="/elsewhere/babel.py")
    monkeypatch.setitem(sys.modules, "babel", other)
    assert fast(synced) is None


def test_another_python_does_not_take_the_record(synced, monkeypatch):
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert fast(synced) is None


def test_a_sync_of_part_of_the_project_does_not_vouch_for_the_rest(synced, capsys):
    f = synced / "content" / f"{ART}.md"
    f.write_text(f.read_text("utf-8").replace("。", "。新しい文です。", 1), "utf-8")
    code, out, _ = full(capsys, synced, "--lang", "en")
    assert code == 0
    answer = fast(synced)
    code, out, _ = full(capsys, synced)
    assert answer in (None, out)


def test_a_dry_run_leaves_no_record_of_what_it_did_not_do(synced, capsys):
    f = synced / "content" / f"{ART}.md"
    f.write_text(f.read_text("utf-8").replace("。", "。新しい文です。", 1), "utf-8")
    assert full(capsys, synced, "--dry-run")[0] == 0
    assert fast(synced) is None


def test_the_record_agrees_with_the_cores_names():
    from l10n import config, project, sync_state

    assert sync_noop.CONFIG_NAME == config.CONFIG_NAME
    assert sync_noop.CACHE_DIR == project.CACHE_DIR
    assert sync_noop.STATE_FILE == sync_state.STATE_FILE
