"""`l10n sync`: articles -> templates -> catalogs, then drafts for what is untranslated.

For each article, in order:

1. parse it and segment it (article.py, segmenter.py);
2. write its template, `locales/templates/<id>.pot` (skipped when the bytes are equal);
3. for each language, under the catalog's lock: read the catalog as it is now, merge
   it with the template (merge.py) and write it back;
4. hand the untranslated entries to the engines (engines.py): translation memory
   first, then DeepL.

Sync remembers, in `.l10n/sync-state.json`, the size, time and inode of every file it
read or wrote. An article whose source, template and catalogs are all as sync left
them is not read again, so a sync with nothing to do costs a few `stat` calls per
article. Anything else (an edited article, a `git pull`, a catalog changed by the TUI,
a new configuration or glossary) makes that article go through the steps again.

When 100 or more articles changed (a template change across the archive), steps 1-3 run
in worker processes (`_Parallel`), each owning every k-th article: they read and
validate their share first and write only once all of them have read without error
(so bad input still writes nothing); merged catalogs then stream back and this process
hands them to the engines in article order, as a one-process sync would.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import catalog as po
from .article import Article, parse_article
from .catalog import Catalog
from .merge import merge, template
from .project import Project
from .review import confirmed, restamp, text_hash
from .storage import atomic_write, deferred_dir_sync, locked
from .workspace import stat_key

STATE_FILE = "sync-state.json"
STATE_VERSION = 2  # 2: re-merge every article once, to re-stamp short-hash approvals


@dataclass
class ArticleChange:
    id: str
    template_written: bool = False
    catalogs_written: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    fuzzy: dict[str, int] = field(default_factory=dict)
    obsoleted: dict[str, int] = field(default_factory=dict)
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
            "restamped": self.restamped,
        }


class SyncState:
    """What sync saw last time, per article, to skip what did not change."""

    def __init__(self, project: Project):
        self.path = project.cache_dir / STATE_FILE
        self.project = project
        self.data: dict = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("version") == STATE_VERSION:
                self.data = data
        except (OSError, ValueError):
            self.data = {}
        self.articles: dict = self.data.get("articles", {})
        self._content = str(project.content_dir)
        self._locales = str(project.locales_dir)

    def fingerprint(self) -> str:
        """What every article's record depends on besides its own files: the configuration."""
        return self.project.config.digest

    def unchanged(self, aid: str, langs: list[str], fp: str) -> bool:
        rec = self.articles.get(aid)
        if not rec or rec.get("fp") != fp:
            return False
        # plain strings, not Path objects: this runs for every article of the archive
        if rec.get("src") != stat_key(f"{self._content}/{aid}.md"):
            return False
        if rec.get("pot") != stat_key(f"{self._locales}/templates/{aid}.pot"):
            return False
        cats = rec.get("po", {})
        for lang in langs:
            key = cats.get(lang)
            if not key or key != stat_key(f"{self._locales}/{lang}/{aid}.po"):
                return False
        return True

    def untranslated(self, aid: str) -> dict[str, int]:
        return self.articles.get(aid, {}).get("untranslated", {})

    def todo(self, aid: str, lang: str) -> list[str]:
        return self.articles.get(aid, {}).get("todo", {}).get(lang, [])

    def record(self, aid: str, langs: list[str], fp: str, untranslated: dict[str, int],
               todo: dict[str, list[str]]) -> None:
        p = self.project
        rec = self.articles.get(aid, {})
        if rec.get("fp") != fp:
            rec = {"po": {}}
        rec["fp"] = fp
        rec["src"] = stat_key(p.content_dir / f"{aid}.md")
        rec["pot"] = stat_key(p.template_path(aid))
        rec.setdefault("po", {})
        for lang in langs:
            rec["po"][lang] = stat_key(p.catalog_path(lang, aid))
        rec.setdefault("untranslated", {}).update(untranslated)
        rec.setdefault("todo", {}).update(todo)
        self.articles[aid] = rec

    def forget(self, aid: str) -> None:
        self.articles.pop(aid, None)

    def save(self) -> None:
        data = {"version": STATE_VERSION, "articles": dict(sorted(self.articles.items()))}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())


