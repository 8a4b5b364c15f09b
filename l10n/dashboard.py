"""What the TUI's dashboard shows, with no UI in it: every article with its title,
issue, per-language counts and error findings.

Everything is cached by file stat like `l10n status` (titles in `.l10n/tui-titles.json`,
error counts in `.l10n/tui-findings.json`), and `tree_fingerprint` tells a poll that
nothing changed without reading a single catalog.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .catalog_view import APPROVED
from .errors import InputError, L10nError, yaml_loader
from .lazy import LazyModule
from .project import Project

_status = LazyModule(".status")
_storage = LazyModule(".storage")
_workspace = LazyModule(".workspace")

TITLES_FILE = "tui-titles.json"
FINDINGS_FILE = "tui-findings.json"


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
    _storage.atomic_write(path, json.dumps({"version": version, "items": items},
                                           ensure_ascii=False, sort_keys=True).encode())


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
    from .quality import entry_findings, project_glossary

    from .check_cache import checks_source_version

    version = f"{checks_source_version()}:{project_glossary(project).version()}"  # a changed check recounts
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
                    cat = _workspace.load_catalog(project, cpath)
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


def file_fingerprint(project: Project) -> tuple:
    """The stat keys of every article, catalog and the glossary: what an editor that
    rewrites a file in place changes without touching its directory. A few thousand
    stats (about 10 ms on the 1,000-article archive), so a poll that finds nothing
    changed costs that instead of recounting every catalog."""
    from .filestat import stat_key

    content, locales = str(project.content_dir), str(project.locales_dir)
    langs = project.languages
    out = []
    for aid in project.article_ids():
        out.append(stat_key(f"{content}/{aid}.md"))
        out.extend(stat_key(f"{locales}/{lang}/{aid}.po") for lang in langs)
    out.append(stat_key(project.glossary_path()))
    return tuple(tuple(k) if k else None for k in out)


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
