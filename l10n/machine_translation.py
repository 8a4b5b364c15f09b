"""DeepL drafts: the official client (`deepl.DeepLClient`). One group of requests per
article, each with the article's title and the neighbouring text as `context` (not
billed), the project glossary as a multilingual glossary, formality where the target
supports it, inline Markdown protected as XML tags (URLs and code never sent), at most
50 texts and about 100 KB per request.

Never pay twice: every text DeepL translated is kept in `.l10n/mt-cache.sqlite` (git
ignores it), keyed by source text, target code, glossary version and options, *before*
the catalog is written. A rerun after a crash, a quota stop or a rejected draft takes
the text from there instead of sending it again (unless `--refresh`, which re-sends each
text once per sync). A reply is checked before it is recorded: a result that is not text,
empty for a non-empty text, or holding a control character or a lone surrogate stops the
sync (exit 1) with nothing of that reply recorded or written.

Server-side state (the glossary) is keyed by server, key fingerprint, language pairs and
glossary version (deepl_state.py); a glossary the server no longer knows is recreated
once and the request retried. A language without terms gets no dictionary and no
glossary in its requests.

Budget: with `max_characters` (`--max-characters`, `deepl.max_characters_per_sync`) the
engine sends the texts of a request that still fit and stops before the first that does
not (`BudgetReached`, exit 1).
"""
from __future__ import annotations

import hashlib
import re
import json
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .article import Article
from .catalog import Entry
from .errors import ServiceError
from .glossary import Glossary
from .markup import protect, restore
from .project import Project
from .deepl_net import _fail_fast, _net_reason, _server_said
from .deepl_state import GlossaryState, add_usage
from .secrets import KEY_VAR, key_fingerprint, redact, visible

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
        """The recorded result, or None; a result that fails `bad_text` (recorded by an
        older version) is forgotten rather than written again."""
        row = self.db.execute("SELECT result FROM sent WHERE key=?", (key,)).fetchone()
        if not row:
            return None
        if not isinstance(row[0], str) or bad_text(row[0]):
            self.db.execute("DELETE FROM sent WHERE key=?", (key,))
            self.db.commit()
            return None
        return row[0]

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


class BudgetReached(ServiceError):
    """The next request would take this sync past its character budget."""


_BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_text(text: str) -> str | None:
    """Why `text` cannot be stored as a translation (None when it can): a control
    character other than tab and newline, or a lone surrogate."""
    m = _BAD_CHAR.search(text)
    if m is None:
        return None
    ch = m.group()
    if unicodedata.category(ch) == "Cs":
        return f"a lone surrogate (U+{ord(ch):04X})"
    return f"a control character ({visible(ch)})"


def _glossary_lang(deepl_code: str) -> str:
    return deepl_code.split("-")[0].lower()


SAVED = "drafts received so far are saved"


