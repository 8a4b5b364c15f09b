"""`l10n tui`: the Textual application.

Shape (after harlequin): the core (`l10n`: `session`, `catalog_view`, `dashboard`, and
`engines.run_sync` for sync) knows nothing of Textual; screens call it for every read and write; background work (statistics, the translation
memory, sync) runs in thread workers that only post messages; every key comes from the
one registry in `keys.py`.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import App

from l10n.errors import L10nError, UsageError
from l10n.project import Project
from l10n.secrets import redact
from l10n.session import Session

from . import keys
from .key_order import KeyOrder
from .messages import (MemoryLoaded, SyncDetail, SyncDone, SyncProgress, WorkerFailed, failure,
                       left_out)
from .widgets import StatusBar

HERE = Path(__file__).resolve().parent  # the .tcss files live next to the code
YOUNG_GC_EVERY = 10_000  # allocations between two young collections while the TUI runs (Python: 700)
FULL_GC_EVERY = 100  # middle collections between two full ones while the TUI runs (Python: 10)


def _commands():
    """The palette's provider, imported when the palette first opens (like Textual's own)."""
    from .commands import L10nCommands

    return L10nCommands


class L10nApp(KeyOrder, App):
    # every screen's stylesheet, read once at the start: a screen's own CSS_PATH is read
    # when it is first shown, and Textual then parses every stylesheet again and restyles
    # every widget (10-16 ms of the first article opened, and of the first dialog)
    CSS_PATH = [str(HERE / name) for name in ("l10n.tcss", "article.tcss", "modals.tcss")]
    TITLE = "l10n"
    BINDINGS = keys.bindings("app")
    # ours alone: Textual's own (theme, screenshot, maximize...) are not the translator's,
    # and its screenshot fails in a terminal with no place to save it; quit and the keys
    # are in ours
    COMMANDS = {_commands}

    def __init__(self, project: Project, *, user: str | None = None, lang: str | None = None,
                 article: str | None = None, poll_interval: float | None = 1.0) -> None:
        super().__init__()
        self.project = project
        self.session = Session(project, user)
        self.lang = lang if lang in project.languages else project.languages[0]
        self.start_article = article
        self.poll_interval = poll_interval
        self.sync_state: tuple[int, int, str] | None = None
        self.sync_detail = ""
        self._sync_cancel = threading.Event()
        self._memory_started = False
        self._gc_thresholds: tuple[int, int, int] | None = None  # Python's, put back on exit
        self._quitting = threading.Event()  # set when the app unmounts: workers stop early
        self.restored = len(self.session.edits)
        self.ready_at: float | None = None  # when the dashboard's first frame was on screen
        self._article_screen = None  # installed once, reused by open_article
        self._visited: set[str] = set()  # articles opened since the dashboard last looked

    # ------------------------------------------------------------------ lifecycle
    def get_default_screen(self):
        from .dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        import gc

        # A full collection of this process's heap costs 25-60 ms on a large archive
        # (the memory's objects are frozen, settle_heap, but Textual's widgets, messages
        # and renderables leave cycles behind), and a key that meets one waits for it.
        # At Python's default (a full one every 10 young ones) that was 11 in 40 article
        # visits; every FULL_GC_EVERY, 1 (issue 15's latency). The garbage in cycles
        # waits a little longer: tens of thousands of objects, a few MB.
        # Drawing a screen allocates tens of thousands of short-lived objects (segments,
        # strips, styles): at Python's 700, ten young collections fell inside each article
        # opened, 2 ms of its 30; every YOUNG_GC_EVERY allocations, 0.06 ms.
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_GC_EVERY, self._gc_thresholds[1], FULL_GC_EVERY)
        if self.poll_interval:
            self.set_interval(self.poll_interval, self.poll_disk, name="poll-disk")
        if self.start_article:
            self.open_article(self.start_article)

    def on_unmount(self) -> None:
        import gc

        self._quitting.set()
        if self._gc_thresholds is not None:  # the process may go on (tests, an embedding)
            gc.set_threshold(*self._gc_thresholds)
        self.save_journal()
        self.session.close()  # its journal, with any unsaved edits, waits for the next session

    def save_journal(self) -> None:
        try:
            self.session.save_journal()
        except OSError as exc:
            self.notify(f"could not write the edit journal: {exc}", severity="error", markup=False)

    # ------------------------------------------------------------------ helpers for screens
    def lang_name(self, code: str) -> str:
        spec = self.project.config.languages.get(code)
        return getattr(spec, "name", None) or code

    def next_lang(self) -> str:
        langs = self.project.languages
        return langs[(langs.index(self.lang) + 1) % len(langs)]

    def cycle_lang(self) -> str:
        self.lang = self.next_lang()
        return self.lang

    def say(self, message: str, severity: str = "information") -> None:
        for bar in self.screen.query(StatusBar):
            bar.say(redact(message), severity)

    def open_article(self, article_id: str, lang: str | None = None) -> None:
        from .article import ArticleScreen

        try:
            aid = self.project.check_id(article_id)
            self.project.article_path(aid)
        except UsageError as exc:
            self.say(str(exc), "error")
            return
        if not self.readable(aid, lang or self.lang):
            return
        if lang:
            self.lang = lang
        self._visited.add(aid)
        screen = self._article_screen
        if screen is None:
            # one article screen for the session, reused for every article (reopen)
            screen = self._article_screen = ArticleScreen(aid, self.lang)
            self.install_screen(screen, "article")
        elif self.screen is screen:
            screen.reopen(aid, self.lang)  # from the palette, on the article screen
            return
        else:
            screen.reopen(aid, self.lang)
        self.push_screen(screen)

    def readable(self, article_id: str, lang: str) -> bool:
        """Whether the catalog reads (read now, as the article screen would: it is then
        at hand); if not, the status line names the file and line, and nothing opens (a
        broken file crashed the app here)."""
        try:
            view = self.session.view(article_id, lang)
            if view.changed_on_disk():
                self.session.reload(view)
            elif view.error is not None:  # still the file that did not read
                raise view.error
        except L10nError as exc:
            self.say(f"cannot open {article_id} [{lang}]: {failure(exc, self.project.root)}", "error")
            return False
        return True

    def take_visited(self) -> list[str]:
        """The articles opened since the last call (the dashboard refreshes their rows)."""
        out, self._visited = sorted(self._visited), set()
        return out

    def with_identity(self, then: Callable[[], None]) -> None:
        """Run `then` once we know who is acting (ask once if nothing says)."""
        try:
            self.session.identity()
        except UsageError:
            def done(name: str | None) -> None:
                if name:
                    from l10n.preferences import remember_name

                    self.session.user = " ".join(name.split())
                    if not remember_name(self.session.user):
                        self.say("your name holds for this session only: the config folder "
                                 "cannot be written", "warning")
                    then()
                else:
                    self.say("nothing done: the catalogs record who acts, so a name is needed", "warning")

            from .modals import NoteScreen

            self.push_screen(NoteScreen(
                "Who are you?", "Your name, recorded with approvals and translations:",
                details="Nothing set it: --as NAME, L10N_USER or git config user.name. "
                        "It is remembered for your next sessions.",
                placeholder="e.g. Aiko Tanaka"), done)
            return
        then()

    # ------------------------------------------------------------------ polling the disk
    def poll_disk(self) -> None:
        for screen in reversed(self.screen_stack):
            poll = getattr(screen, "poll_disk", None)
            if poll is not None:
                poll()
                return

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Once the dashboard is on screen: load what the first article will need (the
        article screen's module, the checks with their parsers and patterns), so that
        opening it is not also the moment these are imported (about 0.1 s)."""
        from l10n.checks import check_entry

        from . import article  # noqa: F401

        check_entry("2026年に1件、**確認**しました。", "In 2026, one was **checked**.", "en")

    # ------------------------------------------------------------------ memory
    def ensure_memory(self) -> None:
        if not self._memory_started:
            self._memory_started = True
            self._memory_worker()

    @work(thread=True, group="memory", exit_on_error=False)
    def _memory_worker(self) -> None:
        try:
            # (a quit stops it between two languages' indexes: the process waits for
            # this thread, at most one language's, about a second on a large archive)
            if self.session.load_memory(stop=self._quitting.is_set) is None:
                return
        except Exception as exc:  # noqa: BLE001
            self.post_message(WorkerFailed("loading the translation memory",
                                           failure(exc, self.project.root)))
            return
        self.post_message(MemoryLoaded(self.session.memory_left_out, self.project.root))

    def settle_heap(self) -> None:
        """After a large load (the memory, every article's counts): move what is alive
        now out of the garbage collector's way. A full collection over the memory's
        hundreds of thousands of objects stalls the event loop for 60-80 ms, which a key
        press would wait for; those objects live as long as the app (issue 15's latency
        benchmark). What a reload replaces is unfrozen first, so it can be collected."""
        import gc

        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @on(MemoryLoaded)
    def memory_loaded(self, msg: MemoryLoaded) -> None:
        self.settle_heap()
        if msg.left_out:
            # said unless an error on the status line names that file already (the
            # dashboard's statistics meet it first): the error stays, the more urgent
            where = failure(msg.left_out[0], msg.root).split(": ", 1)[0]  # file:line
            if not any(bar.severity == "error" and where in bar.message
                       for bar in self.screen.query(StatusBar)):
                self.say(left_out(msg.left_out, msg.root), "warning")
        for screen in self.screen_stack:
            handler = getattr(screen, "memory_loaded", None)
            if handler is not None:
                handler(msg)

    @on(WorkerFailed)
    def worker_failed(self, msg: WorkerFailed) -> None:
        self.say(f"{msg.what} failed: {msg.error}", "error")

    # ------------------------------------------------------------------ sync
    def sync_line(self) -> str:
        if self.sync_state is None:
            return ""
        n, total, aid = self.sync_state
        filled = int(10 * n / max(total, 1))
        detail = f" {self.sync_detail}" if self.sync_detail else ""
        return f"sync {'█' * filled}{'░' * (10 - filled)} {n}/{total}{detail}"

    def start_sync(self) -> None:
        if self.sync_state is not None:
            self.say("sync is already running", "warning")
            return
        self.sync_state = (0, len(self.project.article_ids()), "")
        self.sync_detail = ""
        self.say("sync started in the background; keep working")
        self._sync_worker()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync_worker(self) -> None:
        """The one sync driver (engines.run_sync), as `l10n sync` runs it."""
        from l10n.engines import render_report, run_sync
        from l10n.sync import SyncReport

        cancel = self._sync_cancel
        cancel.clear()

        def progress(aid: str, n: int, total: int) -> None:
            if cancel.is_set():
                raise SyncCancelled("sync stopped: the TUI is quitting")
            self.post_message(SyncProgress(aid, n, total))

        def detail(text: str) -> None:
            if cancel.is_set():
                raise SyncCancelled("sync stopped: the TUI is quitting")
            self.post_message(SyncDetail(text))

        try:
            report = run_sync(self.project, progress=progress, detail=detail)
            summary = render_report(report)
        except Exception as exc:  # noqa: BLE001 - reported, never a crash
            report = SyncReport(error=failure(exc, self.project.root))
            summary = ""
        self.post_message(SyncDone(report, summary))

    @on(SyncProgress)
    def sync_progress(self, msg: SyncProgress) -> None:
        self.sync_state = (msg.n, msg.total, msg.article)
        for bar in self.screen.query(StatusBar):
            bar.show()

    @on(SyncDetail)
    def sync_detail_msg(self, msg: SyncDetail) -> None:
        self.sync_detail = redact(msg.text)[:40]
        for bar in self.screen.query(StatusBar):
            bar.show()

    @on(SyncDone)
    def sync_done(self, msg: SyncDone) -> None:
        self.sync_state = None
        self.sync_detail = ""
        # the catalogs changed: reload now rather than at the next poll, refresh the memory
        self.poll_disk()
        self._memory_started = False
        self.ensure_memory()
        report, summary = msg.report, msg.summary.strip()
        lines = [ln for ln in summary.splitlines() if ln.strip()]
        drafts = sum(sum(per.values()) for per in report.drafts.values())
        if report.error:
            self.say(f"sync stopped: {report.error} (drafts received so far are kept)", "error")
            self.notify(redact(report.error), title="sync stopped", severity="error", timeout=10,
                        markup=False)
        else:
            first = lines[0] if lines else "done"
            self.say(f"sync done: {first}; {drafts} new drafts", "success")
        if summary:
            self.notify(redact(summary), title="sync", timeout=6, markup=False)

    # ------------------------------------------------------------------ app-wide actions
    def action_help(self) -> None:
        from .modals import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            from .article import ArticleScreen

            # the keys of the screen it is asked on first (at 80x24 the article's were
            # below the dashboard's, out of sight)
            self.push_screen(HelpScreen(first="article" if isinstance(self.screen, ArticleScreen)
                                        else "dashboard"))

    async def action_quit(self) -> None:
        from .modals import ConfirmScreen, QuitScreen

        screen = self.screen
        if self.sync_state is not None and not isinstance(screen, (QuitScreen, ConfirmScreen)):
            details = Text("Quitting stops it after the article it is on. Every catalog it "
                           "wrote and every draft it received are kept; the next sync "
                           "continues where this one stopped, paying nothing twice.")

            def stop(yes: bool | None) -> None:
                if yes:
                    self._sync_cancel.set()
                    self.sync_state = None
                    self.call_later(self.action_quit)

            self.push_screen(ConfirmScreen("A sync is running", details, "quit anyway",
                                           "keep working"), stop)
            return
        capture = getattr(screen, "capture", None)
        if capture is not None:
            capture()
        self.save_journal()
        n = len(self.session.edits)
        if n and not isinstance(screen, QuitScreen):
            where = self.project.rel(self.session.journal_path)

            def done(yes: bool | None) -> None:
                if yes:
                    self.exit()

            self.push_screen(QuitScreen(n, where), done)
            return
        self.exit()


class SyncCancelled(Exception):
    """Raised in the sync worker's callbacks when the person quits during a sync."""


def run(root: Path | None = None, *, user: str | None = None, lang: str | None = None,
        article: str | None = None) -> int:
    from l10n.preferences import remember_lang, remembered_lang

    project = Project.find(root)
    if lang is not None:
        project.check_lang(lang)
    # without --lang, the language this person left the project's TUI in last time
    last = remembered_lang(project.root, project.languages)
    app = L10nApp(project, user=user, lang=lang or last, article=article)
    app.run()
    if app.lang != (last or project.languages[0]):
        remember_lang(project.root, app.lang)
    return 0


__all__ = ["L10nApp", "run"]
