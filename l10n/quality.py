"""Quality checks over a project: `l10n check`, and the findings the review gate uses.

checks.py knows one entry at a time; this module brings the project's glossary and the
cross-article consistency check to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .workspace import load_catalog
from . import review
from .catalog import Entry
from .checks import Finding, check_consistency, check_entry
from .glossary import Glossary, load_glossary
from .project import Project


@lru_cache(maxsize=8)
def _glossary(path: Path, mtime_ns: int) -> Glossary:
    return load_glossary(path)


def project_glossary(project: Project) -> Glossary:
    path = project.glossary_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return _glossary(path, mtime)


def entry_findings(project: Project, lang: str, e: Entry) -> list[Finding]:
    """The per-entry checks for one entry (what the TUI shows as the translator types)."""
    if not e.msgstr:
        return []
    return check_entry(e.msgid, e.msgstr, lang, project_glossary(project), role=e.msgctxt or "body")


@dataclass(frozen=True)
class Located:
    article: str
    lang: str
    msgctxt: str | None
    msgid: str
    finding: Finding

    def as_json(self) -> dict:
        return {"article": self.article, "lang": self.lang, "msgctxt": self.msgctxt,
                "msgid": self.msgid, "check": self.finding.check,
                "severity": self.finding.severity, "message": self.finding.message}


def check_project(project: Project, langs: list[str] | None = None,
                  articles: list[str] | None = None) -> list[Located]:
    """Every finding over the selected catalogs; consistency looks across all articles."""
    langs = project.langs(langs)
    selected = set(articles) if articles else None
    gloss = project_glossary(project)
    out: list[Located] = []
    items = []
    ctxt_of: dict = {}
    for aid in project.article_ids():
        for lang in langs:
            path = project.catalog_path(lang, aid)
            if not path.exists():
                continue
            cat = load_catalog(project, path)
            for e in cat.entries:
                if e.obsolete or not e.msgstr:
                    continue
                items.append((aid, lang, e.msgid, e.msgstr))
                ctxt_of[(aid, lang, e.msgid)] = e.msgctxt
                if selected is None or aid in selected:
                    for f in check_entry(e.msgid, e.msgstr, lang, gloss, role=e.msgctxt or "body"):
                        out.append(Located(aid, lang, e.msgctxt, e.msgid, f))
    consistency = check_consistency(items)
    for (aid, lang, msgid, _msgstr), findings in sorted(consistency.items()):
        if selected is None or aid in selected:
            for f in findings:
                out.append(Located(aid, lang, ctxt_of.get((aid, lang, msgid)), msgid, f))
    return out


__all__ = ["entry_findings", "check_project", "Located", "review"]
