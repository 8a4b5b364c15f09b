"""`l10n status`: how far each article is, per language.

Counts come from the catalogs alone (review.state), so they agree with the TUI and with
any other tool that reads the files. Each catalog's counts are cached in
`.l10n/status-cache.json` under its size, modification time and inode: a catalog that
did not change is not parsed again.
"""
from __future__ import annotations

import json
from pathlib import Path

from .catalog import Catalog
from .project import Project
from .review import APPROVED, DRAFT, STATES, TRANSLATED, UNTRANSLATED, machine_unedited, origin, state
from .storage import atomic_write
from .workspace import load_catalog, stat_key

CACHE_FILE = "status-cache.json"
CACHE_VERSION = 2
KEYS = ("entries", UNTRANSLATED, DRAFT, TRANSLATED, APPROVED, "source_chars",
        "approved_unedited", "approved_post_edited", "conflicts")


def empty() -> dict[str, int]:
    return {k: 0 for k in KEYS}


def catalog_counts(cat: Catalog) -> dict[str, int]:
    c = empty()
    for e in cat.entries:
        if e.obsolete:
            continue
        s = state(e)
        c["entries"] += 1
        c[s] += 1
        c["source_chars"] += len(e.msgid)
        if s == APPROVED and origin(e) is not None and origin(e).engine in ("deepl", "memory"):
            if machine_unedited(e):
                c["approved_unedited"] += 1
            else:
                c["approved_post_edited"] += 1
        if any(x.startswith("l10n: conflict") for x in e.comments):
            c["conflicts"] += 1
    if any(x.startswith("l10n: conflict") for x in cat.header_comments):
        c["conflicts"] += 1  # a header field changed differently on both sides of a merge
    return c


class StatusCache:
    def __init__(self, project: Project):
        self.path = project.cache_dir / CACHE_FILE
        self.dirty = False
        try:
            data = json.loads(self.path.read_text("utf-8"))
            self.data = data["catalogs"] if data.get("version") == CACHE_VERSION else {}
        except (OSError, ValueError, KeyError):
            self.data = {}

    def counts(self, project: Project, path: Path) -> dict[str, int] | None:
        key = stat_key(path)
        if key is None:
            return None
        rel = project.rel(path)
        hit = self.data.get(rel)
        if hit and hit[0] == key:
            return hit[1]
        counts = catalog_counts(load_catalog(project, path))
        self.data[rel] = [key, counts]
        self.dirty = True
        return counts

    def save(self) -> None:
        if self.dirty:
            body = {"version": CACHE_VERSION, "catalogs": self.data}
            atomic_write(self.path, json.dumps(body, sort_keys=True).encode())


def status(project: Project, langs: list[str] | None = None,
           articles: list[str] | None = None) -> dict:
    """The brief's `status --json` shape (plus review statistics)."""
    langs = project.langs(langs)
    cache = StatusCache(project)
    total = {lang: empty() for lang in langs}
    out = []
    for aid in articles or project.article_ids():
        per = {}
        for lang in langs:
            c = cache.counts(project, project.catalog_path(lang, aid))
            if c is None:
                c = dict(empty(), missing=1)
            per[lang] = c
            for k in KEYS:
                total[lang][k] += c.get(k, 0)
        out.append({"id": aid, "path": project.rel(project.content_dir / f"{aid}.md"),
                    "languages": per})
    cache.save()
    from .deepl_state import month_usage

    usage = month_usage(project.cache_dir)
    return {"languages": langs, "articles": out, "total": total,
            # characters DeepL billed this calendar month (UTC), from .l10n/deepl-usage.json
            "deepl_characters": usage["characters"], "deepl_month": usage["month"]}


def is_complete(counts: dict[str, int], policy: str = "approved") -> bool:
    if counts.get("missing") or counts["entries"] == 0:
        return False
    if policy == "translated":
        return counts[TRANSLATED] + counts[APPROVED] == counts["entries"]
    return counts[APPROVED] == counts["entries"]


__all__ = ["status", "catalog_counts", "STATES", "is_complete"]