def merge_catalog(project: Project, article: Article, tmpl: Catalog, lang: str,
                  dry_run: bool = False, seen: tuple | None = None
                  ) -> tuple[bool, Catalog, dict[str, int]]:
    """Merge one language's catalog with the template, under its lock.

    `seen` is (stat key, catalog) as read moments ago by the preflight; it is used only
    if the file is still exactly as it was then."""
    path = project.catalog_path(lang, article.id)
    cfg = project.config
    with locked(project.cache_dir, path):
        old = None
        if path.exists():
            project.inside(path, "catalog")
            if seen is not None and seen[0] == stat_key(path):
                old = seen[1]
            else:
                old = po.read(path)
        new = merge(tmpl, old, lang, cfg.project, cfg.fuzzy_threshold)
        # short-hash approvals still matching their entry move to SHA-256 (review.restamp)
        counts = {"added": 0, "fuzzy": 0, "obsoleted": 0,
                  "restamped": sum(restamp(e) for e in new.entries)}
        old_keys = {e.key for e in old.entries if not e.obsolete} if old else set()
        for e in new.entries:
            if e.obsolete:
                if e.key in old_keys:
                    counts["obsoleted"] += 1
            elif e.key not in old_keys:
                counts["fuzzy" if e.fuzzy else "added"] += 1
        written = False if dry_run else atomic_write(path, po.serialize(new))
        if not dry_run:
            new.disk_key = stat_key(path)
    return written, new, counts


def _todo_hashes(cat: Catalog) -> list[str]:
    return sorted({text_hash(e.msgid)[:12] for e in cat.entries if not e.obsolete and not e.msgstr})


def _preflight(project: Project, changed: list[str], langs: list[str]
               ) -> tuple[dict[str, Article], dict[str, set], dict]:
    """Read every changed article and its catalogs before anything is written, so that
    one broken file stops the sync with nothing changed.

    Also returns, per language, hashes of the sources that those catalogs translate:
    new translation memory that may fill untranslated entries of unchanged articles."""
    articles: dict[str, Article] = {}
    news: dict[str, set] = {lang: set() for lang in langs}
    catalogs: dict = {}
    for aid in changed:
        articles[aid] = parse_article(project.article_path(aid), aid, project.config.segmentation)
        for lang in langs:
            path = project.catalog_path(lang, aid)
            if not path.exists():
                continue
            project.inside(path, "catalog")
            key = stat_key(path)
            cat = po.read(path)
            catalogs[(aid, lang)] = (key, cat)
            for e in cat.entries:
                if not e.obsolete and confirmed(e):
                    news[lang].add(text_hash(e.msgid)[:12])
    return articles, news, catalogs


PARALLEL_MIN = 100  # changed articles before sync spreads the work over processes


def _jobs(n_changed: int) -> int:
    """How many processes to use: L10N_JOBS, else the cores, for large re-merges only."""
    env = os.environ.get("L10N_JOBS")
    if env and env.isdigit():
        return max(1, int(env))
    if n_changed < PARALLEL_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _merge_article(project: Project, article: Article, langs: list[str], dry_run: bool,
                   preread: dict) -> tuple[Catalog, bool, dict]:
    tmpl = template(article, project.config.project)
    written = False
    if not dry_run:
        tpath = project.template_path(article.id)
        with locked(project.cache_dir, tpath):  # also clears a killed writer's temp file
            written = atomic_write(tpath, po.serialize(tmpl))
    merged = {lang: merge_catalog(project, article, tmpl, lang, dry_run, preread.get(lang))
              for lang in langs}
    return tmpl, written, merged


