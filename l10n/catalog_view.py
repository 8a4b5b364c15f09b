"""One catalog as the TUI shows it, with no UI in it.

`CatalogView` holds the active entries of one catalog as last read from disk, with the
stat key it was read under: `changed_on_disk()` is a cheap stat, `reload()` reads it
again and says which entries changed, `patch()` shows what our own action wrote. The
display helpers (`describe_origin`, `diff_ops`) say where a text came from and what
changed in it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import L10nError
from .lazy import LazyModule
from .project import Project

if TYPE_CHECKING:
    from .catalog import Catalog, Entry, Key

review = LazyModule(".review")
_workspace = LazyModule(".workspace")

# the review states (review.STATES), spelled out so that importing this module stays light
UNTRANSLATED, DRAFT, TRANSLATED, APPROVED = "untranslated", "draft", "translated", "approved"
NEEDS_WORK = (UNTRANSLATED, DRAFT, TRANSLATED)


def needs_work(e: Entry) -> bool:
    """Untranslated, draft, or translated but not approved."""
    return review.state(e) in NEEDS_WORK


def same_entry(a: Entry, b: Entry) -> bool:
    """The same entry in the same state (line numbers aside)."""
    return a.key == b.key and _same(a, b)


def _same(a: Entry, b: Entry) -> bool:
    return (a.msgstr, a.flags, a.comments, a.previous_msgid) == (b.msgstr, b.flags, b.comments,
                                                                 b.previous_msgid)


@dataclass
class Reloaded:
    changed: set[Key] = field(default_factory=set)  # same key, different msgstr/flags/comments
    added: set[Key] = field(default_factory=set)
    removed: set[Key] = field(default_factory=set)
    before: dict[Key, Entry] = field(default_factory=dict)  # the changed and removed, as they were
    after: dict[Key, Entry] = field(default_factory=dict)  # the changed and added, as they are

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


class CatalogView:
    """The active entries of one catalog, as read from disk under a stat key."""

    def __init__(self, project: Project, article_id: str, lang: str):
        self.project = project
        self.article_id = article_id
        self.lang = lang
        self.path = project.catalog_path(lang, article_id)
        self.stat: list[int] | None = None
        self.catalog: Catalog | None = None  # as read (its disk_key: `stat`), or as we wrote it
        self.entries: list[Entry] = []
        self._index: dict[Key, int] = {}
        self._stale = False
        # (the stat key of a file that did not read, its error): the view keeps what it
        # read last, and that file is not read again until it changes
        self.broken: tuple[list[int] | None, L10nError] | None = None
        self.load()

    @property
    def missing(self) -> bool:
        return self.stat is None

    def load(self) -> None:
        """Read the catalog. A file that does not read raises its error (file, line) and
        leaves the view as it was; `error` says so until the file changes."""
        # stat first: a change between the stat and the read is seen by the next poll
        self._stale = False
        stat = _workspace.stat_key(self.path)
        try:
            cat = _workspace.read_catalog(self.project, self.lang, self.article_id,
                                          keep_bytes=True) if stat else None
        except L10nError as exc:
            self.broken = (stat, exc)
            raise
        self.broken = None
        self.stat = stat
        if cat is not None:  # an action may change it in place while the file is these bytes
            cat.disk_key = self.stat  # taken before the read: a change after it shows as a new key
        self._hold(cat)

    @property
    def error(self) -> L10nError | None:
        """The error of the file on disk, if it is the one that did not read."""
        if self.broken is not None and _workspace.stat_key(self.path) == self.broken[0]:
            return self.broken[1]
        return None

    def _hold(self, cat: Catalog | None) -> None:
        self.catalog = cat
        self.entries = cat.active() if cat else []
        self._index = {e.key: i for i, e in enumerate(self.entries)}

    def changed_on_disk(self) -> bool:
        """Whether the file is not what the view read (a broken file already tried is
        not: it is read again once it changes)."""
        if self._stale:
            return True
        key = _workspace.stat_key(self.path)
        return key != self.stat and (self.broken is None or key != self.broken[0])

    def wrote(self, *entries: Entry) -> None:
        """Our own action wrote these entries. If it wrote this view's catalog (passed as
        `seen`: the file was still the one read, so the action changed it in place and
        took the written file's stat key), the view is what is on disk, and nothing is
        read again; else (someone changed the file meanwhile) the entries are patched in
        and the whole file read again at the next poll."""
        cat = self.catalog
        if cat is not None and cat.disk_key is not None and cat.disk_key != self.stat:
            self.stat = cat.disk_key
            self._hold(cat)
            self._stale = False
            return
        self.patch(*entries)

    def patch(self, *entries: Entry) -> None:
        """Our own action wrote these entries: show them now, and read the whole file
        again at the next poll (someone may have changed other entries meanwhile; the
        action itself re-read the file under its lock, so nothing of theirs was lost)."""
        for e in entries:
            i = self._index.get(e.key)
            if i is not None:
                self.entries[i] = e.copy()
        self._stale = True

    def reload(self) -> Reloaded:
        old = {e.key: e for e in self.entries}
        self.load()
        new = {e.key: e for e in self.entries}
        out = Reloaded()
        out.added = set(new) - set(old)
        out.removed = set(old) - set(new)
        out.changed = {k for k in set(new) & set(old) if not _same(old[k], new[k])}
        out.before = {k: old[k] for k in out.changed | out.removed}
        out.after = {k: new[k] for k in out.changed | out.added}
        return out

    def get(self, key: Key) -> Entry | None:
        i = self._index.get(key)
        return self.entries[i] if i is not None else None

    def index_of(self, key: Key) -> int | None:
        return self._index.get(key)

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in review.STATES}
        for e in self.entries:
            c[review.state(e)] += 1
        return c

    def next_needing(self, start: int, step: int = 1) -> int | None:
        """Index of the next entry (after `start`, wrapping) that needs work."""
        n = len(self.entries)
        for i in range(1, n + 1):
            j = (start + step * i) % n
            if needs_work(self.entries[j]):
                return j
        return None



def describe_origin(e: Entry) -> list[str]:
    """Where the text came from, in short lines for the editor's side panel."""
    lines = []
    o = review.origin(e)
    if o is not None:
        unedited = review.machine_unedited(e)
        what = o.engine + (f" {o.score}%" if o.score is not None else "")
        lines.append(f"draft from {what}" + ("" if unedited or not e.msgstr else ", edited since"))
    t = review.last_translator(e)
    if t:
        lines.append(f"translated by {t}")
    a = review.approval(e)
    if a is not None and review.is_approved(e):
        lines.append(f"approved by {a.reviewer} {a.when[:10]}")
    elif a is not None:
        lines.append(f"approval void (changed since {a.reviewer} approved)")
    ov = review.override(e)
    if ov and review.is_approved(e):
        lines.append(f"override: {ov}")
    rj = review.rejection(e)
    if rj:
        when, who, note = rj
        lines.append(f"rejected by {who} {when[:10]}: {note}")
    return lines


def diff_ops(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs from `old` to `new`: op is "=", "-" or "+" (character diff)."""
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(("=", old[i1:i2]))
        else:
            if i2 > i1:
                out.append(("-", old[i1:i2]))
            if j2 > j1:
                out.append(("+", new[j1:j2]))
    return out
