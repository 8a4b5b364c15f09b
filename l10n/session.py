"""A working session over a project: what the terminal UI needs, with no UI in it.

The TUI (package `tui`) is thin: every read and every write goes through here and
through `actions`, so the TUI uses the same locks, states and conflict rules as the CLI.

* `CatalogView`: one catalog as it was last read from disk, with the stat key it was
  read under. `changed_on_disk()` is a cheap stat; `reload()` reads it again and says
  which entries changed.
* `Session`: the reviewer's name, the unsaved edits (journaled to
  `.l10n/tui-edits.json`, so an edit survives a crash or a dropped SSH connection),
  the undo stack, and the actions (approve, reject, save, take a suggestion, undo),
  each of which passes `expect=` so that nobody's work is overwritten.
* `dashboard()`: every article with its title, issue, per-language counts and error
  findings, cached by file stat like `l10n status`.
* `run_sync()`: `l10n sync` with progress callbacks, for a background worker.
"""
from __future__ import annotations

import difflib
import importlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .errors import InputError, L10nError, ServiceError, UsageError, yaml_loader
from .project import Project

if TYPE_CHECKING:
    from .catalog import Entry, Key


class _Lazy:
    """A core module imported on first use: the TUI's first frame needs none of them
    (catalog.py pulls in Babel), so they load after it, in the workers."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._mod = None

    def __getattr__(self, attr: str):
        if self._mod is None:
            self._mod = importlib.import_module(self._name, __package__)
        return getattr(self._mod, attr)


actions = _Lazy(".actions")
review = _Lazy(".review")
_status = _Lazy(".status")
_storage = _Lazy(".storage")
_workspace = _Lazy(".workspace")

# the review states (review.STATES), spelled out so that importing this module stays light
UNTRANSLATED, DRAFT, TRANSLATED, APPROVED = "untranslated", "draft", "translated", "approved"

EDITS_FILE = "tui-edits.json"
TITLES_FILE = "tui-titles.json"
FINDINGS_FILE = "tui-findings.json"
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


# =========================================================================== catalogs

@dataclass
class Reloaded:
    changed: set[Key] = field(default_factory=set)  # same key, different msgstr/flags/comments
    added: set[Key] = field(default_factory=set)
    removed: set[Key] = field(default_factory=set)

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
        self.entries: list[Entry] = []
        self._index: dict[Key, int] = {}
        self._stale = False
        self.load()

    @property
    def missing(self) -> bool:
        return self.stat is None

    def load(self) -> None:
        # stat first: a change between the stat and the read is seen by the next poll
        self._stale = False
        self.stat = _workspace.stat_key(self.path)
        cat = _workspace.read_catalog(self.project, self.lang, self.article_id) if self.stat else None
        self.entries = cat.active() if cat else []
        self._index = {e.key: i for i, e in enumerate(self.entries)}

    def changed_on_disk(self) -> bool:
        return self._stale or _workspace.stat_key(self.path) != self.stat

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


# =========================================================================== session

@dataclass
class Edit:
    """Text typed in the editor and not saved yet; `base` is the msgstr it started from."""

    article: str
    lang: str
    key: Key
    text: str
    base: str

    def as_json(self) -> dict:
        return {"article": self.article, "lang": self.lang, "msgctxt": self.key[0],
                "msgid": self.key[1], "text": self.text, "base": self.base}


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
    refused: list = field(default_factory=list)  # findings (or reasons) when refused


class Session:
    def __init__(self, project: Project, user: str | None = None):
        self.project = project
        self.user = " ".join(user.split()) if user and user.strip() else None
        self.edits: dict[tuple[str, str, Key], Edit] = {}
        self.undo_stack: list[UndoStep] = []
        self.views: dict[tuple[str, str], CatalogView] = {}
        self._memory = None
        self.journal_path = project.cache_dir / EDITS_FILE
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
        k = (article_id, lang)
        v = self.views.get(k)
        if v is None:
            v = self.views[k] = CatalogView(self.project, article_id, lang)
        return v

    # ------------------------------------------------------------------ edits
    def edit(self, aid: str, lang: str, key: Key) -> Edit | None:
        return self.edits.get((aid, lang, key))

    def set_edit(self, aid: str, lang: str, key: Key, text: str, base: str) -> None:
        cur = self.edits.get((aid, lang, key))
        if text == base and (cur is None or cur.base == base):
            self.edits.pop((aid, lang, key), None)
            return
        self.edits[(aid, lang, key)] = Edit(aid, lang, key, text, cur.base if cur else base)

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

    def save_journal(self) -> None:
        body = {"version": 1, "edits": [e.as_json() for e in self.edits.values()]}
        if not self.edits and not self.journal_path.exists():
            return
        _storage.atomic_write(self.journal_path, json.dumps(body, ensure_ascii=False, indent=1).encode())

    def load_journal(self) -> int:
        try:
            data = json.loads(self.journal_path.read_text("utf-8"))
        except (OSError, ValueError):
            return 0
        for d in data.get("edits", []) if isinstance(data, dict) else []:
            try:
                key = (d["msgctxt"], d["msgid"])
                self.edits[(d["article"], d["lang"], key)] = Edit(
                    d["article"], d["lang"], key, d["text"], d["base"])
            except (KeyError, TypeError):
                continue
        return len(self.edits)

    # ------------------------------------------------------------------ actions
    # An action that fails re-reads the catalog at once (the user must see what is there
    # now); one that succeeds patches the view with what it wrote, so that the key press
    # is answered without parsing the catalog twice; the next poll reads it again.

    def approve(self, view: CatalogView, key: Key, override: str | None = None) -> Outcome:
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        before = e.copy()
        try:
            res = actions.approve(self.project, view.article_id, view.lang, self.identity(),
                                  keys=[key], expect={key: e.msgstr}, override=override)
        except Exception:
            view.reload()
            raise
        view.patch(*res.approved, *res.already)
        if res.approved:
            after = res.approved[0].copy()
            self.undo_stack.append(UndoStep("approve", view.article_id, view.lang, before, after))
            note = " (override recorded)" if override else ""
            return Outcome(f"approved{note}", entry=after)
        if res.already:
            return Outcome("already approved", entry=res.already[0].copy())
        if res.skipped:
            return Outcome("untranslated: nothing to approve", ok=False)
        findings = res.refused[0][1] if res.refused else []
        return Outcome("refused: " + "; ".join(
            f if isinstance(f, str) else f"{f.check}: {f.message}" for f in findings),
            ok=False, refused=findings)

    def reject(self, view: CatalogView, key: Key, note: str) -> Outcome:
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        before = e.copy()
        try:
            after = actions.reject(self.project, view.article_id, view.lang, self.identity(), note,
                                   key=key, expect=e.msgstr)
        except Exception:
            view.reload()
            raise
        view.patch(after)
        self.undo_stack.append(UndoStep("reject", view.article_id, view.lang, before, after))
        return Outcome("sent back to draft with your note", entry=after)

    def note(self, view: CatalogView, key: Key, text: str) -> Outcome:
        """Add, change or (empty text) remove the translator's note on an entry."""
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        before = e.copy()
        try:
            after = actions.set_note(self.project, view.article_id, view.lang, key, text,
                                     expect=review.notes(e))
        except Exception:
            view.reload()
            raise
        view.patch(after)
        self.undo_stack.append(UndoStep("note", view.article_id, view.lang, before, after))
        return Outcome("note saved" if review.notes(after) else "note removed", entry=after)

    def save(self, view: CatalogView, key: Key, text: str | None = None) -> Outcome:
        """Save the edit (or confirm the current text) as translated."""
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        ed = self.edit(view.article_id, view.lang, key)
        if text is None:
            text = ed.text if ed else e.msgstr
        base = ed.base if ed else e.msgstr
        if not text.strip():
            return Outcome("nothing to save: the translation is empty", ok=False)
        before = e.copy()
        try:
            after = actions.save_translation(self.project, view.article_id, view.lang, key, text,
                                             self.identity(), expect=base)
        except Exception:
            view.reload()
            raise
        view.patch(after)
        self.drop_edit(view.article_id, view.lang, key)
        undo_edit = Edit(view.article_id, view.lang, key, text, before.msgstr) \
            if text != before.msgstr else None
        self.undo_stack.append(UndoStep("save", view.article_id, view.lang, before, after, undo_edit))
        if self._memory is not None:
            self._memory.add(view.lang, after.msgid, after.msgstr, origin=view.article_id)
        return Outcome("saved as translated", entry=after)

    def take(self, view: CatalogView, key: Key, text: str, score: float | int | None) -> Outcome:
        """Take a memory suggestion: a draft from engine `memory` with its score."""
        e = view.get(key)
        if e is None:
            raise InputError("that entry is not in the catalog any more", view.path)
        before = e.copy()
        s = int(round(score)) if score is not None else None
        try:
            after = actions.set_draft(self.project, view.article_id, view.lang, key, text,
                                      "memory", s, expect=e.msgstr)
        except Exception:
            view.reload()
            raise
        view.patch(after)
        self.drop_edit(view.article_id, view.lang, key)
        self.undo_stack.append(UndoStep("take suggestion", view.article_id, view.lang, before, after))
        return Outcome(f"took the memory suggestion ({s}%) as a draft", entry=after)

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
                                             step.after)
        except (actions.Conflict, InputError):
            self.undo_stack.remove(step)  # someone changed the entry since: it cannot be undone
            view.reload()
            raise
        except Exception:
            view.reload()
            raise
        view.patch(restored)
        self.undo_stack.remove(step)
        if self._memory is not None and step.after.msgstr != step.before.msgstr:
            # the memory learnt the saved text; the undone text must not come back as a match
            self._memory.discard(step.lang, step.after.msgid, step.after.msgstr)
            if step.before.msgstr and review.confirmed(step.before):
                self._memory.add(step.lang, step.before.msgid, step.before.msgstr,
                                 origin=step.article)
        if step.edit is not None:
            self.edits[(step.article, step.lang, step.edit.key)] = Edit(
                step.edit.article, step.edit.lang, step.edit.key, step.edit.text, step.before.msgstr)
        return step, Outcome(f"undid {step.label}", entry=view.get(step.before.key))

    # ------------------------------------------------------------------ help for the editor
    def load_memory(self):
        """Build the translation memory (reads every catalog: call it from a worker)."""
        from .project_memory import ProjectMemory

        self._memory = ProjectMemory(self.project).load()
        return self._memory

    @property
    def memory(self):
        return self._memory

    def suggestions(self, lang: str, e: Entry, limit: int = 3) -> list:
        tm = self._memory
        if tm is None:
            return []
        out = []
        for s in tm.suggest(lang, e.msgid, limit=limit + 2, min_score=60):
            if s.target == e.msgstr or any(o.target == s.target for o in out):
                continue
            out.append(s)
        return out[:limit]

    def glossary_hits(self, source: str, lang: str) -> list[tuple[int, int, str, str | None]]:
        from .quality import project_glossary

        return [(a, b, t.ja, t.translations.get(lang)) for a, b, t in
                project_glossary(self.project).hits(source)]

    def findings(self, lang: str, e: Entry, text: str | None = None) -> list:
        from .quality import entry_findings

        if text is not None and text != e.msgstr:
            e = e.copy()
            e.msgstr = text
        return entry_findings(self.project, lang, e)


