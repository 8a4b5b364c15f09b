"""Benchmarks of the terminal UI.

    python -m benchmarks.bench_tui [--quick]

(a) startup: on a 1,000-article project (3,000 catalogs), the time until the first
    frame of the dashboard (every article's row drawn; the list focused and taking keys)
    is handed to the terminal, against a bare Textual app showing one static screen,
    both driven the same way (App.run_test, headless, 100x30). Target <= 1.5x. The
    statistics load in a worker after the first frame, so they are not in this time.
    Measured twice: cold, from the start of a fresh interpreter (imports included, with
    bytecode caches as an installed package has them): what a user waits for; and warm,
    from constructing the app in a process that has everything imported.
(b) approve: on a 200-entry catalog, from the `a` key event until the entry is approved
    in the catalog on disk; target median <= 30 ms. The anchor is the core call alone
    (`actions.approve`, lock + read + write), the floor for any UI.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import l10n.tui  # noqa: F401  (before any Textual import: the frame rate `l10n tui` runs at)

REPO = Path(__file__).resolve().parent.parent
SIZE = (100, 30)


def _cache() -> Path:
    d = Path(os.environ.get("L10N_BENCH_CACHE", Path(tempfile.gettempdir()) / "l10n-bench"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def archive(n: int) -> Path:
    """The shared generated archive (benchmarks.archive), made once per cache dir."""
    from benchmarks.bench_archive import archive as shared

    return shared(n, _cache())


def work_copy(name: str, n: int) -> Path:
    """A fresh copy of the n-article archive under the cache, for a benchmark to change."""
    root = _cache() / name
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(archive(n), root)
    return root


def row(name, ours, anchor, unit, target, ok, note="") -> dict:
    return {"name": name, "ours": ours, "anchor": anchor, "unit": unit,
            "ratio": (ours / anchor) if anchor else None, "target": target, "ok": ok,
            "note": note}


# =========================================================================== (a) startup

async def _time_to_first_frame(make_app, since: float | None = None) -> float:
    """From constructing the app (or `since`) to the first frame of its main screen on
    the terminal: the first time the app hands the terminal a frame in which the main
    screen's content (for ours: the rows of the dashboard) is drawn. Keys are taken
    from then on (the screen is mounted and focused before it is drawn)."""
    t = time.perf_counter()
    app = make_app()
    shown: list[float] = []
    display = app._display

    def timed_display(screen, renderable):
        if not shown and renderable is not None and app.is_painted():
            shown.append(time.perf_counter())
        return display(screen, renderable)

    app._display = timed_display
    async with app.run_test(size=SIZE) as pilot:
        while not shown:
            if time.perf_counter() - t > 30:
                raise RuntimeError("the app never showed its first frame")
            await pilot.pause()
    return shown[0] - (t if since is None else since)


def _bare_app():
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("one static screen")

        def is_painted(self) -> bool:
            return bool(self.query(Static))

    return Bare()


def _our_app(root: Path):
    from l10n.project import Project
    from l10n.tui.app import L10nApp

    class Timed(L10nApp):
        def is_painted(self) -> bool:
            from l10n.tui.dashboard import DashboardScreen
            from l10n.tui.rowlist import RowList

            screen = self.screen
            return isinstance(screen, DashboardScreen) and bool(screen.query_one(RowList)._cache)

    def make():
        return Timed(Project(root), user="Bench", poll_interval=None)

    return make


def bench_startup(root: Path, runs: int, n: int) -> list[dict]:
    from l10n.tui.dashboard import DashboardScreen

    # warm the imports and the caches both apps share
    asyncio.run(_time_to_first_frame(_bare_app))
    asyncio.run(_time_to_first_frame(_our_app(root)))
    ours, bare = [], []
    for _ in range(runs):
        bare.append(asyncio.run(_time_to_first_frame(_bare_app)))
        ours.append(asyncio.run(_time_to_first_frame(_our_app(root))))

    # the dashboard really is interactive at that point: rows are there and keys work
    async def check() -> int:
        app = _our_app(root)()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)
            table = app.screen.query_one("#articles")
            await pilot.press("down")
            assert table.cursor == 1
            return table.row_count

    rows_shown = asyncio.run(check())
    assert rows_shown == n, rows_shown
    o, b = statistics.median(ours), statistics.median(bare)
    out = [row(f"tui startup, {n} articles (warm: app start -> first frame)", o * 1000, b * 1000, "ms",
               "<= 1.5x bare Textual app", o <= 1.5 * b,
               note=f"median of {runs}; the frame has the {n}-row list (the rows on screen "
                    "drawn); counts follow from a worker")]

    # cold: a fresh interpreter, imports included
    script = (
        "import time, asyncio, sys; t=time.perf_counter()\n"
        "sys.path.insert(0, {repo!r})\n"
        "from benchmarks.bench_tui import _time_to_first_frame, _bare_app, _our_app\n"
        "from pathlib import Path\n"
        "make = _bare_app if sys.argv[1] == 'bare' else _our_app(Path(sys.argv[1]))\n"
        "print(asyncio.run(_time_to_first_frame(make, since=t)))\n").format(repo=str(REPO))
    # as installed: with bytecode caches (this machine may set PYTHONDONTWRITEBYTECODE,
    # which would make every run compile our modules but not Textual's)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cold_ours, cold_bare = [], []
    for i in range(runs + 1):
        for which, acc in (("bare", cold_bare), (str(root), cold_ours)):
            p = subprocess.run([sys.executable, "-c", script, which], capture_output=True, text=True,
                               cwd=REPO, timeout=120, env=env)
            if p.returncode != 0:
                raise RuntimeError(p.stderr[-2000:])
            if i:  # the first run writes the bytecode caches
                acc.append(float(p.stdout.strip().splitlines()[-1]))
    co, cb = statistics.median(cold_ours), statistics.median(cold_bare)
    out.insert(0, row(f"tui startup, {n} articles (cold: process start -> first frame)", co * 1000,
                      cb * 1000, "ms",
                      "<= 1.5x bare Textual app", co <= 1.5 * cb,
                      note="median of fresh interpreters; both import Textual; ours also "
                           "loads l10n.yaml (PyYAML, and Babel for the language names)"))
    return out


# =========================================================================== (b) approve

def make_big_catalog(root: Path, n_entries: int = 200) -> tuple[object, str]:
    """A project with one article of `n_entries` sentences, every entry a DeepL draft."""
    from benchmarks.bench_memory import japanese_sentences
    from l10n import review
    from l10n.init import init_project
    from l10n.project import Project
    from l10n.sync import sync
    from l10n.workspace import update_catalog

    if root.exists():
        shutil.rmtree(root)
    init_project(root)
    sentences = japanese_sentences(n_entries, seed=11)
    body = "\n\n".join("".join(sentences[i:i + 4]) for i in range(1, n_entries - 1, 4))
    (root / "content" / "2026-03").mkdir(parents=True)
    (root / "content" / "2026-03" / "big.md").write_text(
        f"---\ntitle: 大きな記事\ndate: 2026-03-01\nsummary: {sentences[0]}\n---\n\n{body}\n", "utf-8")
    project = Project(root)
    sync(project)
    aid = "2026-03/big"

    from l10n.quality import entry_findings

    import re
    import unicodedata

    def drafts(cat):
        for e in cat.active():
            numbers = re.findall(r"\d+", unicodedata.normalize("NFKC", e.msgid))
            review.set_draft(e, "A draft of this sentence " + " ".join(numbers) + ".", "deepl")

    update_catalog(project, "en", aid, drafts)
    # entries the review gate lets through (an error finding would open the override
    # dialog instead of writing): those are the ones timed
    from l10n import catalog as po

    ok = [i for i, e in enumerate(po.read(project.catalog_path("en", aid)).active())
          if not any(f.severity == "error" for f in entry_findings(project, "en", e))]
    return project, aid, ok


async def _approve_latencies(project, aid: str, indices: list[int]) -> list[float]:
    from textual import events

    from l10n import review
    from l10n import catalog as po
    from l10n.tui.app import L10nApp
    from l10n.tui.article import ArticleScreen

    app = L10nApp(project, user="Bench Reviewer", poll_interval=None)
    path = project.catalog_path("en", aid)
    out = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_article(aid, "en")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        for i in indices:
            screen.move_to(i)
            await pilot.pause()
            before = os.stat(path).st_mtime_ns
            t = time.perf_counter()
            app.post_message(events.Key("a", "a"))
            while os.stat(path).st_mtime_ns == before:
                if time.perf_counter() - t > 5:
                    raise RuntimeError(f"entry {i} was not approved: {screen.query_one('#status').message}")
                await asyncio.sleep(0)
            out.append(time.perf_counter() - t)
            await pilot.pause()
        entries = po.read(path).active()
        assert all(review.state(entries[i]) == review.APPROVED for i in indices)
        assert len(entries) >= 190, len(entries)
    return out


def bench_approve(runs: int) -> list[dict]:
    from l10n import actions, review
    from l10n import catalog as po

    root = _cache() / "tui-approve"
    project, aid, ok = make_big_catalog(root)
    n = len(po.read(project.catalog_path("en", aid)).active())
    count = 15 if runs < 5 else 40
    indices = ok[::max(1, len(ok) // count)][:count]
    assert len(indices) >= min(count, 10), f"only {len(ok)} entries pass the checks"
    ours = asyncio.run(_approve_latencies(project, aid, indices))

    # the anchor: the core call alone, on the same catalog
    project, aid, _ = make_big_catalog(root)
    path = project.catalog_path("en", aid)
    core = []
    entries = po.read(path).active()
    for i in indices:
        e = entries[i]
        t = time.perf_counter()
        actions.approve(project, aid, "en", "Bench Reviewer", keys=[e.key], expect={e.key: e.msgstr})
        core.append(time.perf_counter() - t)
    entries = po.read(path).active()
    assert all(review.state(entries[i]) == review.APPROVED for i in indices)
    count = len(indices)
    o, c = statistics.median(ours) * 1000, statistics.median(core) * 1000
    return [row(f"tui approve, {n}-entry catalog (a key -> on disk)", o, c, "ms",
                "median <= 30 ms", o <= 30,
                note=f"median of {count}; p90 {sorted(ours)[int(0.9 * len(ours))] * 1000:.1f} ms; "
                     "anchor = actions.approve alone")]


# =========================================================================== (c) memory

_MEMORY_SCRIPT = """
import asyncio, resource, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from l10n.project import Project
from l10n.tui.app import L10nApp

