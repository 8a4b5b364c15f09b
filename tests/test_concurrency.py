"""Concurrent writers on one catalog keep every change (lock + re-read + atomic write)."""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from l10n import catalog as po
from l10n import review
from l10n.project import Project

ART = "2026-02/oita-bay-area"


def _worker(root: str, lang: str, indices: list[int], name: str, barrier) -> None:
    from l10n.actions import save_translation

    project = Project(Path(root))
    cat = po.read(project.catalog_path(lang, ART))
    keys = [cat.active()[i].key for i in indices]
    barrier.wait()
    for k in keys:
        save_translation(project, ART, lang, k, f"{name}: {k[1][:5]}", name)


def test_two_processes_writing_different_entries_both_keep_their_change(sample, cli):
    assert cli("-C", str(sample), "sync", "--no-mt").code == 0
    n = len(po.read(Project(sample).catalog_path("en", ART)).active())
    evens, odds = list(range(0, n, 2)), list(range(1, n, 2))
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_worker, args=(str(sample), "en", idx, name, barrier))
             for idx, name in ((evens, "A"), (odds, "B"))]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cat = po.read(Project(sample).catalog_path("en", ART))
    for i, e in enumerate(cat.active()):
        who = "A" if i % 2 == 0 else "B"
        assert e.msgstr == f"{who}: {e.msgid[:5]}", (i, e.msgstr)
        assert review.state(e) == review.TRANSLATED
        assert review.last_translator(e) == who


def test_two_concurrent_tm_imports_both_keep_their_units(sample, tmp_path):
    """`tm import` reads locales/memory.tmx, adds, writes it back: without the memory's
    lock, the second writer's file replaced the first's and 20,000 units were lost."""
    import subprocess
    import sys

    from l10n.memory import TranslationMemory
    from l10n.tmx import export_tmx, import_tmx
    from tests.conftest import REPO

    n = 20_000
    files = []
    for who in ("a", "b"):
        tm = TranslationMemory()
        for i in range(n):
            tm.add("en", f"{who}の文{i}です。", f"Sentence {i} of {who}.", f"tmx:{who}")
        files.append(tmp_path / f"{who}.tmx")
        export_tmx(tm, files[-1])
    env = dict(__import__("os").environ, PYTHONPATH=str(REPO))
    procs = [subprocess.Popen([sys.executable, "-m", "l10n", "-C", str(sample), "tm", "import",
                               str(f)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for f in files]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert f"{n} in this project's languages kept" in out
    kept = TranslationMemory()
    import_tmx(sample / "locales" / "memory.tmx", kept)
    sources = {s for _lang, s, _t, _o in kept.pairs()}
    assert len(sources) == 2 * n
    assert not list((sample / "locales").glob("*.tmp"))
