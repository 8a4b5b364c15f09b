"""A person's working session in the TUI, with no UI in it.

The TUI is thin: every write goes through here and through `actions`, so the TUI uses
the same locks, states and conflict rules as the CLI.

`Session` holds the reviewer's name, the unsaved edits (journaled to this session's file
in `.l10n/tui-edits/`, so an edit survives a crash or a dropped SSH connection), the
undo stack, and the actions (approve, reject, save, take a suggestion, undo), each of
which passes `expect=` so that nobody's work is overwritten; and the editor's helpers
(memory suggestions, glossary hits, live findings). The catalogs it works on are
`catalog_view.CatalogView`s.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from .catalog_view import CatalogView
from .errors import InputError, L10nError, UsageError
from .lazy import LazyModule
from .project import Project

if TYPE_CHECKING:
    from .catalog import Entry, Key

actions = LazyModule(".actions")
review = LazyModule(".review")
_workspace = LazyModule(".workspace")

VIEWS_KEPT = 64  # catalogs kept parsed between visits (Session.view)
ORIGINS_KEPT = 256  # catalogs whose confirmed pairs are kept to check suggestions against


@dataclass
class Edit:
    """Text typed in the editor and not saved yet; `base` is the msgstr it started from,
    `reviewed` the entry's last review verdict then (`review_stamp`), so that an approval
    or a rejection given while the text was typed is not saved over unseen."""

    article: str
    lang: str
    key: Key
    text: str
    base: str
    reviewed: str = ""

    def as_json(self) -> dict:
        return {"article": self.article, "lang": self.lang, "msgctxt": self.key[0],
                "msgid": self.key[1], "text": self.text, "base": self.base,
                "reviewed": self.reviewed}


@dataclass(frozen=True)
class Verdict:
    """A reviewer's approval or rejection of an entry, as the TUI tells it."""

    kind: str  # "approved" or "rejected"
    reviewer: str
    when: str
    note: str = ""  # a rejection's


def verdict(e: Entry) -> Verdict | None:
    """The entry's standing review verdict: its (valid) approval, else its last rejection."""
    if review.state(e) == review.APPROVED:
        a = review.approval(e)
        return Verdict("approved", a.reviewer, a.when) if a else None
    r = review.rejection(e)
    return Verdict("rejected", r[1], r[0], r[2]) if r else None


def review_stamp(e: Entry) -> str:
    """`verdict` as one string ("" when none): what an edit remembers of its start."""
    v = verdict(e)
    return f"{v.kind} {v.when} {v.reviewer}" if v else ""


@dataclass
class UndoStep:
    label: str
    article: str
    lang: str
    before: Entry
    after: Entry
    edit: Edit | None = None  # an edit to put back into the editor on undo (a save)


@dataclass
class Outcome:
    """What an action did, in words for the status line."""

    message: str
    ok: bool = True
    entry: Entry | None = None
    refused: list = field(default_factory=list)  # error findings that --override could overrule
    changed: bool = True  # False: nothing was written (so there is nothing to undo)


