"""Small shared widgets."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SEVERITY_STYLE = {"information": "", "success": "green", "warning": "yellow", "error": "bold red"}


class StatusBar(Static):
    """One line: the outcome of the last action on the left, background work on the right."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; padding: 0 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__("", **kw)
        self.message = ""
        self.severity = "information"

    def say(self, message: str, severity: str = "information") -> None:
        self.message = message
        self.severity = severity
        self.show()

    def show(self) -> None:
        app = self.app
        t = Text(no_wrap=True, overflow="ellipsis")
        sync = getattr(app, "sync_line", None)
        right = sync() if sync else ""
        t.append(self.message, style=SEVERITY_STYLE.get(self.severity, ""))
        if right:
            width = max(self.size.width - 2, 20)
            gap = width - t.cell_len - len(right)
            t.append(" " * max(gap, 2))
            t.append(right, style="bold cyan")
        self.update(t)

    def on_resize(self) -> None:
        self.show()
