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
from .secrets import KEY_VAR, auth_key, redact
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


PAID = "already paid"  # taken from the mt-cache: DeepL translated it before


def _count(report: SyncReport, source: str, lang: str, aid: str, n: int) -> None:
    if n <= 0:
        return
    d = report.drafts.setdefault(source, {})
    d[lang] = d.get(lang, 0) + n
    a = report.article_drafts.setdefault(aid, {})
    a[lang] = a.get(lang, 0) + n


def _predict(cat: Catalog, drafts: dict, engine: str) -> None:
    """A dry run fills its in-memory catalog as the real run would fill the file, so
    its counts (untranslated, changed) are the real run's."""
    for e in cat.entries:
        if not e.obsolete and not e.msgstr and e.key in drafts:
            text, score = drafts[e.key]
            review.set_draft(e, text, engine, score if engine == "memory" else None)


class Drafter:
    """The `engines` callback of sync: memory, then DeepL, per article and language."""

    def __init__(self, project: Project, *, use_mt: bool, key: str | None, refresh: bool,
                 dry_run: bool, progress: Callable[[str], None] | None = None,
                 max_characters: int | None = None):
        self.project = project
        self.memory = MemoryEngine(ProjectMemory(project))
        self.glossary = load_glossary(project.glossary_path())
        self.use_mt = use_mt
        if max_characters is None:
            max_characters = project.config.deepl_max_characters
        self.max_characters = max_characters
        self.deepl = DeepLEngine(project, key, self.glossary, refresh=refresh, dry_run=dry_run,
                                 progress=progress, max_characters=max_characters) if use_mt else None
        self.key = key
        self.dry_run = dry_run
        self.progress = progress
        self.report: SyncReport | None = None  # the report being filled (kept on failure)

    @property
    def drafts_new_units(self) -> bool:
        """DeepL drafts new units: sync then gives them no fuzzy draft taken from an
        entry still in the template (merge.py)."""
        return self.deepl is not None and bool(self.key)

    def prepare(self) -> None:
        """Bring the memory index up to date with the catalogs as they are before sync
        rewrites them; sync then tells it about each catalog it writes (learn)."""
        self.memory.memory.db()

    def eager(self, untranslated: dict[str, int]) -> bool:
        """An unchanged article still needs a visit when DeepL would draft something."""
        return self.deepl is not None and (bool(self.key) or self.dry_run) and any(untranslated.values())

    def __call__(self, project: Project, article: Article, cats: dict[str, Catalog],
                 report: SyncReport, dry_run: bool) -> set[str]:
        """Draft the untranslated entries; returns the languages whose catalog changed
        (would change, on a dry run)."""
        self.report = report
        report.budget = self.max_characters if self.deepl is not None else None
        touched: set[str] = set()
        written: dict[str, Catalog] = {}  # the catalogs as the drafts left them
        try:
            for lang, cat in cats.items():
                self._draft(project, article, lang, cat, report, dry_run, touched, written)
        finally:
            # drafts are never confirmed, so the memory's pairs stand; its record of the
            # file must follow the write, or the next sync would read these catalogs again
            for lang, cat in written.items():
                self.memory.memory.learn(lang, article.id, cat)
            if self.deepl is not None:
                report.billed = dict(self.deepl.billed)
                report.billed_articles = {a: dict(v) for a, v in self.deepl.billed_articles.items()}
                report.refreshed = {k: dict(v) for k, v in self.deepl.refreshed.items()}
        return touched

    def _draft(self, project, article, lang, cat, report, dry_run, touched, written) -> None:
        aid = article.id
        todo = [e for e in cat.entries if not e.obsolete and not e.msgstr]
        if not dry_run:
            self.memory.memory.learn(lang, aid, cat)
        if not todo:
            return
        mem = self.memory.draft(lang, todo, article)
        if mem:
            if dry_run:
                _predict(cat, mem, "memory")
            else:
                written[lang] = _apply_drafts(project, aid, lang, mem, "memory")
            touched.add(lang)
            _count(report, "memory", lang, aid, len(mem))
        todo = [e for e in todo if e.key not in mem]
        if not todo or self.deepl is None:
            return
        engine = self.deepl
        cached, pending = engine.plan(lang, todo, article)
        by_source: dict[str, list] = {}
        for e in todo:
            by_source.setdefault(e.msgid, []).append(e.key)
        seen = engine._seen_pending.setdefault(lang, set())
        if dry_run:
            # a text an earlier article of this sync sends is taken from the record by the
            # time this article comes: the real run counts it as already paid
            fresh = {}
            w = engine.would_send.setdefault(lang, {"units": 0, "chars": 0})
            for p in pending:
                keys = by_source.get(p.source, [p.key])
                if p.cache_key in seen:
                    cached.update({k: "" for k in keys})
                    continue
                seen.add(p.cache_key)
                w["units"] += 1
                w["chars"] += len(p.xml)
                if engine.refresh and engine.record.get(p.cache_key) is not None:
                    r = engine.refreshed.setdefault(lang, {"units": 0, "chars": 0})
                    r["units"] += 1
                    r["chars"] += len(p.xml)
                fresh.update({k: "" for k in keys})
            if self.key:  # without a key the real run drafts nothing from DeepL
                for source, got in ((PAID, cached), ("deepl", fresh)):
                    if got:
                        _predict(cat, {k: (v or "(DeepL draft)", None) for k, v in got.items()}, "deepl")
                        touched.add(lang)
                        _count(report, source, lang, aid, len(got))
            return
        if cached:
            written[lang] = _apply_drafts(project, aid, lang,
                                          {k: (v, None) for k, v in cached.items()}, "deepl")
            touched.add(lang)
            _count(report, PAID, lang, aid, len(cached))
        if not self.key:
            return
        for batch in engine.batches(pending):
            fit = engine.fit(batch)
            got = engine.translate(lang, article, fit)
            drafts = {}
            for p in fit:
                for k in by_source.get(p.source, [p.key]):
                    drafts[k] = (got[p.cache_key], None)
            written[lang] = _apply_drafts(project, aid, lang, drafts, "deepl")
            touched.add(lang)
            _count(report, "deepl", lang, aid, len(drafts))
            if self.progress:
                self.progress(f"DeepL {lang}: {aid} +{len(fit)}")
            if len(fit) < len(batch):
                raise engine.budget_error(batch[len(fit)])


