"""`l10n check`'s cache: each catalog's findings, kept under the catalog's stat key.

`.l10n/check-cache.sqlite` (git-ignored, disposable like everything under `.l10n/`):

- `catalogs`: per catalog (``lang/article``) its stat key (mtime, size, inode), the
  version it was checked with (the checks' source hash and the glossary's version), and
  its findings as the JSON lines `l10n check --json` prints, with counts per check and
  severity. A catalog whose stat key and version match is not read again.
- `items`: every translated entry (normalized source and target hashes, and the text),
  which the consistency check groups across articles in SQL, so no command holds every
  catalog in memory.
- `consistency`: the consistency findings per article and language, valid while the
  fingerprint of every catalog of that language (kept in `meta`) is unchanged.

SQLite in WAL mode: concurrent `check` runs wait for each other's writes; a damaged file
is deleted and rebuilt; an unwritable `.l10n/` falls back to an in-memory database.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

CACHE_FILE = "check-cache.sqlite"
SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalogs(
    rel TEXT PRIMARY KEY, stat TEXT NOT NULL, version TEXT NOT NULL, checked INTEGER NOT NULL,
    findings TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(
    rel TEXT NOT NULL, lang TEXT NOT NULL, article TEXT NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
    msgctxt TEXT, msgid TEXT NOT NULL, msgstr TEXT NOT NULL, line INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS items_group ON items(lang, src);
CREATE INDEX IF NOT EXISTS items_rel ON items(rel);
CREATE TABLE IF NOT EXISTS consistency(
    lang TEXT NOT NULL, article TEXT NOT NULL, findings TEXT NOT NULL, counts TEXT NOT NULL,
    PRIMARY KEY(lang, article));
"""
BATCH = 100  # catalogs per transaction: a kill keeps what was done


def checks_source_version() -> str:
    """A hash of the source of the checks package and of the code that writes the cached
    findings (quality.py, this module), read without importing the checks (a warm `check`
    never does): any change to a check or to the findings' format invalidates the cache."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for f in sorted((here / "checks").glob("*.py")) + [here / "quality.py", here / "check_cache.py"]:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class CheckCache:
    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / CACHE_FILE if cache_dir is not None else None
        self.db = self._open()
        self.pending = 0

    # ------------------------------------------------------------------ opening
    def _open(self) -> sqlite3.Connection:
        if self.path is not None:
            for attempt in (1, 2):
                try:
                    return self._connect(str(self.path))
                except sqlite3.DatabaseError:
                    if attempt == 2:
                        break
                    try:
                        for suffix in ("", "-wal", "-shm"):  # damaged: start again
                            Path(str(self.path) + suffix).unlink(missing_ok=True)
                    except OSError:
                        break
                except OSError:
                    break
        return self._connect(":memory:")  # the cache is disposable: check without keeping it

    def _connect(self, where: str) -> sqlite3.Connection:
        db = sqlite3.connect(where, timeout=60, isolation_level=None)
        try:
            if where != ":memory:":
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.execute("INSERT OR REPLACE INTO meta VALUES('writable', '1')")  # a read-only file fails here
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                db.executescript("DELETE FROM catalogs; DELETE FROM items; DELETE FROM consistency;"
                                 "DELETE FROM meta;")
                db.execute("INSERT INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._commit()
        self.db.close()

    def __enter__(self) -> "CheckCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writes
    def _begin(self) -> None:
        if self.pending == 0:
            self.db.execute("BEGIN IMMEDIATE")
        self.pending += 1

    def _commit(self) -> None:
        if self.pending:
            self.db.execute("COMMIT")
            self.pending = 0

    def _maybe_commit(self) -> None:
        if self.pending >= BATCH:
            self._commit()

    # ------------------------------------------------------------------ catalogs
    def index(self) -> dict[str, tuple[str, str, int]]:
        """rel -> (stat, version, checked) of every cached catalog."""
        return {rel: (stat, version, checked) for rel, stat, version, checked in
                self.db.execute("SELECT rel, stat, version, checked FROM catalogs")}

    def findings(self, rel: str) -> tuple[str, dict]:
        row = self.db.execute("SELECT findings, counts FROM catalogs WHERE rel=?", (rel,)).fetchone()
        return (row[0], json.loads(row[1])) if row else ("", {})

    def put(self, rel: str, stat: str, version: str, checked: bool, findings: str, counts: dict,
            items: list[tuple]) -> None:
        """Store one catalog: its findings (if `checked`) and its translated entries."""
        self._begin()
        self.db.execute("INSERT OR REPLACE INTO catalogs VALUES(?, ?, ?, ?, ?, ?)",
                        (rel, stat, version, int(checked), findings, json.dumps(counts, sort_keys=True)))
        self.db.execute("DELETE FROM items WHERE rel=?", (rel,))
        self.db.executemany("INSERT INTO items VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", items)
        self._maybe_commit()

    def forget(self, rels: list[str]) -> None:
        """Drop catalogs that no longer exist (a deleted article, a removed language)."""
        for rel in rels:
            self._begin()
            self.db.execute("DELETE FROM catalogs WHERE rel=?", (rel,))
            self.db.execute("DELETE FROM items WHERE rel=?", (rel,))
            self._maybe_commit()
        self._commit()

    # ------------------------------------------------------------------ consistency
    def consistency_valid(self, lang: str, fingerprint: str) -> bool:
        self._commit()
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (f"consistency:{lang}",)).fetchone()
        return row is not None and row[0] == fingerprint

    def conflicting_items(self, lang: str):
        """Translated entries of `lang` whose source has more than one translation."""
        self._commit()
        return self.db.execute(
            "SELECT article, msgctxt, msgid, msgstr, line FROM items WHERE lang=? AND src IN "
            "(SELECT src FROM items WHERE lang=? GROUP BY src HAVING COUNT(DISTINCT tgt) > 1) "
            "ORDER BY article, rowid", (lang, lang))

    def set_consistency(self, lang: str, fingerprint: str, per_article: dict[str, tuple[str, dict]]) -> None:
        self._begin()
        self.db.execute("DELETE FROM consistency WHERE lang=?", (lang,))
        self.db.executemany("INSERT INTO consistency VALUES(?, ?, ?, ?)",
                            [(lang, aid, text, json.dumps(counts, sort_keys=True))
                             for aid, (text, counts) in per_article.items()])
        self.db.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (f"consistency:{lang}", fingerprint))
        self._commit()

    def consistency(self, lang: str) -> dict[str, tuple[str, dict]]:
        """article -> (findings, counts) of one language's consistency findings."""
        return {aid: (text, json.loads(counts)) for aid, text, counts in
                self.db.execute("SELECT article, findings, counts FROM consistency WHERE lang=?", (lang,))}
