"""`l10n sync`: articles -> templates -> catalogs, then drafts for what is untranslated.

For each article, in order:

1. parse it and segment it (article.py, segmenter.py);
2. write its template, `locales/templates/<id>.pot` (skipped when the bytes are equal);
3. for each language: merge the catalog with the template (merge.py) and, unless the
   file already holds the result, write it under the catalog's lock (`merge_catalog`);
4. hand the untranslated entries to the engines (engines.py): translation memory
   first, then DeepL.

Sync remembers (sync_state.py), in `.l10n/sync-state.json`, the size, time and inode of
every file it read or wrote. An article whose source, template and catalogs are all as sync left
them is not read again, so a sync with nothing to do costs a few `stat` calls per
article. Anything else (an edited article, a `git pull`, a catalog changed by the TUI,
a new configuration) makes that article go through the steps again.

When 100 or more articles changed (a template change across the archive), steps 1-3 run
in worker processes (sync_parallel.py), each owning every k-th article: they read and
validate their share first and write only once all of them have read without error
(so bad input still writes nothing); merged catalogs then stream back and this process
hands them to the engines in article order, as a one-process sync would.

The engines are one `DraftEngine` (engines.Drafter in the real command): sync tells it
what it read before writing anything (`prepare`), asks whether an unchanged article
needs a visit (`eager`), and hands it each merged article (`draft`), which returns the
catalogs as it left them; sync counts from those, so no catalog is parsed twice.
"""
from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from .errors import ServiceError
from .filestat import stat_key
from .lazy import LazyModule
from .project import Project
from . import sync_noop
from .sync_parallel import Workers, jobs_for, send_error
from .sync_state import SyncState

if TYPE_CHECKING:
    from .article import Article
    from .catalog import Catalog

# What a no-op sync (every article as sync left it) never uses loads on first use: the
# no-op costs a few stat calls per article, and Python's start-up is most of the rest.
po = LazyModule(".catalog")
_article = LazyModule(".article")
_merge = LazyModule(".merge")
_review = LazyModule(".review")
_storage = LazyModule(".storage")
_ws = LazyModule(".workspace")  # the one door for project files (confinement, locks)

@dataclass
class ArticleChange:
    id: str
    template_written: bool = False
    catalogs_written: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    fuzzy: dict[str, int] = field(default_factory=dict)
    obsoleted: dict[str, int] = field(default_factory=dict)
    drafted: list[str] = field(default_factory=list)  # languages that got drafts
    restamped: dict[str, int] = field(default_factory=dict)  # approvals moved to SHA-256


@dataclass
class SyncReport:
    articles: int = 0
    skipped: int = 0
    changes: list[ArticleChange] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    drafts: dict = field(default_factory=dict)  # filled by engines: {engine: {lang: n}}
    billed: dict[str, int] = field(default_factory=dict)
    pending: dict = field(default_factory=dict)  # dry run: {lang: {"units", "chars"}}
    notes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dry_run: bool = False
    usage: dict | None = None  # the DeepL account (dry run with a key)
    error: str | None = None  # a service error that stopped the sync (redacted)
    refresh: bool = False  # --refresh was asked for
    article_drafts: dict = field(default_factory=dict)  # {article: {lang: n}}
    billed_articles: dict = field(default_factory=dict)  # {article: {lang: characters}}
    refreshed: dict = field(default_factory=dict)  # --refresh: {lang: {"units", "chars"}}
    budget: int | None = None  # characters allowed this sync (None: no budget)
    # what the next `sync --no-mt` would find if nothing changes (sync_noop.basis)
    noop_basis: dict | None = field(default=None, repr=False)

    @property
    def restamped(self) -> int:
        return sum(sum(c.restamped.values()) for c in self.changes)

    def as_json(self) -> dict:
        return {
            "articles": self.articles,
            "unchanged": self.skipped,
            "changed": [c.__dict__ for c in self.changes],
            "untranslated": self.untranslated,
            "drafts": self.drafts,
            "billed_characters": self.billed,
            "would_send": self.pending,
            "notes": self.notes,
            "orphans": self.removed,
            "drafts_per_article": self.article_drafts,
            "billed_characters_per_article": self.billed_articles,
            "refreshed": self.refreshed,
            "budget": self.budget,
            "dry_run": self.dry_run,
            "usage": self.usage,
            "error": self.error,
            "restamped": self.restamped,
        }


