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
    from . import review

    for e in cat.entries:
        if not e.obsolete and not e.msgstr and e.key in drafts:
            text, score = drafts[e.key]
            review.set_draft(e, text, engine, score if engine == "memory" else None)


class Drafter:
    """The `DraftEngine` of sync: memory, then DeepL, per article and language.

    It owns the memory index (`.l10n/memory.sqlite`) and the DeepL engine (its client
    and `.l10n/mt-cache.sqlite`): use it as a context manager; leaving the block closes
    both, whatever happened inside."""

    def __init__(self, project: Project, *, use_mt: bool, key: str | None, refresh: bool,
                 dry_run: bool, progress: Callable[[str], None] | None = None,
                 max_characters: int | None = None):
        self.project = project
        if max_characters is None:
            max_characters = project.config.deepl_max_characters
        self.max_characters = max_characters
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
                    dry_run=self.dry_run, progress=self.progress,
                    max_characters=self.max_characters))
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

    @property
    def drafts_new_units(self) -> bool:
        """DeepL drafts new units: sync then gives them no fuzzy draft taken from an
        entry still in the template (merge.py)."""
        return self.deepl is not None and bool(self.key)

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
        """Draft the untranslated entries; returns the catalogs drafted into, as the
        drafts left them (on a dry run: filled in memory as the real run would)."""
        report.budget = self.max_characters if self.deepl is not None else None
        out: dict[str, Catalog] = {}
        try:
            for lang, cat in cats.items():
                self._draft(article, lang, cat, report, dry_run, out)
        finally:
            # drafts are never confirmed, so the memory's pairs stand; its record of the
            # file must follow the write, or the next sync would read these catalogs again
            if not dry_run:
                for lang, cat in out.items():
                    self.memory.memory.learn(lang, article.id, cat)
            if self.deepl is not None:
                report.billed = dict(self.deepl.billed)
                report.billed_articles = {a: dict(v) for a, v in self.deepl.billed_articles.items()}
                report.refreshed = {k: dict(v) for k, v in self.deepl.refreshed.items()}
        return out

    def _draft(self, article: Article, lang: str, cat: Catalog, report: SyncReport,
               dry_run: bool, out: dict[str, Catalog]) -> None:
        project, aid = self.project, article.id
        todo = [e for e in cat.entries if not e.obsolete and not e.msgstr]
        if not dry_run:
            self.memory.memory.learn(lang, aid, cat)
        if not todo:
            return
        mem = self.memory.draft(lang, todo, article)
        if mem:
            if dry_run:
                _predict(cat, mem, "memory")
                out[lang] = cat
            else:
                out[lang] = _apply_drafts(project, aid, lang, mem, "memory", out.get(lang, cat))
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
                        _predict(cat, {k: (v or "(DeepL draft)", None) for k, v in got.items()},
                                 "deepl")
                        out[lang] = cat
                        _count(report, source, lang, aid, len(got))
            return
        if cached:
            out[lang] = _apply_drafts(project, aid, lang,
                                      {k: (v, None) for k, v in cached.items()}, "deepl",
                                      out.get(lang, cat))
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
            out[lang] = _apply_drafts(project, aid, lang, drafts, "deepl", out.get(lang, cat))
            _count(report, "deepl", lang, aid, len(drafts))
            if self.progress:
                self.progress(f"DeepL {lang}: {aid} +{len(fit)}")
            if len(fit) < len(batch):
                raise engine.budget_error(batch[len(fit)])


def run_sync(project: Project, *, langs: list[str] | None = None, use_mt: bool = True,
             dry_run: bool = False, refresh: bool = False,
             progress: Callable[[str, int, int], None] | None = None,
             detail: Callable[[str], None] | None = None,
             max_characters: int | None = None) -> SyncReport:
    """THE sync driver, for the CLI and the TUI: sync.py's merge with the `Drafter`.

    `progress(article, n, total)` is called for each article, `detail(text)` for each
    DeepL request. Never raises ServiceError: a DeepL failure ends the sync with the
    (redacted) message in `report.error`, and every draft received before it is kept
    and counted. The memory index, the DeepL client and record, and the worker
    processes are all closed when it returns."""
    key = auth_key() if use_mt else None
    report = SyncReport(dry_run=dry_run, refresh=refresh)
    with Drafter(project, use_mt=use_mt, key=key, refresh=refresh, dry_run=dry_run,
                 progress=detail, max_characters=max_characters) as drafter:
        try:
            sync(project, langs, dry_run=dry_run, engines=drafter, progress=progress,
                 report=report)
        except ServiceError as exc:
            report.error = redact(str(exc))  # shown once, by whoever renders the report
        if drafter.deepl is not None:
            report.billed = dict(drafter.deepl.billed)
            report.billed_articles = {a: dict(v) for a, v in drafter.deepl.billed_articles.items()}
            report.refreshed = {k: dict(v) for k, v in drafter.deepl.refreshed.items()}
            report.budget = drafter.max_characters
            if dry_run:
                report.pending = drafter.deepl.would_send
                if key:
                    try:
                        report.usage = drafter.deepl.usage()
                    except ServiceError as exc:
                        report.notes.append(f"the account's usage is unknown: {redact(str(exc))}")
    if not use_mt:
        report.notes.append(NO_MT_NOTE)
    elif not key:
        report.notes.append(f"no DeepL drafts: set {KEY_VAR} to get machine drafts for "
                            "untranslated entries (everything else is done)")
    return report