def _progress_printer(enabled: bool) -> Callable[[str], None] | None:
    if not enabled:
        return None

    def show(msg: str) -> None:
        sys.stderr.write(f"\r\x1b[K{msg[:100]}")
        sys.stderr.flush()

    return show


def run_sync(project: Project, *, langs=None, no_mt=False, dry_run=False, as_json=False,
             refresh=False, out=None, max_characters: int | None = None) -> int:
    out = out or sys.stdout
    key = None if no_mt else auth_key()
    tty = sys.stderr.isatty() and not as_json
    progress = _progress_printer(tty)
    drafter = Drafter(project, use_mt=not no_mt, key=key, refresh=refresh, dry_run=dry_run,
                      progress=progress, max_characters=max_characters)
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
        error = exc  # reported once, on stderr (or in the JSON), never also as a note
        report = drafter.report or report
    finally:
        if progress:
            sys.stderr.write("\r\x1b[K")
        drafter.memory.memory.close()
        if drafter.deepl is not None:
            report.billed = dict(drafter.deepl.billed)
            report.billed_articles = {a: dict(v) for a, v in drafter.deepl.billed_articles.items()}
            report.refreshed = {k: dict(v) for k, v in drafter.deepl.refreshed.items()}
            report.budget = drafter.max_characters
            drafter.deepl.record.close()
    usage = None
    if dry_run and drafter.deepl is not None:
        report.pending = drafter.deepl.would_send
        if key:
            try:
                usage = drafter.deepl.usage()
            except ServiceError as exc:
                report.notes.append(f"the account's usage is unknown: {exc}")
    if no_mt:
        report.notes.append("machine translation off (--no-mt)")
    elif not key:
        report.notes.append(f"no DeepL drafts: set {KEY_VAR} to get machine drafts for "
                            "untranslated entries (everything else is done)")
    if as_json:
        data = report.as_json()
        data["dry_run"] = dry_run
        data["usage"] = usage
        data["error"] = redact(str(error)) if error else None
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report, dry_run, usage, out, refresh=refresh, stopped=error is not None)
        if error:
            print(f"l10n: error: {redact(str(error))}", file=sys.stderr)
    return 1 if error else 0


