"""The article screen: the entry list, and the editor for the highlighted entry."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from l10n import review
from l10n.catalog import Entry, Key
from l10n.secrets import redact
from l10n.session import review_stamp
from l10n.catalog_view import CatalogView, needs_work, same_entry

from . import keys
from .messages import DeepLSuggested, MemoryLoaded
from .catalog_watch import CatalogWatch
from .memory_search import MemorySearch
from .proof import ProofMixin
from .review_actions import UNDO_HINT, ReviewActions
from .render import STATE_LABEL, STATE_STYLE, diff_text, fit, marker, source_text, wrap_japanese
from .rowlist import Column, RowList
from .side_panel import side_panel
from .widgets import KeyBar, StatusBar, TranslationArea, WrappedText



LIST_ACTIONS = {"note", "deepl", "edit", "approve", "reject", "next", "prev", "take", "undo", "switch_lang",
                "search", "sync", "back", "filter"}
FINDINGS_DELAY = 0.25
SOURCE_CAP = 5  # the source pane's max-height in article.tcss: " ja " and four lines
PREVIOUS_CAP = 3  # the diff's: "source changed" and two lines
DIFF_CONTEXT = 8  # characters kept next to each change when a long diff is shortened

HERE = Path(__file__).resolve().parent  # the .tcss files live next to the code


class ArticleScreen(ReviewActions, ProofMixin, MemorySearch, CatalogWatch, Screen):
    CSS_PATH = str(HERE / "article.tcss")
    BINDINGS = keys.bindings("article", "editor")

    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__(id="article")
        self.article_id = article_id
        self.lang = lang
        self.view: CatalogView | None = None
        self.shown: list[Entry] = []  # entries in the table, in order (after the search filter)
        self.bound: Key | None = None  # the entry in the editor
        self.search = ""
        self._findings_timer: Timer | None = None
        self._suggest_timer: Timer | None = None
        self._journal_timer: Timer | None = None
        self._conflict_open = False
        self.title_text = ""
        self.proof = None  # see ProofMixin
        self._styled_for: tuple | None = None  # the app's look when last shown (on_screen_resume)
        self.state_filter = "all"
        self.mt_suggestions: dict = {}  # (lang, key) -> DeepL's text ("" while it is asked)
        self.reject_notes: dict = {}  # (lang, key) -> a rejection note not sent, for the retry
        self._caps: tuple = (None, None)  # the source's and the diff's max-height set by _fit_source

    # ================================================================== layout
    def compose(self) -> ComposeResult:
        yield Static(id="art-header")
        yield Input(placeholder="search entries: source or translation (enter keeps it, escape clears)",
                    id="entry-search", classes="hidden")
        yield RowList(self._columns(), self.render_row, key=lambda e: e.key, same=same_entry,
                      id="entries")
        with Horizontal(id="editor-area"):
            with Vertical(id="editor-main"):
                yield WrappedText(id="source")
                yield WrappedText(id="previous", classes="hidden")
                yield TranslationArea(id="target", soft_wrap=True, show_line_numbers=False,
                               tab_behavior="focus", highlight_cursor_line=False,
                               placeholder="(untranslated: enter to write the translation)")
            with VerticalScroll(id="side"):
                yield WrappedText(id="side-text")
        yield StatusBar(id="status")
        yield KeyBar("article", "editor", id="keys")

    def on_mount(self) -> None:
        ta = self.query_one(TextArea)
        ta.cursor_blink = not self.app.is_headless
        self.query_one("#side").can_focus = False
        self.show_mode()
        self.start()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual restyles every widget of a screen that comes back: 7 ms of each article
        opened (issue 15), for nothing. While this screen was away, its widgets restyled
        themselves whenever their classes or focus changed (Textual does that for any
        widget); only a change of the app's look (its theme, its colours) is left for
        the resume to apply. Screen's own handler runs after this one, with the flag."""
        look = (self.app.theme, self.app.ansi_color)
        if look == self._styled_for:
            event.refresh_styles = False
        self._styled_for = look
        self.query_one(KeyBar).refresh()  # the screen's keys again, after a dialog

    def on_screen_suspend(self) -> None:
        self.query_one(KeyBar).refresh()  # a dialog's keys are its own, not this screen's

    def start(self) -> None:
        """Show the article: its entries, the first one that needs work highlighted."""
        self.load()
        self.app.ensure_memory()
        self.set_focus(self.query_one(RowList))
        if self.view and self.view.entries:
            first = 0 if needs_work(self.view.entries[0]) else self.view.next_needing(0)
            self.move_to(first or 0)

    def reopen(self, article_id: str, lang: str) -> None:
        """Show another article on this screen. The app keeps one article screen and
        reuses it, so that opening an article is a catalog read, not a new set of
        widgets to mount and style (issue 15: p95 <= 50 ms from the key)."""
        self.capture()
        if self._findings_timer is not None:
            self._findings_timer.stop()
            self._findings_timer = None
        self.article_id, self.lang = article_id, lang
        self.bound = None
        self.search = ""
        self.state_filter = "all"
        self.mt_suggestions = {}
        self.reject_notes = {}
        self.title_text = ""
        inp = self.query_one("#entry-search", Input)
        inp.value = ""
        inp.add_class("hidden")
        self.query_one(StatusBar).say("")  # the last article's outcome is not this one's
        self.start()  # binds the new article's first entry: the editor gets its text

    # ================================================================== data
    @property
    def session(self):
        return self.app.session

    def load(self) -> None:
        self.proof = None
        self.view = self.session.view(self.article_id, self.lang)
        if self.view.changed_on_disk():
            self.session.reload(self.view)
        self.title_text = next((e.msgid for e in self.view.entries if e.msgctxt == "title"),
                               self.article_id)
        self.rebuild()
        self.bound = None
        self.start_audit()
        if self.view.missing:
            self.say(f"no {self.lang} catalog for this article yet: press s to run sync", "warning")

    def _columns(self) -> list[Column]:
        return [Column("#", 3, "right"), Column("state", 7), Column("日本語"),
                Column(self.app.lang_name(self.lang))]

    def rebuild(self, sticky: bool = True) -> None:
        """Fill the entry list from the view (keeps the cursor on the same entry). The
        entry in hand stays listed while it is in hand, even if it no longer matches the
        search or the filter (`sticky`): a reload or an action that took it out of the
        list moved the cursor to another entry unseen, and `a` approved that one while
        the panel still showed this one. Changing the filter or the search itself
        (`sticky=False`) lists exactly what matches."""
        rl = self.query_one(RowList)
        entries = self.view.entries if self.view else []
        q = self.search.casefold()
        if q:
            shown = []
            for e in entries:
                ed = self.session.edit(self.article_id, self.lang, e.key)
                if (q in e.msgid.casefold() or q in e.msgstr.casefold()
                        or (ed and q in ed.text.casefold())):
                    shown.append(e)
        else:
            shown = list(entries)
        if self.state_filter != "all":
            shown = [e for e in shown if self.in_filter(e)]
        if sticky and self.bound is not None and len(shown) != len(entries) \
                and all(e.key != self.bound for e in shown):
            keep = {e.key for e in shown} | {self.bound}
            shown = [e for e in entries if e.key in keep]
        self.shown = shown
        columns = self._columns()
        if columns != rl.columns:
            rl.columns = columns
            rl.set_items(shown, keep=self.bound)
        else:
            rl.update_items(shown, keep=self.bound)
        self.update_header()

    def in_filter(self, e: Entry) -> bool:
        st = review.state(e)
        return {"all": True,
                "to translate": st in (review.UNTRANSLATED, review.DRAFT),
                "to review": st == review.TRANSLATED,
                "approved": st == review.APPROVED}[self.state_filter]

    def _shown_index(self, key: Key) -> int | None:
        return self.query_one(RowList).index_of(key)

    def render_row(self, e: Entry, widths: list[int]) -> list:
        ed = self.session.edit(self.article_id, self.lang, e.key)
        st = review.state(e)
        text = ed.text if ed else e.msgstr
        err = bool(text) and any(f.severity == "error" for f in self.session.findings(self.lang, e, text))
        mark = marker(st, unsaved=ed is not None, error=err,
                      rejected=review.rejection(e) is not None and st == review.DRAFT)
        if self.unproven(e):
            mark.right_crop(1)
            mark.append("?", style="bold red")
        if ed is not None:
            tgt = fit(ed.text or "(empty)", widths[3], style="italic magenta")
        elif e.msgstr:
            tgt = fit(e.msgstr, widths[3])
        else:
            tgt = Text("—", style="dim")
        n = self.view.index_of(e.key) if self.view else None
        return [Text(str((n or 0) + 1), style="dim"), mark, fit(e.msgid, widths[2]), tgt]

    def refresh_row(self, key: Key) -> None:
        """Redraw one row after an edit or an action (no full rebuild)."""
        rl = self.query_one(RowList)
        idx = rl.index_of(key)
        e = self.view.get(key) if self.view else None
        if idx is None or e is None:
            return
        rl.items[idx] = e
        self.shown[idx] = e
        rl.refresh_item(idx)
        self.update_header()

    def update_header(self) -> None:
        """Languages, counts, then the issue and the title, shortened to fit (never
        dropped): on a narrow screen the counts lose their labels first."""
        width = self.size.width or self.app.size.width or 80
        issue = self.article_id.split("/", 1)[0] if "/" in self.article_id else ""
        for compact in (False, True):
            t = Text(no_wrap=True, overflow="ellipsis")
            for lang in self.app.project.languages:
                if compact and lang != self.lang:
                    continue
                t.append(f" {lang} ", style="bold reverse" if lang == self.lang else "dim")
            t.append(" ")
            if self.view is not None and not self.view.missing:
                c = self.view.counts()
                for s in (review.UNTRANSLATED, review.DRAFT, review.TRANSLATED, review.APPROVED):
                    label = f"{c[s]}" if compact else f"{STATE_LABEL[s]} {c[s]}"
                    t.append(label, style=STATE_STYLE[s] if c[s] else "dim")
                    t.append(" ")
                edits = len(self.session.edits_in(self.article_id, self.lang))
                if edits:
                    t.append(f"*{edits} " if compact else f"unsaved {edits} ", style="bold magenta")
                if self.state_filter != "all":
                    t.append(f"[{self.state_filter}] ", style="bold reverse")
            t.append(f" {issue} ", style="bold")
            room = width - t.cell_len
            if room >= 16 or compact:
                break
        t.append_text(fit(self.title_text, max(room, 8), style="bold"))
        self.query_one("#art-header", Static).update(t, layout=False)  # always one line

    def on_resize(self) -> None:
        if self.view is not None:
            self.rebuild()
            # the side panel is padded to its box: to the new box, once it is laid out
            self.call_after_refresh(self._details_again)

    def _details_again(self) -> None:
        e = self.view.get(self.bound) if self.bound is not None and self.view is not None else None
        if e is not None:
            self.show_details(e, self.query_one(TextArea).text)

    # ================================================================== editor
    def current(self) -> Entry | None:
        return self.query_one(RowList).item

    def move_to(self, index: int | None) -> None:
        if index is None or self.view is None:
            return
        e = self.view.entries[index]
        i = self._shown_index(e.key)
        if i is None:  # filtered out by the search or the state filter: show everything
            self.state_filter = "all"
            self.clear_search()
            i = self._shown_index(e.key)
        self.query_one(RowList).move_cursor(i)
        self.bind_entry(e)

    @on(RowList.Highlighted)
    def highlighted(self, event: RowList.Highlighted) -> None:
        e = self.current()
        if e is not None and e.key != self.bound:
            bar = self.query_one(StatusBar)
            if bar.message and bar.severity != "error":
                bar.say("")  # the last outcome was about the entry left ("u undoes it")
            self.bind_entry(e)

    @on(RowList.Selected)
    def selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.action_edit()

    def capture(self) -> None:
        """Keep what is in the editor as an unsaved edit of the bound entry."""
        if self.bound is None or self.view is None:
            return
        e = self.view.get(self.bound)
        if e is None:
            return
        text = self.query_one(TextArea).text
        ed = self.session.edit(self.article_id, self.lang, self.bound)
        base = ed.base if ed else e.msgstr
        had = ed is not None
        self.session.set_edit(self.article_id, self.lang, self.bound, text, base,
                              ed.reviewed if ed else review_stamp(e))
        now = self.session.edit(self.article_id, self.lang, self.bound) is not None
        if had or now:
            self.schedule_journal()

    def bind_entry(self, e: Entry, *, force: bool = False) -> None:
        """Show an entry in the editor (its unsaved edit if there is one)."""
        if self.bound != e.key:
            side = self.query_one("#side")
            if side.scroll_y:  # another entry's panel starts at its top (its rejection note)
                side.scroll_to(y=0, animate=False)
        if self.bound is not None and self.bound != e.key:
            self.capture()
            old = self.bound
            self.bound = None
            self.refresh_row(old)
        self.bound = e.key
        ed = self.session.edit(self.article_id, self.lang, e.key)
        ta = self.query_one(TextArea)
        text = ed.text if ed else e.msgstr
        if force or ta.text != text:
            ta.load_text(text)
        self.show_details(e, text)
        self.check_conflict()

    def reload_bound(self) -> None:
        """The bound entry changed (an action, a reload): show it as it is now."""
        if self.bound is None or self.view is None:
            return
        e = self.view.get(self.bound)
        if e is None:
            return
        key = self.bound
        self.bound = None
        self.bind_entry(e, force=True)
        self.bound = key

    @on(TextArea.Changed, "#target")
    def text_changed(self, event: TextArea.Changed) -> None:
        if self.bound is None or self.view is None:
            return
        e = self.view.get(self.bound)
        if e is None:
            return
        before = self.session.edit(self.article_id, self.lang, self.bound) is not None
        self.capture()
        after = self.session.edit(self.article_id, self.lang, self.bound) is not None
        if before != after:
            self.refresh_row(self.bound)
        if self._findings_timer is not None:
            self._findings_timer.stop()
        self._findings_timer = self.set_timer(FINDINGS_DELAY, self._live_findings)

    def _live_findings(self) -> None:
        self._findings_timer = None
        if self.bound is None or self.view is None:
            return
        e = self.view.get(self.bound)
        if e is not None:
            self.show_details(e, self.query_one(TextArea).text)
            self.refresh_row(self.bound)

    def schedule_journal(self) -> None:
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(0.5, self.app.save_journal)

    def show_details(self, e: Entry, text: str) -> None:
        """Source with glossary terms, the previous source as a diff, and the side panel."""
        s = self.session
        hits = s.glossary_hits(e.msgid, self.lang)
        idx = (self.view.index_of(e.key) or 0) + 1
        head = Text()
        head.append(" ja ", style="bold reverse")
        head.append(f" {e.msgctxt or 'body'} · {idx}/{len(self.view.entries)} ", style="dim")
        st = review.state(e)
        head.append(STATE_LABEL[st], style=STATE_STYLE[st])
        body = source_text(e.msgid, hits)
        d = None
        if e.previous_msgid and e.previous_msgid != e.msgid:
            d = Text()
            d.append(" source changed ", style="bold reverse yellow")
            d.append(" was → now\n")
            d.append_text(diff_text(e.previous_msgid, e.msgid))
        cut, d = self._fit_source(body, d, e)
        if cut:  # what does not fit: `i` shows it whole
            width = self.query_one("#source", WrappedText).content_size.width
            for hint in (" · i reads it all", " · more: i", " · i"):  # on the header's line
                if head.cell_len + len(hint) <= width:
                    head.append(hint, style="bold")
                    break
        head.append("\n")
        head.append_text(body)
        self.query_one("#source", WrappedText).show(head)
        prev = self.query_one("#previous", WrappedText)
        if d is not None:
            prev.show(d)
            prev.remove_class("hidden")
        else:
            prev.add_class("hidden")

        self.query_one("#side-text", WrappedText).show(side_panel(self, e, text, hits), fill=True)
        self.schedule_memory_search(e)

    TARGET_MIN = 3  # lines the translation keeps however long the source

    def _fit_source(self, body: Text, diff: Text | None, e: Entry) -> tuple[bool, Text | None]:
        """Give the source (and the diff of a changed source) the lines they need, the
        translation keeping TARGET_MIN: at 80x24 a sentence of more than four lines was
        cut, with no sign of it. A diff that does not fit its lines shows its changes
        with a little context around each. Returns whether the source is still cut (a
        very long one on a small screen: the header then says that `i` shows it whole),
        and the diff to show."""
        src, prev = self.query_one("#source", WrappedText), self.query_one("#previous", WrappedText)
        width = src.content_size.width
        room = self.query_one("#editor-main").content_size.height - self.TARGET_MIN
        if width <= 0 or room <= 0:
            return False, diff  # not laid out yet: the stylesheet's heights until it is
        console = self.app.console
        need = 1 + len(wrap_japanese(body, width, console))  # and the " ja " line
        need_prev = len(wrap_japanese(diff, width, console)) if diff is not None else 0
        prev_h = min(need_prev, max(PREVIOUS_CAP, room - need))  # the diff's first lines at least
        if need_prev > prev_h:
            diff = diff[:diff.plain.index("\n") + 1]  # its "source changed" line
            diff.append_text(diff_text(e.previous_msgid, e.msgid, context=DIFF_CONTEXT))
            prev_h = min(len(wrap_japanese(diff, width, console)), prev_h)
        # Caps, not heights (the panes' heights are auto). The stylesheet's (SOURCE_CAP,
        # PREVIOUS_CAP) wherever they give the same: the common sentence changes no
        # style, and opening an article asks for no second layout.
        src_cap = None if need <= min(SOURCE_CAP, room - prev_h) else max(room - prev_h, 2)
        prev_cap = None if prev_h == min(need_prev, PREVIOUS_CAP) else prev_h
        caps = (src_cap, prev_cap)
        if caps != self._caps:
            self._caps = caps
            src.styles.max_height, prev.styles.max_height = caps
        return need > (caps[0] or SOURCE_CAP), diff

    # ================================================================== mode
    def show_mode(self) -> None:
        """List mode and edit mode look different: the editor's frame says which."""
        area = self.query_one("#editor-area")
        if self.editing():
            area.border_title = "EDITING · ctrl+s save · esc back to the list"
            area.add_class("editing")
            bar = self.query_one(StatusBar)
            if UNDO_HINT in bar.message:  # in the editor, u is a letter typed
                bar.say(bar.message.replace(UNDO_HINT, ""), bar.severity)
        else:
            area.border_title = "list · enter edit · a approve · r reject · ctrl+s save"
            area.remove_class("editing")

    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def focus_moved(self, _event) -> None:
        self.show_mode()

    def editing(self) -> bool:
        return isinstance(self.focused, TextArea)

    def searching(self) -> bool:
        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "leave_editor":
            return self.editing()
        if action == "save":
            return True
        if action in LIST_ACTIONS:
            if action in ("back", "edit") and self.searching():
                return True  # escape closes the search, enter keeps it
            return not (self.editing() or self.searching())
        return True

    def say(self, message: str, severity: str = "information") -> None:
        self.query_one(StatusBar).say(redact(message), severity)

    # ================================================================== actions
    def action_edit(self) -> None:
        if self.searching():
            self._end_search()
            return
        e = self.current()
        if e is None:
            self.say_nothing_listed()
            return
        if e.key != self.bound:
            self.bind_entry(e)
        ta = self.query_one(TextArea)
        self.set_focus(ta)
        ta.move_cursor(ta.document.end)

    def action_leave_editor(self) -> None:
        self.capture()
        if self.bound is not None:
            self.refresh_row(self.bound)
        self.set_focus(self.query_one(RowList))
        if self.bound is not None and self.session.edit(self.article_id, self.lang, self.bound):
            self.say("unsaved edit kept (*): ctrl+s saves it, enter edits it again")
            self.check_conflict(now=True)  # one that waited while the person typed

    def action_back(self) -> None:
        if self.searching() or self.search:  # a search kept on the list goes first
            self.clear_search()
            return
        self.capture()
        self.app.save_journal()
        self.app.pop_screen()

    def action_switch_lang(self) -> None:
        self.capture()
        self.app.save_journal()
        key = self.bound
        if not self.app.readable(self.article_id, self.app.next_lang()):
            return  # the status line names the file that does not read
        self.lang = self.app.cycle_lang()
        self.load()
        i = self.view.index_of(key) if key is not None else None
        if i is None and self.view.entries:
            i = 0
        if i is not None:
            self.move_to(i)
        self.say(f"now {self.app.lang_name(self.lang)}")

    def action_search(self) -> None:
        inp = self.query_one("#entry-search", Input)
        inp.remove_class("hidden")
        if self.app.is_headless:
            inp.cursor_blink = False
        self.set_focus(inp)

    def clear_search(self) -> None:
        for inp in self.query("#entry-search").results(Input):
            inp.value = ""
            inp.add_class("hidden")
        self.search = ""
        self.rebuild()
        self.set_focus(self.query_one(RowList))

    @on(Input.Changed, "#entry-search")
    def search_changed(self, event: Input.Changed) -> None:
        self.capture()
        self.search = event.value.strip()
        self.rebuild(sticky=False)
        bar = self.query_one(StatusBar)
        if bar.message and bar.severity != "error":
            bar.say("")  # it was about the list before this search ("showing all: 23 entries")

    @on(Input.Submitted, "#entry-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        self._end_search()

    def _end_search(self) -> None:
        inp = self.query_one("#entry-search", Input)
        if not inp.value.strip():
            inp.add_class("hidden")
        self.set_focus(self.query_one(RowList))
        e = self.current()
        if e is not None and e.key != self.bound:
            self.bind_entry(e)

    def action_sync(self) -> None:
        self.capture()
        self.app.save_journal()
        self.app.start_sync()

    @work(thread=True, group="deepl", exit_on_error=False)
    def _deepl_worker(self, article_id: str, lang: str, key) -> None:
        from l10n.engines import deepl_suggestion
        from l10n.secrets import redact

        try:
            text, paid = deepl_suggestion(self.app.project, article_id, lang, key)
            self.post_message(DeepLSuggested(article_id, lang, key, text, paid))
        except Exception as exc:  # noqa: BLE001 - shown on the status line, never a crash
            self.post_message(DeepLSuggested(article_id, lang, key, None, error=redact(str(exc))))

    @on(DeepLSuggested)
    def deepl_suggested(self, msg: DeepLSuggested) -> None:
        if msg.article == self.article_id:
            self.deepl_arrived(msg)

    @on(MemoryLoaded)
    def memory_loaded(self, _msg: MemoryLoaded) -> None:
        if self.bound is not None and self.view is not None:
            e = self.view.get(self.bound)
            if e is not None:
                self.show_details(e, self.query_one(TextArea).text)