def _current(project: Project, path: Path, seen: tuple | None) -> tuple[list[int] | None, Catalog | None]:
    """(stat key, catalog) of `path` now; `seen` (the preflight's) if the file is still it."""
    if not path.exists():
        return None, None
    key = stat_key(path)
    if seen is not None and seen[0] == key:
        project.inside(path, "catalog")
        return key, seen[1]
    return key, _ws.load_catalog(project, path)


def _holds(path: Path, key: list[int] | None, data: bytes) -> bool:
    """The file is still the one read under `key` and already holds exactly `data`."""
    if key is None or key[1] != len(data):
        return False
    try:
        same = path.read_bytes() == data
    except OSError:
        return False
    return same and stat_key(path) == key


def _differs(path: Path, data: bytes) -> bool:
    """Would writing `data` change `path`? (what a dry run reports as written)"""
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def _counts(old: Catalog | None, new: Catalog, restamped: int) -> dict[str, int]:
    counts = {"added": 0, "fuzzy": 0, "obsoleted": 0, "restamped": restamped}
    old_keys = {e.key for e in old.entries if not e.obsolete} if old else set()
    for e in new.entries:
        if e.obsolete:
            if e.key in old_keys:
                counts["obsoleted"] += 1
        elif e.key not in old_keys:
            counts["fuzzy" if e.fuzzy else "added"] += 1
    return counts


def merge_catalog(project: Project, article: Article, tmpl: Catalog, lang: str,
                  dry_run: bool = False, seen: tuple | None = None, siblings: bool = True
                  ) -> tuple[bool, Catalog, dict[str, int]]:
    """Merge one language's catalog with the template and write it.

    The merge runs on the catalog as read (`seen`: (stat key, catalog) as the preflight
    read it moments ago, used only if the file is still exactly that one). A result that
    the file already holds byte for byte is not written, and takes no lock (a sync over
    an archive that is up to date takes none). Anything else is written under the file's
    lock, after checking that the file is still the one merged (if not, it is read and
    merged again), atomically: the rule every writer of a catalog follows.
    `siblings=False` (DeepL drafts new units): a new unit takes no fuzzy draft from an
    entry still in the template (merge.py)."""
    path = project.catalog_path(lang, article.id)
    cfg = project.config

    restamped = 0

    def merged(old: Catalog | None) -> tuple[Catalog, bytes]:
        nonlocal restamped
        new = _merge.merge(tmpl, old, lang, cfg.project, cfg.fuzzy_threshold, siblings=siblings)
        # short-hash approvals still matching their entry move to SHA-256 (review.restamp)
        restamped = sum(_review.restamp(e) for e in new.entries)
        return new, po.serialize(new)

    key, old = _current(project, path, seen)
    new, data = merged(old)
    written = False
    if dry_run:
        written = _differs(path, data)
    elif _holds(path, key, data):
        new.disk_key = key
    else:
        with _storage.locked(project.cache_dir, path):
            if stat_key(path) != key:  # someone wrote it since it was read
                key, old = _current(project, path, None)
                new, data = merged(old)
            written = _ws.write_file(project, path, data, "catalog")
            new.disk_key = stat_key(path)
    return written, new, _counts(old, new, restamped)


Pairs = list[tuple[str, str]]  # (msgid, msgstr) of the confirmed entries of a catalog
Seen = dict[tuple[str, str], tuple[list[int], Pairs]]  # (article, lang) -> (stat key, pairs)


