"""Modal screens: help, a note (reject, override, name), a conflict, quitting, an entry's
findings in full."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from . import keys
from .render import STATE_LABEL, STATE_STYLE, Wrapped, legend

HERE = Path(__file__).resolve().parent  # the .tcss files live next to the code


def _no_blink(widget) -> None:
    if widget.app.is_headless:
        widget.cursor_blink = False


class HelpScreen(ModalScreen[None]):
    CSS_PATH = str(HERE / "modals.tcss")
    """Every key, from the one registry."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "close", key_display="esc")]

    def __init__(self, first: str = "dashboard") -> None:
        super().__init__()
        self.first = first  # the context whose keys come first (the screen it was asked on)

    def compose(self) -> ComposeResult:
        from rich.console import Group
        from rich.table import Table

        parts = []
        for title, rows in keys.help_rows(first=self.first):
            if not rows:
                continue
            parts.append(Text(title, style="bold underline"))
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold cyan", no_wrap=True, min_width=6)
            grid.add_column(ratio=1)
            for k, what in rows:
                grid.add_row(k, what)
            parts.append(grid)
            parts.append(Text(""))
        legend_grid = Table.grid(padding=(0, 2))
        legend_grid.add_column(style="bold", no_wrap=True, min_width=6)
        legend_grid.add_column(ratio=1)
        states = Text()
        for s, label in STATE_LABEL.items():
            states.append(label, style=STATE_STYLE[s])
            states.append(f" {s}  ")
        marks = Text()
        marks.append("*", style="bold magenta")
        marks.append(" unsaved edit  ")
        marks.append("!", style="bold red")
        marks.append(" error finding  ")
        marks.append("r", style="bold yellow")
        marks.append(" rejected")
        legend_grid.add_row("States", states)
        legend_grid.add_row("Marks", marks)
        legend_grid.add_row("Counts", legend())
        bar = Text()
        bar.append(" approved ", style="on #1f4d2b")
        bar.append(" translated ", style="on #1b3a4d")
        bar.append("  a cell's shading is its progress bar; the totals give the approved %")
        legend_grid.add_row("Progress", bar)
        parts.append(legend_grid)
        with Vertical(id="help-box", classes="modal-box"):
            yield Label("Keys  (escape or ? closes)", classes="modal-title")
            with VerticalScroll():
                yield Static(Group(*parts), id="help-text")

    def action_dismiss(self) -> None:
        self.dismiss(None)


class Details(VerticalScroll, can_focus=False):
    """A dialog's details, scrolled by the dialog's arrow keys: never focused, so that
    what is typed goes where it went before (the note's input, the dialog's keys)."""


class ScrolledDetails:
    """A dialog whose details (the findings, a diff) may be longer than the screen holds:
    they scroll with the arrow keys, and the rest of the dialog (its title, its question,
    its keys) always shows. `fixed_rows()` is what the rest takes."""

    DETAILS_BINDINGS = [Binding("up", "details(-1)", "scroll", show=False),
                        Binding("down", "details(1)", "scroll", show=False)]

    def fixed_rows(self) -> int:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.fit_details()

    def on_resize(self) -> None:
        self.fit_details()

    def fit_details(self) -> None:
        for scroll in self.query(".details"):  # the box may take 90% of the screen's rows
            scroll.styles.max_height = max(3, int(self.size.height * 0.9) - self.fixed_rows())

    def action_details(self, step: int) -> None:
        for scroll in self.query(".details"):
            scroll.scroll_relative(y=step, animate=False)


