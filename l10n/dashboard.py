"""What the TUI's dashboard shows, with no UI in it: every article with its title,
issue, per-language counts and error findings.

Everything is cached by file stat: counts in `l10n status`'s cache, titles in
`.l10n/tui-titles.json`, error counts in `.l10n/tui-findings.json`. A running dashboard
keeps one `Tally`, which reads those once and then recounts only the catalogs whose stat
key changed (a start with no caches: in worker processes, the rows filling in as they
come). `tree_fingerprint` and `file_fingerprint` tell a poll that nothing changed
without reading a single catalog.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .catalog_view import APPROVED
from .errors import InputError, L10nError, yaml_loader
from .lazy import LazyModule
from .project import Project

_workspace = LazyModule(".workspace")

TITLES_FILE = "tui-titles.json"
FINDINGS_FILE = "tui-findings.json"


@dataclass
class ArticleRow:
    id: str
    issue: str
    title: str
    langs: dict[str, dict[str, int]]
    errors: int | None = 0  # None: not counted yet

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


def _cache_write(project: Project, path: Path, version: str, items: dict) -> None:
    _workspace.write_cache(project, path, json.dumps({"version": version, "items": items},
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
        _cache_write(project, path, "1", fresh)
    return out


def catalog_errors(project: Project, lang: str, cat) -> int:
    """Error-severity findings of the per-entry checks in one catalog (what the err
    column counts; warnings are not run)."""
    from .quality import entry_findings, project_glossary

    glossary = project_glossary(project)  # once per catalog, not a stat per entry
    return sum(len(entry_findings(project, lang, e, severity="error", glossary=glossary))
               for e in cat.active() if e.msgstr)


def measure(project: Project, items: list[tuple[str, str]], with_errors: bool) -> list[tuple]:
    """(rel, stat key, counts, errors or None) of each (lang, article) catalog, each
    parsed once; a catalog that does not parse raises its error (Tally._measure keeps
    it in `Dashboard.broken`)."""
    from .status import catalog_counts

    out = []
    for lang, aid in items:
        path = project.catalog_path(lang, aid)
        key = _workspace.stat_key(path)
        if key is None:
            out.append((lang, aid, None, None, None))
            continue
        cat = _workspace.load_catalog(project, path)
        out.append((lang, aid, key, catalog_counts(cat),
                    catalog_errors(project, lang, cat) if with_errors else None))
    return out


def _measure_in_child(root: str, items: list[tuple[str, str]], with_errors: bool) -> list[tuple]:
    """`measure` in a worker process (spawned: picklable arguments only)."""
    return measure(Project(Path(root)), items, with_errors)


def _background_priority() -> None:
    """The counting processes yield the CPU to the one a person is typing in."""
    import os

    try:
        os.nice(10)
    except (AttributeError, OSError):
        pass


PARALLEL_MIN = 150  # catalogs to (re)count before the work is spread over processes
PROGRESS_EVERY = 0.5  # seconds between two partial dashboards of a long recount


def _jobs(n: int, jobs: int | None) -> int:
    from .sync_parallel import jobs_for

    if n < PARALLEL_MIN:
        return 1
    return jobs if jobs is not None else max(1, jobs_for(10 ** 6))


class Tally:
    """What the dashboard knows of every article and catalog, kept between refreshes.

    One per dashboard: it reads the caches in `.l10n/` once (titles, the status cache
    that `l10n status` shares, error counts), and each refresh stats every file and
    recounts only the catalogs whose stat key changed, parsing each of those once for
    its counts and its error findings. A start with no caches recounts everything: over
    several processes when there is a lot (PARALLEL_MIN), so the UI's process keeps its
    time for the keys (issue 15's latency benchmark)."""

    def __init__(self, project: Project) -> None:
        from .status import CACHE_FILE, CACHE_VERSION

        self.project = project
        self._status_path = project.cache_dir / CACHE_FILE
        try:
            data = json.loads(self._status_path.read_text("utf-8"))
            self.counts = data["catalogs"] if data.get("version") == CACHE_VERSION else {}
            if not isinstance(self.counts, dict):
                self.counts = {}
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            self.counts = {}
        self.titles = _cache_read(project.cache_dir / TITLES_FILE, "1")
        self._errors_version: str | None = None
        self.errors: dict = {}
        self._locales = project.rel(project.locales_dir)
        self._keys: dict[str, list | None] = {}  # every catalog's stat key at the last refresh
        self._last: Dashboard | None = None  # what the last refresh returned, for ids:
        self._last_ids: list[str] = []
        self._unsaved = False  # counts a partial refresh made that the caches do not have yet
        self._checks_version: str | None = None  # the checks this process runs: read once

    def _load_errors(self) -> None:
        """The error counts known for the checks and glossary as they are now (a changed
        check or glossary counts every catalog again)."""
        from .check_cache import checks_source_version
        from .quality import project_glossary

        if self._checks_version is None:
            self._checks_version = checks_source_version()
        version = f"{self._checks_version}:{project_glossary(self.project).version()}"
        if version != self._errors_version:
            found = _cache_read(self.project.cache_dir / FINDINGS_FILE, version)
            self.errors = found if isinstance(found, dict) else {}
            self._errors_version = version

    def refresh(self, *, with_errors: bool = True, jobs: int | None = None,
                progress: Callable[[Dashboard], None] | None = None,
                articles: list[str] | None = None) -> Dashboard:
        """Everything the dashboard shows, recounting only what changed on disk. Without
        `with_errors`, error counts are those already known (and those of the catalogs
        it had to parse anyway); a row whose count is not known has `errors` None and
        `Dashboard.errors_complete` is false. A long recount hands `progress` what is
        known so far, about twice a second. With `articles`, only their files are looked
        at (the article a person just left); the other rows stay as the last refresh
        found them. A catalog that does not read is in `Dashboard.broken` (its error:
        file, line) and counted again at the next refresh; every other one is counted
        (one broken file used to leave the whole dashboard unshown)."""
        from .status import CACHE_VERSION

        project = self.project
        langs = project.languages
        all_ids = project.article_ids()
        partial = articles is not None and bool(self._keys)  # else: a full look
        if partial:
            known = set(all_ids)
            ids = [aid for aid in articles if aid in known]
        else:
            ids = all_ids
        if with_errors or self._errors_version:
            self._load_errors()

        # catalogs: which ones changed since they were counted
        locales = str(project.locales_dir)
        keys = self._keys if partial else {}
        todo: list[tuple[str, str]] = []
        for aid in ids:
            for lang in langs:
                rel = f"{self._locales}/{lang}/{aid}.po"
                key = keys[rel] = _workspace.stat_key(f"{locales}/{lang}/{aid}.po")
                if key is None:
                    continue
                hit = self.counts.get(rel)
                fresh = bool(hit) and hit[0] == key
                if fresh and with_errors:
                    e = self.errors.get(rel)
                    fresh = bool(e) and e[0] == key
                if not fresh:
                    todo.append((lang, aid))
        # once errors are known, a catalog parsed for its counts is checked too; and a
        # start with no caches checks as it counts rather than parse everything twice
        if not self._errors_version and len(todo) >= PARALLEL_MIN:
            self._load_errors()
        count_errors = bool(self._errors_version)
        last = [time.monotonic()]
        shown: list[Dashboard] = []  # the last dashboard handed to `progress`
        since: set[str] = set()  # the articles counted since then

        def counted(results: list[tuple]) -> None:
            for lang, aid, key, counts, errors in results:
                rel = f"{self._locales}/{lang}/{aid}.po"
                keys[rel] = key
                since.add(aid)
                if key is None:
                    continue
                self.counts[rel] = [key, counts]
                if errors is not None:
                    self.errors[rel] = [key, errors]
            if progress is not None and time.monotonic() - last[0] >= PROGRESS_EVERY:
                last[0] = time.monotonic()
                # each one makes again only the rows counted since the one before: a
                # thousand rows every half second held the UI process's GIL for 17 ms
                dash = (self._dashboard(all_ids, langs, keys, only=set(since), base=shown[0])
                        if shown else self._dashboard(all_ids, langs, keys))
                shown[:] = [dash]
                since.clear()
                progress(dash)

        # titles: from the front matter of the articles whose file changed (read while
        # the counting processes start and count: a cold start has a thousand to read)
        titles_changed = False

        def read_titles() -> None:
            nonlocal titles_changed
            content = str(project.content_dir)
            for aid in ids:
                key = _workspace.stat_key(f"{content}/{aid}.md")
                hit = self.titles.get(aid)
                if not (hit and hit[0] == key):
                    self.titles[aid] = [key, _front_matter_title(project.content_dir / f"{aid}.md")]
                    titles_changed = True

        broken = self._measure(todo, count_errors, jobs, counted, meanwhile=read_titles)
        if todo and partial:
            # the article a person just left: its counts go to the caches with the next
            # full look (or never, if the app is killed first: the next start recounts
            # them, the caches being keyed by stat). Encoding both caches whole costs
            # 20 ms of the UI process's time, just when keys come in (issue 15).
            self._unsaved = True
        elif todo or self._unsaved:
            _workspace.write_cache(project, self._status_path, json.dumps(
                {"version": CACHE_VERSION, "catalogs": self.counts}, sort_keys=True).encode())
            if self._errors_version:
                _cache_write(project, project.cache_dir / FINDINGS_FILE, self._errors_version,
                             self.errors)
            self._unsaved = False
        if titles_changed:
            _cache_write(project, project.cache_dir / TITLES_FILE, "1", self.titles)
        self._keys = keys
        reuse = partial and self._last is not None and all_ids == self._last_ids
        dash = (self._dashboard(all_ids, langs, keys, only=set(ids), base=self._last) if reuse
                else self._dashboard(all_ids, langs, keys))
        dash.broken = broken
        # with a broken catalog, the next refresh makes every row again
        self._last, self._last_ids = (None if broken else dash), all_ids
        return dash

    def _dashboard(self, ids: list[str], langs: list[str], keys: dict,
                   only: set[str] | None = None, base: Dashboard | None = None) -> Dashboard:
        """The rows from what is known now: a catalog not counted yet shows as loading,
        an article with a catalog whose errors are not counted has `errors` None. With
        `only` and `base` (a dashboard made from these same `ids`): `base` with the rows
        of these articles made again (nothing of the others changed), so that a partial
        refresh, or a recount's progress, costs its articles, not a thousand rows."""
        from .status import KEYS, empty

        if only is not None and base is not None:
            total = {lang: dict(c) for lang, c in base.total.items()}
            rows = list(base.rows)
            where = {aid: i for i, aid in enumerate(ids)}
            for aid in only:
                i = where[aid]
                old, rows[i] = rows[i], self._row(aid, langs, keys)
                for lang in langs:
                    new_c, old_c = rows[i].langs[lang], old.langs[lang]
                    for k in KEYS:
                        total[lang][k] += new_c.get(k, 0) - old_c.get(k, 0)
        else:
            total = {lang: empty() for lang in langs}
            rows = []
            for aid in ids:
                row = self._row(aid, langs, keys)
                rows.append(row)
                for lang in langs:
                    counts = row.langs[lang]  # loading or missing: no counts, adds 0
                    for k in KEYS:
                        total[lang][k] += counts.get(k, 0)
        errors = [r.errors for r in rows]
        return Dashboard(langs, rows, total, sum(e for e in errors if e is not None),
                         None not in errors)

    def _row(self, aid: str, langs: list[str], keys: dict) -> ArticleRow:
        """One article's row from what is known now."""
        from .status import empty

        per: dict[str, dict[str, int]] = {}
        errs: int | None = 0
        for lang in langs:
            rel = f"{self._locales}/{lang}/{aid}.po"
            if rel not in keys:  # not looked at yet
                per[lang] = _LOADING
                errs = None
                continue
            key = keys[rel]
            if key is None:
                per[lang] = dict(empty(), missing=1)
                continue
            hit = self.counts.get(rel)
            if not hit or hit[0] != key:
                per[lang] = _LOADING
                errs = None
                continue
            per[lang] = hit[1]
            e = self.errors.get(rel)
            if e and e[0] == key and errs is not None:
                errs += e[1]
            else:
                errs = None
        return ArticleRow(aid, aid.split("/", 1)[0] if "/" in aid else "",
                          (self.titles.get(aid) or [None, ""])[1], per, errs)

    def _measure(self, todo: list[tuple[str, str]], with_errors: bool, jobs: int | None,
                 counted: Callable[[list[tuple]], None],
                 meanwhile: Callable[[], None] = lambda: None) -> list:
        """Count `todo` (over processes when there is a lot), handing each batch of
        results to `counted`; `meanwhile` runs before the first batch is handed over
        (while the processes count). The errors of the catalogs that do not read are
        returned, each naming its file and line; every other catalog is counted."""
        n = _jobs(len(todo), jobs)
        if n <= 1:
            meanwhile()
            errors: list[L10nError] = []
            for item in todo:
                try:
                    counted(measure(self.project, [item], with_errors))
                except L10nError as exc:
                    errors.append(exc)
            return errors
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        from .sync_parallel import start_resource_tracker

        start_resource_tracker()
        size = max(20, len(todo) // (n * 8))  # small chunks: the processes finish together
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        errors = []
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_background_priority) as pool:
            futures = {pool.submit(_measure_in_child, str(self.project.root), c, with_errors): c
                       for c in chunks}
            meanwhile()
            for fut in as_completed(futures):
                try:
                    got = fut.result()
                except Exception:  # noqa: BLE001 - a broken catalog, or a lost process
                    # count this chunk here, one by one: each error names its catalog
                    errors += self._measure(futures[fut], with_errors, 1, counted)
                else:
                    counted(got)
        return errors


def tree_fingerprint(project: Project, known: dict | None = None) -> tuple:
    """A cheap summary of what the dashboard depends on: the modification times of the
    directories under content/ and locales/ and of the glossary. Catalogs and articles
    are replaced by renames (atomic writes, git checkouts), which touch their directory,
    so a poll can tell "nothing changed" without reading a single catalog.

    With `known` (a dict the caller keeps between polls), the folders the last walk
    found are stat'ed by name, a few hundred stats instead of listing every file; the
    tree is walked again only when one of them changed or went (a new folder changes
    its parent's time, so it is found by that walk)."""
    import os

    glossary = project.glossary_path()

    def walk() -> tuple:
        out = []
        for base in (project.content_dir, project.locales_dir):
            for dirpath, dirnames, _files in os.walk(base):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                try:
                    out.append((dirpath, os.stat(dirpath).st_mtime_ns))
                except OSError:
                    continue
        try:
            out.append(("glossary", os.stat(glossary).st_mtime_ns))
        except OSError:
            pass
        return tuple(out)

    last = known.get("fingerprint") if known is not None else None
    if last:
        try:
            now = tuple((path, os.stat(glossary if path == "glossary" else path).st_mtime_ns)
                        for path, _time in last)
        except OSError:
            now = None  # a folder, or the glossary, went: walk
        has_glossary = any(path == "glossary" for path, _time in last)
        if now == last and (has_glossary or not os.path.exists(glossary)):
            return last
    found = walk()
    if known is not None:
        known["fingerprint"] = found
    return found


FILE_PARTS = 10  # an idle poll stats one tenth of the files: each file every ten polls


def file_fingerprint(project: Project, part: int = 0, parts: int = 1) -> tuple:
    """The stat keys of every article, catalog and the glossary (with `parts`, only
    every `parts`-th file from `part` on): what an editor that rewrites a file in place
    changes without touching its directory. The dashboard's idle poll stats one part
    per second (about 1 ms on the 1,000-article archive, each file every ten seconds)
    instead of recounting every catalog."""
    from .filestat import stat_key

    content, locales = str(project.content_dir), str(project.locales_dir)
    langs = project.languages
    paths = []
    for aid in project.article_ids():
        paths.append(f"{content}/{aid}.md")
        paths.extend(f"{locales}/{lang}/{aid}.po" for lang in langs)
    paths.append(str(project.glossary_path()))
    return tuple(tuple(k) if k else None for k in map(stat_key, paths[part::parts]))


@dataclass
class Dashboard:
    languages: list[str]
    rows: list[ArticleRow]
    total: dict[str, dict[str, int]]
    errors: int
    errors_complete: bool = True  # every catalog's error count is known
    # the catalogs that did not read (each error names its file and line): their cells
    # show as not counted; every other row is as counted
    broken: list = field(default_factory=list)


def dashboard(project: Project, *, with_errors: bool = True) -> Dashboard:
    """Everything the dashboard shows, once (reads only what changed since the caches
    were written). A running dashboard keeps a `Tally` instead."""
    return Tally(project).refresh(with_errors=with_errors)


_LOADING = {"loading": 1}


def placeholder_row(aid: str, langs: list[str]) -> ArticleRow:
    """A row to show before the counts are in (they are shared and never changed)."""
    return ArticleRow(aid, aid.split("/", 1)[0] if "/" in aid else "", "",
                      dict.fromkeys(langs, _LOADING), None)