NO_MT_NOTE = "machine translation off (--no-mt)"


def noop_report(report: SyncReport) -> SyncReport | None:
    """The report of a `sync --no-mt` right after this sync, if nothing changes in
    between: every article unchanged (sync_noop.basis). None if that sync would have
    work to do."""
    found = report.noop_basis
    if found is None or report.error is not None or report.dry_run:
        return None
    n = len(found["ids"])
    return SyncReport(articles=n, skipped=n, untranslated=dict(found["untranslated"]),
                      removed=list(found["orphans"]), notes=[NO_MT_NOTE])


def _fmt(per: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(per.items()))


def render_report(report: SyncReport) -> str:
    """The text summary of a sync: what `l10n sync` prints and the TUI shows. A dry run's
    lines are the real run's (with "would change" for "changed"), plus the lines that
    start with "would" and the account's usage; the real run adds what DeepL billed. The
    error that stopped a sync is not in it: the caller shows it once."""
    from .display import plural

    lines: list[str] = []
    w = lines.append
    dry_run = report.dry_run
    stopped = report.error is not None
    verb = "would change" if dry_run else "changed"
    changed = len(report.changes)
    if stopped:
        w(f"stopped: {changed} of {plural(report.articles, 'article')} done before the error; "
          "every draft received is saved")
    else:
        w(f"{plural(report.articles, 'article')}, {report.skipped} unchanged, {changed} {verb}")
    for c in report.changes:
        bits = []
        for label, d in (("new", c.added), ("changed", c.fuzzy), ("obsolete", c.obsoleted),
                         ("approvals re-stamped", c.restamped)):
            if d:
                bits.append(f"{label} {_fmt(d)}")
        drafted = report.article_drafts.get(c.id)
        if drafted:
            bits.append(f"drafts {_fmt(drafted)}")
        w(f"  {c.id}: {'; '.join(bits) or 'rewritten'}")
    if report.restamped:
        w(f"approvals re-stamped with a SHA-256 hash: {report.restamped}")
    langs = sorted({lang for per in report.drafts.values() for lang in per})
    for lang in langs:
        parts = [(name, report.drafts.get(src, {}).get(lang, 0))
                 for src, name in (("memory", "memory"), ("deepl", "DeepL"), (PAID, PAID))]
        total = sum(n for _, n in parts)
        w(f"drafts, {lang}: {total} (" + ", ".join(f"{name} {n}" for name, n in parts) + ")")
    if report.refresh:
        if report.refreshed:
            for lang, r in sorted(report.refreshed.items()):
                w(f"{'would re-send' if dry_run else 're-sent'} with --refresh, {lang}: "
                  f"{r['units']} texts, {r['chars']} characters")
        else:
            w("--refresh: no text DeepL translated before was waiting for a draft; "
              "nothing re-sent")
    if report.billed and not dry_run:
        w(f"DeepL billed {sum(report.billed.values())} characters: {_fmt(report.billed)}")
    if dry_run:
        total = sum(p["chars"] for p in report.pending.values())
        if report.pending:
            for lang, p in sorted(report.pending.items()):
                w(f"would send to DeepL, {lang}: {p['units']} units, {p['chars']} characters")
        else:
            w("would send nothing to DeepL")
        if report.budget is not None:
            if total > report.budget:
                w(f"would stop at the budget: {total} characters to send, {report.budget} "
                  "allowed per sync; rerun to continue (nothing is paid twice)")
            else:
                w(f"would stay within the budget: {total} of {report.budget} characters")
        usage = report.usage
        if usage:
            left = usage["left"]
            line = (f"DeepL account: {usage['count']} of {usage['limit']} characters used"
                    + (f", {left} left" if left is not None else ""))
            if left is not None and total > left:
                line += f"; not enough for the {total} to send"
            w(line)
    if report.untranslated and not stopped:  # a stopped sync counted only part of them
        w("untranslated: " + _fmt(report.untranslated))
    for aid in report.removed:
        w(f"note: {aid} has a template but no article any more; its catalogs are kept")
    for n in report.notes:
        w(f"note: {n}")
    return "\n".join(lines) + "\n"


def deepl_suggestion(project: Project, article_id: str, lang: str, key) -> tuple[str, bool]:
    """DeepL's translation of one entry, asked for by a translator (the TUI's `d`): taken
    from the never-pay-twice record when DeepL translated this text before (free; True),
    else one request, billed and recorded (False), with the article's context, the
    glossary and the formality a sync would use. Nothing is written to the catalog."""
    from .article import parse_article
    from .errors import UsageError
    from .glossary import load_glossary
    from .machine_translation import DeepLEngine
    from .workspace import read_catalog

    key_ = auth_key()
    if not key_:
        raise UsageError(f"a DeepL suggestion needs {KEY_VAR} (the drafts sync already made "
                         "are in the catalog)")
    cat = read_catalog(project, lang, article_id)
    e = next((x for x in (cat.entries if cat else []) if x.key == key and not x.obsolete), None)
    if e is None:
        raise UsageError("that entry is not in the catalog any more")
    article = parse_article(project.article_path(article_id), article_id,
                            project.config.segmentation)
    with DeepLEngine(project, key_, load_glossary(project.glossary_path())) as engine:
        cached, pending = engine.plan(lang, [e], article)
        if e.key in cached:
            return cached[e.key], True
        got = engine.translate(lang, article, pending)
        return got[pending[0].cache_key], False
