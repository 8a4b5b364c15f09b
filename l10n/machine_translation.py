"""DeepL drafts: the official client (`deepl.DeepLClient`). One group of requests per
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
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .article import Article
from .catalog import Entry
from .errors import ServiceError
from .glossary import Glossary
from .markup import protect, restore
from .project import Project
from .secrets import KEY_VAR, redact
from .storage import atomic_write

MAX_TEXTS = 50
MAX_BYTES = 100_000
CONTEXT_CHARS = 2_000


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

    # -------------------------------------------------------------- owner
    def __enter__(self) -> "DeepLEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the never-pay-twice record and the client's HTTP session."""
        self.record.close()
        if self._client is not None:
            self._client.close()
            self._client = None

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
