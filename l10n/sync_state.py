"""What sync saw last time (`.l10n/sync-state.json`), per article: the stat keys of its
source, its template and its catalogs, the configuration's digest, and what was left
untranslated. An article whose files all still have those keys is not read again, so a
sync with nothing to do costs a few `stat` calls per article.
"""
from __future__ import annotations

import json

from .filestat import stat_key
from .lazy import LazyModule
from .project import Project

_workspace = LazyModule(".workspace")

STATE_FILE = "sync-state.json"
STATE_VERSION = 2  # 2: re-merge every article once, to re-stamp short-hash approvals


class SyncState:
    """What sync saw last time, per article, to skip what did not change."""

    def __init__(self, project: Project):
        self.path = project.cache_dir / STATE_FILE
        self.project = project
        self.data: dict = {}
        self.dirty = False  # a no-op sync neither encodes nor writes the state again
        # the stat key of the file `data` was read from (None: none, or it moved meanwhile)
        self.disk_key: list[int] | None = None
        try:
            before = stat_key(self.path)
            data = json.loads(raw := self.path.read_bytes())
            if (isinstance(data, dict) and data.get("version") == STATE_VERSION
                    and isinstance(data.get("articles", {}), dict)):
                self.data = data
                self.disk_key = _settled(self.path, before, len(raw))
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
        self.dirty = True

    def forget(self, aid: str) -> None:
        if self.articles.pop(aid, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:  # a no-op sync writes nothing (and loads no storage code)
            return
        data = {"version": STATE_VERSION, "articles": dict(sorted(self.articles.items()))}
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        _workspace.write_cache(self.project, self.path, raw)
        self.dirty = False
        key = stat_key(self.path)
        try:  # our bytes, not another writer's who renamed over them since
            ours = self.path.read_bytes() == raw
        except OSError:
            ours = False
        self.disk_key = _settled(self.path, key, len(raw)) if ours else None


def _settled(path, key: list[int] | None, size: int) -> list[int] | None:
    """`key`, taken before the file was read (or after it was written), if the file
    still has it: the key under which these bytes are recognised later."""
    if key is None or key[1] != size:
        return None
    return key if stat_key(path) == key else None
