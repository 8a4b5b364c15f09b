"""Small shared widgets: one-line bars that draw themselves from state.

They render on demand (`render()`), so changing what they say is a repaint of one
line, not a new layout: the dashboard can show its first frame in one pass.
"""
from __future__ import annotations

import re

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from .render import Wrapped, ellipsize

SEVERITY_STYLE = {"information": "", "success": "green", "warning": "yellow", "error": "bold red"}


class OneLine(Widget):
    """A one-line widget drawn with the line API: its Text goes straight to a Strip
    (no Content/Visual conversion), which keeps the first frame cheap."""

    def line_text(self) -> Text:
        return Text()

    def texts(self) -> list[Text]:
        """The lines to draw (one unless a subclass needs more: StatusBar)."""
        return [self.line_text()]

    def render_line(self, y: int) -> Strip:
        from .rowlist import _segments

        width = self.content_size.width
        base = self.rich_style
        texts = self.texts() if width > 0 else []
        if y >= len(texts):
            return Strip.blank(max(width, 0), base)
        text = ellipsize(texts[y], width)
        segs = _segments(text, base)
        used = cell_len(text.plain)
        if used < width:
            segs.append(Segment(" " * (width - used), base))
        return Strip(segs, width)


class Line(OneLine):
    """A one-line bar showing a Rich Text that can be replaced."""

    DEFAULT_CSS = """
    Line { height: 1; width: 1fr; }
    """

    def __init__(self, text: Text | str = "", **kw) -> None:
        super().__init__(**kw)
        self.text = text if isinstance(text, Text) else Text(text)
        self.narrower: tuple[Text, ...] = ()

    def set(self, text: Text, *narrower: Text) -> None:
        """Show `text`; where the line is too narrow for it, the first of `narrower` (the
        same, said shorter) that fits, or the last of them, cropped."""
        self.text = text
        self.narrower = narrower
        self.refresh()

    def line_text(self) -> Text:
        width = self.content_size.width
        for t in (self.text, *self.narrower):
            if t.cell_len <= width:
                return t
        return self.narrower[-1] if self.narrower else self.text


class StatusBar(OneLine):
    """The outcome of the last action on the left, background work on the right. One
    line, or up to MAX_LINES while a message needs them: an error names its file and
    line, and cropped at 80 columns it lost them ("…the drafts sync already made …")."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; padding: 0 1; }
    """
    MAX_LINES = 3

    def __init__(self, hint: Text | None = None, **kw) -> None:
        super().__init__(**kw)
        self.message = ""
        self.severity = "information"
        self.hint = hint  # shown while there is no message
        self._wrapped: list[Text] | None = None  # the message's lines, when it needs several

    def say(self, message: str, severity: str = "information") -> None:
        self.message = message
        self.severity = severity
        self._fit()
        self.refresh()

    def show(self) -> None:  # the background work's note changed
        self._fit()
        self.refresh()

    def on_resize(self) -> None:
        self._fit()

    def _right(self) -> str:
        sync = getattr(self.app, "sync_line", None)
        return sync() if sync else ""

    def _fit(self) -> None:
        """One line if the message fits beside the background work's note, else the
        message wrapped (Japanese rules) in up to MAX_LINES; the bar's height follows."""
        width = self.content_size.width
        right = self._right()
        room = width - (len(right) + 2 if right else 0)
        self._wrapped = None
        if self.message and width > 0 and cell_len(self.message) > room:
            from .render import wrap_japanese
            from .rowlist import _CONSOLE

            text = Text(self.message, style=SEVERITY_STYLE.get(self.severity, ""))
            lines = list(wrap_japanese(text, max(room, 10), _CONSOLE))
            if len(lines) > self.MAX_LINES:
                rest = Text("").join(lines[self.MAX_LINES - 1:])
                lines = lines[:self.MAX_LINES - 1] + [ellipsize(rest, max(room, 10))]
            self._wrapped = lines
        height = len(self._wrapped) if self._wrapped else 1
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height

    def texts(self) -> list[Text]:
        if not self._wrapped:
            return [self.line_text()]
        first = self._wrapped[0].copy()
        right = self._right()
        if right:
            first.append(" " * max(self.content_size.width - first.cell_len - len(right), 2))
            first.append(right, style="bold cyan")
        return [first, *self._wrapped[1:]]

    def line_text(self) -> Text:
        t = Text(no_wrap=True, overflow="ellipsis")
        right = self._right()
        if self.message:
            t.append(self.message, style=SEVERITY_STYLE.get(self.severity, ""))
        elif self.hint is not None:
            t.append_text(self.hint)
        if right:
            width = max(self.size.width - 2, 20)
            gap = width - t.cell_len - len(right)
            t.append(" " * max(gap, 2))
            t.append(right, style="bold cyan")
        return t