def _worker(conn, root: str, ids: list[str], langs: list[str], dry_run: bool) -> None:
    """One process of a parallel sync, owning `ids`: read and validate them all, report,
    wait for the parent's go (every other process has read its share without error),
    then merge and write them in order, sending each article's result as it is done.

    The parsed articles and catalogs stay in this process between the two phases; only
    the merged results travel, and the parent consumes them while the rest is merged."""
    try:
        project = Project(Path(root))
        articles: dict[str, Article] = {}
        preread: dict = {}
        news: dict[str, set] = {lang: set() for lang in langs}
        for i, aid in enumerate(ids):
            try:
                arts, nw, pre = _preflight(project, [aid], langs)
            except Exception as exc:  # noqa: BLE001 - the parent re-raises it
                _send_error(conn, i, exc)
                return
            articles.update(arts)
            preread.update(pre)
            for lang, hashes in nw.items():
                news[lang] |= hashes
        conn.send(("read", news))
        if conn.recv() != "go":
            return
        with deferred_dir_sync():
            for aid in ids:
                article = articles.pop(aid)
                try:
                    _tmpl, written, merged = _merge_article(
                        project, article, langs, dry_run,
                        {lang: preread.pop((aid, lang)) for lang in langs if (aid, lang) in preread})
                except Exception as exc:  # noqa: BLE001
                    _send_error(conn, 0, exc)
                    return
                conn.send(("merged", aid, article, written, merged))
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        return  # the parent stopped listening: what was written stays valid
    finally:
        conn.close()


def _send_error(conn, index: int, exc: Exception) -> None:
    """Hand an error to the parent to raise; one that does not pickle goes as its text."""
    import pickle

    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    conn.send(("error", index, exc))


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (every spawn needs it) with a real stderr.

    It hands the tracker `sys.stderr.fileno()`; under a Textual app that is a print
    capture whose fileno() is -1, and every spawn failed with "bad value(s) in
    fds_to_keep" (textual#3593). The tracker gets /dev/null instead: its warnings have no
    place on a TUI's screen."""
    from multiprocessing import resource_tracker

    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        return  # no fileno at all: the tracker does without
    saved = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class _Parallel:
    """Preflight, templates and merges of `changed` spread over `jobs` processes.

    Article i belongs to process i % jobs. Construction returns once every process has
    read and validated its share (raising the error of the earliest broken article if
    one is broken: then nothing has been written). `merged(aid)` then returns the next
    article's result; articles must be asked for in the order of `changed`."""

    def __init__(self, project: Project, changed: list[str], langs: list[str], dry_run: bool,
                 jobs: int):
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # safe from a threaded caller (the TUI)
        self.jobs = jobs = max(1, min(jobs, len(changed)))
        self.conns, self.procs = [], []
        self.order = {aid: i for i, aid in enumerate(changed)}
        _start_resource_tracker()
        try:
            for k in range(jobs):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(target=_worker, daemon=True,
                                   args=(theirs, str(project.root), changed[k::jobs], langs, dry_run))
                proc.start()
                theirs.close()
                self.conns.append(mine)
                self.procs.append(proc)
            self.news: dict[str, set] = {lang: set() for lang in langs}
            errors = []
            for k, conn in enumerate(self.conns):
                msg = self._recv(k)
                if msg[0] == "error":
                    errors.append((msg[1] * jobs + k, msg[2]))
                else:
                    for lang, hashes in msg[1].items():
                        self.news[lang] |= hashes
            if errors:
                raise min(errors, key=lambda e: e[0])[1]
            for conn in self.conns:
                conn.send("go")
        except BaseException:
            self.close()
            raise

    def _recv(self, k: int):
        try:
            return self.conns[k].recv()
        except EOFError:
            raise RuntimeError(f"sync worker {k} exited with code {self.procs[k].exitcode}") from None

    def merged(self, aid: str) -> tuple[Article, bool, dict]:
        msg = self._recv(self.order[aid] % self.jobs)
        if msg[0] == "error":
            raise msg[2]
        _kind, got, article, written, merged = msg
        assert got == aid, (got, aid)
        return article, written, merged

    def close(self) -> None:
        """Stop listening; each process finishes the write it is in and exits."""
        for conn in self.conns:
            conn.close()
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()
                proc.join()


