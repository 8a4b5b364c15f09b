"""The project's translation memory for drafting: every approved and translated entry of
every catalog, plus imported TMX (`locales/memory.tmx`), indexed in `.l10n/memory.sqlite`.

`MemoryEngine` is the free draft engine sync asks first: exact matches only.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from . import review
from .article import Article
from .catalog import Catalog, Entry
from .errors import InputError
from .memory import TranslationMemory
from .project import Project
from .workspace import load_catalog, read_memory_tmx, stat_key

MEMORY_FILE = "memory.tmx"


def _stamp(key) -> str:
    """How the memory records a file: its stat key (mtime_ns, size, inode) as text."""
    return "%d,%d,%d" % tuple(key)


class ProjectMemory:
    """The translation memory of a project: every approved and translated entry of every
    catalog, plus imported TMX (`locales/memory.tmx`), per target language.

    It is indexed in `.l10n/memory.sqlite`, refreshed catalog by catalog: a catalog
    whose size, time and inode did not change is not read again. Exact lookups (what
    sync needs) are SQL queries; `load()` builds the full fuzzy-searchable
    TranslationMemory (what the TUI's suggestions need).

    One owner opens and closes it: use it as a context manager (`with ProjectMemory(p)
    as pm:`); leaving the block commits and closes the database, so no other process
    (the next sync, the TUI's memory reload) waits on a write it left open.

    A catalog (or the TMX) that cannot be read stops the refresh with its error, file
    and line (sync drafts nothing from a project with a broken file). With
    `skip_broken` (the TUI's suggestions) it is left out instead: its pairs are dropped
    from the index, which reads it again at the next refresh, and its error is kept in
    `broken`. One broken file then costs the suggestions it held, not all of them."""

    DB = "memory.sqlite"

    def __init__(self, project: Project, *, skip_broken: bool = False):
        self.project = project
        self.skip_broken = skip_broken
        self.broken: list[InputError] = []  # the files left out by the last refresh
        self._tm: TranslationMemory | None = None
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._locales: str | None = None  # locales/, relative to the project

    def tmx_path(self) -> Path:
        return self.project.locales_dir / MEMORY_FILE

    @staticmethod
    def pairs_of(cat: Catalog) -> list[tuple[str, str]]:
        out = []
        for e in cat.entries:
            if not e.obsolete and review.confirmed(e):
                out.append((e.msgid, e.msgstr))
        return out

    def __enter__(self) -> "ProjectMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def db(self, seen: dict | None = None) -> sqlite3.Connection:
        """The index, brought up to date with the catalogs on first use; `seen` is what
        sync read moments ago ((article, lang) -> (stat key, confirmed pairs)), used for
        each catalog still exactly as it was read instead of parsing it again."""
        if self._db is None:
            self._db = sqlite3.connect(str(self.project.cache_dir / self.DB), timeout=30)
            self._db.executescript(
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"  # a cache: rebuilt from the catalogs if lost
                "CREATE TABLE IF NOT EXISTS sources (rel TEXT PRIMARY KEY, stat TEXT);"
                "CREATE TABLE IF NOT EXISTS pairs (rel TEXT, lang TEXT, source TEXT, target TEXT);"
                "CREATE INDEX IF NOT EXISTS pairs_lookup ON pairs (lang, source);"
                "CREATE INDEX IF NOT EXISTS pairs_rel ON pairs (rel);")
            self.refresh(seen)
        return self._db

    def refresh(self, seen: dict | None = None) -> int:
        """Re-read the catalogs (and the TMX) that changed since the index saw them."""
        p = self.project
        db = self._db
        known = dict(db.execute("SELECT rel, stat FROM sources"))
        loc = p.rel(p.locales_dir)
        given = {f"{loc}/{lang}/{aid}.po": (_stamp(key), pairs)
                 for (aid, lang), (key, pairs) in (seen or {}).items() if key}
        seen = set()
        changed = 0
        root = f"{p.root}/"
        items: list[tuple[str, str]] = [("tmx", p.rel(self.tmx_path()))]
        items += [(lang, f"{loc}/{lang}/{aid}.po") for aid in p.article_ids() for lang in p.languages]
        stat = os.stat
        self.broken = []
        for lang, rel in items:  # thousands of catalogs: kept tight (sync's start waits)
            try:
                st = stat(root + rel)
            except FileNotFoundError:
                continue
            seen.add(rel)
            stamp = _stamp((st.st_mtime_ns, st.st_size, st.st_ino))  # workspace.stat_key's order
            if known.get(rel) == stamp:
                continue
            path = p.root / rel
            changed += 1
            db.execute("DELETE FROM pairs WHERE rel=?", (rel,))
            try:
                if lang == "tmx":
                    tm = TranslationMemory()
                    read_memory_tmx(p, path, tm)
                    rows = [(rel, lg, s, t) for lg, s, t, _ in tm.pairs()]
                elif given.get(rel, ("",))[0] == stamp:
                    rows = [(rel, lang, s, t) for s, t in given[rel][1]]
                else:
                    rows = [(rel, lang, s, t) for s, t in self.pairs_of(load_catalog(p, path))]
            except InputError as exc:
                if not self.skip_broken:
                    raise
                self.broken.append(exc)
                db.execute("DELETE FROM sources WHERE rel=?", (rel,))  # read again next time
                continue
            db.executemany("INSERT INTO pairs VALUES (?,?,?,?)", rows)
            db.execute("INSERT OR REPLACE INTO sources VALUES (?,?)", (rel, stamp))
        for rel in set(known) - seen:
            db.execute("DELETE FROM pairs WHERE rel=?", (rel,))
            db.execute("DELETE FROM sources WHERE rel=?", (rel,))
            changed += 1
        db.commit()
        return changed

    def learn(self, lang: str, article_id: str, cat: Catalog) -> None:
        """Index a catalog that sync just wrote, without reading it back."""
        p = self.project
        if self._locales is None:
            self._locales = p.rel(p.locales_dir)
        rel = f"{self._locales}/{lang}/{article_id}.po"
        # the key taken under the lock when the catalog was written: a stat now could
        # already be another writer's file, which this catalog does not hold
        key = cat.disk_key or stat_key(f"{p.root}/{rel}")
        if key is None:
            return
        db = self.db()
        stamp = _stamp(key)
        if db.execute("SELECT 1 FROM sources WHERE rel=? AND stat=?", (rel, stamp)).fetchone():
            return
        db.execute("DELETE FROM pairs WHERE rel=?", (rel,))
        db.executemany("INSERT INTO pairs VALUES (?,?,?,?)",
                       [(rel, lang, s, t) for s, t in self.pairs_of(cat)])
        db.execute("INSERT OR REPLACE INTO sources VALUES (?,?)", (rel, stamp))
        self._pending += 1
        if self._pending >= 200:
            db.commit()
            self._pending = 0
        self._tm = None

    def exact(self, lang: str, source: str) -> str | None:
        row = self.db().execute(
            "SELECT target FROM pairs WHERE lang=? AND source=? ORDER BY rowid DESC LIMIT 1",
            (lang, source)).fetchone()
        return row[0] if row else None

    def load(self) -> TranslationMemory:
        if self._tm is None:
            tm = TranslationMemory()
            for rel, lang, s, t in self.db().execute(
                    "SELECT rel, lang, source, target FROM pairs ORDER BY rowid"):
                tm.add(lang, s, t, origin=rel)
            self._tm = tm
        return self._tm

    def close(self) -> None:
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None


class MemoryEngine:
    name = "memory"

    def __init__(self, memory: ProjectMemory):
        self.memory = memory

    def draft(self, lang: str, entries: list[Entry], article: Article) -> dict:
        """{key: (text, score)} for exact matches."""
        out = {}
        for e in entries:
            hit = self.memory.exact(lang, e.msgid)
            if hit is not None:
                out[e.key] = (hit, 100)
        return out
