"""Drafts for `l10n sync`: translation memory first (project_memory.py), then DeepL
(machine_translation.py). An engine gets the untranslated entries of one article in one
language and returns drafts. Drafts land as `fuzzy` with a translator comment naming the
engine (review.py), so nobody mistakes machine text for a human's.

`run_sync` is the one sync driver: sync.py's merge with the `Drafter`, for the CLI
(`l10n sync`) and the TUI (`s`) alike. It returns a `SyncReport`; `render_report` is the
one text summary of it, which the CLI prints and the TUI shows.
"""
from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Callable

from .errors import ServiceError
from .project import Project
from .secrets import KEY_VAR, auth_key, redact
from .sync import Seen, SyncReport, sync

if TYPE_CHECKING:
    from .article import Article
    from .catalog import Catalog
    from .machine_translation import DeepLEngine
    from .project_memory import MemoryEngine

# The engines' modules (the memory index, the DeepL client, the PO writer) are imported
# when first needed: a sync with nothing to draft (a no-op) never loads them.


def _apply_drafts(project: Project, aid: str, lang: str, drafts: dict, engine: str,
                  seen: Catalog) -> Catalog:
    """Write drafts into entries that are still untranslated (under the lock); returns
    the catalog as written. `seen` is the catalog as last written: it is not parsed
    again unless someone else changed the file since."""
    from . import review
    from .workspace import update_catalog

    def change(cat: Catalog) -> Catalog:
        for e in cat.entries:
            if e.obsolete or e.msgstr or e.key not in drafts:
                continue
            text, score = drafts[e.key]
            review.set_draft(e, text, engine, score if engine == "memory" else None)
        return cat

    return update_catalog(project, lang, aid, change, seen=seen)


class Drafter:
    """The `DraftEngine` of sync: memory, then DeepL, per article and language.

    It owns the memory index (`.l10n/memory.sqlite`) and the DeepL engine (its client
    and `.l10n/mt-cache.sqlite`): use it as a context manager; leaving the block closes
    both, whatever happened inside."""

    def __init__(self, project: Project, *, use_mt: bool, key: str | None, refresh: bool,
                 dry_run: bool, progress: Callable[[str], None] | None = None):
        self.project = project
        self.use_mt = use_mt
        self.key = key
        self.refresh = refresh
        self.dry_run = dry_run
        self.progress = progress
        self._stack = ExitStack()
        self._memory: MemoryEngine | None = None
        self.deepl: DeepLEngine | None = None

    def __enter__(self) -> "Drafter":
        from .glossary import load_glossary

        # read (and validated: a broken glossary stops the sync) even without DeepL
        glossary = load_glossary(self.project.glossary_path())
        with ExitStack() as stack:
            if self.use_mt:
                from .machine_translation import DeepLEngine

                self.deepl = stack.enter_context(DeepLEngine(
                    self.project, self.key, glossary, refresh=self.refresh,
                    dry_run=self.dry_run, progress=self.progress))
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    @property
    def memory(self) -> MemoryEngine:
        """The memory engine, its index opened on first use (and closed on exit)."""
        if self._memory is None:
            from .project_memory import MemoryEngine, ProjectMemory

            self._memory = MemoryEngine(self._stack.enter_context(ProjectMemory(self.project)))
        return self._memory

    def prepare(self, seen: Seen) -> None:
        """Bring the memory index up to date with the catalogs as they are before sync
        rewrites them (taking those sync just read from `seen`); sync then hands it each
        catalog it writes (`draft` learns them)."""
        self.memory.memory.db(seen)

    def eager(self, untranslated: dict[str, int]) -> bool:
        """An unchanged article still needs a visit when DeepL would draft something."""
        return self.deepl is not None and (bool(self.key) or self.dry_run) and any(untranslated.values())

    def draft(self, article: Article, cats: dict[str, Catalog], report: SyncReport,
              dry_run: bool) -> dict[str, Catalog]:
        """Draft the untranslated entries; returns the catalogs as written."""
        project = self.project
        out = dict(cats)  # the catalogs as the drafts leave them
        written: set[str] = set()
        for lang, cat in cats.items():
            todo = [e for e in cat.entries if not e.obsolete and not e.msgstr]
            if not dry_run:
                self.memory.memory.learn(lang, article.id, cat)
            if not todo:
                continue
            mem = self.memory.draft(lang, todo, article)
            if mem:
                if not dry_run:
                    out[lang] = _apply_drafts(project, article.id, lang, mem, "memory", out[lang])
                    written.add(lang)
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
                out[lang] = _apply_drafts(project, article.id, lang,
                                          {k: (v, None) for k, v in cached.items()}, "deepl",
                                          out[lang])
                written.add(lang)
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
                out[lang] = _apply_drafts(project, article.id, lang, drafts, "deepl", out[lang])
                written.add(lang)
                report.drafts.setdefault("deepl", {})
                report.drafts["deepl"][lang] = report.drafts["deepl"].get(lang, 0) + len(drafts)
                if self.progress:
                    self.progress(f"DeepL {lang}: {article.id} +{len(batch)}")
        # drafts are never confirmed, so the memory's pairs stand; its record of the file
        # must follow the write, or the next sync would read these catalogs again
        for lang in written:
            self.memory.memory.learn(lang, article.id, out[lang])
        return out