class NoteScreen(ScrolledDetails, ModalScreen[str | None]):
    CSS_PATH = str(HERE / "modals.tcss")
    """Ask for one line of text: a rejection note, an override reason, a name."""

    BINDINGS = [Binding("escape", "cancel", "cancel"), *ScrolledDetails.DETAILS_BINDINGS]

    def __init__(self, title: str, prompt: str, *, placeholder: str = "", details: Text | str = "",
                 value: str = "", allow_empty: bool = False) -> None:
        super().__init__()
        self.allow_empty = allow_empty
        self.title_text = title
        self.prompt = prompt
        self.placeholder = placeholder
        self.details = details
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            if self.details:
                with Details(classes="details"):
                    yield Static(Wrapped(self.details), id="note-details")
            yield Static(Text(self.prompt), id="note-prompt")  # wrapped to the box, never cut
            yield Input(self.value, placeholder=self.placeholder, id="note-input")
            yield Static("enter confirms · escape cancels", classes="modal-hint")

    def fixed_rows(self) -> int:
        # border 2, padding 2, title 1, the details' margin 1, the prompt, the input 3,
        # the hint and its margin 2
        width = max(self.query_one("#note-box").content_size.width, 20)
        prompt = len(Text(self.prompt).wrap(self.app.console, width))
        return 11 + prompt

    def on_mount(self) -> None:
        inp = self.query_one(Input)
        _no_blink(inp)
        inp.focus()
        self.call_after_refresh(self.fit_details)  # the prompt's lines need the box's width

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text or self.allow_empty:
            self.dismiss(text)
        else:  # only spaces: cleared, so that the placeholder says why nothing happened
            inp = self.query_one("#note-input", Input)
            inp.value = ""
            inp.placeholder = "(it cannot be empty)"

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConflictScreen(ModalScreen[str]):
    CSS_PATH = str(HERE / "modals.tcss")
    """The entry being edited changed on disk: show both, let the user choose."""

    BINDINGS = [Binding("m", "choose('mine')", "keep mine"), Binding("t", "choose('theirs')", "take theirs"),
                Binding("escape", "choose('later')", "decide later")]

    def __init__(self, source: str, theirs: str, mine: str, who: str) -> None:
        super().__init__()
        self.source = source
        self.theirs = theirs
        self.mine = mine
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box", classes="modal-box"):
            yield Label("This entry changed on disk while you were editing it", classes="modal-title")
            yield Static(Wrapped(Text(self.source, style="dim")), classes="conflict-source")
            yield Label(f"On disk now ({self.who}):", classes="conflict-label")
            yield Static(Wrapped(self.theirs or "(empty)"), id="conflict-theirs", classes="conflict-text")
            yield Label("Your unsaved edit:", classes="conflict-label")
            yield Static(Wrapped(self.mine or "(empty)"), id="conflict-mine", classes="conflict-text mine")
            with Horizontal(classes="modal-buttons"):
                yield Button("m  keep mine", id="mine", variant="primary", compact=True)
                yield Button("t  take theirs", id="theirs", compact=True)
                yield Button("esc  decide later", id="later", compact=True)
            yield Static(Text("keep mine: your text stays unsaved; ctrl+s then saves it over theirs. "
                              "take theirs: your edit is dropped. decide later: nothing changes; "
                              "this shows again when you come back to the entry or save."),
                         classes="modal-hint")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, which: str) -> None:
        self.dismiss(which)


class QuitScreen(ModalScreen[bool]):
    CSS_PATH = str(HERE / "modals.tcss")
    BINDINGS = [Binding("q,y,ctrl+q", "answer(True)", "quit"), Binding("escape,n", "answer(False)", "stay")]

    def __init__(self, n_edits: int, where: str) -> None:
        super().__init__()
        self.n_edits = n_edits
        self.where = where

    def compose(self) -> ComposeResult:
        s = "" if self.n_edits == 1 else "s"
        with Vertical(id="quit-box", classes="modal-box"):
            yield Label(f"{self.n_edits} unsaved edit{s}", classes="modal-title")
            yield Static(f"{'It is' if self.n_edits == 1 else 'They are'} kept in {self.where} and "
                         f"{'comes' if self.n_edits == 1 else 'come'} back the next time you open "
                         f"l10n tui; {'it is' if self.n_edits == 1 else 'they are'} not in the "
                         "catalogs (what you saved is).")
            with Horizontal(classes="modal-buttons"):
                yield Button("q  quit", id="quit", variant="warning", compact=True)
                yield Button("esc  stay", id="stay", variant="primary", compact=True)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmScreen(ScrolledDetails, ModalScreen[bool]):
    """Ask yes or no before an action a person may not have meant: saving a draft with
    error findings, approving a draft whose source changed, quitting during a sync."""

    CSS_PATH = str(HERE / "modals.tcss")
    BINDINGS = [Binding("y", "answer(True)", "yes"), Binding("escape,n", "answer(False)", "no"),
                *ScrolledDetails.DETAILS_BINDINGS]

    def __init__(self, title: str, details: Text, yes: str, no: str = "cancel") -> None:
        super().__init__()
        self.title_text = title
        self.details = details
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            with Details(classes="details"):
                yield Static(Wrapped(self.details), id="confirm-details")
            with Horizontal(classes="modal-buttons"):
                yield Button(f"y  {self.yes}", id="yes", variant="warning", compact=True)
                yield Button(f"esc  {self.no}", id="no", variant="primary", compact=True)

    def fixed_rows(self) -> int:
        return 7  # border 2, padding 2, title 1, the buttons and their margin 2

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ReadScreen(ModalScreen[None]):
    """Something to read in full, scrolled with the arrow keys: an entry's findings,
    which the side panel gives one line each."""

    CSS_PATH = str(HERE / "modals.tcss")
    BINDINGS = [Binding("escape,enter,q,i", "dismiss", "close", key_display="esc")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="read-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            with VerticalScroll():
                yield Static(Wrapped(self.body), id="read-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_dismiss(self) -> None:
        self.dismiss(None)
