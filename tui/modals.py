"""Modal screens: help, a note (reject, override, name), a conflict, quitting."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from . import keys
from .render import STATE_LABEL, STATE_STYLE, legend


def _no_blink(widget) -> None:
    if widget.app.is_headless:
        widget.cursor_blink = False


class HelpScreen(ModalScreen[None]):
    """Every key, from the one registry."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "close", key_display="esc")]

    def compose(self) -> ComposeResult:
        t = Text()
        for title, rows in keys.help_rows():
            if not rows:
                continue
            t.append(f"{title}\n", style="bold")
            for k, what in rows:
                t.append(f"  {k:<8}", style="bold cyan")
                t.append(f"{what}\n")
            t.append("\n")
        t.append("States  ", style="bold")
        for s, label in STATE_LABEL.items():
            t.append(f"{label}", style=STATE_STYLE[s])
            t.append(f" {s}  ")
        t.append("\nMarks   ", style="bold")
        t.append("*", style="bold magenta")
        t.append(" unsaved edit  ")
        t.append("!", style="bold red")
        t.append(" error finding  ")
        t.append("r", style="bold yellow")
        t.append(" rejected\n")
        t.append("Counts  ", style="bold")
        t.append_text(legend())
        with Vertical(id="help-box", classes="modal-box"):
            yield Label("Keys", classes="modal-title")
            with VerticalScroll():
                yield Static(t, id="help-text")
            yield Label("escape or ? closes", classes="modal-hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Ask for one line of text: a rejection note, an override reason, a name."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, prompt: str, *, placeholder: str = "", details: Text | str = "",
                 value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.prompt = prompt
        self.placeholder = placeholder
        self.details = details
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            if self.details:
                yield Static(self.details, id="note-details")
            yield Label(self.prompt)
            yield Input(self.value, placeholder=self.placeholder, id="note-input")
            yield Label("enter confirms · escape cancels", classes="modal-hint")

    def on_mount(self) -> None:
        inp = self.query_one(Input)
        _no_blink(inp)
        inp.focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(text)
        else:
            self.query_one("#note-input", Input).placeholder = "(it cannot be empty)"

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConflictScreen(ModalScreen[str]):
    """The entry being edited changed on disk: show both, let the user choose."""

    BINDINGS = [Binding("m", "choose('mine')", "keep mine"), Binding("t", "choose('theirs')", "take theirs")]

    def __init__(self, source: str, theirs: str, mine: str, who: str) -> None:
        super().__init__()
        self.source = source
        self.theirs = theirs
        self.mine = mine
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box", classes="modal-box"):
            yield Label("This entry changed on disk while you were editing it", classes="modal-title")
            yield Static(Text(self.source, style="dim"), classes="conflict-source")
            yield Label(f"On disk now ({self.who}):", classes="conflict-label")
            yield Static(Text(self.theirs or "(empty)"), id="conflict-theirs", classes="conflict-text")
            yield Label("Your unsaved edit:", classes="conflict-label")
            yield Static(Text(self.mine or "(empty)"), id="conflict-mine", classes="conflict-text")
            with Horizontal(classes="modal-buttons"):
                yield Button("Keep mine [m]", id="mine", variant="primary")
                yield Button("Take theirs [t]", id="theirs")
            yield Label("Keep mine: your text stays in the editor, unsaved; ctrl+s saves it over "
                        "theirs. Take theirs: your edit is dropped (u does not bring it back).",
                        classes="modal-hint")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, which: str) -> None:
        self.dismiss(which)


class QuitScreen(ModalScreen[bool]):
    BINDINGS = [Binding("q,y,ctrl+q", "answer(True)", "quit"), Binding("escape,n", "answer(False)", "stay")]

    def __init__(self, n_edits: int, where: str) -> None:
        super().__init__()
        self.n_edits = n_edits
        self.where = where

    def compose(self) -> ComposeResult:
        s = "" if self.n_edits == 1 else "s"
        with Vertical(id="quit-box", classes="modal-box"):
            yield Label(f"{self.n_edits} unsaved edit{s}", classes="modal-title")
            yield Static(f"They are kept in {self.where} and come back the next time you open "
                         "l10n tui. Nothing was written to the catalogs.")
            with Horizontal(classes="modal-buttons"):
                yield Button("Quit [q]", id="quit", variant="warning")
                yield Button("Stay [esc]", id="stay", variant="primary")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