class DraftEngine(Protocol):
    """What sync asks of the engines that fill untranslated entries (engines.Drafter)."""

    def prepare(self, seen: Seen) -> None:
        """Called once when articles changed, after sync read their catalogs and before
        it writes any: `seen` holds each catalog read, with the stat key it was read
        under and its confirmed pairs (the memory indexes them without reading again)."""

    def eager(self, untranslated: dict[str, int]) -> bool:
        """Whether an unchanged article with these untranslated counts needs a visit."""

    @property
    def drafts_new_units(self) -> bool:
        """True when new units get drafts from the engine (DeepL): sync then gives them
        no fuzzy draft taken from an entry still in the template (merge.py)."""

    def draft(self, article: Article, cats: dict[str, Catalog], report: SyncReport,
              dry_run: bool) -> dict[str, Catalog]:
        """Fill drafts into one article's merged catalogs ({lang: catalog}); returns the
        catalogs it drafted into, as it left them (written, with their `disk_key`; on a
        dry run, filled in memory as the real run would fill the files)."""


def _todo_hashes(cat: Catalog) -> list[str]:
    text_hash = _review.text_hash
    return sorted({text_hash(e.msgid)[:12] for e in cat.entries if not e.obsolete and not e.msgstr})


def _pairs(cat: Catalog) -> Pairs:
    confirmed = _review.confirmed
    return [(e.msgid, e.msgstr) for e in cat.entries if not e.obsolete and confirmed(e)]


def _preflight(project: Project, changed: list[str], langs: list[str]
               ) -> tuple[dict[str, Article], Seen, dict]:
    """Read every changed article and its catalogs before anything is written, so that
    one broken file stops the sync with nothing changed.

    Returns the articles, what was read for the engines (`Seen`: the confirmed pairs of
    each catalog, which are also new translation memory that may fill untranslated
    entries of unchanged articles), and the catalogs themselves for the merge."""
    articles: dict[str, Article] = {}
    seen: Seen = {}
    catalogs: dict = {}
    for aid in changed:
        articles[aid] = _article.parse_article(project.article_path(aid), aid, project.config.segmentation)
        for lang in langs:
            path = project.catalog_path(lang, aid)
            if not path.exists():
                continue
            key = stat_key(path)
            cat = _ws.load_catalog(project, path)
            catalogs[(aid, lang)] = (key, cat)
            seen[(aid, lang)] = (key, _pairs(cat))
    return articles, seen, catalogs


def _memory_news(seen: Seen, langs: list[str]) -> dict[str, set]:
    """Per language, hashes of the sources that the changed catalogs translate."""
    news: dict[str, set] = {lang: set() for lang in langs}
    if seen:
        text_hash = _review.text_hash
        for (_aid, lang), (_key, pairs) in seen.items():
            news.setdefault(lang, set()).update(text_hash(s)[:12] for s, _t in pairs)
    return news


def _merge_article(project: Project, article: Article, langs: list[str], dry_run: bool,
                   preread: dict, siblings: bool = True) -> tuple[Catalog, bool, dict]:
    tmpl = _merge.template(article, project.config.project)
    tpath = project.template_path(article.id)
    data = po.serialize(tmpl)
    if dry_run:
        written = _differs(tpath, data)
    elif _holds(tpath, stat_key(tpath), data):  # equal bytes: no lock, no write
        written = False
    else:
        with _storage.locked(project.cache_dir, tpath):  # also clears a killed writer's temp file
            written = _ws.write_file(project, tpath, data, "template")
    merged = {lang: merge_catalog(project, article, tmpl, lang, dry_run, preread.get(lang),
                                  siblings)
              for lang in langs}
    return tmpl, written, merged


