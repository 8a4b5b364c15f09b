"""`l10n build`: publish each article in each language once all its entries are approved.

For every article and target language whose catalog covers every unit of the article
and whose entries are all publishable (approved; or translated or approved with
`publishing.policy: translated`), the build writes under OUT:

    OUT/.l10n-build.json               what the build owns (publish_files.py)
    OUT/<lang>/index.html              the articles published in that language, by issue
    OUT/<lang>/<issue>/<slug>.md       the localized Markdown, with front matter
    OUT/<lang>/<issue>/<slug>.html     the page, rendered from that Markdown
    OUT/<lang>/<issue>/<slug>.mo       the catalog compiled (only with `publishing.mo: true`)

The Markdown is written by publish_markdown.py (the source's structure, each sentence
replaced by its translation, made inert: no raw HTML, no `javascript:` targets), the pages
by publish_html.py. An article whose Markdown structure differs from the source's is not
published.

Only text whose review state allows it reaches the output: `review.state(e)` decides, so an
approval voided by any later edit blocks publishing. Output bytes depend only on the
inputs (no times, no absolute paths); identical files are left untouched.

**The last good edition is kept** (issue 16): an edition published by an earlier build
that is no longer complete (an entry edited after review, a new sentence in the source)
stays as it was, listed in the index, and is reported as *stale* with the entries that
block it, until it is complete again (then it is rebuilt) or `prune=True` (`--prune`)
removes it. An article whose source was deleted from `content/` is removed: there is no
source left for it to be an edition of. Removal only ever takes files the build wrote and
that nobody changed since (publish_files.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import catalog as po
from .article import Article, parse_article
from .errors import UsageError
from .project import Project
from .publish_files import (MANIFEST, OWN_SUFFIXES, Manifest, check_path, read_manifest,
                            remove_file, sha256, write_file)
from .publish_html import article_html, index_html
from .publish_markdown import UnsafeText, article_markdown, references, source_body, structure
from .review import APPROVED, DRAFT, TRANSLATED, UNTRANSLATED, approval, state
from .workspace import load_catalog


# ------------------------------------------------------------------ completeness
@dataclass
class Job:
    """One article in one language."""

    article: Article
    lang: str
    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0  # units with no entry in the catalog
    void: int = 0  # entries whose approval no longer matches
    conflicts: int = 0
    no_catalog: bool = False
    problem: str | None = None
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    catalog: po.Catalog | None = None
    # the entries that keep it from being published: {msgctxt, msgid, state}
    blocking: list[dict] = field(default_factory=list)
    stale: bool = False  # an earlier edition is kept in its place

    @property
    def aid(self) -> str:
        return self.article.id

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self) -> str:
        return f"{self.aid} [{self.lang}]: {self.problem}"


def publishable(e: po.Entry, policy: str) -> bool:
    if any(c.startswith("l10n: conflict") for c in e.comments):
        return False
    s = state(e)
    return s == APPROVED or (policy == "translated" and s == TRANSLATED)


def assess(project: Project, article: Article, lang: str) -> Job:
    """Whether the article can be published in `lang`, and its translations if so."""
    policy = project.config.publish_policy
    job = Job(article, lang)
    path = project.catalog_path(lang, article.id)
    if not path.is_file():
        job.no_catalog = True
        job.problem = "no catalog yet (run l10n sync)"
        return job
    cat = load_catalog(project, path)
    index = cat.index()
    counts = {UNTRANSLATED: 0, DRAFT: 0, TRANSLATED: 0, APPROVED: 0}
    units = article.unique_units()
    bad = 0
    for u in units:
        e = index.get((u.role, u.text))
        if e is None or e.msgid_plural is not None:
            job.missing += 1
            bad += 1
            job.blocking.append({"msgctxt": u.role, "msgid": u.text, "state": "not in the catalog"})
            continue
        s = state(e)
        counts[s] += 1
        if s != APPROVED and approval(e) is not None:
            job.void += 1
        if any(c.startswith("l10n: conflict") for c in e.comments):
            job.conflicts += 1
        if publishable(e, policy):
            job.texts[(u.role, u.text)] = e.msgstr
        else:
            bad += 1
            why = s
            if s != APPROVED and approval(e) is not None:
                why += ", approval void (changed after review)"
            if any(c.startswith("l10n: conflict") for c in e.comments):
                why += ", merge conflict"
            job.blocking.append({"msgctxt": u.role, "msgid": u.text, "state": why})
    job.counts = counts
    job.catalog = cat
    if not units:
        job.problem = "nothing to translate"
    elif bad:
        word = "approved" if policy == "approved" else "translated"
        detail = [f"{counts[s]} {s}" for s in (UNTRANSLATED, DRAFT, TRANSLATED)
                  if counts[s] and not (policy == "translated" and s == TRANSLATED)]
        if job.missing:
            detail.append(f"{job.missing} not in the catalog (run l10n sync)")
        if job.void:
            detail.append(f"{job.void} with a void approval (changed after review)")
        if job.conflicts:
            detail.append(f"{job.conflicts} with merge conflicts")
        job.problem = f"{bad} of {len(units)} entries not {word} ({', '.join(detail)})"
    return job



# ------------------------------------------------------------------ .mo
def mo_bytes(cat: po.Catalog, policy: str) -> bytes:
    """The catalog's publishable entries as a GNU .mo file (polib; no dates added)."""
    mo = polib.POFile()
    mo.metadata = {k: v for k, v in cat.headers}
    for e in cat.active():
        if e.msgid_plural is None and publishable(e, policy):
            mo.append(polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, msgctxt=e.msgctxt))
    return bytes(mo.to_binary())


