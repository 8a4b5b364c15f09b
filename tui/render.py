"""Pure rendering helpers: core data in, Rich Text out. No I/O, no widgets."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from l10n.catalog_view import APPROVED, DRAFT, TRANSLATED, UNTRANSLATED, diff_ops

STATE_LABEL = {UNTRANSLATED: "new", DRAFT: "draft", TRANSLATED: "done", APPROVED: "ok"}
STATE_STYLE = {UNTRANSLATED: "bold red", DRAFT: "yellow", TRANSLATED: "cyan", APPROVED: "green"}
COUNT_KEYS = (UNTRANSLATED, DRAFT, TRANSLATED, APPROVED)


def fit(text: str | Text, width: int, style: str = "") -> Text:
    """One line, cropped to `width` cells with an ellipsis (wide characters count 2)."""
    t = text.copy() if isinstance(text, Text) else Text(text, style=style)
    t.plain = t.plain.replace("\n", " ⏎ ") if "\n" in t.plain else t.plain
    if cell_len(t.plain) > width:
        t.truncate(max(width, 1), overflow="ellipsis")
    t.no_wrap = True
    t.overflow = "ellipsis"
    return t


def marker(state: str, *, unsaved: bool = False, error: bool = False,
           rejected: bool = False) -> Text:
    t = Text(f"{STATE_LABEL[state]:<5}", style=STATE_STYLE[state])
    t.append(" ")
    if unsaved:
        t.append("*", style="bold magenta")
    elif error:
        t.append("!", style="bold red")
    elif rejected:
        t.append("r", style="bold yellow")
    else:
        t.append(" ")
    return t


def counts_cell(c: dict, digits: int = 2) -> Text:
    """new draft done ok, colour-coded, fixed width."""
    if c.get("loading"):
        return Text("…".rjust(digits * 4 + 3), style="dim")
    if c.get("missing"):
        return Text("not synced".rjust(digits * 4 + 3), style="dim italic")
    t = Text()
    for i, k in enumerate(COUNT_KEYS):
        n = c.get(k, 0)
        if i:
            t.append(" ")
        t.append(f"{n:>{digits}}", style=STATE_STYLE[k] if n else "dim")
    progress_bar(t, c)
    return t


OK_BAR = "on #1f4d2b"  # the approved share of a cell's background
DONE_BAR = "on #1b3a4d"  # then the translated share, waiting for review


def progress_bar(t: Text, c: dict) -> None:
    """Shade the cell's background as a bar: approved, then translated, out of all entries."""
    total = c.get("entries") or sum(c.get(k, 0) for k in COUNT_KEYS)
    if not total:
        return
    width = len(t.plain)
    ok = round(width * c.get(APPROVED, 0) / total)
    done = round(width * (c.get(APPROVED, 0) + c.get(TRANSLATED, 0)) / total)
    if ok:
        t.stylize(OK_BAR, 0, ok)
    if done > ok:
        t.stylize(DONE_BAR, ok, done)


def percent(c: dict) -> int:
    """The approved share, in whole percent (100 only when everything is approved)."""
    total = c.get("entries") or sum(c.get(k, 0) for k in COUNT_KEYS)
    if not total:
        return 0
    ok = c.get(APPROVED, 0)
    return 100 if ok == total else min(99, round(100 * ok / total))


def legend() -> Text:
    t = Text()
    for i, k in enumerate(COUNT_KEYS):
        if i:
            t.append(" ")
        t.append(STATE_LABEL[k], style=STATE_STYLE[k])
    return t


def source_text(source: str, hits: list[tuple[int, int, str, str | None]]) -> Text:
    """The Japanese source with glossary terms highlighted."""
    t = Text(source)
    for a, b, _ja, _tr in hits:
        t.stylize("bold underline magenta", a, b)
    return t


def diff_text(old: str, new: str) -> Text:
    """What changed in the source: deletions struck through in red, insertions in green."""
    t = Text()
    for op, s in diff_ops(old, new):
        if op == "=":
            t.append(s, style="dim")
        elif op == "-":
            t.append(s, style="red strike")
        else:
            t.append(s, style="bold green underline")
    return t


def short(n: int) -> str:
    """12, 980, 1.2k, 34k: a count in at most four characters."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n / 1000:.1f}k"
    return f"{n // 1000}k"
