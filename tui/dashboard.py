"""The dashboard: every article, its progress per language and its error findings."""
from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen


from l10n import dashboard as core
from l10n.dashboard import ArticleRow, Dashboard

from . import keys
from .messages import StatsLoaded, WorkerFailed, failure, files_failing
from .render import COUNT_KEYS, STATE_STYLE, counts_cell, fit, legend, percent, short
from .rowlist import Column, RowList
from .widgets import KeyBar, Line, StatusBar

SORTS = ("issue", "title", "progress", "errors")
_DIGITS = re.compile(r"([0-9０-９]+)")


def natural(title: str) -> tuple:
    """A title's sort key with its numbers read as numbers: 第2号 before 第17号 before
    第178号 (in string order 第178号 came before 第17号, and 第1号 after 第199号)."""
    return tuple((0, int(part), "") if i % 2 else (1, 0, part)
                 for i, part in enumerate(_DIGITS.split(title)))
FILTERS = ("all", "needs work", "with errors")


class DashboardScreen(Screen):
    BINDINGS = keys.bindings("dashboard")
    AUTO_FOCUS = "#articles"

    def __init__(self) -> None:
        super().__init__(id="dashboard")
        self.dash: Dashboard | None = None
        self.rows: list[ArticleRow] = []
        self.sort = SORTS[0]
        self.filter = FILTERS[0]
        self.search = ""
        self._have_errors = False
        self._loading = False
        self._broken_said: str | None = None  # the status line's error of files that do not read
        self._digits_now = 2
        self._fingerprint: tuple | None = None  # directories' times (dashboard.tree_fingerprint)
        self._tree: dict = {}  # the folders tree_fingerprint found, stat'ed by name next time
        self._deep: list[tuple] | None = None  # every file's stat key, in FILE_PARTS parts
        self._polls = 0
        self._tally: core.Tally | None = None  # what is known of every catalog (a worker's)
        self._stale: set[str] = set()  # articles to look at once the running refresh ends

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        # Everything the first frame shows is ready before mounting: no second layout.
        p = self.app.project
        # the ids alone are cheap (a directory walk): shown at once, the counts come later
        langs = p.languages
        self.rows = [core.placeholder_row(aid, langs) for aid in p.article_ids()]
        self._digits_now = self._digits()
        yield Line(self.header_text(), id="dash-header")
        from textual.widgets import Input

        # composed now (hidden) so that `/` can focus it at once: keys typed right after
        # the slash go into it
        yield Input(placeholder="search articles: id or title (enter keeps it, escape clears)",
                    id="dash-search", classes="hidden")
        yield RowList(self._columns(), self.render_row, key=lambda r: r.id, id="articles",
                      items=self.visible_rows())
        yield Line(self.totals_text(), id="dash-totals")
        hint = Text("counts per language: ", style="dim")
        hint.append_text(legend())
        hint.append(" · err: error findings · ? help", style="dim")
        bar = StatusBar(hint, id="status")
        n = self.app.restored
        if n:
            langs = sorted({ed.lang for ed in self.app.session.edits.values()})
            bar.message = (f"{n} unsaved edit{'' if n == 1 else 's'} from last time restored "
                           f"(marked *), in {', '.join(self.app.lang_name(lg) for lg in langs)}")
            bar.severity = "warning"
        yield bar
        yield KeyBar("dashboard", id="keys")

    def on_mount(self) -> None:
        # the counts come from a worker, started once the first frame is on screen
        self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        import time

        if self.app.ready_at is None:
            self.app.ready_at = time.perf_counter()
            self.app.warm_up()
        self.load_stats()

    def on_screen_suspend(self) -> None:
        self.query_one(KeyBar).refresh()  # a dialog's keys are its own, not this screen's

    def on_screen_resume(self) -> None:
        self.query_one(KeyBar).refresh()
        # back from an article: counts may have changed. (The first resume is the
        # start-up, where the worker starts after the first frame instead.)
        if self.app.ready_at is not None:
            bar = self.query_one(StatusBar)
            if bar.severity != "error":  # what it said before the article is stale by now
                bar.say("")
            self.update_header()
            self.query_one(RowList).refresh_all()  # unsaved-edit marks may have changed
            # the articles just worked on, at once; anything else that changed on disk
            # meanwhile, at the next poll (a full look costs the keys tens of ms)
            self.load_stats(articles=self.app.take_visited())

    # ------------------------------------------------------------------ data
    def load_stats(self, force: bool = True, articles: list[str] | None = None,
                   part: int | None = None) -> None:
        """Refresh the statistics in a worker: everything (what changed since the last
        look), or only `articles`; a poll passes the `part` of the files to stat."""
        if self._loading:
            if articles:
                self._stale.update(articles)  # looked at once the running refresh is done
            return
        self._loading = True
        self._stats_worker(self.app.project, force, articles, part)

    @work(thread=True, group="stats", exit_on_error=False)  # one at a time: _loading
    def _stats_worker(self, project, force: bool, articles: list[str] | None = None,
                      part: int | None = None) -> None:
        try:
            if articles is not None and self._tally is not None:
                dash = self._tally.refresh(with_errors=True, articles=articles)
                self.post_message(StatsLoaded(dash, True))
                return
            # a poll stats the folders, and one tenth of the files (`part`: an editor that
            # rewrites a file in place leaves its folder alone); `force` stats every file.
            # Only a difference recounts, and then only what changed.
            fp = core.tree_fingerprint(project, self._tree)
            same = self._fingerprint is not None and fp == self._fingerprint
            if self._fingerprint is not None and not same:
                project.rescan_articles()  # a folder changed: articles may have come or gone
            parts = core.FILE_PARTS
            if same and not force:
                if part is None or (self._deep is not None and
                                    core.file_fingerprint(project, part, parts) == self._deep[part]):
                    self.post_message(StatsLoaded(None, True))  # nothing changed on disk
                    return
            deep = [core.file_fingerprint(project, i, parts) for i in range(parts)]
            if same and deep == self._deep:
                self.post_message(StatsLoaded(None, True))  # not even inside a file
                return
            self._fingerprint, self._deep = fp, deep
            if self._tally is None or self._tally.project is not project:
                self._tally = core.Tally(project)  # the caches, read once
            # the counts first (a start with no caches counts the errors as it goes: in
            # worker processes, each catalog parsed once, the rows filling in as they
            # come), then the error column
            partial = lambda d: self.post_message(StatsLoaded(d, False))  # noqa: E731
            dash = self._tally.refresh(with_errors=False, progress=partial)
            if dash.errors_complete:
                self.post_message(StatsLoaded(dash, True))
            else:
                self.post_message(StatsLoaded(dash, False))
                self.post_message(StatsLoaded(self._tally.refresh(with_errors=True, progress=partial),
                                              True))
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            self.post_message(WorkerFailed("loading the statistics", failure(exc, self.app.project.root)))
            self.post_message(StatsLoaded(None, True))

    def say_broken(self, broken: list) -> None:
        """The catalogs that do not read, on the status line (the first one's file and
        line, and how many more); once they all read again, that error goes too (it
        stayed after the file was fixed)."""
        bar = self.query_one(StatusBar)
        if broken:
            self._broken_said = ("loading the statistics failed: "
                                 + files_failing(broken, self.app.project.root))
            bar.say(self._broken_said, "error")
        elif self._broken_said is not None:
            if bar.message == self._broken_said:
                bar.say("")
            self._broken_said = None

    @on(StatsLoaded)
    def stats_loaded(self, msg: StatsLoaded) -> None:
        if msg.with_errors:
            self._loading = False  # the last message of a refresh
            # the counts are in: the memory loads now, its index built in the background
            # before the first article needs its suggestions (app.ensure_memory: once)
            self.app.ensure_memory()
            if self._stale:
                stale, self._stale = sorted(self._stale), set()
                self.call_later(lambda: self.load_stats(articles=stale))
        if msg.dash is None:
            return
        if msg.with_errors:
            self.say_broken(msg.dash.broken)
        stack = self.app.screen_stack
        seen = stack[-1:] == [self] or (stack[-1].is_modal and stack[-2:-1] == [self])
        if not msg.with_errors and not seen:
            # a recount's progress while an article is open: making a thousand rows of a
            # screen nobody sees took 7 ms of the UI thread every half second; the
            # refresh's last message brings everything (and the next progress, if back)
            return
        # a row whose errors are being recounted keeps the count it had until then (in
        # copies: the core's rows are its own, and reused by its next refresh)
        from dataclasses import replace

        old = {r.id: r.errors for r in self.rows}
        rows = [replace(r, errors=old[r.id]) if r.errors is None and old.get(r.id) is not None
                else r for r in msg.dash.rows]
        dash = replace(msg.dash, rows=rows, errors=sum(r.errors or 0 for r in rows))
        have = all(r.errors is not None for r in rows)
        same = (self.dash is not None and have == self._have_errors
                and [(r.id, r.title, r.langs, r.errors) for r in self.rows]
                == [(r.id, r.title, r.langs, r.errors) for r in rows])
        self._have_errors = have
        self.dash = dash
        self.rows = rows
        if not same:
            self.rebuild()
        else:
            self.update_header()

    @on(WorkerFailed)
    def worker_failed(self, msg: WorkerFailed) -> None:
        self.query_one(StatusBar).say(f"{msg.what} failed: {msg.error}", "error")

    def poll_disk(self) -> None:
        """Called every second by the app; the worker checks, with the folders' stats
        and one tenth of the files', whether anything changed at all (an editor that
        rewrites a file in place does not touch its folder: each file is looked at
        every ten seconds)."""
        self._polls += 1
        if self.app.sync_state is not None:
            if self._polls % 10 == 0:
                # a sync is rewriting catalogs, maybe all of them: reloading every second
                # would take the CPU from it. Every ten seconds, and once it is done.
                self.load_stats(force=True)
            return
        self.load_stats(force=False, part=self._polls % core.FILE_PARTS)

    # ------------------------------------------------------------------ table
    def visible_rows(self) -> list[ArticleRow]:
        rows = list(self.rows)
        q = self.search.casefold()
        if q:
            rows = [r for r in rows if q in r.id.casefold() or q in r.title.casefold()]
        if self.filter == "needs work":
            rows = [r for r in rows if r.needs_work()]
        elif self.filter == "with errors":
            rows = [r for r in rows if r.errors]
        if self.sort == "title":
            rows.sort(key=lambda r: (natural(r.title), r.id))
        elif self.sort == "progress":
            rows.sort(key=lambda r: (r.approved_ratio(), r.id))
        elif self.sort == "errors":
            rows.sort(key=lambda r: (-(r.errors or 0), r.id))
        else:
            rows.sort(key=lambda r: (r.issue, r.id), reverse=False)
        return rows

    def _digits(self) -> int:
        m = 9
        for r in self.rows:
            for c in r.langs.values():
                m = max(m, c.get("entries", 0))
        return max(len(str(m)), 2)

    def _columns(self) -> list[Column]:
        cw = getattr(self, "_digits_now", 2) * 4 + 4  # one more: a gap between languages
        cols = [Column("issue", 7), Column("article")]
        cols += [Column(lang, cw, "right") for lang in self.app.project.languages]
        cols.append(Column("err", 3, "right"))
        return cols

    def render_row(self, r: ArticleRow, widths: list[int]) -> list[Text]:
        digits = self._digits_now
        title = r.title or r.id.rsplit("/", 1)[-1]
        edited = any(a == r.id for a, _, _ in self.app.session.edits)
        if edited:  # unsaved edits in this article
            name = fit(title, widths[1] - 2)
            name.append(" *", style="bold magenta")
        else:
            name = fit(title, widths[1])
        cells = [Text(r.issue or "—", style="dim"), name]
        cells += [counts_cell(r.langs.get(lang, {"missing": 1}), digits)
                  for lang in self.app.project.languages]
        if r.errors is None:
            cells.append(Text("…", style="dim"))
        elif r.errors:
            cells.append(Text(str(r.errors), style="bold red"))
        else:
            cells.append(Text("0", style="dim"))
        return cells

    def rebuild(self) -> None:
        rl = self.query_one(RowList)
        self._digits_now = self._digits()
        columns = self._columns()
        if columns != rl.columns:
            rl.columns = columns
            rl.set_items(self.visible_rows())
        else:  # the same rows in the same order: only the rows that changed are drawn
            rl.update_items(self.visible_rows())
        self._totals_line()
        self.update_header()

    def _totals_line(self) -> None:
        self.query_one("#dash-totals", Line).set(self.totals_text(), self.totals_text(compact=True),
                                                 self.totals_text(compact=True, counts=False))

    def totals_text(self, compact: bool = False, counts: bool = True) -> Text:
        """Totals for the whole project: per language new draft done ok, and errors.
        `compact`, for 80 columns: without the word "total" and with narrower gaps, so
        that the last language's percentage is not cut off; without `counts`, each
        language's approved percentage alone (a large archive's counts, 7.7k 4.6k…,
        did not fit 100 columns even compact)."""
        langs = self.app.project.languages
        t = Text(no_wrap=True, overflow="ellipsis")
        n = len(self.rows)
        gap = " │ " if compact else "  │ "
        if not compact:
            t.append(" total ", style="bold")
        else:
            t.append(" ")
        t.append(f"{n} article{'s' if n != 1 else ''}")
        if self.dash is None:
            t.append("  loading…", style="dim")
        else:
            # the error total first: a narrow screen cuts the end of the line, not it
            t.append(gap, style="dim")
            t.append("err ", style="bold")
            t.append(str(self.dash.errors) if self._have_errors else "…",
                     style="bold red" if self.dash.errors else "dim")
            for lang in langs:
                c = self.dash.total.get(lang, {})
                t.append(gap, style="dim")
                t.append(f"{lang}", style="bold")
                for k in COUNT_KEYS if counts else ():
                    v = c.get(k, 0)
                    t.append(" ")
                    t.append(short(v), style=STATE_STYLE[k] if v else "dim")
                t.append(f" {percent(c)}%", style="bold green" if percent(c) == 100 else "green")
        return t

    def update_header(self) -> None:
        self.query_one("#dash-header", Line).set(self.header_text(), self.header_text(1),
                                                 self.header_text(2))

    def header_text(self, shorter: int = 0) -> Text:
        """The app, the project, the language articles open in, the sort, filter and
        search. `shorter` 1 drops the words "opens in", 2 the project's name too: on a
        narrow screen the sort, filter and search stay in sight."""
        app = self.app
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" l10n ", style="bold reverse")
        if shorter < 2:
            t.append(f" {app.project.config.project}", style="bold")
        t.append("  opens in " if not shorter else " ")
        for lang in app.project.languages:
            t.append(f" {lang} ", style="bold reverse" if lang == app.lang else "dim")
        bits = [f"sort: {self.sort}"]
        if self.filter != "all":
            bits.append(f"filter: {self.filter}")
        if self.search:
            bits.append(f"search: {self.search}")
        t.append("  " + " · ".join(bits), style="dim")
        return t

    def current_id(self) -> str | None:
        item = self.query_one(RowList).item
        return item.id if item is not None else None

    # ------------------------------------------------------------------ actions
    @on(RowList.Selected)
    def row_selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.app.open_article(event.rowlist.items[event.index].id)

    def action_open(self) -> None:
        if self._searching():  # enter in the search field: keep the search, back to the list
            self._end_search()
            return
        aid = self.current_id()
        if aid:
            self.app.open_article(aid)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.rebuild()
        self.query_one(StatusBar).say(f"sorted by {self.sort}")

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.rebuild()
        self.query_one(StatusBar).say(f"showing {self.filter}")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # while the search field has the focus, keys are text (escape closes it)
        if self._searching():
            return action in ("clear", "open")  # escape closes it, enter keeps it
        return True

    def _searching(self) -> bool:
        return self.focused is not None and self.focused.id == "dash-search"

    def _search_input(self):
        from textual.widgets import Input

        found = self.query("#dash-search")
        return found.first(Input) if found else None

    def action_search(self) -> None:
        inp = self._search_input()
        inp.remove_class("hidden")
        if inp.app.is_headless:
            inp.cursor_blink = False
        self.set_focus(inp)

    def on_input_changed(self, event) -> None:
        if event.input.id != "dash-search":
            return
        self.search = event.value.strip()
        self.rebuild()

    def on_input_submitted(self, event) -> None:
        if event.input.id == "dash-search":
            self._end_search()

    def _end_search(self) -> None:
        inp = self._search_input()
        if inp is not None and not inp.value.strip():
            inp.add_class("hidden")
        self.set_focus(self.query_one(RowList))

    def action_clear(self) -> None:
        inp = self._search_input()
        if inp is not None:
            inp.value = ""
            inp.add_class("hidden")
        self.search = ""
        self.filter = "all"
        self.rebuild()
        self.query_one(StatusBar).say("")  # "showing with errors" no longer holds
        self.set_focus(self.query_one(RowList))

    def action_switch_lang(self) -> None:
        self.app.cycle_lang()
        self.update_header()
        self.query_one(StatusBar).say(f"articles open in {self.app.lang_name(self.app.lang)}")

    def action_sync(self) -> None:
        self.app.start_sync()