# ------------------------------------------------------------------ the build
@dataclass
class BuildReport:
    out: Path
    langs: list[str]
    built: list[Job] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose bytes changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # owned once, changed since: not removed

    @property
    def stale(self) -> list[Job]:
        return [j for j in self.skipped if j.stale]

    def as_json(self) -> dict:
        return {
            "languages": self.langs,
            "built": [{"article": j.aid, "lang": j.lang} for j in self.built],
            "skipped": [{"article": j.aid, "lang": j.lang, "problem": j.problem,
                         "counts": j.counts, "missing": j.missing, "void": j.void,
                         "stale": j.stale, "entries": j.blocking}
                        for j in self.skipped],
            "stale": [{"article": j.aid, "lang": j.lang, "problem": j.problem,
                       "entries": j.blocking} for j in self.stale],
            "written": self.written, "unchanged": self.unchanged, "removed": self.removed,
            "left": self.left,
        }


def out_dir(project: Project, out: Path | None) -> Path:
    path = (out or project.config.publish_out or project.root / "build").resolve()
    root = project.root
    for name, d in (("content", project.content_dir), ("locales", project.locales_dir),
                    ("cache", root / ".l10n")):
        if path == d or d in path.parents:
            raise UsageError(f"the output directory {path} is inside the {name} directory")
    if path == root or path in root.parents:
        raise UsageError(f"the output directory {path} would hold the project itself; "
                         "use a folder such as build/")
    if path.exists() and not path.is_dir():
        raise UsageError(f"the output directory {path} is not a directory")
    return path



def _edition_info(meta: dict) -> dict:
    date = meta.get("date")
    return {"title": str(meta.get("title", "")),
            "date": date.isoformat() if hasattr(date, "isoformat") else None}


def _index_date(info: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(info.get("date")))
    except ValueError:
        return None


