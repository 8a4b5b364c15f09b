"""How long a translator waits for the screen after a key, on the 1,000-article archive.

    python -m benchmarks.bench_latency [--quick]

Driven with Textual's Pilot (App.run_test, headless, 100x30). Each sample is timed from
the key event posted to the app until the first frame handed to the terminal in which
the key's effect is there (the app's `_display` hook, as in bench_tui's start-up row):
the highlighted row moved, the article's entries drawn, the other language's catalog
shown, the entry shown as approved (and on disk). p95 over the samples; target
p95 <= 50 ms (issue 15).

Every action is measured twice: idle (once the start-up's background work is done: the
statistics, then the translation memory and its index), and while the dashboard's
refresh runs (the statistics and error counts of every catalog, recounted from a start
with no caches; restarted whenever it finishes, so that every sample of that phase
overlaps it).

The second part, "error column", times that refresh itself: from a dashboard with no
caches (no status, findings or titles cache in .l10n/) to every row's error count on
the screen; target <= 3 s.
"""
from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
import unicodedata
from pathlib import Path

from benchmarks.bench_tui import SIZE, row, work_copy

CACHES = ("status-cache.json", "tui-findings.json", "tui-titles.json")


def forget_caches(root: Path) -> None:
    for name in CACHES:
        try:
            os.unlink(root / ".l10n" / name)
        except FileNotFoundError:
            pass


def approvable(project, articles: list[str]) -> dict[str, list[int]]:
    """Give some entries of these articles' English catalogs drafts that pass the review
    gate (the archive's made-up translations miss the source's numbers, so that the
    error column has work to do); returns article -> entry indexes to approve."""
    from l10n import review
    from l10n.quality import entry_findings
    from l10n.workspace import load_catalog, update_catalog

    def drafts(cat):
        for e in cat.active():
            if e.msgctxt != "title":
                numbers = re.findall(r"\d+", unicodedata.normalize("NFKC", e.msgid))
                review.set_draft(e, "A draft of this sentence " + " ".join(numbers) + ".", "deepl")

    out = {}
    for aid in articles:
        update_catalog(project, "en", aid, drafts)
        cat = load_catalog(project, project.catalog_path("en", aid))
        out[aid] = [i for i, e in enumerate(cat.active())
                    if review.state(e) == review.DRAFT
                    and not any(f.severity == "error" for f in entry_findings(project, "en", e))]
    return out


class Frames:
    """Times from a key to the first frame that shows its effect."""

    def __init__(self, app) -> None:
        self.app = app
        self.waiting = None
        self._display = app._display
        app._display = self._hook

    def _hook(self, screen, renderable):
        w = self.waiting
        if w is not None and renderable is not None and w[0]():
            w[2].append(time.perf_counter() - w[1])
            self.waiting = None
        return self._display(screen, renderable)

    async def key(self, key: str, shown, timeout: float = 30.0) -> float:
        from textual import events

        out: list[float] = []
        char = key if len(key) == 1 else None
        t = time.perf_counter()
        self.waiting = (shown, t, out)
        self.app.post_message(events.Key(key, char))
        while not out:
            if time.perf_counter() - t > timeout:
                self.waiting = None
                raise RuntimeError(f"no frame showed the effect of {key!r} within {timeout} s")
            await asyncio.sleep(0.0005)
        return out[0]


