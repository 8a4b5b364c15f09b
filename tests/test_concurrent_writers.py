"""Writers at the same time on one catalog lose nothing.

Three processes do 50 operations each on one catalog (save_translation, approve and
reject from l10n.actions, the calls `l10n approve` makes), a fourth does the same as the
TUI does them (a Session with its view of the catalog, which the actions change in place
while the file is byte for byte what the view holds, and a poll now and then), while a
fifth edits the article and runs `l10n sync` again and again, which rewrites that
catalog with new entries. Every operation's effect is in the catalog afterwards, and so
is every entry the syncs added.

A second test has two translators save the same entries, each starting from what they
saw: for every entry exactly one save wins and the other is told (Conflict); nobody's
text disappears silently.
"""
from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

from l10n import catalog as po
from l10n import review
from l10n.project import Project
from l10n.storage import atomic_write

ART = "2026-02/oita-bay-area"
LANG = "ko"
WRITERS = ("Aiko", "Ben", "Chie", "Dana")
TUI_WRITER = "Dana"  # through l10n.session, as the TUI
OPS = 50
SYNC_ROUNDS = 8
EXTRA = "追加の文その{n}です。記事を長くするために{n}番目に書きました。"
APPENDED = "同期の途中で加えた文その{n}です。"


def _draft(e) -> str:
    return f"draft of {e.msgid[:10]}"


def _prepare(root: Path) -> list:
    """A long article (about 200 entries), synced, every entry a draft."""
    from l10n.cli import main

    art = root / "content" / f"{ART}.md"
    extra = "\n\n".join(EXTRA.format(n=n) for n in range(90))
    art.write_text(art.read_text("utf-8") + "\n" + extra + "\n", "utf-8")
    assert main(["-C", str(root), "sync", "--no-mt"]) == 0
    project = Project(root)
    path = project.catalog_path(LANG, ART)
    cat = po.read(path)
    for e in cat.active():
        review.set_draft(e, _draft(e), "deepl")
    atomic_write(path, po.serialize(cat))
    keys = [e.key for e in cat.active()]
    assert len(keys) >= len(WRITERS) * OPS
    return keys


def _op(i: int) -> str:
    return ("save", "approve", "reject")[i % 3]


def _writer(root: str, name: str, keys: list, barrier, errors) -> None:
    from l10n.actions import approve, reject, save_translation

    try:
        project = Project(Path(root))
        if name == TUI_WRITER:
            return _tui_writer(project, name, keys, barrier)
        barrier.wait()
        for i, key in enumerate(keys):
            kind = _op(i)
            seen = _draft(po.Entry(key[1]))  # what this person saw: the draft
            if kind == "save":
                save_translation(project, ART, LANG, key, f"{name} {i}", name, expect=seen)
            elif kind == "approve":
                res = approve(project, ART, LANG, name, keys=[key], override="concurrency test",
                              expect={key: seen})
                assert [e.key for e in res.approved] == [key], res
            else:
                reject(project, ART, LANG, name, f"{name} note {i}", key=key, expect=seen)
    except BaseException as exc:  # reported to the parent
        errors.put(f"{name}: {type(exc).__name__}: {exc}")
        raise


def _tui_writer(project: Project, name: str, keys: list, barrier) -> None:
    from l10n.session import Session

    s = Session(project, name)
    view = s.view(ART, LANG)
    barrier.wait()
    for i, key in enumerate(keys):
        if i % 4 == 0 and view.changed_on_disk():
            view.reload()  # the screen's poll
        kind = _op(i)
        if kind == "save":
            out = s.save(view, key, f"{name} {i}")
        elif kind == "approve":
            out = s.approve(view, key, "concurrency test")
        else:
            out = s.reject(view, key, f"{name} note {i}")
        assert out.ok, (i, kind, out.message)
        e = view.get(key)  # the view shows what was written
        assert e is not None and (e.msgstr == f"{name} {i}") == (kind == "save"), (i, kind)


def _syncer(root: str, barrier, errors) -> None:
    from l10n.cli import main

    try:
        art = Path(root) / "content" / f"{ART}.md"
        barrier.wait()
        for n in range(SYNC_ROUNDS):
            time.sleep(0.5)  # spread the syncs over the writers' run
            art.write_text(art.read_text("utf-8") + "\n" + APPENDED.format(n=n) + "\n", "utf-8")
            assert main(["-C", root, "sync", "--no-mt"]) == 0
    except BaseException as exc:
        errors.put(f"sync: {type(exc).__name__}: {exc}")
        raise


def test_four_writers_one_as_the_tui_and_a_sync_keep_every_operation(sample):
    keys = _prepare(sample)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(WRITERS) + 1)
    errors = ctx.Queue()
    shares = {name: keys[w::len(WRITERS)][:OPS] for w, name in enumerate(WRITERS)}
    procs = [ctx.Process(target=_writer, args=(str(sample), name, shares[name], barrier, errors))
             for name in WRITERS]
    procs.append(ctx.Process(target=_syncer, args=(str(sample), barrier, errors)))
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert not problems, problems
    assert [p.exitcode for p in procs] == [0] * len(procs)

    cat = po.read(Project(sample).catalog_path(LANG, ART))
    by_key = {e.key: e for e in cat.active()}
    for name, share in shares.items():
        assert len(share) == OPS
        for i, key in enumerate(share):
            e = by_key[key]
            kind = _op(i)
            if kind == "save":
                assert e.msgstr == f"{name} {i}" and review.state(e) == review.TRANSLATED, (name, i)
                assert review.last_translator(e) == name
            elif kind == "approve":
                assert review.state(e) == review.APPROVED, (name, i, e.comments)
                assert review.approval(e).reviewer == name
                assert e.msgstr == _draft(e)
            else:
                assert review.state(e) == review.DRAFT
                assert review.rejection(e)[1:] == (name, f"{name} note {i}"), (name, i)
    # the syncs' new entries are there too, and nothing else changed
    for n in range(SYNC_ROUNDS):
        assert (("body", APPENDED.format(n=n)) in by_key), n
    touched = {k for share in shares.values() for k in share}
    for key in keys:
        if key not in touched:
            assert by_key[key].msgstr == _draft(by_key[key]) and by_key[key].fuzzy


def _rival(root: str, name: str, keys: list, barrier, results) -> None:
    from l10n.actions import Conflict, save_translation

    project = Project(Path(root))
    won, lost = [], []
    barrier.wait()
    for key in keys:
        try:
            save_translation(project, ART, LANG, key, f"{name}'s text", name,
                             expect=_draft(po.Entry(key[1])))
            won.append(key)
        except Conflict as exc:
            assert exc.current is not None and exc.current.msgstr != _draft(exc.current)
            lost.append(key)
    results.put((name, won, lost))


def test_two_translators_on_the_same_entries_never_overwrite_each_other(sample):
    keys = _prepare(sample)[:60]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [ctx.Process(target=_rival, args=(str(sample), name, order, barrier, results))
             for name, order in (("Aiko", keys), ("Ben", keys[::-1]))]
    for p in procs:
        p.start()
    got = dict((name, (won, lost)) for name, won, lost in (results.get(timeout=120) for _ in procs))
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cat = po.read(Project(sample).catalog_path(LANG, ART))
    by_key = {e.key: e for e in cat.active()}
    for key in keys:
        winners = [n for n, (won, _) in got.items() if key in won]
        losers = [n for n, (_, lost) in got.items() if key in lost]
        assert len(winners) == 1 and len(losers) == 1, (key, winners, losers)
        assert by_key[key].msgstr == f"{winners[0]}'s text"