class Session:
    def __init__(self, project: Project, user: str | None = None):
        self.project = project
        self.user = " ".join(user.split()) if user and user.strip() else None
        self.edits: dict[tuple[str, str, Key], Edit] = {}
        self.undo_stack: list[UndoStep] = []
        self.views: dict[tuple[str, str], CatalogView] = {}
        self._memory = None
        # the files the memory left out at its last load (InputErrors: file, line, what)
        self.memory_left_out: list = []
        # memory suggestions already found: (lang, msgid, msgstr) -> (the count of changes
        # to the memory they saw, the list); good while that count is the memory's. The
        # TUI searches in a worker and shows them when they are in.
        self._suggested: dict[tuple[str, str, str], tuple[int, list]] = {}
        self._memory_lock = threading.Lock()  # a search in a worker, an addition in the UI
        # changes to the memory that wait while a search holds it (see _change_memory)
        self._pending: list[Callable[[Any], object]] = []
        self._changes = 0  # changes made to the memory so far (a search older than one is stale)
        self._findings: dict[tuple, list] = {}  # see findings()
        self._origins: dict[str, tuple] = {}  # see _origin_pairs()
        self.journals = _workspace.EditJournals(project)  # this session's, and ended ones'
        self.journal_path = self.journals.path
        self._journal_written: tuple | None = None  # (what, stat key) this session last wrote
        self.load_journal()

    # ------------------------------------------------------------------ who
    def identity(self) -> str:
        """The reviewer/translator name (raises UsageError when none can be found)."""
        if not self.user:
            try:
                self.user = actions.identity(cwd=str(self.project.root))
            except UsageError:
                from .preferences import remembered_name

                self.user = remembered_name()  # the name the TUI asked for last time
                if not self.user:
                    raise
        return self.user

    # ------------------------------------------------------------------ catalogs
    def view(self, article_id: str, lang: str) -> CatalogView:
        """The catalog as the screen shows it. The last VIEWS_KEPT opened are kept (coming
        back to one costs a stat, not a parse); an older one is read again if it is
        opened again, so that a day of work does not keep every catalog it saw. The one
        on screen is always the last asked for."""
        k = (article_id, lang)
        v = self.views.pop(k, None)
        if v is None:
            v = CatalogView(self.project, article_id, lang)
        self.views[k] = v  # the most recent last
        while len(self.views) > VIEWS_KEPT:
            del self.views[next(iter(self.views))]
        return v

    # ------------------------------------------------------------------ edits
    def edit(self, aid: str, lang: str, key: Key) -> Edit | None:
        return self.edits.get((aid, lang, key))

    def set_edit(self, aid: str, lang: str, key: Key, text: str, base: str,
                 reviewed: str = "") -> None:
        """Keep `text` as the unsaved edit of an entry; `base` and `reviewed` say what the
        entry was when the edit began (an edit already there keeps its own)."""
        cur = self.edits.get((aid, lang, key))
        if text == base and (cur is None or cur.base == base):
            self.edits.pop((aid, lang, key), None)
            return
        self.edits[(aid, lang, key)] = Edit(aid, lang, key, text, cur.base if cur else base,
                                            cur.reviewed if cur else reviewed)

    def drop_edit(self, aid: str, lang: str, key: Key) -> None:
        self.edits.pop((aid, lang, key), None)

    def edits_in(self, aid: str, lang: str) -> list[Edit]:
        return [e for (a, l, _), e in self.edits.items() if a == aid and l == lang]

    def conflict(self, view: CatalogView, key: Key) -> Edit | None:
        """The unsaved edit of an entry that someone else changed meanwhile, if any."""
        ed = self.edit(view.article_id, view.lang, key)
        e = view.get(key)
        if ed is None or e is None:
            return None
        if e.msgstr != ed.base and e.msgstr != ed.text:
            return ed
        return None

    def keep_mine(self, view: CatalogView, key: Key) -> None:
        """After seeing the other change: the edit now starts from what is on disk."""
        ed = self.edit(view.article_id, view.lang, key)
        e = view.get(key)
        if ed and e:
            ed.base = e.msgstr
            ed.reviewed = review_stamp(e)

    def reviewed_meanwhile(self, view: CatalogView, key: Key) -> Verdict | None:
        """The verdict a reviewer gave an entry while its unsaved edit was typed: saving
        the edit would withdraw an approval (a changed text is no longer what was
        approved) or answer a rejection whose note was never read, so the TUI asks
        first. None when there is no such verdict."""
        ed = self.edit(view.article_id, view.lang, key)
        e = view.get(key)
        if ed is None or e is None:
            return None
        stamp = review_stamp(e)
        if not stamp or stamp == ed.reviewed:
            return None
        return verdict(e)

    def save_journal(self) -> None:
        """Write the unsaved edits to this session's journal, with who typed them;
        nothing when it already holds them (leaving an article or switching language
        would otherwise write and fsync it on every key that does so)."""
        body = {"version": 2, "user": self.user,
                "edits": [e.as_json() for e in self.edits.values()]}
        if not self.edits and not self.journal_path.exists():
            return
        data = json.dumps(body, ensure_ascii=False, indent=1).encode()
        if (data, _workspace.stat_key(self.journal_path)) == self._journal_written:
            return  # the file is as this session wrote it, and says this
        _workspace.write_cache(self.project, self.journal_path, data)
        self._journal_written = (data, _workspace.stat_key(self.journal_path))

    def load_journal(self) -> int:
        """Take over the journals of sessions that ended (quit with unsaved edits, or
        killed) whose edits are this person's: typed under this name, or under none
        (an earlier version's journal, or a session that never learnt its name).
        Another person's stay for them. What is taken is in this session's journal
        before the old file goes."""
        taken = []
        me: str | None = None
        for path, lock in self.journals.orphans():
            data = self.journals.read(path)
            if not isinstance(data, dict):
                self.journals.release(lock)
                continue
            who = data.get("user") if isinstance(data.get("user"), str) else None
            if who is not None:
                if me is None:
                    try:
                        me = self.identity()
                    except UsageError:
                        me = ""
                if who != me:
                    self.journals.release(lock)
                    continue
            for d in data.get("edits", []) if isinstance(data.get("edits"), list) else []:
                try:
                    key = (d["msgctxt"], d["msgid"])
                    self.edits.setdefault((d["article"], d["lang"], key), Edit(
                        d["article"], d["lang"], key, d["text"], d["base"],
                        d.get("reviewed") if isinstance(d.get("reviewed"), str) else ""))
                except (KeyError, TypeError):
                    continue
            taken.append((path, lock))
        if taken:
            self.save_journal()
            for path, lock in taken:
                self.journals.remove(path, lock)
        return len(self.edits)

    def close(self) -> None:
        """The session ends: its journal keeps its unsaved edits for the next one."""
        self.journals.close(empty=not self.edits)

    # ------------------------------------------------------------------ actions
    # An action that fails re-reads the catalog at once (the user must see what is there
    # now). One that succeeds changes the view's own catalog in place when the file is
    # still the one the view read (`seen`), and the view then is what is on disk: the key
    # press is answered without parsing the catalog at all, and no poll reads it again.
    # If someone changed the file meanwhile, the action reads it under its lock, the view
    # is patched with what was written, and the next poll reads the whole file.

    def _entry(self, view: CatalogView, key: Key) -> Entry:
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        return e

    def _act(self, view: CatalogView, label: str, before: Entry, change, edit: Edit | None = None):
        """Run a core action on one entry of `view` (`change` passes `seen=view.catalog`):
        on failure the view re-reads the catalog; on success it shows what was written and
        the step can be undone. Returns the entry as written."""
        try:
            after = change()
        except Exception:
            self.reload(view)
            raise
        view.wrote(after)
        self.undo_stack.append(UndoStep(label, view.article_id, view.lang, before, after, edit))
        return after

    def approve(self, view: CatalogView, key: Key, override: str | None = None,
                expect: str | None = None) -> Outcome:
        """Approve one entry; `expect` is the translation the reviewer saw (by default
        the view's): any other text on disk is not approved (actions.Conflict)."""
        e = self._entry(view, key)
        before = e.copy()
        try:
            res = actions.approve(self.project, view.article_id, view.lang, self.identity(),
                                  keys=[key], expect={key: e.msgstr if expect is None else expect},
                                  override=override, seen=view.catalog)
        except Exception:
            self.reload(view)
            raise
        view.wrote(*res.approved, *res.already)
        if res.approved:
            after = res.approved[0].copy()
            self._own_verdict(view, key, after)
            self.undo_stack.append(UndoStep("approve", view.article_id, view.lang, before, after))
            note = " (override recorded)" if override else ""
            return Outcome(f"approved{note}", entry=after)
        if res.already:
            return Outcome("already approved", entry=res.already[0].copy(), changed=False)
        if res.skipped:
            return Outcome("untranslated: nothing to approve", ok=False)
        if not res.refused:
            return Outcome("nothing approved", ok=False)
        refusal = res.refused[0]
        return Outcome(f"refused: {refusal.describe()}", ok=False, refused=refusal.findings)

    def reject(self, view: CatalogView, key: Key, note: str) -> Outcome:
        e = self._entry(view, key)
        before = e.copy()
        after = self._act(view, "reject", before, lambda: actions.reject(
            self.project, view.article_id, view.lang, self.identity(), note, key=key,
            expect=before.msgstr, seen=view.catalog))
        self._own_verdict(view, key, after)
        self._relearn(view.lang, view.article_id, [(before, after)])  # a rejected text is no model
        return Outcome("sent back to draft with your note", entry=after)

    def reload(self, view: CatalogView):
        """Read the view's catalog again (someone changed it on disk); the memory learns
        what changed: a text corrected, rejected or removed is no longer suggested, a
        new confirmed one is. Returns what changed (`catalog_view.Reloaded`)."""
        changed = view.reload()
        pairs = [(changed.before.get(k), changed.after.get(k))
                 for k in changed.changed | changed.added | changed.removed]
        if pairs:
            self._relearn(view.lang, view.article_id, pairs)
        return changed

    def _relearn(self, lang: str, article: str, pairs: list) -> None:
        """The memory follows entries that changed, each (before, after), either None:
        the confirmed text before leaves it, the confirmed text after enters it."""
        def change(tm) -> None:
            for old, new in pairs:
                if old is not None and new is not None and (old.msgstr, review.confirmed(old)) \
                        == (new.msgstr, review.confirmed(new)):
                    continue  # the same text, as good a model as it was (a note, an approval)
                if old is not None and old.msgstr and review.confirmed(old):
                    tm.discard(lang, old.msgid, old.msgstr)
                if new is not None and new.msgstr and review.confirmed(new):
                    tm.add(lang, new.msgid, new.msgstr, origin=article)

        self._change_memory(change)

    def _own_verdict(self, view: CatalogView, key: Key, after: Entry) -> None:
        """This person's own verdict is no news to their unsaved edit of the entry."""
        ed = self.edit(view.article_id, view.lang, key)
        if ed is not None:
            ed.reviewed = review_stamp(after)

    def note(self, view: CatalogView, key: Key, text: str) -> Outcome:
        """Add, change or (empty text) remove the translator's note on an entry."""
        e = self._entry(view, key)
        after = self._act(view, "note", e.copy(), lambda: actions.set_note(
            self.project, view.article_id, view.lang, key, text, expect=review.notes(e),
            seen=view.catalog))
        return Outcome("note saved" if review.notes(after) else "note removed", entry=after)

    @staticmethod
    def unchanged(e: Entry, text: str) -> bool:
        """Whether saving `text` on `e` changes nothing: the same text, confirmed already.
        Saving it again would only put this person's name on someone else's translation
        (and, under four eyes, bar them from approving it), so `save` refuses it."""
        return text == e.msgstr and review.state(e) in (review.TRANSLATED, review.APPROVED)

    def save(self, view: CatalogView, key: Key, text: str | None = None) -> Outcome:
        """Save the edit (or confirm the current text) as translated."""
        e = self._entry(view, key)
        ed = self.edit(view.article_id, view.lang, key)
        if text is None:
            text = ed.text if ed else e.msgstr
        base = ed.base if ed else e.msgstr
        if not text.strip():
            return Outcome("nothing to save: the translation is empty", ok=False)
        if self.unchanged(e, text):
            self.drop_edit(view.article_id, view.lang, key)
            return Outcome(f"nothing to save: {review.state(e)} already, and unchanged", ok=False)
        before = e.copy()
        undo_edit = Edit(view.article_id, view.lang, key, text, before.msgstr,
                         review_stamp(before)) if text != before.msgstr else None
        after = self._act(view, "save", before, lambda: actions.save_translation(
            self.project, view.article_id, view.lang, key, text, self.identity(), expect=base,
            seen=view.catalog),
            undo_edit)
        self.drop_edit(view.article_id, view.lang, key)
        self._relearn(view.lang, view.article_id, [(before, after)])  # a corrected text is outdated
        return Outcome("saved as translated", entry=after)

    def take(self, view: CatalogView, key: Key, text: str, score: float | int | None,
             engine: str = "memory") -> Outcome:
        """Take a suggestion: a draft from `engine` (the memory, with its score, or DeepL),
        its origin recorded. An unsaved edit it replaces comes back into the editor on undo."""
        e = self._entry(view, key)
        replaced = self.edit(view.article_id, view.lang, key)
        s = int(round(score)) if score is not None else None
        before = e.copy()
        after = self._act(view, "take suggestion", before, lambda: actions.set_draft(
            self.project, view.article_id, view.lang, key, text, engine,
            s if engine == "memory" else None, expect=e.msgstr, seen=view.catalog), replaced)
        self.drop_edit(view.article_id, view.lang, key)
        self._relearn(view.lang, view.article_id, [(before, after)])
        what = f"the memory suggestion ({s}%)" if engine == "memory" else f"the {engine} suggestion"
        return Outcome(f"took {what} as a draft", entry=after)

    def undo(self, article: str | None = None, lang: str | None = None
             ) -> tuple[UndoStep, Outcome] | None:
        """Undo the last step, or the last step on one catalog (the screen's: an undo never
        changes an article out of sight)."""
        steps = [s for s in self.undo_stack
                 if article is None or (s.article == article and s.lang == lang)]
        if not steps:
            return None
        step = steps[-1]
        view = self.view(step.article, step.lang)
        try:
            restored = actions.restore_entry(self.project, step.article, step.lang, step.before,
                                             step.after, seen=view.catalog)
        except (actions.Conflict, InputError):
            self.undo_stack.remove(step)  # someone changed the entry since: it cannot be undone
            self.reload(view)
            raise
        except Exception:
            self.reload(view)
            raise
        view.wrote(restored)
        self.undo_stack.remove(step)
        if step.after.msgstr != step.before.msgstr:
            # the memory learnt the saved text; the undone text must not come back as a match
            self._relearn(step.lang, step.article, [(step.after, step.before)])
        if step.edit is not None:
            self.edits[(step.article, step.lang, step.edit.key)] = Edit(
                step.edit.article, step.edit.lang, step.edit.key, step.edit.text, step.before.msgstr,
                review_stamp(step.before))
        return step, Outcome(f"undid {step.label}", entry=view.get(step.before.key))

    # ------------------------------------------------------------------ help for the editor
    def load_memory(self, stop: Callable[[], bool] = lambda: False):
        """Build the translation memory (reads every catalog that changed since the index
        saw it) and its fuzzy index for every language, then put it in use: call it from
        a worker. The index is built here, before anything searches it, so that no search
        made while a person works builds it (0.5-0.9 s per language on the 1,000-article
        archive, in a thread that holds the GIL half that time; the bitsets of frequent
        keys are left to the searches, a few ms each, so that the memory's size grows
        with the searches made, not at every start). `stop` is asked between
        two languages (the app is quitting): then nothing is put in use and None is
        returned. The index's database is closed before this returns; the changes made
        meanwhile (saves, undos) are applied to the memory before it is used. A file that
        cannot be read is left out (`memory_left_out` holds its error): one broken
        catalog costs its own pairs, not every suggestion."""
        from .project_memory import ProjectMemory

        with ProjectMemory(self.project, skip_broken=True) as pm:
            memory = pm.load()
            self.memory_left_out = list(pm.broken)
        for lang in memory.languages():
            if stop():
                return None
            memory.prepare(lang, bitsets=False)  # the searches build those they need
        with self._memory_lock:
            self._memory = memory
            self._apply_pending()  # made while it loaded: it may have read the files before
            self._changes += 1
            self._suggested.clear()
        return memory

    def _change_memory(self, change: Callable[[Any], object]) -> None:
        """Apply `change` to the memory now; while a search holds the memory, as soon as
        that search is done; while the memory loads, once it is loaded. A save or an undo
        on the UI thread never waits for either. The suggestions found so far are
        forgotten at once."""
        self._pending.append(change)
        self._changes += 1
        self._suggested.clear()
        if self._memory_lock.acquire(blocking=False):
            try:
                self._apply_pending()
            finally:
                self._memory_lock.release()

    def _apply_pending(self) -> None:
        """(With the memory's lock held.) The changes that waited, in order."""
        while self._pending and self._memory is not None:
            self._pending.pop(0)(self._memory)

    @property
    def memory(self):
        return self._memory

    def suggestions(self, lang: str, e: Entry, limit: int = 3) -> list:
        """The memory's best matches for `e` (not its own translation); a fuzzy search of
        the whole memory the first time (tens of milliseconds on a large archive: the TUI
        calls it from a worker), then remembered until the memory changes."""
        key = (lang, e.msgid, e.msgstr)
        with self._memory_lock:
            tm = self._memory
            if tm is None:
                return []
            self._apply_pending()
            changes = self._changes
            hit = self._suggested.get(key)
            if hit is not None and hit[0] == changes and self._still_there(tm, lang, hit[1]):
                return hit[1][:limit]
            changes = self._changes  # (a stale pair found above is forgotten by now)
            out = []
            min_score = self.project.config.memory_min_score  # memory.min_score in l10n.yaml
            for s in tm.suggest(lang, e.msgid, limit=max(limit, 3) + 2, min_score=min_score):
                if s.target == e.msgstr or any(o.target == s.target for o in out):
                    continue
                pairs = self._origin_pairs(tm, lang, s.origin)
                if pairs is not None and (s.source, s.target) not in pairs:
                    # corrected, rejected or removed in its catalog since the memory learnt
                    # it (by someone else, in a catalog this session has not reloaded)
                    tm.discard(lang, s.source, s.target)
                    self._changes += 1
                    self._suggested.clear()
                    continue
                out.append(s)
            if changes == self._changes:  # else a save (or a stale pair) came: ask again
                # (kept with the count of changes it saw: a save that comes between this
                # line and the next makes it stale for every reader)
                self._suggested[key] = (changes, out[:max(limit, 3)])
                return out[:limit]
            self._apply_pending()
        return self.suggestions(lang, e, limit)

    def _still_there(self, tm, lang: str, found: list) -> bool:
        """(With the memory's lock held.) Whether suggestions found earlier still stand:
        each one's catalog unchanged on disk (a stat each), or still holding it."""
        changes = self._changes
        for s in found:
            pairs = self._origin_pairs(tm, lang, s.origin)
            if pairs is not None and (s.source, s.target) not in pairs:
                tm.discard(lang, s.source, s.target)
                self._changes += 1
        if changes != self._changes:
            self._suggested.clear()
            return False
        return True

    def _origin_path(self, lang: str, origin: str):
        """The catalog a memory pair came from (its origin: a path from the project's
        index, or an article learnt in this session); None for an imported TMX pair."""
        try:
            if origin.endswith(".po"):
                return self.project.root / origin
            if origin and not origin.endswith((".tmx", ".pot")):
                return self.project.catalog_path(lang, origin)
        except (L10nError, ValueError):
            pass
        return None

    def _origin_pairs(self, tm, lang: str, origin: str) -> set | None:
        """(With the memory's lock held.) The confirmed (source, translation) pairs of
        the catalog a memory pair came from, as it is on disk now (read again only when
        its stat key changed; what it holds that the memory does not, the memory learns);
        None when that cannot be told: an imported TMX pair, or a catalog that does not
        read (its pairs are then left as they are)."""
        from unicodedata import normalize

        try:
            path = self._origin_path(lang, origin)
            if path is None:
                return None
            key = _workspace.stat_key(path)
            hit = self._origins.get(str(path))
            if hit is not None and hit[0] == key:
                return hit[1]
            cat = _workspace.load_catalog(self.project, path) if key is not None else None
        except (L10nError, OSError, ValueError):
            return None
        pairs = {(normalize("NFC", e.msgid), e.msgstr) for e in cat.entries
                 if not e.obsolete and e.msgstr and review.confirmed(e)} if cat is not None else set()
        if len(self._origins) >= ORIGINS_KEPT:
            del self._origins[next(iter(self._origins))]
        self._origins[str(path)] = (key, pairs)
        new = [(src, tgt) for src, tgt in pairs if not tm.has(lang, src, tgt)]
        for src, tgt in new:
            tm.add(lang, src, tgt, origin=origin)
        if new:
            self._changes += 1
            self._suggested.clear()
        return pairs

    def known_suggestions(self, lang: str, e: Entry) -> list | None:
        """The suggestions for `e` if they were found already and their catalogs did not
        change on disk since (a stat each), else None: `suggestions` (in a worker) then
        looks again. No search, no read, no lock: the UI thread asks it."""
        hit = self._suggested.get((lang, e.msgid, e.msgstr))
        if hit is None or hit[0] != self._changes:
            return None
        for s in hit[1]:
            path = self._origin_path(lang, s.origin)
            if path is not None and (self._origins.get(str(path)) or (None,))[0] != _workspace.stat_key(path):
                return None
        return hit[1]

    def glossary_hits(self, source: str, lang: str) -> list[tuple[int, int, str, str | None]]:
        from .quality import project_glossary

        return [(a, b, t.ja, t.translations.get(lang)) for a, b, t in
                project_glossary(self.project).hits(source)]

    def findings(self, lang: str, e: Entry, text: str | None = None) -> list:
        """The per-entry checks of `e` (with `text` as its translation), errors first,
        remembered by everything they depend on (the list marks every row it draws with
        them)."""
        from .quality import entry_findings, project_glossary

        text = e.msgstr if text is None else text
        key = (lang, e.msgctxt, e.msgid, text, project_glossary(self.project).version())
        hit = self._findings.get(key)
        if hit is None:
            if text != e.msgstr:
                e = e.copy()
                e.msgstr = text
            if len(self._findings) > 20000:
                self._findings.clear()
            hit = self._findings[key] = sorted(entry_findings(self.project, lang, e),
                                               key=lambda f: f.severity != "error")
        return list(hit)