async def _session(root: Path, busy: bool, rounds: int, targets: dict[str, list[int]]) -> dict:
    """One app session: `rounds` of open -> move x3 -> switch language -> approve -> back,
    each key timed; `busy` keeps the dashboard's cold refresh running throughout."""
    from l10n import review
    from l10n.project import Project
    from l10n.tui.app import L10nApp
    from l10n.tui.article import ArticleScreen
    from l10n.tui.dashboard import DashboardScreen
    from l10n.tui.rowlist import RowList

    project = Project(root)
    app = L10nApp(project, user="Bench Reviewer", lang="en", poll_interval=None)
    times: dict[str, list[float]] = {"move (dashboard)": [], "open article": [], "move (article)": [],
                                     "switch language": [], "approve": []}
    overlapped = 0
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await pilot.pause()
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        await app.workers.wait_for_complete()
        # idle: once the start-up's background work is done: the counts, then the memory
        # and its index, which the dashboard starts loading once the counts are in
        while app.session.memory is None:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()

        def refresh_running() -> bool:
            return dash._loading

        def keep_busy() -> None:
            if busy and not dash._loading:
                forget_caches(root)  # on disk, and what the dashboard holds in memory
                dash._fingerprint = dash._deep = dash._tally = None
                dash.load_stats()

        async def timed(what: str, key: str, shown) -> None:
            nonlocal overlapped
            keep_busy()
            times[what].append(await frames.key(key, shown))
            overlapped += refresh_running()

        ids = [r.id for r in dash.query_one(RowList).items]
        order = list(targets)
        for n in range(rounds):
            aid = order[n % len(order)]
            # move on the dashboard to the article's row (the last step is timed)
            rl = dash.query_one(RowList)
            want = ids.index(aid)
            rl.move_cursor(want - 1)
            await pilot.pause()
            await timed("move (dashboard)", "down", lambda: rl.cursor == want)
            await timed("open article", "enter", lambda: isinstance(app.screen, ArticleScreen)
                        and app.screen.article_id == aid and app.screen.bound is not None)
            art = app.screen
            await pilot.pause()
            ents = art.query_one(RowList)
            for _ in range(3):
                key = ents.items[min(ents.cursor + 1, len(ents.items) - 1)].key
                await timed("move (article)", "down", lambda: art.bound == key)
            await timed("switch language", "l",
                        lambda: art.lang == "ko" and art.view.lang == "ko" and art.bound is not None)
            # back to English (not timed), then approve one of the prepared entries
            while art.lang != "en":
                await frames.key("l", lambda: art.bound is not None)
            await pilot.pause()
            idx = targets[aid][n // len(order) % len(targets[aid])]
            art.move_to(idx)
            await pilot.pause()
            key = art.view.entries[idx].key
            assert review.state(art.view.entries[idx]) == review.DRAFT, "an entry approved twice"

            def approved() -> bool:
                e = art.view.get(key)
                return e is not None and review.state(e) == review.APPROVED

            await timed("approve", "a", approved)
            await pilot.pause()
            await frames.key("escape", lambda: app.screen is dash)
            await pilot.pause()
        if busy:
            await app.workers.wait_for_complete()
    return {"times": times, "overlapped": overlapped}


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


async def _error_column(root: Path) -> float:
    """From the app's start with no caches to every row's error count on the screen."""
    from l10n.project import Project
    from l10n.tui.app import L10nApp

    forget_caches(root)
    app = L10nApp(Project(root), user="Bench", poll_interval=None)
    done: list[float] = []
    complete = asyncio.Event()
    t = time.perf_counter()
    async with app.run_test(size=SIZE):
        display = app._display

        def hook(screen, renderable):
            dash = app.screen
            if not done and renderable is not None and getattr(dash, "_have_errors", False) \
                    and not dash._loading:
                done.append(time.perf_counter())
                complete.set()
            return display(screen, renderable)

        app._display = hook
        # waited for, not polled: a Pilot pause every 10 ms made the app's process walk
        # its widgets a hundred times a second, CPU taken from the counting it times
        try:
            await asyncio.wait_for(complete.wait(), 300)
        except TimeoutError:
            raise RuntimeError("the error column never completed") from None
        dash = app.screen
        assert dash.dash is not None and len(dash.rows) == len(Project(root).article_ids())
    return done[0] - t


def run(quick: bool = False) -> list[dict]:
    n = 200 if quick else 1000
    rounds = 8 if quick else 48
    root = work_copy("tui-latency", n)
    from l10n.project import Project

    project = Project(root)
    ids = project.article_ids()
    picks = ids[len(ids) // 5::max(1, len(ids) // 40)][:rounds // 2]  # each opened twice: mostly new to the session
    targets = approvable(project, picks)
    assert all(len(v) >= rounds // len(picks) for v in targets.values()), targets

    from textual.constants import MAX_FPS as fps  # as `l10n tui` sets it (l10n/tui/__init__.py)

    out = []
    cold = [asyncio.run(_error_column(root)) for _ in range(1 if quick else 3)]
    c = statistics.median(cold)
    out.append(row(f"tui error column complete, {n} articles, no caches", c, None, "s",
                   "<= 3 s", c <= 3.0,
                   note=f"median of {len(cold)} app starts with .l10n/ caches removed: "
                        + ", ".join(f"{x:.2f}" for x in cold) + " s"))

    # the approvals are real: re-prepare between the two phases
    targets = approvable(project, picks)
    idle = asyncio.run(_session(root, False, rounds, targets))
    targets = approvable(project, picks)
    busy = asyncio.run(_session(root, True, rounds, targets))
    for what in idle["times"]:
        for label, res in (("idle", idle), ("during the dashboard's refresh", busy)):
            xs = res["times"][what]
            p = p95(xs) * 1000
            note = f"{len(xs)} samples; median {statistics.median(xs) * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"
            if res is busy:
                n_keys = sum(len(v) for v in res["times"].values())
                note += f"; {res['overlapped']} of the {n_keys} timed keys ended during a refresh"
            out.append(row(f"tui {what}, {n} articles, {label} (key -> frame, p95)", p, None, "ms",
                           "p95 <= 50 ms", p <= 50, note=note + f"; Textual at {fps} fps"))
    return out


if __name__ == "__main__":
    from benchmarks.run import main_for

    raise SystemExit(main_for(run))