def _worker(conn, root: str, ids: list[str], langs: list[str], dry_run: bool,
            siblings: bool = True) -> None:
    """One process of a parallel sync (sync_parallel.Workers), owning `ids`: read and
    validate them all, report what was read, wait for the parent's go (every other
    process has read its share without error), then merge and write them in order,
    sending each article's result as it is done.

    The parsed articles and catalogs stay in this process between the two phases; only
    the merged results travel, and the parent consumes them while the rest is merged."""
    try:
        project = Project(Path(root))
        articles: dict[str, Article] = {}
        preread: dict = {}
        seen: Seen = {}
        for i, aid in enumerate(ids):
            try:
                arts, sn, pre = _preflight(project, [aid], langs)
            except Exception as exc:  # noqa: BLE001 - the parent re-raises it
                send_error(conn, i, exc)
                return
            articles.update(arts)
            preread.update(pre)
            seen.update(sn)
        conn.send(("read", seen))
        if conn.recv() != "go":
            return
        with _storage.deferred_dir_sync():
            for aid in ids:
                article = articles.pop(aid)
                try:
                    _tmpl, written, merged = _merge_article(
                        project, article, langs, dry_run,
                        {lang: preread.pop((aid, lang)) for lang in langs if (aid, lang) in preread},
                        siblings)
                except Exception as exc:  # noqa: BLE001
                    send_error(conn, 0, exc)
                    return
                conn.send(("merged", aid, article, written, merged))
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        return  # the parent stopped listening: what was written stays valid
    finally:
        conn.close()


class _InProcess:
    """The one-process counterpart of `Workers`: the same phases, in this process."""

    def __init__(self, project: Project, changed: list[str], langs: list[str], dry_run: bool,
                 siblings: bool = True):
        self.project, self.langs, self.dry_run, self.siblings = project, langs, dry_run, siblings
        self.parsed, seen, self.preread = _preflight(project, changed, langs)
        self.read = [seen]

    def __enter__(self) -> "_InProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.parsed.clear()
        self.preread.clear()

    def go(self) -> None:
        pass

    def merged(self, aid: str) -> tuple[Article, bool, dict]:
        article = self.parsed.pop(aid)
        _tmpl, written, merged = _merge_article(
            self.project, article, self.langs, self.dry_run,
            {lang: self.preread.pop((aid, lang)) for lang in self.langs
             if (aid, lang) in self.preread}, self.siblings)
        return article, written, merged


def sync(project: Project, langs: list[str] | None = None, *, dry_run: bool = False,
         engines: DraftEngine | None = None, only: list[str] | None = None,
         progress: Callable[[str, int, int], None] | None = None,
         report: SyncReport | None = None) -> SyncReport:
    """Bring templates and catalogs in line with the articles (see `_sync`); directories
    are fsynced once at the end rather than after every file.

    `report`, when given, is filled as sync goes: what was done before an error (a
    DeepL failure halfway) is still in it when the error is raised."""
    with ExitStack() as dirs:  # entered at the first write: a no-op loads no storage code
        return _sync(project, langs, dry_run=dry_run, engines=engines, only=only,
                     progress=progress, report=report if report is not None else SyncReport(),
                     dirs=dirs)


def _sync(project: Project, langs: list[str] | None, *, dry_run: bool,
          engines: DraftEngine | None, only: list[str] | None,
          progress: Callable[[str, int, int], None] | None, report: SyncReport,
          dirs: ExitStack) -> SyncReport:
    """Bring templates and catalogs in line with the articles.

    `engines.draft(...)` is called for every article it processes; it fills drafts (see
    engines.py). An unchanged article is processed again only when `engines.eager(...)`
    says so (DeepL has work to do) or when a catalog changed elsewhere translated one of
    its untranslated sources (the memory can fill it now).
    """
    langs = project.langs(langs)
    st = SyncState(project)
    fp = st.fingerprint()
    ids = only or project.article_ids()
    report.articles = len(ids)
    changed = [aid for aid in ids if not st.unchanged(aid, langs, fp)]
    changed_set = set(changed)
    deferred = False

    def defer_dir_syncs() -> None:
        nonlocal deferred
        if not deferred:
            dirs.enter_context(_storage.deferred_dir_sync())
            deferred = True

    if changed:
        defer_dir_syncs()
    # DeepL drafts new units: a fuzzy match from a living sibling is not their draft
    siblings = not (engines is not None and engines.drafts_new_units)
    jobs = jobs_for(len(changed))
    if jobs > 1:
        merger = Workers(_worker, project.root, changed, langs, dry_run, jobs, (siblings,))
    else:
        merger = _InProcess(project, changed, langs, dry_run, siblings)
    try:
        with merger:
            _visit(project, ids, langs, fp, st, changed_set, merger, engines, progress, report,
                   dry_run, siblings, defer_dir_syncs)
    except ServiceError:
        # DeepL stopped (quota, budget, network): the articles done so far are recorded,
        # so the rerun does not merge them again; the one in progress is not
        if not dry_run:
            st.save()
        raise
    if not only:
        known = set(ids)
        for aid in list(st.articles):
            if aid not in known:
                st.forget(aid)
        # templates whose article is gone: reported, never deleted (their catalogs hold work)
        tdir = str(project.locales_dir / "templates")
        for dirpath, _dirs, files in os.walk(tdir):
            rel = os.path.relpath(dirpath, tdir).replace(os.sep, "/")
            for f in files:
                if f.endswith(".pot"):
                    aid = f[:-4] if rel == "." else f"{rel}/{f[:-4]}"
                    if aid not in known:
                        report.removed.append(aid)
        report.removed.sort()
    if not dry_run:
        st.save()
        if not only:
            report.noop_basis = sync_noop.basis(project, st, ids, report.removed)
    return report