async def main():
    app = L10nApp(Project(Path(sys.argv[1])), user="Bench", poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()   # the statistics of every article
        await pilot.pause()
        await pilot.press("enter")              # open an article: entries, memory, checks
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")                  # and a sync in the background
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    print(peak_mb())

def peak_mb():
    # VmHWM is this process's own high-water mark. ru_maxrss is not: Linux carries the
    # parent's resident size over fork/vfork + exec, so a child of a large benchmark
    # runner would report the runner's size.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

asyncio.run(main())
"""


def bench_memory(root: Path, n: int) -> list[dict]:
    """Peak resident memory of the TUI on the archive: dashboard with every article's
    counts, one article open with its memory suggestions, and a sync run."""
    script = _MEMORY_SCRIPT.format(repo=str(REPO))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed
    peaks = []
    for _ in range(5):
        p = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True,
                           text=True, cwd=REPO, timeout=600, env=env)
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        peaks.append(float(p.stdout.strip().splitlines()[-1]))
    peak = statistics.median(peaks)
    return [row(f"tui peak memory, {n} articles", peak, 300.0, "MB", "<= 300 MB", peak <= 300,
                note="median of 5 processes: VmHWM (the TUI process's own peak RSS) after the "
                     "dashboard's statistics, opening an article and a background sync")]


def bench_idle_poll(root: Path, runs: int, n: int) -> list[dict]:
    """What the dashboard's every-tenth poll costs when nothing changed (the stat of every
    directory and every file), against what it cost before: recounting every catalog."""
    from l10n import dashboard as core
    from l10n.project import Project

    core.dashboard(Project(root), with_errors=True)  # warm caches, as a running TUI has

    def cpu(f) -> float:
        times = []
        for _ in range(runs):
            t = time.process_time()
            f()
            times.append(time.process_time() - t)
        return statistics.median(times)

    project, known, polls = Project(root), {}, iter(range(10 ** 6))
    core.tree_fingerprint(project, known)  # the walk a running dashboard did before
    # one poll: the folders' times, and one part of the files' stat keys, in turn
    poll = cpu(lambda: (core.tree_fingerprint(project, known),
                        core.file_fingerprint(project, next(polls) % core.FILE_PARTS, core.FILE_PARTS)))
    recount = cpu(lambda: (core.dashboard(Project(root), with_errors=False),
                           core.dashboard(Project(root), with_errors=True)))
    return [row(f"idle dashboard poll, {n} articles (CPU, nothing changed)", poll * 1000,
                recount * 1000, "ms", "<= 0.1x a recount", poll <= 0.1 * recount,
                "anchor: the recount every tenth poll did before (issue 15)")]


def run(quick: bool = False) -> list[dict]:
    n = 200 if quick else 1000
    runs = 3 if quick else 7
    root = work_copy("tui-work", n)
    rows = bench_startup(root, runs, n)
    rows += bench_approve(runs)
    rows += bench_memory(root, n)
    rows += bench_idle_poll(root, runs, n)
    return rows


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