def sync(project: Project, langs: list[str] | None = None, *, dry_run: bool = False,
         engines: Callable | None = None, only: list[str] | None = None,
         progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
    """Bring templates and catalogs in line with the articles (see `_sync`); directories
    are fsynced once at the end rather than after every file."""
    with deferred_dir_sync():
        return _sync(project, langs, dry_run=dry_run, engines=engines, only=only,
                     progress=progress)


def _sync(project: Project, langs: list[str] | None = None, *, dry_run: bool = False,
          engines: Callable | None = None, only: list[str] | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> SyncReport:
    """Bring templates and catalogs in line with the articles.

    `engines(project, article, {lang: catalog}, report, dry_run)` is called for every
    article it processes; it fills drafts (see engines.py). An unchanged article is
    processed again only when `engines.eager(untranslated_counts)` says so (DeepL has
    work to do) or when a catalog changed elsewhere translated one of its untranslated
    sources (the memory can fill it now).
    """
    langs = project.langs(langs)
    report = SyncReport()
    st = SyncState(project)
    fp = st.fingerprint()
    ids = only or project.article_ids()
    report.articles = len(ids)
    changed = [aid for aid in ids if not st.unchanged(aid, langs, fp)]
    changed_set = set(changed)
    jobs = _jobs(len(changed))
    prepare = getattr(engines, "prepare", None)
    if prepare is not None and changed:
        prepare()  # engines look at the project before sync rewrites it
    par: _Parallel | None = None
    if jobs > 1:
        par = _Parallel(project, changed, langs, dry_run, jobs)
        parsed, memory_news, preread = {}, par.news, {}
    else:
        parsed, memory_news, preread = _preflight(project, changed, langs)
    try:  # every article in order; with `par`, what changed was merged in the workers
        eager = getattr(engines, "eager", None)
        for n, aid in enumerate(ids, 1):
            if progress:
                progress(aid, n, len(ids))
            if aid not in changed_set:
                todo = st.untranslated(aid)
                wanted = engines is not None and (
                    (eager is not None and eager(todo))
                    or any(memory_news.get(lang, set()).intersection(st.todo(aid, lang)) for lang in langs))
                if not wanted:
                    report.skipped += 1
                    for lang in langs:
                        report.untranslated[lang] = report.untranslated.get(lang, 0) + todo.get(lang, 0)
                    continue
            change = ArticleChange(aid)
            if par is not None and aid in changed_set:
                article, change.template_written, merged = par.merged(aid)
            else:
                article = parsed.pop(aid, None) or parse_article(
                    project.article_path(aid), aid, project.config.segmentation)
                _tmpl, change.template_written, merged = _merge_article(
                    project, article, langs, dry_run,
                    {lang: preread.pop((aid, lang)) for lang in langs if (aid, lang) in preread})
            cats: dict[str, Catalog] = {}
            for lang in langs:
                written, cat, counts = merged[lang]
                cats[lang] = cat
                if written:
                    change.catalogs_written.append(lang)
                for k, v in counts.items():
                    if v:
                        getattr(change, k)[lang] = v
            touched: set = set()
            if engines is not None:
                touched = engines(project, article, cats, report, dry_run)
                if touched is None:  # an engine that does not say what it changed
                    touched = set(langs)
            untranslated, todo_hashes = {}, {}
            for lang in langs:
                cat = cats[lang]
                if not dry_run and lang in touched:
                    # engines rewrote the catalog: count from the file as written
                    cat = po.read(project.catalog_path(lang, aid))
                todo_hashes[lang] = _todo_hashes(cat)
                untranslated[lang] = sum(1 for e in cat.entries if not e.obsolete and not e.msgstr)
                report.untranslated[lang] = report.untranslated.get(lang, 0) + untranslated[lang]
            if change.template_written or change.catalogs_written or any(
                    (change.added, change.fuzzy, change.obsoleted, change.restamped)):
                report.changes.append(change)
            if not dry_run:
                st.record(aid, langs, fp, untranslated, todo_hashes)
    finally:
        if par is not None:
            par.close()
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
    return report