def _visit(project: Project, ids: list[str], langs: list[str], fp: str, st: SyncState,
           changed_set: set, merger, engines: DraftEngine | None,
           progress: Callable[[str, int, int], None] | None, report: SyncReport,
           dry_run: bool, siblings: bool, defer_dir_syncs: Callable[[], None]) -> None:
    """Every article in order: what changed is merged by `merger`, an unchanged one is
    visited again only when the engines have work for it; drafts follow each merge."""
    seen: Seen = {}
    for part in merger.read:
        seen.update(part)
    if engines is not None and changed_set:
        engines.prepare(seen)  # before anything is written
    memory_news = _memory_news(seen, langs)
    del seen
    merger.go()
    for n, aid in enumerate(ids, 1):
        if progress:
            progress(aid, n, len(ids))
        if aid in changed_set:
            article, template_written, merged = merger.merged(aid)
        else:
            todo = st.untranslated(aid)
            wanted = engines is not None and (
                engines.eager(todo)
                or any(memory_news.get(lang, set()).intersection(st.todo(aid, lang)) for lang in langs))
            if not wanted:
                report.skipped += 1
                for lang in langs:
                    report.untranslated[lang] = report.untranslated.get(lang, 0) + todo.get(lang, 0)
                continue
            defer_dir_syncs()
            article = _article.parse_article(project.article_path(aid), aid, project.config.segmentation)
            _tmpl, template_written, merged = _merge_article(project, article, langs, dry_run, {},
                                                     siblings)
        change = ArticleChange(aid, template_written)
        cats: dict[str, Catalog] = {}
        for lang in langs:
            written, cat, counts = merged[lang]
            cats[lang] = cat
            if written:
                change.catalogs_written.append(lang)
            for k, v in counts.items():
                if v:
                    getattr(change, k)[lang] = v
        merged_something = change.template_written or change.catalogs_written or any(
            (change.added, change.fuzzy, change.obsoleted, change.restamped))
        if merged_something:  # reported before the drafts: they may fail halfway
            report.changes.append(change)
        if engines is not None:
            drafted = engines.draft(article, cats, report, dry_run)
            cats.update(drafted)
            change.drafted = [lang for lang in langs if lang in drafted]
        if not merged_something:
            if change.drafted:
                report.changes.append(change)
            else:  # articles = unchanged + changed
                report.skipped += 1
        untranslated, todo_hashes = {}, {}
        for lang in langs:
            cat = cats[lang]
            todo_hashes[lang] = _todo_hashes(cat)
            untranslated[lang] = sum(1 for e in cat.entries if not e.obsolete and not e.msgstr)
            report.untranslated[lang] = report.untranslated.get(lang, 0) + untranslated[lang]
        if not dry_run:
            st.record(aid, langs, fp, untranslated, todo_hashes)