def _fmt(per: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(per.items()))


def _print_report(report: SyncReport, dry_run: bool, usage, out, *, refresh: bool = False,
                  stopped: bool = False) -> None:
    """The summary. A dry run's lines are the real run's (with "would change" for
    "changed"), plus the lines that start with "would" and the account's usage; the
    real run adds what DeepL billed."""
    w = out.write
    verb = "would change" if dry_run else "changed"
    changed = len(report.changes)
    if stopped:
        w(f"stopped: {changed} of {report.articles} articles done before the error; "
          "every draft received is saved\n")
    else:
        w(f"{report.articles} articles, {report.skipped} unchanged, {changed} {verb}\n")
    for c in report.changes:
        bits = []
        for label, d in (("new", c.added), ("changed", c.fuzzy), ("obsolete", c.obsoleted)):
            if d:
                bits.append(f"{label} {_fmt(d)}")
        drafted = report.article_drafts.get(c.id)
        if drafted:
            bits.append(f"drafts {_fmt(drafted)}")
        w(f"  {c.id}: {'; '.join(bits) or 'rewritten'}\n")
    langs = sorted({lang for per in report.drafts.values() for lang in per})
    for lang in langs:
        parts = [(name, report.drafts.get(src, {}).get(lang, 0))
                 for src, name in (("memory", "memory"), ("deepl", "DeepL"), (PAID, PAID))]
        total = sum(n for _, n in parts)
        w(f"drafts, {lang}: {total} (" + ", ".join(f"{name} {n}" for name, n in parts) + ")\n")
    if refresh:
        if report.refreshed:
            for lang, r in sorted(report.refreshed.items()):
                w(f"{'would re-send' if dry_run else 're-sent'} with --refresh, {lang}: "
                  f"{r['units']} texts, {r['chars']} characters\n")
        else:
            w("--refresh: no text DeepL translated before was waiting for a draft; "
              "nothing re-sent\n")
    if report.billed and not dry_run:
        w(f"DeepL billed {sum(report.billed.values())} characters: {_fmt(report.billed)}\n")
    if dry_run:
        total = sum(p["chars"] for p in report.pending.values())
        if report.pending:
            for lang, p in sorted(report.pending.items()):
                w(f"would send to DeepL, {lang}: {p['units']} units, {p['chars']} characters\n")
        else:
            w("would send nothing to DeepL\n")
        if report.budget is not None:
            if total > report.budget:
                w(f"would stop at the budget: {total} characters to send, {report.budget} "
                  "allowed per sync; rerun to continue (nothing is paid twice)\n")
            else:
                w(f"would stay within the budget: {total} of {report.budget} characters\n")
        if usage:
            left = usage["left"]
            w(f"DeepL account: {usage['count']} of {usage['limit']} characters used"
              + (f", {left} left" if left is not None else ""))
            if left is not None and total > left:
                w(f"; not enough for the {total} to send")
            w("\n")
    if report.untranslated and not stopped:  # a stopped sync counted only part of them
        w("untranslated: " + _fmt(report.untranslated) + "\n")
    for aid in report.removed:
        w(f"note: {aid} has a template but no article any more; its catalogs are kept\n")
    for n in report.notes:
        w(f"note: {n}\n")
