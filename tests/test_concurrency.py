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
