"""The dashboard: every article, its progress per language and its error findings."""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from l10n import session as core
from l10n.session import ArticleRow, Dashboard

from . import keys
from .messages import StatsLoaded, WorkerFailed
from .render import counts_cell, fit, legend
from .widgets import StatusBar

SORTS = ("issue", "title", "progress", "errors")
FILTERS = ("all", "needs work", "with errors")


class DashboardScreen(Screen):
    BINDINGS = keys.bindings("dashboard")

    def __init__(self) -> None:
        super().__init__(id="dashboard")
        self.dash: Dashboard | None = None
        self.rows: list[ArticleRow] = []
        self.sort = SORTS[0]
        self.filter = FILTERS[0]
        self.search = ""
        self._have_errors = False
        self._loading = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static(id="dash-header")
        yield Input(placeholder="search articles: id or title (enter to keep, escape to clear)",
                    id="dash-search", classes="hidden")
        table = DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="dash-totals")
        yield StatusBar(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        p = self.app.project
        langs = p.languages
        # the ids alone are cheap (a directory walk): show them at once, counts come later
        self.rows = [core.placeholder_row(aid, langs) for aid in p.article_ids()]
        self.rebuild()
        self.query_one(DataTable).focus()
        self.load_stats()

    def on_screen_resume(self) -> None:
        self.update_header()
        self.load_stats()

    def on_resize(self) -> None:
        self.rebuild()

    # ------------------------------------------------------------------ data
    def load_stats(self) -> None:
        if self._loading:
            return
        self._loading = True
        self._stats_worker(self.app.project)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _stats_worker(self, project) -> None:
        try:
            self.post_message(StatsLoaded(core.dashboard(project, with_errors=False), False))
            self.post_message(StatsLoaded(core.dashboard(project, with_errors=True), True))
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            from l10n.secrets import redact

            self.post_message(WorkerFailed("loading the statistics", redact(f"{type(exc).__name__}: {exc}")))
            self.post_message(StatsLoaded(None, True))

    @on(StatsLoaded)
    def stats_loaded(self, msg: StatsLoaded) -> None:
        if msg.with_errors:
            self._loading = False
        if msg.dash is None:
            return
        if self._have_errors and not msg.with_errors:
            # keep the error counts we have until the fresh ones arrive
            old = {r.id: r.errors for r in self.rows}
            for r in msg.dash.rows:
                r.errors = old.get(r.id, 0)
            msg.dash.errors = sum(r.errors for r in msg.dash.rows)
        else:
            self._have_errors = msg.with_errors
        same = (self.dash is not None and [(r.id, r.title, r.langs, r.errors) for r in self.rows]
                == [(r.id, r.title, r.langs, r.errors) for r in msg.dash.rows])
        self.dash = msg.dash
        self.rows = msg.dash.rows
        if not same:
            self.rebuild()
        else:
            self.update_header()

    @on(WorkerFailed)
    def worker_failed(self, msg: WorkerFailed) -> None:
        self.query_one(StatusBar).say(f"{msg.what} failed: {msg.error}", "error")

    def poll_disk(self) -> None:
        """Called every second by the app: counts come from cached stats, so this is cheap."""
        self.load_stats()

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
            rows.sort(key=lambda r: (r.title, r.id))
        elif self.sort == "progress":
            rows.sort(key=lambda r: (r.approved_ratio(), r.id))
        elif self.sort == "errors":
            rows.sort(key=lambda r: (-r.errors, r.id))
        else:
            rows.sort(key=lambda r: (r.issue, r.id), reverse=False)
        return rows

    def _digits(self) -> int:
        m = 9
        for r in self.rows:
            for c in r.langs.values():
                m = max(m, c.get("entries", 0))
        return len(str(m))

    def rebuild(self) -> None:
        table = self.query_one(DataTable)
        langs = self.app.project.languages
        digits = max(self._digits(), 2)
        cw = digits * 4 + 3
        width = max(self.size.width or self.app.size.width, 40)
        fixed = 7 + cw * len(langs) + 3
        padding = 2 * (3 + len(langs))
        title_w = max(width - fixed - padding - 2, 12)
        key = None
        if table.row_count:
            try:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:  # noqa: BLE001 - no cursor row yet
                key = None
        table.clear(columns=True)
        table.add_column("issue", width=7, key="issue")
        table.add_column("article", width=title_w, key="title")
        for lang in langs:
            table.add_column(Text(f"{lang}", justify="right"), width=cw, key=lang)
        table.add_column(Text("err", justify="right"), width=3, key="errors")
        rows = self.visible_rows()
        for r in rows:
            title = r.title or r.id.rsplit("/", 1)[-1]
            cells = [Text(r.issue or "—", style="dim"), fit(title, title_w)]
            cells += [counts_cell(r.langs.get(lang, {"missing": 1}), digits) for lang in langs]
            if self._have_errors:
                cells.append(Text(str(r.errors), style="bold red", justify="right") if r.errors
                             else Text("0", style="dim", justify="right"))
            else:
                cells.append(Text("…", style="dim", justify="right"))
            table.add_row(*cells, key=r.id)
        if key is not None:
            try:
                table.move_cursor(row=table.get_row_index(key), animate=False)
            except Exception:  # noqa: BLE001 - the row is filtered out
                pass
        self._totals_line(langs, digits, title_w)
        self.update_header()

    def _totals_line(self, langs, digits, title_w) -> None:
        t = Text(no_wrap=True)
        t.append(f" {'total':<7}  ", style="bold")
        n = len(self.rows)
        label = fit(f"{n} article{'s' if n != 1 else ''}", title_w)
        t.append_text(label)
        t.append(" " * (title_w - label.cell_len) + "  ")
        if self.dash is not None:
            for lang in langs:
                t.append_text(counts_cell(self.dash.total.get(lang, {}), digits))
                t.append("  ")
            t.append(f"{self.dash.errors:>3}" if self._have_errors else "  …",
                     style="bold red" if self.dash.errors else "dim")
        else:
            t.append("loading…", style="dim")
        self.query_one("#dash-totals", Static).update(t)

    def update_header(self) -> None:
        app = self.app
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(" l10n ", style="bold reverse")
        t.append(f" {app.project.config.project}", style="bold")
        t.append("  language ")
        for lang in app.project.languages:
            t.append(f" {lang} ", style="bold reverse" if lang == app.lang else "dim")
        t.append("  counts ")
        t.append_text(legend())
        bits = [f"sort: {self.sort}"]
        if self.filter != "all":
            bits.append(f"filter: {self.filter}")
        if self.search:
            bits.append(f"search: {self.search}")
        t.append("  " + " · ".join(bits), style="dim")
        self.query_one("#dash-header", Static).update(t)

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ------------------------------------------------------------------ actions
    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_article(event.row_key.value)

    def action_open(self) -> None:
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

    def action_search(self) -> None:
        inp = self.query_one("#dash-search", Input)
        inp.remove_class("hidden")
        if inp.app.is_headless:
            inp.cursor_blink = False
        inp.focus()

    @on(Input.Changed, "#dash-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search = event.value.strip()
        self.rebuild()

    @on(Input.Submitted, "#dash-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        inp = self.query_one("#dash-search", Input)
        if not inp.value.strip():
            inp.add_class("hidden")
        self.query_one(DataTable).focus()

    def action_clear(self) -> None:
        inp = self.query_one("#dash-search", Input)
        inp.value = ""
        inp.add_class("hidden")
        self.search = ""
        self.filter = "all"
        self.rebuild()
        self.query_one(DataTable).focus()

    def action_switch_lang(self) -> None:
        self.app.cycle_lang()
        self.update_header()
        self.query_one(StatusBar).say(f"articles open in {self.app.lang_name(self.app.lang)}")

    def action_sync(self) -> None:
        self.app.start_sync()