class DeepLEngine:
    name = "deepl"

    def __init__(self, project: Project, key: str | None, glossary: Glossary, *,
                 refresh: bool = False, dry_run: bool = False,
                 progress: Callable[[str], None] | None = None,
                 max_characters: int | None = None):
        self.project = project
        self.cfg = project.config
        self.key = key
        self.glossary = glossary
        self.refresh = refresh
        self.dry_run = dry_run
        self.progress = progress
        self.max_characters = max_characters
        self.record = SentRecord(project.cache_dir / "mt-cache.sqlite")
        self._client = None
        self._glossary_id: str | None = None
        self._glossary_ready = False
        self._recreated = False
        self.billed: dict[str, int] = {}
        self.billed_articles: dict[str, dict[str, int]] = {}
        self.would_send: dict[str, dict[str, int]] = {}
        self.refreshed: dict[str, dict[str, int]] = {}
        self._seen_pending: dict[str, set] = {}
        self._resent: set[str] = set()  # cache keys re-sent by --refresh in this sync

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
    def server_url(self) -> str:
        import os

        url = os.environ.get("DEEPL_SERVER_URL") or self.cfg.deepl_server_url
        if not url:
            free = bool(self.key) and self.key.endswith(":fx")
            url = "https://api-free.deepl.com" if free else "https://api.deepl.com"
        return url.rstrip("/")

    def shown_url(self) -> str:
        """The server URL as messages show it: no user or password, inert."""
        from urllib.parse import urlsplit, urlunsplit

        try:
            u = urlsplit(self.server_url())
            url = urlunsplit((u.scheme, u.hostname + (f":{u.port}" if u.port else ""), u.path, "", ""))
        except (ValueError, TypeError):
            url = "the configured server"
        return visible(redact(url))

    def client(self):
        if self._client is None:
            import deepl

            self._client = deepl.DeepLClient(self.key, server_url=self.server_url(),
                                             send_platform_info=False)
            _fail_fast(self._client)
        return self._client

    def options(self, lang: str) -> dict:
        code = self.cfg.languages[lang].deepl
        return {"target": code, "formality": self.cfg.languages[lang].formality,
                "model_type": self.cfg.deepl_model_type, "tags": "xml-1"}

    def glossary_version(self, lang: str | None = None) -> str:
        """The glossary version that applies to `lang` (to any language when None):
        "none" when the glossary is off or has no term for it."""
        if not (self.cfg.deepl_glossary and self.glossary.terms):
            return "none"
        if lang is not None and not self.glossary.for_lang(lang):
            return "none"
        return self.glossary.version()

    def _dictionaries(self) -> dict[str, dict[str, str]]:
        """{glossary language: {ja: term}} for every language that has terms."""
        out: dict[str, dict[str, str]] = {}
        for lang, spec in self.cfg.languages.items():
            entries = dict(self.glossary.for_lang(lang))
            gl = _glossary_lang(spec.deepl)
            if entries and gl not in out:
                out[gl] = entries
        return out

    def _state(self) -> GlossaryState:
        return GlossaryState(self.project.cache_dir, self.server_url(), key_fingerprint(self.key or ""))

    def glossary_id(self, lang: str) -> str | None:
        """The DeepL multilingual glossary to use for `lang`, or None when it has no
        terms. Made on the server only when no glossary for this server, account,
        language pairs and glossary version is known."""
        if self.glossary_version(lang) == "none":
            return None
        if self._glossary_ready:
            return self._glossary_id
        dicts = self._dictionaries()
        pairs = [f"ja-{gl}" for gl in sorted(dicts)]
        state = self._state()
        version = self.glossary_version()
        gid = state.get(pairs, version)
        if gid is None:
            gid = self._create_glossary(state, pairs, version, dicts)
        self._glossary_id, self._glossary_ready = gid, True
        return gid

    def _create_glossary(self, state: GlossaryState, pairs: list[str], version: str,
                         dicts: dict[str, dict[str, str]]) -> str:
        from deepl.api_data import MultilingualGlossaryDictionaryEntries

        entries = [MultilingualGlossaryDictionaryEntries("ja", gl, terms)
                   for gl, terms in sorted(dicts.items())]
        info = self._call(lambda: self.client().create_multilingual_glossary(
            f"{self.cfg.project} glossary {version}", entries), "glossary request")
        gid = getattr(info, "glossary_id", None)
        if not isinstance(gid, str) or not gid or len(gid) > 200 or bad_text(gid) or "/" in gid:
            raise ServiceError("DeepL answered the glossary request without a usable glossary "
                               "id; nothing was recorded. Run `l10n sync` again; if it persists, "
                               "check the server URL or set `deepl: {glossary: false}`.")
        for old in state.put(pairs, version, gid):
            try:  # an older version on the same account: tidy up; already gone is fine
                self.client().delete_multilingual_glossary(old)
            except Exception:  # noqa: BLE001
                pass
        return gid

    def _forget_glossary(self) -> None:
        dicts = self._dictionaries()
        self._state().forget([f"ja-{gl}" for gl in sorted(dicts)], self.glossary_version())
        self._glossary_id, self._glossary_ready = None, False

    def _call(self, fn, what: str = "request"):
        import deepl

        try:
            return fn()
        except _GlossaryGone:
            raise
        except deepl.QuotaExceededException:
            raise ServiceError("DeepL: the account's character quota is used up (456). "
                               f"{SAVED.capitalize()}; run `l10n sync` again when the quota "
                               "renews or with another key (nothing is paid twice).") from None
        except deepl.AuthorizationException as exc:
            raise ServiceError(f"DeepL refused the key (403){_server_said(exc)}. Check "
                               f"{KEY_VAR} (the key on your DeepL account page) and run "
                               f"`l10n sync` again; {SAVED}.") from None
        except deepl.TooManyRequestsException:
            raise ServiceError("DeepL: too many requests (429), still after retrying. "
                               f"{SAVED.capitalize()}; run `l10n sync` again in a few "
                               "minutes.") from None
        except deepl.ConnectionException as exc:
            raise ServiceError(f"DeepL cannot be reached at {self.shown_url()}: "
                               f"{_net_reason(exc)}. Check the network and the server URL "
                               f"(deepl.server_url in l10n.yaml, or DEEPL_SERVER_URL), then "
                               f"run `l10n sync` again; {SAVED}.") from None
        except deepl.DeepLException as exc:
            status = getattr(exc, "http_status_code", None)
            raise ServiceError(f"DeepL failed{f' ({status})' if status else ''}"
                               f"{_server_said(exc)}. {SAVED.capitalize()}; run `l10n sync` "
                               "again.") from None
        except Exception as exc:  # noqa: BLE001 - the client could not read the reply
            raise ServiceError(f"DeepL's answer to the {what} cannot be read "
                               f"({type(exc).__name__}); nothing of it was recorded or "
                               f"written. {SAVED.capitalize()}; run `l10n sync` again, and "
                               "check the server URL if it persists.") from None

    def usage(self) -> dict | None:
        if not self.key:
            return None
        u = self._call(lambda: self.client().get_usage(), "usage request")
        c = getattr(u, "character", None)
        count, limit = getattr(c, "count", None), getattr(c, "limit", None)
        if not isinstance(count, int) or not isinstance(limit, int):
            return None
        return {"count": count, "limit": limit,
                "left": (limit - count) if c.valid else None}

    # -------------------------------------------------------------- drafting
    def plan(self, lang: str, entries: list[Entry], article: Article) -> tuple[dict, list[Pending]]:
        """Split entries into those the record already has, and texts to send."""
        opts = self.options(lang)
        gv = self.glossary_version(lang)
        cached: dict = {}
        pending: dict[str, Pending] = {}
        block_of = {}
        for i, b in enumerate(article.blocks):
            for s in b.segments:
                block_of.setdefault((b.role, s), i)
        for e in entries:
            ck = SentRecord.key(e.msgid, opts["target"], gv, opts)
            # --refresh re-sends a text once per sync; the second article that has it
            # takes what the first one paid for
            use_record = not self.refresh or ck in self._resent \
                or ck in self._seen_pending.get(lang, ())
            hit = self.record.get(ck) if use_record else None
            if hit is not None:
                cached[e.key] = hit
                continue
            if ck in pending:
                continue
            xml, rmap = protect(e.msgid)
            pending[ck] = Pending(e.key, e.msgid, xml, rmap, ck,
                                  block_of.get((e.msgctxt, e.msgid), 0))
        return cached, list(pending.values())

    def note_refresh(self, lang: str, batch: list[Pending]) -> None:
        """Count what --refresh re-sends (texts the record already had)."""
        if not self.refresh:
            return
        r = self.refreshed.setdefault(lang, {"units": 0, "chars": 0})
        for p in batch:
            if self.record.db.execute("SELECT 1 FROM sent WHERE key=?", (p.cache_key,)).fetchone():
                r["units"] += 1
                r["chars"] += len(p.xml)

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

    # -------------------------------------------------------------- budget
    def spent(self) -> int:
        return sum(self.billed.values())

    def fit(self, batch: list[Pending]) -> list[Pending]:
        """The texts of `batch`, in order, that the budget still allows (all of them
        without a budget); raises BudgetReached when not even the first fits."""
        if self.max_characters is None:
            return batch
        room = self.max_characters - self.spent()
        out = []
        for p in batch:
            if len(p.xml) > room:
                break
            room -= len(p.xml)
            out.append(p)
        if not out:
            raise self.budget_error(batch[0])
        return out

    def budget_error(self, nxt: Pending) -> BudgetReached:
        return BudgetReached(
            f"DeepL budget reached: {self.spent()} characters billed in this sync; the next "
            f"text ({len(nxt.xml)} characters) would go past the budget of "
            f"{self.max_characters} (--max-characters, deepl.max_characters_per_sync). "
            f"{SAVED.capitalize()}; run `l10n sync` again to continue (nothing is paid twice).")

    # -------------------------------------------------------------- one request
    def translate(self, lang: str, article: Article, batch: list[Pending]) -> dict[str, str]:
        """Send one request; returns {cache_key: markdown}. Every result is checked, and
        recorded, before anything is written; a bad reply records nothing."""
        import deepl

        opts = self.options(lang)
        kwargs = dict(source_lang="JA", target_lang=opts["target"],
                      context=self.context(article, batch), tag_handling="xml",
                      ignore_tags=["x"], preserve_formatting=True)
        if opts["formality"]:
            kwargs["formality"] = opts["formality"]
        if opts["model_type"]:
            kwargs["model_type"] = opts["model_type"]
        texts = [p.xml for p in batch]
        self.note_refresh(lang, batch)
        while True:
            gid = self.glossary_id(lang) if self.cfg.deepl_glossary else None
            if gid:
                kwargs["glossary"] = gid
            try:
                results = self._call(lambda: self._send(texts, kwargs, deepl), "translation request")
                break
            except _GlossaryGone:
                if self._recreated or not gid:
                    raise ServiceError(
                        "DeepL does not know the glossary it has just made; drafts received "
                        "so far are saved. Run `l10n sync` again; if it persists, set "
                        "`deepl: {glossary: false}` in l10n.yaml.") from None
                self._recreated = True  # once per sync: forget it, make it again, retry
                self._forget_glossary()
        return self._accept(lang, article, batch, results)

    def _send(self, texts, kwargs, deepl):
        try:
            return self.client().translate_text(texts, **kwargs)
        except deepl.DeepLException as exc:
            status = getattr(exc, "http_status_code", None)
            if kwargs.get("glossary") and status in (400, 404) and "glossary" in str(exc).lower() \
                    and not isinstance(exc, (deepl.QuotaExceededException,
                                             deepl.AuthorizationException)):
                raise _GlossaryGone() from None
            raise

    def _accept(self, lang: str, article: Article, batch: list[Pending], results) -> dict[str, str]:
        def bad(why: str) -> ServiceError:
            return ServiceError(f"DeepL sent a reply that cannot be used ({why}); nothing of it "
                                f"was recorded or written and {SAVED}. Run `l10n sync` again; "
                                "if it persists, check the server URL.")

        if not isinstance(results, list):
            results = [results]
        if len(results) != len(batch):
            raise bad(f"{len(results)} translations for {len(batch)} texts")
        out, rows = {}, []
        total = 0
        for p, r in zip(batch, results):
            text = getattr(r, "text", None)
            if not isinstance(text, str):
                raise bad("a translation that is not text")
            text = text.strip()
            if not text and p.xml.strip():
                raise bad(f"an empty translation for {visible(p.source[:40])!r}")
            md = restore(text, p.restore)
            why = bad_text(md)
            if why:
                raise bad(f"{why} in the translation of {visible(p.source[:40])!r}")
            out[p.cache_key] = md
            billed = getattr(r, "billed_characters", None)
            if not isinstance(billed, int) or isinstance(billed, bool) or billed < 0:
                billed = len(p.xml)
            rows.append((p.cache_key, lang, p.source, md, billed))
            total += billed
        self.record.put_many(rows)
        self._resent.update(p.cache_key for p in batch)
        self.billed[lang] = self.billed.get(lang, 0) + total
        per = self.billed_articles.setdefault(article.id, {})
        per[lang] = per.get(lang, 0) + total
        add_usage(self.project.cache_dir, lang, total)
        return out


class _GlossaryGone(Exception):
    """The server does not know the glossary id we sent (deleted, another account)."""
