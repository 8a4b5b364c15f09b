"""The TUI's open catalog and its own writes (Session, CatalogView, update_catalog's `seen`).

An action of the TUI changes the catalog the view holds in place, and writes it, when the
file is still byte for byte the one the view read or last wrote: nothing is parsed, and
no poll reads the file again. Each test attacks that shortcut: a file rewritten by
someone else, an edit in place that keeps the size and the time (the stat key cannot
see it), a write that fails half way. Nobody's change is lost, and the view never
shows what is not on disk. A session keeps the views of the last catalogs opened only.
"""
from __future__ import annotations

import os

import pytest

from l10n import actions, review
from l10n import catalog as po
from l10n import workspace
from l10n.errors import DiskError
from l10n.filestat import stat_key
from l10n.session import Session
from tests.demo import OITA

LANG = "en"


def drafts(view) -> list:
    return [e for e in view.entries if review.state(e) == review.DRAFT]


def on_disk(project, key):
    cat = po.read(project.catalog_path(LANG, OITA))
    return next(e for e in cat.active() if e.key == key)


@pytest.fixture
def parses(monkeypatch):
    """How many times a catalog is parsed, from now on."""
    count = [0]
    real = po.parse

    def counted(*args, **kwargs):
        count[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(po, "parse", counted)
    return count


def test_actions_on_an_unchanged_file_parse_nothing_and_leave_the_view_as_the_file(demo, parses):
    s = Session(demo, "Reviewer Two")
    view = s.view(OITA, LANG)
    assert parses[0] == 1
    first, second = drafts(view)[:2]
    s.approve(view, first.key)
    s.save(view, second.key, "Governor Sato met the mayor.")
    s.note(view, second.key, "checked against the press release")
    assert parses[0] == 1  # neither the actions nor the view read the file again
    path = demo.catalog_path(LANG, OITA)
    assert view.stat == stat_key(path) and not view.changed_on_disk()
    assert review.state(on_disk(demo, first.key)) == review.APPROVED
    assert on_disk(demo, second.key).msgstr == "Governor Sato met the mayor."
    assert [e.msgstr for e in view.entries] == [e.msgstr for e in po.read(path).active()]
    assert view.catalog.disk_bytes == path.read_bytes()
    # and undo, the same way
    s.undo(OITA, LANG)
    assert review.notes(on_disk(demo, second.key)) == []
    assert not view.changed_on_disk() and review.notes(view.get(second.key)) == []


def test_a_file_rewritten_by_someone_else_is_read_again_and_their_change_kept(demo, parses):
    s = Session(demo, "Reviewer Two")
    view = s.view(OITA, LANG)
    mine, theirs = drafts(view)[:2]
    # another translator (the CLI, another TUI) writes the file: a new inode, a new key
    actions.save_translation(demo, OITA, LANG, theirs.key, "Their translation.", "Ken Mori")
    s.approve(view, mine.key)
    assert review.state(on_disk(demo, mine.key)) == review.APPROVED
    assert on_disk(demo, theirs.key).msgstr == "Their translation."
    assert view.changed_on_disk()  # the view has only our entry: it reads the file again
    view.reload()
    assert view.get(theirs.key).msgstr == "Their translation."


def test_an_edit_in_place_that_keeps_the_size_and_the_time_is_never_overwritten(demo):
    """The stat key (time, size, inode) cannot see it: the bytes can."""
    s = Session(demo, "Reviewer Two")
    view = s.view(OITA, LANG)
    mine, theirs = drafts(view)[:2]
    s.approve(view, mine.key)  # the view now holds what it wrote
    path = demo.catalog_path(LANG, OITA)
    before = os.stat(path)
    data = path.read_bytes()
    old = theirs.msgstr.encode()
    new = old.upper() if old.upper() != old else old.lower()
    assert len(new) == len(old) and new != old and data.count(old) == 1
    with open(path, "r+b") as fh:  # in place: same inode, same size
        fh.write(data.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    assert stat_key(path) == view.stat  # invisible to the poll
    s.save(view, mine.key, "Another text.")  # an action on another entry
    assert on_disk(demo, theirs.key).msgstr == new.decode()  # their edit is still there
    assert view.changed_on_disk()  # and the view will show it


def test_a_write_that_fails_leaves_the_view_showing_the_disk(demo, monkeypatch):
    s = Session(demo, "Reviewer Two")
    view = s.view(OITA, LANG)
    target = drafts(view)[0]

    def full(*args, **kwargs):
        raise DiskError(demo.catalog_path(LANG, OITA), "write", "no space left on device")

    monkeypatch.setattr(workspace, "write_file", full)
    with pytest.raises(DiskError):
        s.approve(view, target.key)  # the view's entry was changed in place, then not written
    monkeypatch.undo()
    assert review.state(view.get(target.key)) == review.DRAFT  # the view was read again
    assert review.state(on_disk(demo, target.key)) == review.DRAFT
    assert not view.changed_on_disk()


def test_a_long_day_keeps_the_last_catalogs_opened_and_reads_an_older_one_again(demo, monkeypatch):
    """Views are kept for the last VIEWS_KEPT catalogs opened, not for every one of a
    day; one read again still shows the disk and still undoes an action made on it."""
    from l10n import session as session_mod

    monkeypatch.setattr(session_mod, "VIEWS_KEPT", 3)
    s = Session(demo, "Reviewer Two")
    first = s.view(OITA, LANG)
    target = drafts(first)[0]
    s.approve(first, target.key)
    others = [(aid, lang) for aid in demo.article_ids() if aid != OITA for lang in demo.languages]
    for aid, lang in others[:5]:
        s.view(aid, lang)
    assert len(s.views) == 3 and (OITA, LANG) not in s.views
    assert list(s.views) == others[2:5]  # the last three, the most recent last
    kept = s.views[others[4]]
    again = s.view(OITA, LANG)
    assert again is not first and review.state(again.get(target.key)) == review.APPROVED
    assert s.view(*others[4]) is kept  # kept: the same view, not read again
    s.view(OITA, LANG)
    s.undo(OITA, LANG)
    assert review.state(on_disk(demo, target.key)) == review.DRAFT
    assert review.state(s.view(OITA, LANG).get(target.key)) == review.DRAFT