class KeyBar(OneLine):
    """The footer: the registry's actions for this screen that apply right now.

    One line drawn from the registry (not Textual's Footer, which builds a widget per
    key on every focus change). Clicking a key runs its action, like the Footer."""

    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *contexts: str, **kw) -> None:
        super().__init__(**kw)
        self.contexts = contexts
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen) -> None:
        self.refresh()

    def show(self) -> None:
        self.refresh()

    def current(self):
        from . import keys

        screen = self.screen
        if self.app.screen is not screen:
            return []  # under a dialog: its keys are the dialog's own, shown in it
        # in the editor or a search box a printable key is text, and the box takes enter
        typing = isinstance(screen.focused, (TextArea, Input))
        box = isinstance(screen.focused, Input)
        out = []
        for a in keys.ACTIONS:
            if not keys.shown(a, self.contexts[0]):
                continue
            if typing and (len(a.key) == 1 or a.key == "question_mark" or box and a.key == "enter"):
                continue
            if "app" in a.screens:
                out.append(a)
                continue
            if not any(c in a.screens for c in self.contexts):
                continue
            name = a.id.split("(", 1)[0]
            if screen.check_action(name, ()):
                out.append(a)
        return out

    def fitting(self) -> list:
        """What `current` gives, as much of it as the bar's width holds, "? help" always
        (it lists the rest): at 80 columns the article's keys ran past the edge and the
        help key was cut off ("esc bac…"). A key that does not fit is left out whole;
        a later, shorter one may still fit."""
        from . import keys

        actions = self.current()
        width = self.content_size.width

        def cells(a) -> int:
            return len(keys.display(a)) + 1 + len(a.description)

        if not width or sum(cells(a) + 2 for a in actions) - 2 <= width:
            return actions
        last = [a for a in actions if a.id == "help"]
        room = width - sum(cells(a) + 2 for a in last)
        kept, used = [], 0
        for a in actions:
            if a.id != "help" and used + cells(a) + 2 * bool(kept) <= room:
                used += cells(a) + 2 * bool(kept)
                kept.append(a)
        return kept + last

    def line_text(self) -> Text:
        from . import keys

        t = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        x = 1  # the left padding
        for a in self.fitting():
            if t.cell_len:
                t.append("  ")
                x += 2
            k = keys.display(a)
            t.append(k, style="bold #ffa62b")
            t.append(f" {a.description}")
            self._spans.append((x, x + len(k) + 1 + len(a.description), a.id))
            x += len(k) + 1 + len(a.description)
        return t

    async def on_click(self, event: events.Click) -> None:
        for x0, x1, action in self._spans:
            if x0 <= event.x < x1:
                target = self.app if action in ("quit", "help") else self.screen
                await self.app.run_action(action, target)
                return


_LINE_BREAK = re.compile(r"[ \t]*(?:[\r\n]+[ \t]*)+")


class TranslationArea(TextArea):
    """The translation editor. A unit whose source is one line never gets a line break:
    enter (and a pasted line break) would only put a stray `\\n` into the catalog."""

    multiline = False

    async def _on_key(self, event) -> None:
        if event.key == "enter" and not self.multiline:
            event.stop()
            event.prevent_default()
            self.screen.say("the source is one line, so is the translation: ctrl+s saves, "
                            "esc leaves the editor", "warning")
        # otherwise TextArea's own _on_key runs next: Textual calls the handler of every
        # class in the MRO until one prevents the default (calling it here too would
        # handle the key twice)

    async def _on_paste(self, event) -> None:
        if not self.multiline and ("\n" in event.text or "\r" in event.text):
            event.stop()
            event.prevent_default()
            # a line break inside becomes one space (with the spaces around it); one
            # at either end (a line copied with its break) goes
            text = _LINE_BREAK.sub(" ", event.text.strip("\r\n"))
            if result := self._replace_via_keyboard(text, *self.selection):
                self.move_cursor(result.end_location)
        # otherwise TextArea's _on_paste runs next (as for keys above: once, not twice)


class WrappedText(Static):
    """Text wrapped by the Japanese rules (render.Wrapped) that changes often: the
    source, the previous source and the side panel of the article screen.

    `show` asks Textual for a layout only when the number of lines changed: a layout
    redraws every widget on the screen (30-45 ms on the article screen, issue 15's
    latency benchmark), and moving from one entry to the next mostly keeps the source's
    height. With `fill`, the text is padded with blank lines to its scrolling
    container's height, so that a text that fits always has that one height (the side
    panel: its findings and suggestions vary from entry to entry, its height only when
    they overflow; ArticleScreen pads it again after a resize)."""

    _shape: tuple[int, int] | None = None  # (width, lines) of the text shown

    def show(self, text: Text | str, *, fill: bool = False) -> None:
        shown = Wrapped(text, self.parent.content_size.height if fill else 0)
        width = self.content_size.width
        if width <= 0:  # not laid out yet
            self._shape = None
            self.update(shown)
            return
        shape = (width, len(shown.lines(width, self.app.console)))
        same, self._shape = shape == self._shape, shape
        self.update(shown, layout=not same)
