"""Pure rendering helpers: core data in, Rich Text out. No I/O, no widgets."""
from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich._wrap import divide_line  # the offsets Text.wrap divides at (Rich >= 9)
from rich.text import Lines, Text

from l10n.catalog_view import APPROVED, DRAFT, TRANSLATED, UNTRANSLATED, diff_ops

STATE_LABEL = {UNTRANSLATED: "new", DRAFT: "draft", TRANSLATED: "done", APPROVED: "ok"}
STATE_STYLE = {UNTRANSLATED: "bold red", DRAFT: "yellow", TRANSLATED: "cyan", APPROVED: "green"}
COUNT_KEYS = (UNTRANSLATED, DRAFT, TRANSLATED, APPROVED)


def ellipsize(text: Text, width: int) -> Text:
    """`text` if it fits in `width` cells; else its longest start that leaves a cell for
    "…", and the "…". Rich's `truncate` fills the half of a wide character cut at the
    edge with a space, which put a space before the ellipsis of nearly every cropped
    Japanese or Korean cell ("ベイエリア …", read as a word break); here the ellipsis
    follows the last character, and the caller pads after it."""
    if cell_len(text.plain) <= width:
        return text
    if width <= 1:
        return Text("…"[:max(width, 0)], style=text.style)
    plain = text.plain
    start = set_cell_size(plain, width - 1)  # exactly width - 1 cells, padded if a wide character straddled
    keep = len(start) if plain.startswith(start) else len(start) - 1
    out = text.copy()  # and crop: slicing (Text.divide) took half as long again
    out.right_crop(len(plain) - keep)
    out.append("…")
    return out


def fit(text: str | Text, width: int, style: str = "") -> Text:
    """One line, cropped to `width` cells with an ellipsis (wide characters count 2)."""
    t = text.copy() if isinstance(text, Text) else Text(text, style=style)
    t.plain = t.plain.replace("\n", " ⏎ ") if "\n" in t.plain else t.plain
    t = ellipsize(t, max(width, 1))
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


def diff_text(old: str, new: str, context: int | None = None) -> Text:
    """What changed in the source: deletions struck through in red, insertions in green.
    With `context`, an unchanged run keeps only that many characters next to each change,
    the rest shown as "…": the changes of a long sentence in two lines."""
    t = Text()
    ops = diff_ops(old, new)
    for i, (op, s) in enumerate(ops):
        if op == "=":
            if context is not None and len(s) > 2 * context + 1:
                first, last = i == 0, i == len(ops) - 1
                s = ((s[:context] if not first else "") + "…"
                     + (s[-context:] if not last else ""))
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


# Japanese line breaking (kinsoku shori, after JIS X 4051): closing brackets, punctuation,
# middle dots, iteration marks, the prolonged sound mark and small kana never start a line;
# opening brackets never end one.
NO_LINE_START = frozenset(
    "、。，．！？‼⁇⁈⁉・：；｡､"
    "）］｝〕〉》」』】〙〗〟’”»｣"
    "ー〜～‐゠–ヽヾゝゞ々〻…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = frozenset("（［｛〔〈《「『【〘〖〝‘“«｢")  # (Latin text wraps as Rich wraps it)


# Nor is a number or a Latin word split (JIS X 4051's inseparable runs): 425 read as
# "42" then "5年", Experience as "Experien" then "ce". Digits and letters, half- or
# full-width; a decimal point or a thousands comma between two digits; % after a digit.
_WORDISH = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]").match


def _inseparable(plain: str, b: int) -> bool:
    """Whether a break between plain[b - 1] and plain[b] would split a number or a word."""
    a, c = plain[b - 1], plain[b]
    if _WORDISH(a):
        if _WORDISH(c) or c in "%％":
            return True
        return c in ".,．，" and b + 1 < len(plain) and plain[b + 1].isdigit() and a.isdigit()
    return a in ".,．，" and c.isdigit() and b >= 2 and plain[b - 2].isdigit()


def _allowed(plain: str, start: int, brk: int, runs: bool = True) -> int:
    """A break at `brk` moved back (the last characters of the line go down with the
    punctuation) until no closing mark starts the next line, no opening bracket ends
    this one and (with `runs`) no number or word is split; `brk` itself when there is
    no such place after `start`."""
    b = brk
    while plain[b] in NO_LINE_START or plain[b - 1] in NO_LINE_END or (runs and _inseparable(plain, b)):
        if b - 1 <= start or plain[b - 1].isspace():
            return brk
        b -= 1
    return b


def line_breaks(plain: str, width: int, console: Console) -> list[int]:
    """Where one line of text (no newline) breaks to fit `width` cells: where Rich's own
    word wrapping breaks it (`Text.wrap` divides at `divide_line`'s offsets, folding a run
    of Japanese at any character), each break then moved by the Japanese rules; after a
    moved break, the rest is wrapped again from there."""
    breaks: list[int] = []
    start = 0
    runs = not plain.isascii()  # Latin text alone wraps as Rich wraps it
    while width > 0:
        pos, moved = start, False
        for off in divide_line(plain[start:], width, fold=True):
            end = start + off
            if end >= len(plain):
                return breaks
            brk = _allowed(plain, pos, end, runs)
            breaks.append(brk)
            pos = brk
            if brk != end:
                moved = True
                break
        if not moved:  # Rich's lines stand
            return breaks
        start = pos
    return breaks


def wrap_japanese(text: Text, width: int, console: Console) -> Lines:
    """`text` (styles kept) cut into lines of at most `width` cells, Japanese style."""
    lines = Lines()
    for line in text.split("\n", allow_blank=True):
        if "\t" in line.plain:
            line.expand_tabs()
        for part in line.divide(line_breaks(line.plain, width, console)):
            while cell_len(part.plain) > width and part.plain[-1:].isspace():
                part.right_crop(1)  # the space a line broke at, not a cell more
            lines.append(part)
    return lines


class Wrapped:
    """A Rich renderable: `text` wrapped to whatever width the widget gives it, by the
    Japanese rules (a `。` never starts a line, a `「` never ends one). Every widget that
    wraps Japanese shows it through this (widgets.WrappedText for one whose text changes).
    The lines of the last width asked for are kept: measuring them first (is the height
    the same?) costs no second wrap when the widget draws them."""

    def __init__(self, text: Text | str, min_lines: int = 0) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.min_lines = min_lines  # blank lines added below, up to this many in all
        self._lines: tuple[int, Lines] | None = None

    def lines(self, width: int, console: Console) -> Lines:
        if self._lines is None or self._lines[0] != width:
            lines = wrap_japanese(self.text, width, console)
            for _ in range(self.min_lines - len(lines)):
                lines.append(Text())
            self._lines = (width, lines)
        return self._lines[1]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width, console):
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)
