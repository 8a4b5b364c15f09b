"""Draft engines for `l10n sync`: translation memory first, then DeepL.

An engine gets the untranslated entries of one article in one language and returns
drafts. Drafts land as `fuzzy` with a translator comment naming the engine (review.py),
so nobody mistakes machine text for a human's.

* `MemoryEngine`: an exact match (same source, any article) from every approved and
  translated entry of every catalog, plus imported TMX (`locales/memory.tmx`). Free.
* `DeepLEngine`: the official client (`deepl.DeepLClient`). One group of requests per
  article, each with the article's title and the neighbouring text as `context` (not
  billed), the project glossary as a multilingual glossary, formality where the target
  supports it, inline Markdown protected as XML tags (URLs and code never sent), at most
  50 texts and about 100 KB per request.

Never pay twice: every text DeepL translated is kept in `.l10n/mt-cache.sqlite` (git
ignores it), keyed by source text, target code, glossary version and options, *before*
the catalog is written. A rerun after a crash, a quota stop or a rejected draft takes
the text from there instead of sending it again (unless `--refresh`).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import catalog as po
from . import review
from .article import Article
from .catalog import Catalog, Entry
from .errors import ServiceError
from .glossary import Glossary, load_glossary
from .markup import protect, restore
from .memory import TranslationMemory, import_tmx
from .project import Project
from .secrets import KEY_VAR, auth_key, redact
from .storage import atomic_write
from .sync import SyncReport, sync
from .workspace import stat_key, update_catalog

MAX_TEXTS = 50
MAX_BYTES = 100_000
CONTEXT_CHARS = 2_000
MEMORY_FILE = "memory.tmx"


# ============================================================================ memory

def _stamp(key) -> str:
    """How the memory records a file: its stat key (mtime_ns, size, inode) as text."""
    return "%d,%d,%d" % tuple(key)


class ProjectMemory:
    """The translation memory of a project: every approved and translated entry of every
    catalog, plus imported TMX (`locales/memory.tmx`), per target language.

    It is indexed in `.l10n/memory.sqlite`, refreshed catalog by catalog: a catalog
    whose size, time and inode did not change is not read again. Exact lookups (what
    sync needs) are SQL queries; `load()` builds the full fuzzy-searchable
    TranslationMemory (what the TUI's suggestions need)."""

    DB = "memory.sqlite"

    def __init__(self, project: Project):
        self.project = project
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

    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(str(self.project.cache_dir / self.DB), timeout=30)
            self._db.executescript(
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"  # a cache: rebuilt from the catalogs if lost
                "CREATE TABLE IF NOT EXISTS sources (rel TEXT PRIMARY KEY, stat TEXT);"
                "CREATE TABLE IF NOT EXISTS pairs (rel TEXT, lang TEXT, source TEXT, target TEXT);"
                "CREATE INDEX IF NOT EXISTS pairs_lookup ON pairs (lang, source);"
                "CREATE INDEX IF NOT EXISTS pairs_rel ON pairs (rel);")
            self.refresh()
        return self._db

    def refresh(self) -> int:
        """Re-read the catalogs (and the TMX) that changed since the index saw them."""
        p = self.project
        db = self._db
        known = dict(db.execute("SELECT rel, stat FROM sources"))
        seen = set()
        changed = 0
        root = f"{p.root}/"
        loc = p.rel(p.locales_dir)
        items: list[tuple[str, str]] = [("tmx", p.rel(self.tmx_path()))]
        items += [(lang, f"{loc}/{lang}/{aid}.po") for aid in p.article_ids() for lang in p.languages]
        stat = os.stat
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
            if lang == "tmx":
                tm = TranslationMemory()
                import_tmx(path, tm)
                rows = [(rel, lg, s, t) for lg, s, t, _ in tm.pairs()]
            else:
                p.inside(path, "catalog")
                rows = [(rel, lang, s, t) for s, t in self.pairs_of(po.read(path))]
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


# ============================================================================ DeepL

class SentRecord:
    """Every text DeepL translated for us, with its result: the never-pay-twice record."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS sent (key TEXT PRIMARY KEY, lang TEXT, "
                        "source TEXT, result TEXT, chars INTEGER, at REAL)")
        self.db.commit()

    @staticmethod
    def key(source: str, target: str, glossary_version: str, options: dict) -> str:
        opts = json.dumps(options, sort_keys=True)
        return hashlib.sha256(f"{source}\x00{target}\x00{glossary_version}\x00{opts}".encode()).hexdigest()

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT result FROM sent WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def put_many(self, rows: list[tuple[str, str, str, str, int]]) -> None:
        now = time.time()
        self.db.executemany("INSERT OR REPLACE INTO sent VALUES (?,?,?,?,?,?)",
                            [(*r, now) for r in rows])
        self.db.commit()

    def close(self) -> None:
        self.db.close()


@dataclass
class Pending:
    """A text to send to DeepL for one entry (or several with the same source)."""

    key: tuple
    source: str
    xml: str
    restore: dict
    cache_key: str
    block: int


def _glossary_lang(deepl_code: str) -> str:
    return deepl_code.split("-")[0].lower()


class DeepLEngine:
    name = "deepl"

    def __init__(self, project: Project, key: str | None, glossary: Glossary, *,
                 refresh: bool = False, dry_run: bool = False,
                 progress: Callable[[str], None] | None = None):
        self.project = project
        self.cfg = project.config
        self.key = key
        self.glossary = glossary
        self.refresh = refresh
        self.dry_run = dry_run
        self.progress = progress
        self.record = SentRecord(project.cache_dir / "mt-cache.sqlite")
        self._client = None
        self._glossary_id: str | None = None
        self.billed: dict[str, int] = {}
        self.would_send: dict[str, dict[str, int]] = {}
        self._seen_pending: dict[str, set] = {}

    # -------------------------------------------------------------- client
    def client(self):
        if self._client is None:
            import deepl

            url = self.cfg.deepl_server_url
            import os

            url = os.environ.get("DEEPL_SERVER_URL") or url
            self._client = deepl.DeepLClient(self.key, server_url=url or None,
                                             send_platform_info=False)
        return self._client

    def options(self, lang: str) -> dict:
        code = self.cfg.languages[lang].deepl
        return {"target": code, "formality": self.cfg.languages[lang].formality,
                "model_type": self.cfg.deepl_model_type, "tags": "xml-1"}

    def glossary_version(self) -> str:
        return self.glossary.version() if (self.cfg.deepl_glossary and self.glossary.terms) else "none"

    def glossary_id(self) -> str | None:
        """The DeepL multilingual glossary for the project glossary, made only when the
        glossary changed (its version is remembered in `.l10n/deepl-glossary.json`)."""
        if self._glossary_id is not None or self.glossary_version() == "none":
            return self._glossary_id
        state_path = self.project.cache_dir / "deepl-glossary.json"
        version = self.glossary_version()
        try:
            state = json.loads(state_path.read_text("utf-8"))
        except (OSError, ValueError):
            state = {}
        server = self.cfg.deepl_server_url or ""
        if state.get("version") == version and state.get("id") and state.get("server") == server:
            self._glossary_id = state["id"]
            return self._glossary_id
        from deepl.api_data import MultilingualGlossaryDictionaryEntries

        dicts = []
        for lang, spec in self.cfg.languages.items():
            entries = {ja: t for ja, t in self.glossary.for_lang(lang)}
            if entries:
                dicts.append(MultilingualGlossaryDictionaryEntries(
                    "ja", _glossary_lang(spec.deepl), entries))
        if not dicts:
            return None
        info = self._call(lambda: self.client().create_multilingual_glossary(
            f"{self.cfg.project} glossary {version}", dicts))
        if state.get("id") and state.get("server") == server:
            try:
                self.client().delete_multilingual_glossary(state["id"])
            except Exception:  # an old glossary that is already gone is fine
                pass
        self._glossary_id = info.glossary_id
        atomic_write(state_path, json.dumps({"version": version, "id": info.glossary_id,
                                             "server": server}).encode())
        return self._glossary_id

    def _call(self, fn):
        import deepl

        try:
            return fn()
        except deepl.QuotaExceededException:
            raise ServiceError("DeepL: the character quota is used up (456). Drafts received "
                               "so far are saved; run `l10n sync` again when the quota renews.") from None
        except deepl.AuthorizationException:
            raise ServiceError(f"DeepL refused the key (403). Check {KEY_VAR}; drafts received "
                               "so far are saved.") from None
        except deepl.TooManyRequestsException:
            raise ServiceError("DeepL: too many requests (429), still after retrying. Drafts "
                               "received so far are saved; run `l10n sync` again later.") from None
        except deepl.ConnectionException as exc:
            raise ServiceError(f"DeepL cannot be reached ({redact(str(exc))[:200]}). Drafts "
                               "received so far are saved; run `l10n sync` again.") from None
        except deepl.DeepLException as exc:
            raise ServiceError(f"DeepL failed: {redact(str(exc))[:300]}. Drafts received so "
                               "far are saved; run `l10n sync` again.") from None

    def usage(self) -> dict | None:
        if not self.key:
            return None
        u = self._call(lambda: self.client().get_usage())
        c = u.character
        return {"count": c.count, "limit": c.limit,
                "left": (c.limit - c.count) if c.valid else None}

    # -------------------------------------------------------------- drafting
    def plan(self, lang: str, entries: list[Entry], article: Article) -> tuple[dict, list[Pending]]:
        """Split entries into those the record already has, and texts to send."""
        opts = self.options(lang)
        gv = self.glossary_version()
        cached: dict = {}
        pending: dict[str, Pending] = {}
        block_of = {}
        for i, b in enumerate(article.blocks):
            for s in b.segments:
                block_of.setdefault((b.role, s), i)
        for e in entries:
            ck = SentRecord.key(e.msgid, opts["target"], gv, opts)
            hit = None if self.refresh else self.record.get(ck)
            if hit is not None:
                cached[e.key] = hit
                continue
            if ck in pending:
                continue
            xml, rmap = protect(e.msgid)
            pending[ck] = Pending(e.key, e.msgid, xml, rmap, ck,
                                  block_of.get((e.msgctxt, e.msgid), 0))
        return cached, list(pending.values())

    def context(self, article: Article, batch: list[Pending]) -> str:
        lo = max(0, min(p.block for p in batch) - 1)
        hi = min(len(article.blocks), max(p.block for p in batch) + 2)
        parts = [article.title]
        for b in article.blocks[lo:hi]:
            if b.role and b.kind != "title":
                parts.append(b.text)
        ctx = "\n".join(parts)
        return ctx[:CONTEXT_CHARS]

    @staticmethod
    def batches(pending: list[Pending]) -> list[list[Pending]]:
        out, cur, size = [], [], 0
        for p in pending:
            n = len(p.xml.encode("utf-8")) + 16
            if cur and (len(cur) >= MAX_TEXTS or size + n > MAX_BYTES):
                out.append(cur)
                cur, size = [], 0
            cur.append(p)
            size += n
        if cur:
            out.append(cur)
        return out

    def translate(self, lang: str, article: Article, batch: list[Pending]) -> dict[str, str]:
        """Send one request; returns {cache_key: markdown}. Saved in the record first."""
        opts = self.options(lang)
        kwargs = dict(source_lang="JA", target_lang=opts["target"],
                      context=self.context(article, batch), tag_handling="xml",
                      ignore_tags=["x"], preserve_formatting=True)
        if opts["formality"]:
            kwargs["formality"] = opts["formality"]
        if opts["model_type"]:
            kwargs["model_type"] = opts["model_type"]
        gid = self.glossary_id() if self.cfg.deepl_glossary else None
        if gid:
            kwargs["glossary"] = gid
        texts = [p.xml for p in batch]
        results = self._call(lambda: self.client().translate_text(texts, **kwargs))
        if not isinstance(results, list):
            results = [results]
        if len(results) != len(batch):
            raise ServiceError(f"DeepL answered {len(results)} texts for {len(batch)} sent")
        out, rows = {}, []
        for p, r in zip(batch, results):
            text = (r.text or "").strip()
            if not text:
                raise ServiceError(f"DeepL returned an empty translation for {p.source[:40]!r}; "
                                   "drafts received so far are saved")
            md = restore(text, p.restore)
            out[p.cache_key] = md
            billed = getattr(r, "billed_characters", None) or len(p.xml)
            rows.append((p.cache_key, lang, p.source, md, billed))
            self.billed[lang] = self.billed.get(lang, 0) + billed
        self.record.put_many(rows)
        return out


# ============================================================================ sync

def _apply_drafts(project: Project, aid: str, lang: str, drafts: dict, engine: str) -> Catalog:
    """Write drafts into entries that are still untranslated (under the lock); returns
    the catalog as written."""
    def change(cat: Catalog) -> Catalog:
        for e in cat.entries:
            if e.obsolete or e.msgstr or e.key not in drafts:
                continue
            text, score = drafts[e.key]
            review.set_draft(e, text, engine, score if engine == "memory" else None)
        return cat

    return update_catalog(project, lang, aid, change)


class Drafter:
    """The `engines` callback of sync: memory, then DeepL, per article and language."""

    def __init__(self, project: Project, *, use_mt: bool, key: str | None, refresh: bool,
                 dry_run: bool, progress: Callable[[str], None] | None = None):
        self.project = project
        self.memory = MemoryEngine(ProjectMemory(project))
        self.glossary = load_glossary(project.glossary_path())
        self.use_mt = use_mt
        self.deepl = DeepLEngine(project, key, self.glossary, refresh=refresh, dry_run=dry_run,
                                 progress=progress) if use_mt else None
        self.key = key
        self.dry_run = dry_run
        self.progress = progress

    def prepare(self) -> None:
        """Bring the memory index up to date with the catalogs as they are before sync
        rewrites them; sync then tells it about each catalog it writes (learn)."""
        self.memory.memory.db()

    def eager(self, untranslated: dict[str, int]) -> bool:
        """An unchanged article still needs a visit when DeepL would draft something."""
        return self.deepl is not None and (bool(self.key) or self.dry_run) and any(untranslated.values())

    def __call__(self, project: Project, article: Article, cats: dict[str, Catalog],
                 report: SyncReport, dry_run: bool) -> set[str]:
        """Draft the untranslated entries; returns the languages whose catalog changed."""
        touched: set[str] = set()
        written: dict[str, Catalog] = {}  # the catalogs as the drafts left them
        for lang, cat in cats.items():
            todo = [e for e in cat.entries if not e.obsolete and not e.msgstr]
            if not dry_run:
                self.memory.memory.learn(lang, article.id, cat)
            if not todo:
                continue
            mem = self.memory.draft(lang, todo, article)
            if mem:
                if not dry_run:
                    written[lang] = _apply_drafts(project, article.id, lang, mem, "memory")
                    touched.add(lang)
                report.drafts.setdefault("memory", {})
                report.drafts["memory"][lang] = report.drafts["memory"].get(lang, 0) + len(mem)
            todo = [e for e in todo if e.key not in mem]
            if not todo or self.deepl is None:
                continue
            cached, pending = self.deepl.plan(lang, todo, article)
            by_source = {}
            for e in todo:
                by_source.setdefault(e.msgid, []).append(e.key)
            if cached and not dry_run:
                written[lang] = _apply_drafts(project, article.id, lang,
                                              {k: (v, None) for k, v in cached.items()}, "deepl")
                touched.add(lang)
            if cached:
                report.drafts.setdefault("deepl (already paid)", {})
                d = report.drafts["deepl (already paid)"]
                d[lang] = d.get(lang, 0) + len(cached)
            seen = self.deepl._seen_pending.setdefault(lang, set())
            fresh = [p for p in pending if p.cache_key not in seen]
            if dry_run:
                w = self.deepl.would_send.setdefault(lang, {"units": 0, "chars": 0})
                for p in fresh:
                    seen.add(p.cache_key)
                    w["units"] += 1
                    w["chars"] += len(p.xml)
                continue
            if not self.key:
                continue
            for batch in self.deepl.batches(pending):
                got = self.deepl.translate(lang, article, batch)
                drafts = {}
                for p in batch:
                    for k in by_source.get(p.source, [p.key]):
                        drafts[k] = (got[p.cache_key], None)
                written[lang] = _apply_drafts(project, article.id, lang, drafts, "deepl")
                touched.add(lang)
                report.drafts.setdefault("deepl", {})
                report.drafts["deepl"][lang] = report.drafts["deepl"].get(lang, 0) + len(drafts)
                if self.progress:
                    self.progress(f"DeepL {lang}: {article.id} +{len(batch)}")
        # drafts are never confirmed, so the memory's pairs stand; its record of the file
        # must follow the write, or the next sync would read these catalogs again
        for lang, cat in written.items():
            self.memory.memory.learn(lang, article.id, cat)
        return touched


def _progress_printer(enabled: bool) -> Callable[[str], None] | None:
    if not enabled:
        return None

    def show(msg: str) -> None:
        sys.stderr.write(f"\r\x1b[K{msg[:100]}")
        sys.stderr.flush()

    return show


def run_sync(project: Project, *, langs=None, no_mt=False, dry_run=False, as_json=False,
             refresh=False, out=None) -> int:
    out = out or sys.stdout
    key = None if no_mt else auth_key()
    tty = sys.stderr.isatty() and not as_json
    progress = _progress_printer(tty)
    drafter = Drafter(project, use_mt=not no_mt, key=key, refresh=refresh, dry_run=dry_run,
                      progress=progress)
    report = SyncReport()
    error: ServiceError | None = None

    def article_progress(aid: str, n: int, total: int) -> None:
        if progress:
            bar = "#" * int(20 * n / max(total, 1))
            progress(f"sync [{bar:<20}] {n}/{total} {aid}")

    try:
        report = sync(project, langs, dry_run=dry_run, engines=drafter,
                      progress=article_progress)
    except ServiceError as exc:
        error = exc
        report.notes.append(str(exc))
    finally:
        if progress:
            sys.stderr.write("\r\x1b[K")
        drafter.memory.memory.close()
        if drafter.deepl is not None:
            report.billed = dict(drafter.deepl.billed)
            drafter.deepl.record.close()
    usage = None
    if dry_run and drafter.deepl is not None:
        report.pending = drafter.deepl.would_send
        if key:
            try:
                usage = drafter.deepl.usage()
            except ServiceError as exc:
                report.notes.append(str(exc))
    if no_mt:
        report.notes.append("machine translation off (--no-mt)")
    elif not key:
        report.notes.append(f"no DeepL drafts: set {KEY_VAR} to get machine drafts for "
                            "untranslated entries (everything else is done)")
    if as_json:
        data = report.as_json()
        data["dry_run"] = dry_run
        data["usage"] = usage
        data["error"] = str(error) if error else None
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report, dry_run, usage, out)
        if error:
            print(f"l10n: error: {error}", file=sys.stderr)
    return 1 if error else 0


def _print_report(report: SyncReport, dry_run: bool, usage, out) -> None:
    w = out.write
    verb = "would change" if dry_run else "changed"
    w(f"{report.articles} articles, {report.skipped} unchanged, {len(report.changes)} {verb}\n")
    for c in report.changes:
        bits = []
        for label, d in (("new", c.added), ("changed", c.fuzzy), ("obsolete", c.obsoleted),
                         ("approvals re-stamped", c.restamped)):
            if d:
                bits.append(f"{label} " + ", ".join(f"{k} {v}" for k, v in d.items()))
        w(f"  {c.id}: {'; '.join(bits) or 'rewritten'}\n")
    if report.restamped:
        w(f"approvals re-stamped with a SHA-256 hash: {report.restamped}\n")
    for engine, per in sorted(report.drafts.items()):
        w(f"drafts from {engine}: " + ", ".join(f"{k} {v}" for k, v in sorted(per.items())) + "\n")
    if report.billed:
        w("characters billed: " + ", ".join(f"{k} {v}" for k, v in sorted(report.billed.items())) + "\n")
    if dry_run:
        if report.pending:
            for lang, p in sorted(report.pending.items()):
                w(f"would send to DeepL, {lang}: {p['units']} units, {p['chars']} characters\n")
        else:
            w("would send nothing to DeepL\n")
        if usage:
            left = usage["left"]
            w(f"DeepL account: {usage['count']} of {usage['limit']} characters used"
              + (f", {left} left\n" if left is not None else "\n"))
    if report.untranslated:
        w("untranslated: " + ", ".join(f"{k} {v}" for k, v in sorted(report.untranslated.items())) + "\n")
    for aid in report.removed:
        w(f"note: {aid} has a template but no article any more; its catalogs are kept\n")
    for n in report.notes:
        w(f"note: {n}\n")
