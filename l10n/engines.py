"""Drafts for `l10n sync`: translation memory first (project_memory.py), then DeepL
(machine_translation.py). An engine gets the untranslated entries of one article in one
language and returns drafts. Drafts land as `fuzzy` with a translator comment naming the
engine (review.py), so nobody mistakes machine text for a human's.

`run_sync` is the `l10n sync` command's driver: sync.py's merge with the `Drafter`.
"""
from __future__ import annotations

import json
import sys
from typing import Callable

from . import review
from .article import Article
from .catalog import Catalog
from .errors import ServiceError
from .glossary import load_glossary
from .machine_translation import DeepLEngine
from .project import Project
from .project_memory import MemoryEngine, ProjectMemory
from .secrets import KEY_VAR, auth_key
from .sync import SyncReport, sync
from .workspace import update_catalog


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
        for label, d in (("new", c.added), ("changed", c.fuzzy), ("obsolete", c.obsoleted)):
            if d:
                bits.append(f"{label} " + ", ".join(f"{k} {v}" for k, v in d.items()))
        w(f"  {c.id}: {'; '.join(bits) or 'rewritten'}\n")
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
