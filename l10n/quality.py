"""Quality checks over a project: `l10n check`, and the findings the review gate uses.

checks/ knows one entry at a time; this module brings the project's glossary, the
cross-article consistency check, the cache and `--changed` to it.

`Checker` streams: each catalog is read, checked and dropped in turn (its findings go
to the cache, check_cache.py, as the JSON lines the command prints), and consistency is
grouped in the cache's database, so memory does not grow with the archive. A catalog
whose stat key, glossary version and checks version are unchanged is not read at all.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from . import review
from .display import json_text
from .catalog import Entry
from .check_cache import CheckCache, checks_source_version, text_key
from .errors import UsageError
from .glossary import Glossary, load_glossary
from .project import Project
from .workspace import load_catalog, stat_key


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


def entry_findings(project: Project, lang: str, e: Entry, *, severity: str | None = None,
                   glossary: Glossary | None = None) -> list:
    """The per-entry checks for one entry (what the review gate, the TUI and the
    dashboard's error column use); `severity` runs only those checks, `glossary` saves
    looking the project's up again when many entries are checked."""
    if not e.msgstr:
        return []
    from .checks import check_entry

    if glossary is None:
        glossary = project_glossary(project)
    return check_entry(e.msgid, e.msgstr, lang, glossary, role=e.msgctxt or "body",
                       severity=severity)


# ------------------------------------------------------------------------ JSON lines

def json_line(obj: dict) -> str:
    """One finding as a JSON line, inert on a terminal (display.json_text)."""
    return json_text(obj)


def finding_line(article: str, lang: str, file: str, msgctxt: str | None, msgid: str, msgstr: str,
                 line: int, f) -> str:
    """One finding as `check --json` prints it: the brief's keys, plus msgstr, file, line."""
    return json_line({"article": article, "lang": lang, "msgctxt": msgctxt, "msgid": msgid,
                      "msgstr": msgstr, "check": f.check, "severity": f.severity,
                      "message": f.message, "file": file, "line": line})


SEP = ",\n"  # between the JSON lines of a block: a block goes into the JSON array as it is


def lines(block: str) -> list[str]:
    """The JSON lines of a block."""
    return block.split(SEP) if block else []


def _count(counts: dict, check: str, severity: str) -> None:
    per = counts.setdefault(check, {})
    per[severity] = per.get(severity, 0) + 1


# ------------------------------------------------------------------------ the checker


@dataclass
class Totals:
    by_check: Counter = field(default_factory=Counter)
    by_severity: Counter = field(default_factory=Counter)
    articles: int = 0
    catalogs: int = 0

    def add(self, counts: dict) -> None:
        for check, per in counts.items():
            for severity, n in per.items():
                self.by_check[check] += n
                self.by_severity[severity] += n

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    @property
    def errors(self) -> int:
        return self.by_severity.get("error", 0)

    def as_json(self) -> dict:
        return {"findings": self.findings, "by_severity": {"error": self.errors,
                                                           "warning": self.by_severity.get("warning", 0)},
                "by_check": dict(sorted(self.by_check.items())),
                "articles": self.articles, "catalogs": self.catalogs}


class Checker:
    """`l10n check` over the selected articles and languages, streamed.

    `blocks()` yields, per catalog and then per article for consistency, the findings as
    JSON lines (one string, lines joined by ",\\n", ready for a JSON array; empty when
    there are none; `lines()` splits one);
    `totals` is complete once it is exhausted. Consistency compares every article."""

    def __init__(self, project: Project, langs: list[str] | None = None,
                 articles: list[str] | None = None):
        self.project = project
        self.langs = project.langs(langs)
        self.selected = None if articles is None else list(dict.fromkeys(articles))
        self.totals = Totals()

    def blocks(self) -> Iterator[str]:
        project = self.project
        gloss = project_glossary(project)
        version = f"{checks_source_version()}:{gloss.version()}"
        try:
            cache_dir = project.cache_dir
        except OSError:
            cache_dir = None  # an unwritable project: check without a cache
        selected = None if self.selected is None else set(self.selected)
        with CheckCache(cache_dir) as cache:
            index = cache.index()
            locales = str(project.locales_dir)
            present: set[str] = set()
            stats: dict[str, list[str]] = {lang: [] for lang in self.langs}
            confined: set[tuple[str, str]] = set()  # (lang, issue folder) checked to stay inside
            for aid in project.article_ids():
                want = selected is None or aid in selected
                self.totals.articles += want
                folder = aid.rpartition("/")[0]
                for lang in self.langs:
                    if (lang, folder) not in confined:  # a symlinked folder leading out: exit 2
                        project.catalog_path(lang, aid)
                        confined.add((lang, folder))
                    path = f"{locales}/{lang}/{aid}.po"  # a string: 3,000 pathlib joins cost 0.2 s
                    key = stat_key(path)
                    if key is None:
                        continue
                    rel, stat = f"{lang}/{aid}", json.dumps(key)
                    present.add(rel)
                    stats[lang].append(f"{rel}\0{stat}")
                    hit = index.get(rel)
                    fresh = hit is not None and hit[0] == stat and hit[1] == version
                    if fresh and (hit[2] or not want):
                        if want:
                            text, counts = cache.findings(rel)
                            yield self._counted(text, counts)
                        continue
                    text, counts = self._check_catalog(cache, Path(path), rel, aid, lang, stat, version, want,
                                                       gloss)
                    if want:
                        yield self._counted(text, counts)
            cache.forget([rel for rel in index if rel not in present and rel.split("/", 1)[0] in self.langs])
            for lang in self.langs:
                fingerprint = hashlib.sha256("\n".join([version] + stats[lang]).encode()).hexdigest()
                if not cache.consistency_valid(lang, fingerprint):
                    cache.set_consistency(lang, fingerprint, self._consistency(cache, lang))
            ids = project.article_ids() if selected is None else [a for a in project.article_ids() if a in selected]
            found = {lang: cache.consistency(lang) for lang in sorted(self.langs)}
            for aid in ids:
                for lang, per_article in found.items():
                    if aid in per_article:
                        yield self._counted(*per_article[aid], catalog=False)

    def _counted(self, text: str, counts: dict, catalog: bool = True) -> str:
        self.totals.add(counts)
        self.totals.catalogs += catalog
        return text

    def _check_catalog(self, cache: CheckCache, path: Path, rel: str, aid: str, lang: str, stat: str,
                       version: str, want: bool, gloss: Glossary) -> tuple[str, dict]:
        """Read one catalog; store its translated entries (and, if wanted, its findings)."""
        from .checks import check_entry
        from .checks.consistency import norm_key

        project = self.project
        cat = load_catalog(project, path)
        file = project.rel(path)
        items, found, counts = [], [], {}
        for e in cat.entries:
            if e.obsolete or not e.msgstr:
                continue
            if e.msgstr.strip() and e.msgid.strip():
                items.append((rel, lang, aid, text_key(norm_key(e.msgid)), text_key(norm_key(e.msgstr)),
                              e.msgctxt, e.msgid, e.msgstr, e.lineno))
            if want:
                for f in check_entry(e.msgid, e.msgstr, lang, gloss, role=e.msgctxt or "body"):
                    found.append(finding_line(aid, lang, file, e.msgctxt, e.msgid, e.msgstr, e.lineno, f))
                    _count(counts, f.check, f.severity)
        text = SEP.join(found)
        cache.put(rel, stat, version, want, text, counts, items)
        return text, counts

    def _consistency(self, cache: CheckCache, lang: str) -> dict[str, tuple[str, dict]]:
        """Consistency findings of one language, per article (only the entries whose source
        has several translations are read back from the cache)."""
        from .checks import check_consistency

        rows = list(cache.conflicting_items(lang))
        where = {(aid, msgid): (msgctxt, line) for aid, msgctxt, msgid, _msgstr, line in rows}
        found = check_consistency((aid, lang, msgid, msgstr) for aid, _c, msgid, msgstr, _l in rows)
        per_article: dict[str, tuple[list[str], dict]] = {}
        for (aid, _lang, msgid, msgstr), findings in sorted(found.items()):
            msgctxt, line = where[(aid, msgid)]
            out, counts = per_article.setdefault(aid, ([], {}))
            file = self.project.rel(self.project.catalog_path(lang, aid))
            for f in findings:
                out.append(finding_line(aid, lang, file, msgctxt, msgid, msgstr, line, f))
                _count(counts, f.check, f.severity)
        return {aid: (SEP.join(out), counts) for aid, (out, counts) in per_article.items()}


# ------------------------------------------------------------------------ --changed REF


def changed_articles(project: Project, ref: str) -> list[str]:
    """Articles whose Markdown, template or catalogs changed since the git revision `ref`
    (committed or not; new untracked files count). A changed glossary or l10n.yaml
    changes every article's findings, so then every article is returned."""
    if ref.startswith("-"):
        raise UsageError(f"--changed needs a git revision, not {ref!r}")

    def git(*args: str) -> list[str]:
        try:
            out = subprocess.run(["git", *args], cwd=project.root, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as exc:
            raise UsageError(f"--changed needs git: {exc}") from None
        if out.returncode != 0:
            msg = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "git failed"
            raise UsageError(f"--changed {ref}: {msg}")
        return [p for p in out.stdout.split("\0") if p]

    paths = git("diff", "--name-only", "--relative", "-z", ref, "--")
    paths += git("ls-files", "--others", "--exclude-standard", "-z")
    ids = set(project.article_ids())
    content = project.rel(project.content_dir).rstrip("/") + "/"
    locales = project.rel(project.locales_dir).rstrip("/") + "/"
    everything = {project.rel(project.glossary_path()), "l10n.yaml"}
    changed: set[str] = set()
    for p in paths:
        if p in everything:
            return sorted(ids)
        if p.startswith(content) and p.endswith(".md"):
            changed.add(p[len(content):-3])
        elif p.startswith(locales) and p.endswith((".po", ".pot")):
            lang, _, rest = p[len(locales):].partition("/")
            if lang == "templates" or lang in project.languages:
                changed.add(rest.rsplit(".", 1)[0])
    return sorted(changed & ids)


# ------------------------------------------------------------------------ the old API


@dataclass(frozen=True)
class Located:
    article: str
    lang: str
    msgctxt: str | None
    msgid: str
    finding: object
    msgstr: str = ""

    def as_json(self) -> dict:
        return {"article": self.article, "lang": self.lang, "msgctxt": self.msgctxt,
                "msgid": self.msgid, "msgstr": self.msgstr, "check": self.finding.check,
                "severity": self.finding.severity, "message": self.finding.message}


def check_project(project: Project, langs: list[str] | None = None,
                  articles: list[str] | None = None) -> list[Located]:
    """Every finding over the selected catalogs, as a list (the command streams instead)."""
    from .checks import Finding

    out = []
    for block in Checker(project, langs, articles).blocks():
        for line in lines(block):
            d = json.loads(line)
            out.append(Located(d["article"], d["lang"], d["msgctxt"], d["msgid"],
                               Finding(d["check"], d["severity"], d["message"]), d["msgstr"]))
    return out


__all__ = ["entry_findings", "check_project", "Checker", "changed_articles", "Located", "review"]