# =========================================================================== describing

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


# =========================================================================== dashboard

@dataclass
class ArticleRow:
    id: str
    issue: str
    title: str
    langs: dict[str, dict[str, int]]
    errors: int = 0

    def approved_ratio(self) -> float:
        tot = sum(c.get("entries", 0) for c in self.langs.values())
        return sum(c.get(APPROVED, 0) for c in self.langs.values()) / tot if tot else 0.0

    def needs_work(self) -> bool:
        return any(c.get("missing") or c.get(APPROVED, 0) < c.get("entries", 0)
                   for c in self.langs.values())


def _cache_read(path: Path, version: str) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data["items"] if data.get("version") == version else {}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def _cache_write(path: Path, version: str, items: dict) -> None:
    _storage.atomic_write(path, json.dumps({"version": version, "items": items}, ensure_ascii=False,
                                  sort_keys=True).encode())


def _front_matter_title(path: Path) -> str:
    import yaml

    from .article import nfc, split_front_matter

    try:
        text = path.read_text("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        fm, _, _ = split_front_matter(text, path)
        meta = yaml.load(fm, Loader=yaml_loader())
    except (OSError, UnicodeDecodeError, InputError, yaml.YAMLError):
        return ""
    return nfc(str(meta.get("title", ""))) if isinstance(meta, dict) else ""


def article_titles(project: Project, ids: Iterable[str]) -> dict[str, str]:
    """Each article's title from its front matter, cached by the file's stat key."""
    path = project.cache_dir / TITLES_FILE
    cache = _cache_read(path, "1")
    fresh, out = {}, {}
    for aid in ids:
        p = project.content_dir / f"{aid}.md"
        key = _workspace.stat_key(p)
        hit = cache.get(aid)
        if hit and hit[0] == key:
            title = hit[1]
        else:
            title = _front_matter_title(p)
        fresh[aid] = [key, title]
        out[aid] = title
    if fresh != cache:
        _cache_write(path, "1", fresh)
    return out


def error_counts(project: Project, ids: Iterable[str], langs: list[str]) -> dict[str, int]:
    """Error-severity findings per article (per-entry checks), cached by catalog stat."""
    from . import catalog as po
    from .quality import entry_findings, project_glossary

    version = "1:" + project_glossary(project).version()
    path = project.cache_dir / FINDINGS_FILE
    cache = _cache_read(path, version)
    fresh, out = {}, {}
    for aid in ids:
        n = 0
        for lang in langs:
            cpath = project.catalog_path(lang, aid)
            key = _workspace.stat_key(cpath)
            if key is None:
                continue
            rel = f"{lang}/{aid}"
            hit = cache.get(rel)
            if hit and hit[0] == key:
                k = hit[1]
            else:
                try:
                    cat = po.read(cpath)
                except L10nError:
                    k = 0
                else:
                    k = sum(1 for e in cat.active() if e.msgstr
                            for f in entry_findings(project, lang, e) if f.severity == "error")
            fresh[rel] = [key, k]
            n += k
        out[aid] = n
    if fresh != cache:
        _cache_write(path, version, fresh)
    return out


def tree_fingerprint(project: Project) -> tuple:
    """A cheap summary of what the dashboard depends on: the modification times of the
    directories under content/ and locales/ and of the glossary. Catalogs and articles
    are replaced by renames (atomic writes, git checkouts), which touch their directory,
    so a poll can tell "nothing changed" without reading a single catalog."""
    import os

    out = []
    for base in (project.content_dir, project.locales_dir):
        for dirpath, dirnames, _files in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            try:
                out.append((dirpath, os.stat(dirpath).st_mtime_ns))
            except OSError:
                continue
    try:
        out.append(("glossary", os.stat(project.glossary_path()).st_mtime_ns))
    except OSError:
        pass
    return tuple(out)


@dataclass
class Dashboard:
    languages: list[str]
    rows: list[ArticleRow]
    total: dict[str, dict[str, int]]
    errors: int


def dashboard(project: Project, *, with_errors: bool = True) -> Dashboard:
    """Everything the dashboard shows (reads only what changed since the last call)."""
    st = _status.status(project)
    ids = [a["id"] for a in st["articles"]]
    titles = article_titles(project, ids)
    errs = error_counts(project, ids, st["languages"]) if with_errors else {}
    rows = [ArticleRow(a["id"], a["id"].split("/", 1)[0] if "/" in a["id"] else "",
                       titles.get(a["id"], ""), a["languages"], errs.get(a["id"], 0))
            for a in st["articles"]]
    return Dashboard(st["languages"], rows, st["total"], sum(errs.values()))


_LOADING = {"loading": 1}


def placeholder_row(aid: str, langs: list[str]) -> ArticleRow:
    """A row to show before the counts are in (they are shared and never changed)."""
    return ArticleRow(aid, aid.split("/", 1)[0] if "/" in aid else "", "",
                      dict.fromkeys(langs, _LOADING))


# =========================================================================== sync

@dataclass
class SyncOutcome:
    summary: str
    error: str | None = None
    drafts: dict = field(default_factory=dict)


def run_sync(project: Project, progress: Callable[[str, int, int], None] | None = None,
             detail: Callable[[str], None] | None = None, use_mt: bool = True) -> SyncOutcome:
    """`l10n sync` (memory and DeepL drafts) with progress callbacks; never raises
    ServiceError: the message comes back in `error`, drafts already received are kept."""
    from .engines import Drafter, _print_report
    from .secrets import KEY_VAR, auth_key, redact
    from .sync import SyncReport, sync

    key = auth_key() if use_mt else None
    drafter = Drafter(project, use_mt=use_mt, key=key, refresh=False, dry_run=False,
                      progress=detail)
    report = SyncReport()
    error = None
    try:
        report = sync(project, engines=drafter, progress=progress)
    except ServiceError as exc:
        error = redact(str(exc))
    finally:
        if drafter.deepl is not None:
            report.billed = dict(drafter.deepl.billed)
            drafter.deepl.record.close()
    if use_mt and not key:
        report.notes.append(f"no DeepL drafts: set {KEY_VAR} to get machine drafts")
    out = io.StringIO()
    _print_report(report, False, None, out)
    return SyncOutcome(redact(out.getvalue().strip()), error, report.drafts)


__all__ = ["Session", "CatalogView", "Edit", "Outcome", "dashboard", "run_sync", "needs_work",
           "describe_origin", "diff_ops", "TRANSLATED"]