def build(project: Project, out: Path | None = None, langs: list[str] | None = None,
          audited: bool = False, prune: bool = False) -> BuildReport:
    """Build every complete article in the selected languages (see the module docstring).
    With `audited` (or `publishing.require_audit`), only articles whose every approval
    `l10n audit` proves (audit.py); the others are skipped like incomplete ones. A page
    published earlier is kept, reported as stale, unless `prune`."""
    langs = project.langs(langs)
    out = out_dir(project, out)
    proof = None
    if audited or project.config.require_audit:
        from .audit import audit

        proof = audit(project, langs=langs)
    policy = project.config.publish_policy
    mode = project.config.segmentation
    old = read_manifest(out, set(project.languages))

    # 1. read everything first: a bad article or catalog stops the build before any write
    articles = [parse_article(project.article_path(aid), aid, mode) for aid in project.article_ids()]
    report = BuildReport(out, langs)
    files: dict[str, bytes] = {}  # path under OUT -> bytes
    editions: dict[str, dict[str, dict]] = {lang: {} for lang in langs}  # built or kept
    pending: list[tuple[Job, dict, str, str]] = []
    for a in articles:
        source: tuple[list[tuple], list[str]] | None = None
        for lang in langs:
            job = assess(project, a, lang)
            unproven = False
            if job.ok and proof is not None:
                job.problem = proof.problem(a.id, lang)
                unproven = not job.ok
            if job.ok:
                if source is None:
                    src = source_body(a)
                    source = (structure(src), references(src))
                try:
                    text, meta, body = article_markdown(a, job.texts, lang, project.rel(a.path),
                                                        source[1])
                    if structure(body) != source[0]:
                        job.problem = ("a translation changes the article's Markdown structure "
                                       "(a sentence that starts a list, a heading or a quote?)")
                except UnsafeText as exc:
                    job.problem = f"a translation cannot be published safely: {exc}"
            if not job.ok:
                kept = old.editions.get(lang, {}).get(a.id)
                # an approval that audit cannot prove may be forged: its article is taken
                # down, never kept as a stale edition
                if (kept is not None and not prune and not unproven
                        and (out / lang / f"{a.id}.html").is_file()):
                    job.stale = True
                    editions[lang][a.id] = kept
                report.skipped.append(job)
                continue
            report.built.append(job)
            editions[lang][a.id] = _edition_info(meta)
            pending.append((job, meta, text, body))

    # 2. the pages; other languages link only to pages that exist after this build
    site = project.config.project
    for job, meta, text, body in pending:
        a = job.article
        alternates = [l for l in project.languages
                      if (l in langs and a.id in editions[l])
                      or (l not in langs and (out / l / f"{a.id}.html").is_file())]
        files[f"{job.lang}/{a.id}.md"] = text.encode("utf-8")
        files[f"{job.lang}/{a.id}.html"] = article_html(site, a.id, job.lang, meta, body,
                                                        alternates).encode("utf-8")
        if project.config.publish_mo and job.catalog is not None:
            files[f"{job.lang}/{a.id}.mo"] = mo_bytes(job.catalog, policy)
    for lang in langs:
        index_langs = [l for l in project.languages
                       if l in langs or (out / l / "index.html").is_file()]
        entries = [(aid, info.get("title") or aid, _index_date(info))
                   for aid, info in editions[lang].items()]
        files[f"{lang}/index.html"] = index_html(site, lang, entries, index_langs).encode("utf-8")

    # 3. no link anywhere the build writes or may remove: checked before the first write
    kept_files = {rel for j in report.stale for rel in
                  (f"{j.lang}/{j.aid}{suffix}" for suffix in OWN_SUFFIXES) if rel in old.files}
    for rel in sorted(set(files) | {r for r in old.files if r.split("/", 1)[0] in langs}):
        check_path(out, rel)
    check_path(out, MANIFEST)

    # 4. write, then remove what the build wrote before, no longer produces and does not keep
    new = Manifest({rel: d for rel, d in old.files.items() if rel.split("/", 1)[0] not in langs},
                   {lang: eds for lang, eds in old.editions.items() if lang not in langs})
    for rel in sorted(files):
        if write_file(out, rel, files[rel]):
            report.written.append(rel)
        else:
            report.unchanged.append(rel)
        new.files[rel] = sha256(files[rel])
    for rel in sorted(r for r in old.files if r.split("/", 1)[0] in langs and r not in files):
        if rel in kept_files:
            new.files[rel] = old.files[rel]
        elif remove_file(out, rel, old.files[rel]):
            report.removed.append(rel)
        elif (out / rel).exists():
            report.left.append(rel)
    for lang in langs:
        new.editions[lang] = editions[lang]
    write_file(out, MANIFEST, new.as_bytes())
    return report


__all__ = ["build", "assess", "BuildReport", "Job", "mo_bytes", "publishable"]