def run_sync(project: Project, *, langs: list[str] | None = None, use_mt: bool = True,
             dry_run: bool = False, refresh: bool = False,
             progress: Callable[[str, int, int], None] | None = None,
             detail: Callable[[str], None] | None = None) -> SyncReport:
    """THE sync driver, for the CLI and the TUI: sync.py's merge with the `Drafter`.

    `progress(article, n, total)` is called for each article, `detail(text)` for each
    DeepL request. Never raises ServiceError: a DeepL failure ends the sync with the
    (redacted) message in `report.error`, and every draft received before it is kept
    and counted. The memory index, the DeepL client and record, and the worker
    processes are all closed when it returns."""
    key = auth_key() if use_mt else None
    report = SyncReport(dry_run=dry_run)
    with Drafter(project, use_mt=use_mt, key=key, refresh=refresh, dry_run=dry_run,
                 progress=detail) as drafter:
        try:
            sync(project, langs, dry_run=dry_run, engines=drafter, progress=progress,
                 report=report)
        except ServiceError as exc:
            report.error = redact(str(exc))
            report.notes.append(report.error)
        if drafter.deepl is not None:
            report.billed = dict(drafter.deepl.billed)
            if dry_run:
                report.pending = drafter.deepl.would_send
                if key:
                    try:
                        report.usage = drafter.deepl.usage()
                    except ServiceError as exc:
                        report.notes.append(redact(str(exc)))
    if not use_mt:
        report.notes.append("machine translation off (--no-mt)")
    elif not key:
        report.notes.append(f"no DeepL drafts: set {KEY_VAR} to get machine drafts for "
                            "untranslated entries (everything else is done)")
    return report


def render_report(report: SyncReport) -> str:
    """The text summary of a sync: what `l10n sync` prints and the TUI shows."""
    lines: list[str] = []
    w = lines.append
    dry_run = report.dry_run
    verb = "would change" if dry_run else "changed"
    w(f"{report.articles} articles, {report.skipped} unchanged, {len(report.changes)} {verb}")
    for c in report.changes:
        bits = []
        for label, d in (("new", c.added), ("changed", c.fuzzy), ("obsolete", c.obsoleted)):
            if d:
                bits.append(f"{label} " + ", ".join(f"{k} {v}" for k, v in d.items()))
        w(f"  {c.id}: {'; '.join(bits) or 'rewritten'}")
    for engine, per in sorted(report.drafts.items()):
        w(f"drafts from {engine}: " + ", ".join(f"{k} {v}" for k, v in sorted(per.items())))
    if report.billed:
        w("characters billed: " + ", ".join(f"{k} {v}" for k, v in sorted(report.billed.items())))
    if dry_run:
        if report.pending:
            for lang, p in sorted(report.pending.items()):
                w(f"would send to DeepL, {lang}: {p['units']} units, {p['chars']} characters")
        else:
            w("would send nothing to DeepL")
        usage = report.usage
        if usage:
            left = usage["left"]
            w(f"DeepL account: {usage['count']} of {usage['limit']} characters used"
              + (f", {left} left" if left is not None else ""))
    if report.untranslated:
        w("untranslated: " + ", ".join(f"{k} {v}" for k, v in sorted(report.untranslated.items())))
    for aid in report.removed:
        w(f"note: {aid} has a template but no article any more; its catalogs are kept")
    for n in report.notes:
        w(f"note: {n}")
    return "\n".join(lines) + "\n"
